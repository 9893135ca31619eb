package main

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/versions/spec"
)

func (a *app) execCommand() *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with a given Go SDK first on PATH",
		ArgsUsage: "[version] -- <command> [args...]",
		Description: `Runs the command with GOROOT set to the SDK, the SDK's bin folder first on
PATH and GOTOOLCHAIN=local (unless set), installing the SDK first if needed.
Unlike the go shim it changes PATH, because you asked for it explicitly.
Without a version it uses the one this folder selects (gover current).

gover exits with the command's exit code (128+n when a signal ended it) and
passes Ctrl+C and SIGTERM on to it.

   gover exec 1.21 -- go test ./...
   gover exec 1.22.5 -- make release
   gover exec -- go version`,
		// Everything after the version belongs to the command.
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
				return cli.ShowSubcommandHelp(c)
			}
			var ver string
			switch {
			case len(args) == 0:
			case args[0] == "--":
				args = args[1:]
			case !looksLikeSpec(args[0]):
				// gover exec go version: no version, the folder's.
			default:
				ver, args = args[0], args[1:]
				if len(args) > 0 && args[0] == "--" {
					args = args[1:]
				}
			}
			if len(args) == 0 {
				return exitcode.Usage(errors.New("exec needs a command to run"), "gover exec -- go version")
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			var goroot string
			if ver == "" {
				f, err := a.installedFolder(st)
				if err != nil {
					return err
				}
				goroot = f.goroot
			} else {
				v, err := a.ensureInstalled(c.Context, st, ver)
				if err != nil {
					return err
				}
				if goroot, err = st.GOROOT(v); err != nil {
					return err
				}
			}
			return a.runIn(goroot, args)
		},
	}
}

// looksLikeSpec tells a version (1.22, go1.22.5, latest, ~1.22) from the
// name of a command to run.
func looksLikeSpec(s string) bool {
	_, err := spec.Parse(s)
	return err == nil
}

// runIn runs args with goroot's bin first on PATH. The command's exit code
// becomes gover's, silently: the command already said what went wrong.
func (a *app) runIn(goroot string, args []string) error {
	bin := filepath.Join(goroot, "bin")
	env := shim.ChildEnv(os.Environ(), goroot)
	for i, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); strings.EqualFold(k, "PATH") {
			env[i] = k + "=" + bin + string(os.PathListSeparator) + v
			bin = ""
		}
	}
	if bin != "" {
		env = append(env, "PATH="+bin)
	}
	path, err := lookPathIn(args[0], filepath.Join(goroot, "bin"))
	if err != nil {
		return exitcode.NotFound(err, "")
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Args[0] = args[0]
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, a.stdout, a.stderr
	// Signals go to the command, which decides; gover waits for it and
	// reports how it ended. (Ctrl+C in a terminal reaches it directly too.)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				forwardSignal(cmd.Process, s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return exitcode.Quiet(childExitCode(ee.ProcessState))
	}
	return err
}

// lookPathIn finds name in dir (the SDK's bin, so `go` means the SDK's go
// even when a shim comes first on PATH) and then on PATH.
func lookPathIn(name, dir string) (string, error) {
	if !strings.ContainsAny(name, `/\`) {
		for _, ext := range []string{"", ".exe"} {
			p := filepath.Join(dir, name+ext)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				return p, nil
			}
		}
	}
	return exec.LookPath(name)
}
