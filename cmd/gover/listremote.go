package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store/source"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func (a *app) listRemoteCommand() *cli.Command {
	return &cli.Command{
		Name:      "list-remote",
		Usage:     "list Go releases available for download",
		ArgsUsage: "[version spec]",
		Description: `Lists the releases that have an archive for this platform, newest first,
from the go.dev/dl index, or the module proxy's toolchain list when the index
is unreachable. The list is cached for an hour and used offline.

   gover list-remote          # stable releases
   gover list-remote 1.22     # every 1.22.x
   gover list-remote --all    # with betas and release candidates
   gover list-remote --json latest`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "all", Usage: "include betas and release candidates"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.StringFlag{Name: "platform", Usage: "list for `os/arch` instead of this machine"},
		},
		Action: a.listRemote,
	}
}

// remoteRelease is one line of gover list-remote --json. Field names are
// stable.
type remoteRelease struct {
	Version   string `json:"version"`
	Name      string `json:"name"`
	Stable    bool   `json:"stable"`
	Installed bool   `json:"installed"`
	Filename  string `json:"filename,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	Size      int64  `json:"size,omitempty"`
}

func (a *app) listRemote(c *cli.Context) error {
	if err := exactArgs(c, 0, 1); err != nil {
		return err
	}
	var (
		sp     spec.Spec
		hasArg = c.NArg() == 1
	)
	if hasArg {
		var err error
		if sp, err = spec.Parse(c.Args().First()); err != nil {
			return exitcode.Usage(err, "gover list-remote 1.22")
		}
	}
	p := versions.Host()
	if s := c.String("platform"); s != "" {
		var err error
		if p, err = versions.ParsePlatform(s); err != nil {
			return exitcode.Usage(err, "gover list-remote --platform linux/amd64")
		}
	}
	in, err := a.installer(false)
	if err != nil {
		return err
	}
	remote, err := in.Remote(c.Context)
	if err != nil {
		return err
	}
	if remote.Stale {
		fmt.Fprintf(a.stderr, "gover: note: offline; this list was fetched %s ago from %s\n", source.HumanAge(remote.Age(time.Now())), remote.URL)
	}
	// Installed for the platform listed: the store holds one platform per
	// version, and an SDK for this machine is no use on another.
	installed := map[versions.Version]bool{}
	if ms, _ := in.Store.List(); ms != nil {
		for _, m := range ms {
			v, err := versions.Parse(m.Version)
			if err == nil && (m.Platform == p.String() || m.Platform == "" && p == versions.Host()) {
				installed[v] = true
			}
		}
	}
	var out []remoteRelease
	for _, r := range remote.Releases {
		v := r.ParsedVersion()
		f, ok := r.Archive(p)
		if !ok || v.IsZero() {
			continue
		}
		switch {
		case hasArg && !sp.Match(v):
			continue
		case !hasArg && !c.Bool("all") && (v.Prerelease() || !r.Stable):
			continue
		}
		if remote.From == source.KindProxy {
			// The proxy serves module zips; it names no archive.
			f = versions.File{}
		}
		out = append(out, remoteRelease{
			Version: v.String(), Name: v.Name(), Stable: r.Stable && !v.Prerelease(),
			Installed: installed[v], Filename: f.Filename, SHA256: f.SHA256, Size: f.Size,
		})
	}
	slices.SortStableFunc(out, func(x, y remoteRelease) int {
		return versions.Compare(versions.MustParse(y.Version), versions.MustParse(x.Version))
	})
	if hasArg && isLatest(sp) && len(out) > 0 {
		out = out[:1]
	}
	var none error
	if len(out) == 0 {
		what := "no Go release"
		if hasArg {
			what += " matches " + sp.String()
		}
		none = exitcode.NotFound(fmt.Errorf("%s for %s", what, p), "gover list-remote --all")
	}
	if c.Bool("json") {
		if out == nil {
			out = []remoteRelease{}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return none // the same exit code as without --json
	}
	if none != nil {
		return none
	}
	for _, r := range out {
		mark := ""
		if r.Installed {
			mark = "  (installed)"
		}
		fmt.Fprintf(a.stdout, "%s%s\n", r.Version, mark)
	}
	return nil
}

func isLatest(s spec.Spec) bool {
	return s.String() == "latest" || s.String() == "stable"
}
