package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

func (a *app) listCommand() *cli.Command {
	return &cli.Command{
		Name:      "list",
		Aliases:   []string{"ls"},
		Usage:     "list the installed Go SDKs",
		ArgsUsage: " ",
		Description: `Lists the installed SDKs, newest first. A * marks the global default and
"<- runs here" the version this folder runs (gover current); imported SDKs
show the folder they live in.

Examples:
   gover list
   gover list --json`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array for scripts"},
		},
		Action: a.list,
	}
}

// listEntry is one SDK in `gover list --json`. Its field names are stable.
type listEntry struct {
	Version     string       `json:"version"`
	GOROOT      string       `json:"goroot"`
	Platform    string       `json:"platform"`
	Default     bool         `json:"default"`
	Here        bool         `json:"here"`             // what this folder runs (gover current)
	HereBy      string       `json:"hereBy,omitempty"` // what selected it: a file, GOVER_VERSION, ...
	Imported    bool         `json:"imported"`
	Source      store.Source `json:"source"`
	Trust       string       `json:"trust"`
	Insecure    bool         `json:"insecure,omitempty"`
	Missing     bool         `json:"missing,omitempty"` // the SDK's folder is gone
	InstalledAt time.Time    `json:"installedAt"`
}

func (a *app) list(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	ms, listErr := s.List()
	if ms == nil && listErr != nil {
		return listErr
	}
	global, _ := s.Global() // no default, or an unreadable one: nothing is starred
	var here versions.Version
	var hereBy string
	if f, err := a.folder(s); err == nil && f.goroot != "" {
		here, _ = versions.Parse(f.name)
		hereBy = f.sel.Source.String()
	}
	entries := make([]listEntry, 0, len(ms))
	for _, m := range ms {
		v, _ := versions.Parse(m.Version) // List checked it
		goroot := m.GOROOT
		if !m.Imported {
			goroot = s.SDKDir(v)
		}
		e := listEntry{
			Version:     m.Version,
			GOROOT:      goroot,
			Platform:    m.Platform,
			Default:     !global.IsZero() && v == global,
			Here:        !here.IsZero() && v == here,
			Imported:    m.Imported,
			Source:      m.Source,
			Trust:       string(m.Trust),
			Insecure:    m.Insecure,
			InstalledAt: m.InstalledAt,
			// A folder can vanish behind gover's back: an imported one, or
			// one someone deleted by hand.
			Missing: folderGone(goroot),
		}
		if e.Here {
			e.HereBy = hereBy
		}
		entries = append(entries, e)
	}
	if c.Bool("json") {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			return err
		}
		return listErr
	}
	if len(entries) == 0 && listErr == nil {
		if _, err := os.Stat(s.Root()); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(a.stdout, "The gover store %s does not exist yet; gover install creates it.\n", s.Root())
		}
		fmt.Fprintln(a.stdout, "No Go SDKs are installed yet. Install one with:")
		fmt.Fprintln(a.stdout, "  gover install latest")
		return nil
	}
	if err := printList(a.stdout, entries); err != nil {
		return err
	}
	return listErr
}

func printList(w io.Writer, entries []listEntry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		mark := " "
		if e.Default {
			mark = "*"
		}
		var note string
		switch {
		case e.Missing && e.Imported:
			note = "MISSING: imported from " + e.GOROOT + ", which is gone; forget it with: gover uninstall " + e.Version
		case e.Missing:
			note = "MISSING: " + e.GOROOT + " is gone; reinstall with: gover uninstall --keep-cache " + e.Version + " && gover install " + e.Version
			if e.Default {
				note += " && gover use --global " + e.Version
				note = strings.Replace(note, "uninstall --keep-cache", "uninstall --force --keep-cache", 1)
			}
		case e.Imported:
			note = "imported from " + e.GOROOT
		case e.Insecure:
			note = "UNVERIFIED (installed with --insecure)"
		case e.Trust != "":
			note = "verified: " + e.Trust
		}
		if e.Platform != "" && e.Platform != versions.Host().String() {
			note += " [" + e.Platform + "]"
		}
		if e.Here {
			note += "   <- runs here (" + e.HereBy + ")"
		}
		fmt.Fprintf(tw, "%s %s\t%s\n", mark, e.Version, note)
	}
	return tw.Flush()
}

func folderGone(goroot string) bool {
	_, err := os.Stat(goroot)
	return errors.Is(err, fs.ErrNotExist)
}
