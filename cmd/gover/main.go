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
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/buildinfo"
	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/release"
	"github.com/gover/gover/store"
)

func main() {
	release.RemoveOld() // what a self-update on Windows set aside
	ctx, stop := interruptible(context.Background())
	defer stop()
	os.Exit(run(ctx, os.Args, &app{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		http:   newHTTPClient(),
	}))
}

// interrupted is why the context of a command stopped early: a signal.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string { return "interrupted (" + e.sig.String() + ")" }

// interruptible is signal.NotifyContext for Ctrl+C, SIGTERM and SIGHUP (a
// closed terminal), set up once
// for every command, except that the cause it cancels with names the signal
// by type, so run can exit 130 or 143. After the first signal a second one
// ends gover at once, the default way.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(&interrupted{sig: s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

// app is what every command gets injected: streams, environment and the
// HTTP client. Commands never reach for os.Stdout or os.Getenv themselves.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	http   *http.Client

	verbose bool // --verbose: every note, not just outcomes

	// store is the store openStore opened last, so a permission error
	// inside it gets the hint for an unwritable GOVER_HOME.
	store *store.Store
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
		a.upgradeCommand(),
		a.outdatedCommand(),
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
		a.toolsCommand(),
		a.selfUpdateCommand(),
		a.implodeCommand(),
		a.completionCommand(),
	}
}

func run(ctx context.Context, args []string, a *app) int {
	cmds := a.commands()
	cmds = append(cmds, a.helpCommand(), a.versionCommand(), a.completeCommand())
	for _, c := range cmds {
		setUsageErrors(c)
	}
	cliApp := &cli.App{
		Name:    "gover",
		Usage:   "install verified Go SDKs side by side and switch per folder",
		Version: buildinfo.Get().String(),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "verbose", Usage: "print every source tried and every note, not just the outcome"},
			// urfave/cli adds --help itself only when no command is
			// called help; gover has one.
			cli.HelpFlag,
		},
		Commands:        cmds,
		Reader:          a.stdin,
		Writer:          a.stdout,
		ErrWriter:       a.stderr,
		HideHelpCommand: true,
		OnUsageError:    usageError,
		// Errors are printed once, by report, not by urfave/cli.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	cliApp.Before = func(c *cli.Context) error {
		a.verbose = c.Bool("verbose")
		return nil
	}
	cliApp.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return unknownCommand(c, cmds)
		}
		return cli.ShowAppHelp(c)
	}
	err := cliApp.RunContext(ctx, reorderArgs(cliApp, args))
	var sig *interrupted
	if err != nil && errors.As(context.Cause(ctx), &sig) && !exitcode.IsQuiet(err) {
		fmt.Fprintf(a.stderr, "gover: %s\n", sig.Error())
		return exitcode.Signal(sig.sig)
	}
	if a.store != nil {
		err = a.store.HintUnwritable(err)
	}
	return report(a.stderr, err)
}

// report prints err the gover way and returns the process exit code.
func report(w io.Writer, err error) int {
	if err == nil {
		return exitcode.CodeOK
	}
	if exitcode.IsQuiet(err) {
		return exitcode.Code(err)
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
	return exitcode.Usage(err, "gover "+commandPath(c, "--help"))
}

// commandPath is the command c runs, as typed: "cache clean", or "" for
// gover itself, followed by more words.
func commandPath(c *cli.Context, more ...string) string {
	var names []string
	for _, l := range c.Lineage() {
		if l.Command != nil && l.Command.Name != "" && (l.App == nil || l.Command.Name != l.App.Name) {
			names = append([]string{l.Command.Name}, names...)
		}
	}
	return strings.Join(append(slices.Compact(names), more...), " ")
}

// setUsageErrors makes every usage mistake exit 2 with a hint, including an
// unknown subcommand of a command that only groups others (gover cache
// list).
func setUsageErrors(c *cli.Command) {
	if c.OnUsageError == nil {
		c.OnUsageError = usageError
	}
	if len(c.Subcommands) > 0 && c.Action == nil {
		subs := c.Subcommands
		c.Action = func(ctx *cli.Context) error {
			if ctx.Args().Present() {
				return unknownCommand(ctx, subs)
			}
			return cli.ShowSubcommandHelp(ctx)
		}
	}
	for _, sub := range c.Subcommands {
		setUsageErrors(sub)
	}
}

// unknownCommand is the usage error for a command name gover does not
// have, suggesting the nearest one when it looks like a typo.
func unknownCommand(c *cli.Context, cmds []*cli.Command) error {
	name := c.Args().First()
	parent := commandPath(c)
	what := "command"
	if parent != "" {
		what = parent + " command"
	}
	var names []string
	for _, cmd := range cmds {
		if !cmd.Hidden {
			names = append(names, cmd.Names()...)
		}
	}
	if s := suggest(name, names); s != "" {
		line := strings.Join(append([]string{"gover", parent, s}, c.Args().Tail()...), " ")
		return exitcode.Usage(fmt.Errorf("unknown %s %q; did you mean %s?", what, name, s), strings.Join(strings.Fields(line), " "))
	}
	return exitcode.Usage(fmt.Errorf("unknown %s %q", what, name), strings.Join(strings.Fields("gover "+parent+" --help"), " "))
}

// suggest returns the candidate closest to name when it is close enough to
// be a typo: a prefix, or a few edits away.
func suggest(name string, candidates []string) string {
	// A third of the word may be wrong: instal, isntall, lsit; not x.
	best, bestDist := "", max(1, len(name)/3)+1
	for _, c := range candidates {
		d := editDistance(name, c)
		if len(name) >= 3 && strings.HasPrefix(c, name) {
			d = 1
		}
		if d < bestDist && d < len(c) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance counts the insertions, deletions, substitutions and swaps
// of neighbours that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// exactArgs checks a command's positional argument count; max < 0 means
// no upper limit.
func exactArgs(c *cli.Context, min, max int) error {
	n := c.NArg()
	if n >= min && (max < 0 || n <= max) {
		return nil
	}
	var want string
	switch {
	case max == 0:
		want = "no arguments"
	case min == max:
		want = count(min, "argument")
	case max < 0:
		want = "at least " + count(min, "argument")
	case min == 0:
		want = "at most " + count(max, "argument")
	default:
		want = fmt.Sprintf("%d to %d arguments", min, max)
	}
	return exitcode.Usage(fmt.Errorf("%s takes %s, got %d", commandPath(c), want, n), "gover "+commandPath(c, "--help"))
}

// count is "1 argument", "2 arguments".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
