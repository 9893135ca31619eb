package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shim"
)

func (a *app) execCommand() *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with a given Go SDK first on PATH",
		ArgsUsage: "<version> -- <command> [args...]",
		Description: `Runs the command with GOROOT set to the SDK, the SDK's bin folder first on
PATH and GOTOOLCHAIN=local (unless set), installing the SDK first if needed.
Unlike the go shim it changes PATH, because you asked for it explicitly.

   gover exec 1.21 -- go test ./...
   gover exec 1.22.5 -- make release`,
		SkipFlagParsing: false,
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) > 0 && args[0] == "--" {
				args = args[1:]
			}
			if len(args) < 2 {
				return exitcode.Usage(errors.New("gover exec takes a version and a command"), "gover exec 1.22.5 -- go version")
			}
			ver, args := args[0], args[1:]
			if args[0] == "--" {
				args = args[1:]
			}
			if len(args) == 0 {
				return exitcode.Usage(errors.New("no command to run"), "gover exec "+ver+" -- go version")
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			v, err := a.ensureInstalled(c.Context, st, ver)
			if err != nil {
				return err
			}
			goroot, err := st.GOROOT(v)
			if err != nil {
				return err
			}
			return a.runIn(goroot, args)
		},
	}
}

// runIn runs args with goroot's bin first on PATH and reports a failing
// command's exit code as gover's own.
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
	// The command gets Ctrl+C from the terminal and decides; gover waits
	// for it and reports how it ended.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt, syscall.SIGTERM)
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 {
			code = exitcode.CodeError
		}
		return exitcode.New(code, fmt.Errorf("%s: %v", args[0], ee.ProcessState), "")
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
