// Command gover installs verified Go SDKs side by side and switches between
// them per folder through a go shim.
//
//	gover install 1.22.5
//	gover use 1.22.5          # in a project folder: writes .go-version
//	gover use --global 1.23   # the default everywhere else
//	gover list
//
// This package is wiring only: flags, output and exit codes. The work lives
// in the versions, store, shim and registry packages.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/buildinfo"
	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/release"
)

func main() {
	release.RemoveOld() // what a self-update on Windows set aside
	os.Exit(run(os.Args, &app{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		http:   newHTTPClient(),
	}))
}

// app is what every command gets injected: streams, environment and the
// HTTP client. Commands never reach for os.Stdout or os.Getenv themselves.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	http   *http.Client
}

// commands lists every gover command, one file each in this folder.
func (a *app) commands() []*cli.Command {
	// In the order help lists them: the everyday commands first.
	return []*cli.Command{
		a.installCommand(),
		a.useCommand(),
		a.listCommand(),
		a.listRemoteCommand(),
		a.currentCommand(),
		a.whichCommand(),
		a.uninstallCommand(),
		a.setupCommand(),
		a.doctorCommand(),
		a.execCommand(),
		a.envCommand(),
		a.importCommand(),
		a.pruneCommand(),
		a.verifyCommand(),
		a.cacheCommand(),
		a.syncCommand(),
		a.activateCommand(),
		a.hookEnvCommand(),
		a.ideCommand(),
		a.selfUpdateCommand(),
		a.completionCommand(),
	}
}

func run(args []string, a *app) int {
	cmds := a.commands()
	for _, c := range cmds {
		setUsageErrors(c)
	}
	cliApp := &cli.App{
		Name:                 "gover",
		Usage:                "install verified Go SDKs side by side and switch per folder",
		Version:              buildinfo.Get().String(),
		Commands:             cmds,
		EnableBashCompletion: true,
		Reader:               a.stdin,
		Writer:               a.stdout,
		ErrWriter:            a.stderr,
		HideHelpCommand:      true,
		OnUsageError:         usageError,
		// Errors are printed once, by report, not by urfave/cli.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	cliApp.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return exitcode.Usage(fmt.Errorf("unknown command %q", c.Args().First()), "gover --help")
		}
		return cli.ShowAppHelp(c)
	}
	return report(a.stderr, cliApp.Run(args))
}

// report prints err the gover way and returns the process exit code.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitcode.CodeOK
	}
	msg := strings.TrimPrefix(err.Error(), "gover: ")
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(w, "gover: %s\n", line)
	}
	if h := exitcode.Hint(err); h != "" {
		fmt.Fprintf(w, "gover: hint: %s\n", h)
	}
	return exitcode.Code(err)
}

func usageError(c *cli.Context, err error, _ bool) error {
	hint := "gover --help"
	if c != nil && c.Command != nil && c.Command.Name != "" {
		hint = "gover " + c.Command.FullName() + " --help"
	}
	return exitcode.Usage(err, hint)
}

func setUsageErrors(c *cli.Command) {
	if c.OnUsageError == nil {
		c.OnUsageError = usageError
	}
	for _, sub := range c.Subcommands {
		setUsageErrors(sub)
	}
}

// exactArgs checks a command's positional argument count.
func exactArgs(c *cli.Context, min, max int) error {
	n := c.NArg()
	if n < min || (max >= 0 && n > max) {
		var want string
		switch {
		case min == max:
			want = fmt.Sprintf("exactly %d", min)
		case max < 0:
			want = fmt.Sprintf("at least %d", min)
		default:
			want = fmt.Sprintf("%d to %d", min, max)
		}
		return exitcode.Usage(fmt.Errorf("%s takes %s argument(s), got %d", c.Command.FullName(), want, n), "gover "+c.Command.FullName()+" --help")
	}
	return nil
}
