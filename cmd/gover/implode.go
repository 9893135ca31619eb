package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
)

func (a *app) implodeCommand() *cli.Command {
	return &cli.Command{
		Name:  "implode",
		Usage: "remove gover from this machine: undo setup, then delete the store",
		Description: `Undoes everything gover set up outside its store, as gover setup --undo
does (startup-file lines, each file restored byte for byte; the ~/sdk links;
on Windows the registry values and PATH), then deletes the store: every SDK
gover installed, the download cache, the shims and the copy of gover in
GOVER_HOME/bin, the global default.

It never deletes what gover did not create: imported SDKs stay where they are
(gover only forgets them), and anything else found in the store is left in
place and listed. It asks first; --yes is for scripts.`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "do not ask for confirmation"},
		},
		Action: a.implode,
	}
}

func (a *app) implode(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	edited, err := a.editor(st).Edited()
	if err != nil {
		return err
	}
	installed, _ := st.Installed()
	if !c.Bool("yes") {
		fmt.Fprintf(a.stdout, "gover implode removes:\n")
		for _, f := range edited {
			fmt.Fprintf(a.stdout, "  gover's lines in %s\n", f)
		}
		fmt.Fprintf(a.stdout, "  gover's ~/sdk links, and on Windows its registry values and PATH entry\n")
		fmt.Fprintf(a.stdout, "  the store %s: %s, the download cache, the shims and gover in bin/\n", st.Root(), count(len(installed), "SDK"))
		fmt.Fprintf(a.stdout, "Imported SDKs and anything gover did not create stay.\nRemove gover from this machine? [y/N] ")
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(a.stdout)
			return exitcode.Usage(errors.New("no answer; nothing was removed"), "gover implode --yes")
		}
		if ans := strings.ToLower(strings.TrimSpace(line)); ans != "y" && ans != "yes" {
			fmt.Fprintln(a.stdout, "nothing was removed")
			return nil
		}
	}
	if err := a.undoOutside(st); err != nil {
		return exitcode.WithHint(fmt.Errorf("undoing setup: %w; the store was not touched", err), "gover setup --undo")
	}
	res, err := st.RemoveAll(c.Context)
	a.printRemoved(st, res)
	if err != nil {
		return exitcode.WithHint(fmt.Errorf("removing the store: %w", err), "gover implode --yes")
	}
	return nil
}

// printRemoved says what RemoveAll did and, above all, what it left.
func (a *app) printRemoved(st *store.Store, res *store.Removed) {
	if res == nil {
		return
	}
	for _, v := range res.SDKs {
		fmt.Fprintf(a.stdout, "removed %s\n", v)
	}
	for _, p := range res.Imported {
		fmt.Fprintf(a.stdout, "forgot the imported SDK %s (left where it is)\n", p)
	}
	for _, l := range res.Unlinked {
		fmt.Fprintf(a.stdout, "removed the link %s (what it points at stays)\n", l)
	}
	for _, p := range res.Busy {
		fmt.Fprintf(a.stderr, "gover: %s is in use; delete it once it has exited\n", p)
	}
	if len(res.Kept) > 0 {
		fmt.Fprintf(a.stdout, "left in %s, as gover did not create them:\n", st.Root())
		for _, p := range res.Kept {
			fmt.Fprintf(a.stdout, "  %s\n", p)
		}
	} else if len(res.Busy) == 0 {
		fmt.Fprintf(a.stdout, "removed %s\n", st.Root())
	}
	if exe, err := goverExe(); err == nil && !strings.HasPrefix(exe, st.BinDir()+string(filepath.Separator)) {
		if _, err := os.Stat(exe); err == nil {
			fmt.Fprintf(a.stdout, "gover itself is still at %s; delete it to finish\n", exe)
		}
	}
}
