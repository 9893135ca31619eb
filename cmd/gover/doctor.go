package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/gover/gover/doctor"
	"github.com/gover/gover/internal/exitcode"
)

func (a *app) doctorCommand() *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "find what stops go from following gover, and say how to fix it",
		Description: `Checks the shims, PATH, GOROOT, GOPATH and GOBIN, the download settings
(GOPROXY, GOSUMDB, GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE, GOFLAGS,
GOTOOLCHAIN; from the environment and the go env -w file), the proxies and
checksum database (live, in parallel, each with a short timeout), the Windows
registry, PATHs and long-path setting, VS Code settings, Delve and gopls.
Each finding is ok, warning or error, with the command that fixes it. The exit
code is 6 when any check is an error.

--fix applies the safe fixes it reports (refresh the shims, put the shims first
on the Windows user PATH, point the current link at the global default, take
go.goroot out of VS Code settings), saving everything it changes under
GOVER_HOME/backup/ first; --restore puts such a backup back.

   gover doctor
   gover doctor --json          # for CI; the schema is documented in package doctor
   gover doctor --fix
   gover doctor --restore ~/.gover/backup/doctor-20261121T103000Z`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON report for scripts and CI"},
			&cli.BoolFlag{Name: "fix", Usage: "apply the safe fixes, after a backup"},
			&cli.BoolFlag{Name: "offline", Usage: "skip the network probes"},
			&cli.BoolFlag{Name: "deep", Usage: "re-hash every file of the selected SDK"},
			&cli.DurationFlag{Name: "timeout", Value: 3 * time.Second, Usage: "limit for each network probe"},
			&cli.StringFlag{Name: "restore", Usage: "put back the backup `folder` a --fix made"},
		},
		Action: a.doctor,
	}
}

func (a *app) doctor(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	if dir := c.String("restore"); dir != "" {
		done, err := doctor.Restore(dir)
		for _, d := range done {
			fmt.Fprintln(a.stdout, d)
		}
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	env := doctor.Env{
		Getenv:     a.getenv,
		Root:       st.Root(),
		Dir:        wd,
		Client:     a.http,
		Timeout:    c.Duration("timeout"),
		Offline:    c.Bool("offline"),
		Deep:       c.Bool("deep"),
		ShimSource: shimNextToGover(),
	}
	ctx := c.Context
	rep := doctor.Run(ctx, env)

	var fixed []string
	var backup string
	var fixErr error
	if c.Bool("fix") {
		out := a.stdout
		if c.Bool("json") {
			out = a.stderr
		}
		// Each fix is applied even when another fails; the failures make
		// the exit code once the new report is shown.
		backup, fixed, fixErr = rep.ApplyFixes(st.Root(), time.Now(), out)
		if backup != "" {
			fmt.Fprintf(out, "saved what changed in %s (undo: gover doctor --restore %s)\n\n", backup, backup)
		}
		if len(fixed) == 0 && fixErr == nil {
			fmt.Fprintln(out, "nothing to fix automatically")
		}
		rep = doctor.Run(ctx, env)
	}

	if c.Bool("json") {
		if err := rep.WriteJSON(a.stdout, fixed, backup); err != nil {
			return err
		}
	} else if err := rep.WriteText(a.stdout, a.colorOut()); err != nil {
		return err
	}
	if fixErr != nil {
		n := 1
		if j, ok := fixErr.(interface{ Unwrap() []error }); ok {
			n = len(j.Unwrap())
		}
		return exitcode.New(exitcode.CodeError, fmt.Errorf("%d fix%s failed (printed above as failed); the others were applied", n, map[bool]string{true: "es", false: ""}[n > 1]), "")
	}
	if n := rep.Errors(); n > 0 {
		return exitcode.New(exitcode.CodeDoctor, fmt.Errorf("%d check%s found an error", n, map[bool]string{true: "s", false: ""}[n > 1]), "")
	}
	return nil
}

// shimNextToGover is the gover-shim gover setup would install, or "".
func shimNextToGover() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	p := filepath.Join(filepath.Dir(exe), "gover-shim"+exeSuffix())
	if !isRegular(p) {
		return ""
	}
	return p
}

// colorOut reports whether stdout takes ANSI colours: a terminal, and
// neither NO_COLOR nor TERM=dumb.
func (a *app) colorOut() bool {
	if a.getenv("NO_COLOR") != "" || a.getenv("TERM") == "dumb" {
		return false
	}
	f, ok := a.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
