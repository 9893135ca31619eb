package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/tools"
	"github.com/gover/gover/versions"
)

func (a *app) toolsCommand() *cli.Command {
	return &cli.Command{
		Name:  "tools",
		Usage: "check the Go tools in GOBIN (dlv, gopls, ...) against the selected Go",
		Description: `Reads every executable where go install puts tools (GOBIN, else the first
GOPATH entry's bin, else ~/go/bin; the go env -w file counts) and says how
each stands against the Go this folder selects:

   ok            built with the selected Go or a newer one
   stale         built with an older Go
   incompatible  known not to work: Delve outside the Go range its release
                 supports, gopls/staticcheck built with an older Go minor
   unknown       not a Go program, or no module information

   gover tools
   gover tools --json
   gover tools rebuild            # the stale and incompatible ones
   gover tools rebuild dlv --latest`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array for scripts"},
		},
		Action: a.toolsList,
		Subcommands: []*cli.Command{{
			Name:      "rebuild",
			Usage:     "reinstall tools with the selected Go at the same module version",
			ArgsUsage: "[name...]",
			Description: `Runs the selected SDK's go install <package>@<version> into a temporary folder
next to each tool and replaces the tool only when the build succeeded. Without
names it rebuilds the stale and incompatible tools; --all rebuilds every Go
tool. Tools built from a local checkout (version "(devel)") are named with
their checkout folder instead.`,
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "all", Usage: "rebuild every Go tool, ok ones included"},
				&cli.BoolFlag{Name: "latest", Usage: "install each module's latest version instead of the same one"},
			},
			Action: a.toolsRebuild,
		}},
	}
}

// judgedTools reads the tools folder and judges each tool against the Go
// the working folder selects.
func (a *app) judgedTools(st *store.Store) (dir string, list []tools.Tool, f folderChoice, err error) {
	f, err = a.installedFolder(st)
	if err != nil {
		return "", nil, f, err
	}
	dir, err = tools.Folder(tools.Env{Getenv: a.getenv})
	if err != nil {
		return "", nil, f, exitcode.WithHint(err, "go env -w GOBIN=<folder>")
	}
	list, err = tools.List(dir)
	for i := range list {
		list[i] = tools.Judge(list[i], f.name)
	}
	return dir, list, f, err
}

