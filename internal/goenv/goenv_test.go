package goenv

import (
	"path/filepath"
	"testing"
)

func TestFile(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := File("linux", env(map[string]string{"GOENV": "off", "HOME": "/h"})); got != "" {
		t.Errorf("GOENV=off: %q", got)
	}
	if got := File("linux", env(map[string]string{"GOENV": "/x/env"})); got != "/x/env" {
		t.Errorf("GOENV=/x/env: %q", got)
	}
	if got := File("linux", env(map[string]string{"HOME": "/h"})); got != filepath.Join("/h", ".config", "go", "env") {
		t.Errorf("default: %q", got)
	}
	if got := File("linux", env(nil)); got != "" {
		t.Errorf("no home: %q", got)
	}
}

func TestParse(t *testing.T) {
	m := Parse([]byte("# comment\nGOPROXY=a\r\n\nlower=x\n=y\nGOPROXY=b\nGOTOOLCHAIN=go1.22.5+auto"))
	if m["GOPROXY"] != "b" || m["GOTOOLCHAIN"] != "go1.22.5+auto" || len(m) != 2 {
		t.Errorf("Parse = %v", m)
	}
}
