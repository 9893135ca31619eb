package main

import (
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
)

func (a *app) whichCommand() *cli.Command {
	return &cli.Command{
		Name:      "which",
		Usage:     "print the path of the go (or gofmt) the shim would run here",
		ArgsUsage: "[go|gofmt]",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 1); err != nil {
				return err
			}
			tool := c.Args().First()
			switch tool {
			case "":
				tool = "go"
			case "go", "gofmt":
			default:
				return exitcode.Usage(fmt.Errorf("the shim runs go or gofmt, not %q", tool), "gover which go")
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			f, err := a.installedFolder(st)
			if err != nil {
				return err
			}
			exe := tool
			if runtime.GOOS == "windows" {
				exe += ".exe"
			}
			_, err = fmt.Fprintln(a.stdout, filepath.Join(f.goroot, "bin", exe))
			return err
		},
	}
}