func (a *app) toolsList(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	dir, list, f, err := a.judgedTools(st)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if list == nil {
			list = []tools.Tool{}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	fmt.Fprintf(a.stdout, "Go tools in %s, judged against %s (set by %s):\n", dir, f.name, f.sel.Source)
	if len(list) == 0 {
		fmt.Fprintln(a.stdout, "  none")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tMODULE\tVERSION\tBUILT WITH\tREASON")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Status, dash(t.Module), dash(t.Version), dash(t.BuiltWith), t.Reason)
	}
	tw.Flush()
	if n := tools.Outdated(list); n > 0 {
		fmt.Fprintf(a.stdout, "%d to rebuild: gover tools rebuild\n", n)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (a *app) toolsRebuild(c *cli.Context) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	dir, list, f, err := a.judgedTools(st)
	if err != nil {
		return err
	}
	var pick []tools.Tool
	names := c.Args().Slice()
	switch {
	case len(names) > 0:
		if c.Bool("all") {
			return exitcode.Usage(errors.New("give tool names or --all, not both"), "gover tools rebuild --all")
		}
		for _, n := range names {
			i := slices.IndexFunc(list, func(t tools.Tool) bool { return t.Name == strings.TrimSuffix(n, ".exe") })
			if i < 0 {
				return exitcode.NotFound(fmt.Errorf("no tool %q in %s", n, dir), "gover tools")
			}
			pick = append(pick, list[i])
		}
	case c.Bool("all"):
		pick = list
	default:
		for _, t := range list {
			if t.Status == tools.Stale || t.Status == tools.Incompatible {
				pick = append(pick, t)
			}
		}
		if len(pick) == 0 {
			fmt.Fprintf(a.stdout, "every Go tool in %s is up to date with %s\n", dir, f.name)
			return nil
		}
	}
	opts := tools.RebuildOptions{
		Go:       filepath.Join(f.goroot, "bin", "go"+versions.Host().Exe()),
		Selected: f.name,
		Latest:   c.Bool("latest"),
		Env:      shim.ChildEnv(os.Environ(), f.goroot),
		Out:      a.stderr,
	}
	failed := 0
	for i, t := range pick {
		if t.Status == tools.Unknown {
			fmt.Fprintf(a.stdout, "%s: skipped: %s\n", t.Name, t.Reason)
			continue
		}
		if t.Version == tools.Devel {
			_, err := tools.Rebuild(c.Context, t, opts)
			fmt.Fprintf(a.stdout, "%s: skipped: %v\n", t.Name, err)
			continue
		}
		at := t.Version
		if opts.Latest {
			at = "latest"
		}
		fmt.Fprintf(a.stderr, "[%d/%d] go install %s@%s (with %s)\n", i+1, len(pick), t.Package, at, f.name)
		nt, err := tools.Rebuild(c.Context, t, opts)
		var nl *tools.NeedsLatestError
		switch {
		case errors.As(err, &nl):
			failed++
			fmt.Fprintf(a.stdout, "%s: not rebuilt: %v; run: gover tools rebuild --latest %s\n", t.Name, err, t.Name)
		case err != nil:
			failed++
			fmt.Fprintf(a.stdout, "%s: FAILED, the old binary is kept: %v\n", t.Name, err)
		default:
			fmt.Fprintf(a.stdout, "%s: rebuilt %s %s with %s (%s)\n", t.Name, nt.Module, nt.Version, goNameOf(nt.BuiltWith), nt.Status)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d %s not rebuilt", failed, len(pick), plural(len(pick), "tool was", "tools were"))
	}
	return nil
}

func goNameOf(builtWith string) string {
	n, _, _ := strings.Cut(builtWith, " ")
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// noticeTools reads what the working folder and the global default
// resolve to; the function it returns prints one line on stderr if either
// changed since and tools in GOBIN became stale or incompatible for it
// (the folder's version first: it is what go runs here). Commands that can
// change them (use --global, install, upgrade) call it as
//
//	defer a.noticeTools(st)()
//
// It reads files only (no network, no go command) and stays silent on any
// error: a notice must never fail the command it follows.
func (a *app) noticeTools(st *store.Store) func() {
	folder, global := a.folderDefault(st), a.globalDefault(st)
	return func() {
		next := ""
		if f := a.folderDefault(st); f != "" && f != folder {
			next = f
		} else if g := a.globalDefault(st); g != "" && g != global {
			next = g
		}
		if next == "" {
			return
		}
		dir, err := tools.Folder(tools.Env{Getenv: a.getenv})
		if err != nil {
			return
		}
		list, _ := tools.List(dir)
		for i := range list {
			list[i] = tools.Judge(list[i], next)
		}
		if line := tools.Notice(list, next); line != "" {
			fmt.Fprintf(a.stderr, "gover: %s\n", line)
		}
	}
}

// folderDefault is the installed version the working folder resolves to,
// or "".
func (a *app) folderDefault(st *store.Store) string {
	f, err := a.folder(st)
	if err != nil || f.goroot == "" {
		return ""
	}
	return f.name
}

// globalDefault is the installed version the global default resolves to
// ("go1.22.5"), or "".
func (a *app) globalDefault(st *store.Store) string {
	v, err := shim.NewEnv(st, a.getenv, "").Global()
	if err != nil || v == "" {
		return ""
	}
	name, err := shim.ParseSpec(v)
	if err != nil {
		return ""
	}
	names, err := installedNames(st)
	if err != nil {
		return ""
	}
	got, ok := shim.Resolve(shim.Request{Version: name}, names)
	if !ok {
		return ""
	}
	return got
}
