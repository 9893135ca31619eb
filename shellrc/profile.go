package shellrc

import (
	"errors"
	"os"
	"path/filepath"
)

// Env is what the startup files' paths depend on.
type Env struct {
	Home   string              // the user's home folder
	Getenv func(string) string // ZDOTDIR, XDG_CONFIG_HOME
	GOOS   string              // runtime.GOOS; tests use others
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// ErrNoHome is returned when there is no home folder to find files in.
var ErrNoHome = errors.New("no home folder")

// StartupFiles are the files shell really reads when it starts, login or
// interactive, on this OS: where gover setup puts the PATH block.
//
//   - bash: the login file (~/.bash_profile, else ~/.bash_login, else
//     ~/.profile: the first that exists, as bash reads them; a new one is
//     ~/.bash_profile on macOS, whose Terminal starts login shells, and
//     ~/.profile elsewhere) and ~/.bashrc (interactive shells);
//   - zsh: ${ZDOTDIR:-~}/.zprofile (login) and .zshrc (interactive);
//   - fish: config.fish under XDG_CONFIG_HOME (every fish reads it);
//   - pwsh, powershell: the CurrentUserCurrentHost profile.
func StartupFiles(shell string, env Env) ([]string, error) {
	if env.Home == "" {
		return nil, ErrNoHome
	}
	switch shell {
	case "bash":
		return []string{bashLogin(env), filepath.Join(env.Home, ".bashrc")}, nil
	case "zsh":
		d := zdotdir(env)
		return []string{filepath.Join(d, ".zprofile"), filepath.Join(d, ".zshrc")}, nil
	}
	return HookFiles(shell, env)
}

// HookFiles are the files an interactive shell reads, where gover
// activate --install puts its hook: ~/.bashrc (and on macOS the login
// file too, which Terminal's shells read instead), ${ZDOTDIR:-~}/.zshrc,
// config.fish, and the PowerShell profile.
func HookFiles(shell string, env Env) ([]string, error) {
	if env.Home == "" {
		return nil, ErrNoHome
	}
	switch shell {
	case "bash":
		rc := filepath.Join(env.Home, ".bashrc")
		if env.GOOS == "darwin" {
			return []string{bashLogin(env), rc}, nil
		}
		return []string{rc}, nil
	case "zsh":
		return []string{filepath.Join(zdotdir(env), ".zshrc")}, nil
	case "fish":
		cfg := env.getenv("XDG_CONFIG_HOME")
		if cfg == "" {
			cfg = filepath.Join(env.Home, ".config")
		}
		return []string{filepath.Join(cfg, "fish", "config.fish")}, nil
	case "pwsh", "powershell":
		p, err := pwshProfile(shell, env)
		if err != nil {
			return nil, err
		}
		return []string{p}, nil
	}
	return nil, unknownShell(shell, Shells)
}

func bashLogin(env Env) string {
	for _, n := range []string{".bash_profile", ".bash_login", ".profile"} {
		p := filepath.Join(env.Home, n)
		if _, err := os.Lstat(p); err == nil {
			return p
		}
	}
	if env.GOOS == "darwin" {
		return filepath.Join(env.Home, ".bash_profile")
	}
	return filepath.Join(env.Home, ".profile")
}

func zdotdir(env Env) string {
	if d := env.getenv("ZDOTDIR"); d != "" {
		return d
	}
	return env.Home
}
