// Package goenv finds and reads the user's go env file, the one
// `go env -w` writes, exactly as cmd/go does (cmd/go/internal/cfg), so
// that a setting made with `go env -w` means the same to gover as to go:
//
//	file := goenv.File(runtime.GOOS, os.Getenv) // "" when GOENV=off or no config folder
//	data, _ := os.ReadFile(file)
//	proxy := goenv.Parse(data)["GOPROXY"]
//
// It is linked into the go shim, so it imports only small parts of the
// standard library.
package goenv

import (
	"bytes"
	"path/filepath"
)

// UserConfigDir is os.UserConfigDir for the given GOOS, reading the
// environment through getenv: %AppData% on Windows,
// $HOME/Library/Application Support on macOS, else $XDG_CONFIG_HOME (when
// absolute) or $HOME/.config. It returns "" when the variables it needs
// are unset.
func UserConfigDir(goos string, getenv func(string) string) string {
	switch goos {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
		return ""
	case "plan9":
		if h := getenv("home"); h != "" {
			return filepath.Join(h, "lib")
		}
		return ""
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "" // os.UserConfigDir refuses a relative one
		}
		return d
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// File is the go env file cmd/go reads: $GOENV when set ("" for
// GOENV=off), else <config>/go/env. It need not exist.
func File(goos string, getenv func(string) string) string {
	switch f := getenv("GOENV"); f {
	case "off":
		return ""
	case "":
	default:
		return f
	}
	dir := UserConfigDir(goos, getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// ParseLine splits one line of a go env file as cmd/go does: KEY=VALUE,
// with lines that have no "=" or do not start with A-Z (comments,
// blanks) ignored (ok false). A trailing CR is dropped.
func ParseLine(line []byte) (key, value string, ok bool) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	i := bytes.IndexByte(line, '=')
	if i < 0 || line[0] < 'A' || 'Z' < line[0] {
		return "", "", false
	}
	return string(line[:i]), string(line[i+1:]), true
}

// Parse reads a whole go env file; later lines win.
func Parse(data []byte) map[string]string {
	m := make(map[string]string)
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if k, v, ok := ParseLine(line); ok {
			m[k] = v
		}
	}
	return m
}
