package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
)

// reorderArgs moves each command's flags ahead of its positional arguments,
// since urfave/cli stops parsing flags at the first argument: it makes
// `gover use 1.22.5 --global` and `gover verify 1.22.5 --help` mean what
// they say. Words after "--" stay arguments, a flag that takes a value
// keeps it, and gover's own flags (--verbose) may come anywhere. Commands
// that run another program (exec) keep their words as typed.
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	global := []string{args[0]}
	var out []string
	flags, cmds := app.Flags, app.Commands
	rest := args[1:]
	for {
		var fl, pos []string
		var sub *cli.Command
		dashdash := false
		i := 0
		for ; i < len(rest); i++ {
			a := rest[i]
			if a == "--" {
				dashdash = true
				pos = append(pos, rest[i+1:]...)
				i = len(rest)
				break
			}
			if len(a) > 1 && a[0] == '-' {
				name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
				f := findFlag(flags, name)
				if f == nil && out != nil {
					if g := findFlag(app.Flags, name); g != nil {
						global = append(global, a)
						continue
					}
				}
				fl = append(fl, a)
				if f != nil && takesValue(f) && !hasValue && i+1 < len(rest) {
					i++
					fl = append(fl, rest[i])
				}
				continue
			}
			if len(pos) == 0 {
				if sub = findCommand(cmds, a); sub != nil {
					break
				}
			}
			pos = append(pos, a)
		}
		out = append(out, fl...)
		if sub == nil && wantsHelp(fl) {
			break // urfave/cli would read the arguments as a help topic
		}
		if sub == nil {
			if dashdash || startsWithDash(pos) {
				out = append(out, "--")
			}
			out = append(out, pos...)
			break
		}
		out = append(out, sub.Name)
		rest = rest[i+1:]
		if sub.SkipFlagParsing {
			out = append(out, rest...)
			break
		}
		flags, cmds = sub.Flags, sub.Subcommands
	}
	return append(global, out...)
}

func wantsHelp(flags []string) bool {
	for _, f := range flags {
		if f == "-h" || f == "--help" || f == "-help" {
			return true
		}
	}
	return false
}

func startsWithDash(args []string) bool {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return true
		}
	}
	return false
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	switch name {
	case "help", "h":
		return cli.HelpFlag
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return ok && d.TakesValue()
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// helpCommand is `gover help [command...]`, for those who type it first.
func (a *app) helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the commands, or one command's help",
		ArgsUsage: "[command [subcommand]]",
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return cli.ShowAppHelp(c)
			}
			cmds := c.App.Commands
			var path []string
			for _, name := range c.Args().Slice() {
				cmd := findCommand(cmds, name)
				if cmd == nil {
					var all []string
					for _, x := range cmds {
						if !x.Hidden {
							all = append(all, x.Name)
						}
					}
					hint := strings.Join(append([]string{"gover", "help"}, path...), " ")
					if s := suggest(name, all); s != "" {
						hint += " " + s
					}
					return exitcode.Usage(fmt.Errorf("no command %q", strings.Join(append(path, name), " ")), hint)
				}
				path, cmds = append(path, cmd.Name), cmd.Subcommands
			}
			// The command's own --help, exactly as urfave/cli prints it.
			return c.App.RunContext(c.Context, append(append([]string{c.App.Name}, path...), "--help"))
		},
	}
}

// versionCommand is `gover version`, the same as `gover --version`.
func (a *app) versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print gover's version",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 0); err != nil {
				return err
			}
			cli.ShowVersion(c)
			return nil
		},
	}
}
