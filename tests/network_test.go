package tests

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNetworkInstallFromProxy installs a real Go from the real module proxy,
// checked against the real checksum database, then builds a program with
// it. It needs the network: GOVER_E2E_NETWORK=1.
func TestNetworkInstallFromProxy(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to install from proxy.golang.org")
	}
	u := newUser(t)
	u.setenv("GOPROXY", "https://proxy.golang.org,direct")
	u.setenv("GOSUMDB", "sum.golang.org")
	u.setenv("GOVER_SOURCES", "proxy")
	r := u.ok("install", "--platform", "linux/amd64", "1.22.5")
	t.Logf("gover install:\n%s%s", r.stdout, r.stderr)
	m := u.manifest("1.22.5")
	if m["trust"] != "sumdb" || !strings.HasPrefix(m["h1"].(string), "h1:") {
		t.Fatalf("manifest %v", m)
	}
	if !strings.Contains(strings.Join(anyStrings(m["checks"]), " "), "sumdb:sum.golang.org") {
		t.Errorf("checks %v", m["checks"])
	}
	if u.manifest("1.22.5")["platform"] != "linux/amd64" {
		t.Fatalf("platform %v", m["platform"])
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return // installed for linux/amd64; cannot run it here
	}
	goBin := filepath.Join(u.home, "sdk", "go1.22.5", "bin", "go")
	out := u.run(goBin, "version")
	if out.code != 0 || !strings.Contains(out.stdout, "go version go1.22.5 linux/amd64") {
		t.Fatalf("go version: %+v", out)
	}
	os.WriteFile(filepath.Join(u.dir, "go.mod"), []byte("module hello\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(u.dir, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello from go1.22.5\") }\n"), 0o644)
	u.setenv("GOTOOLCHAIN", "local")
	u.setenv("GOFLAGS", "-mod=mod")
	u.setenv("GOCACHE", filepath.Join(t.TempDir(), "gocache"))
	u.setenv("GOPATH", filepath.Join(t.TempDir(), "gopath"))
	if out := u.run(goBin, "build", "-o", "hello", "."); out.code != 0 {
		t.Fatalf("go build: %+v", out)
	}
	out = u.run(filepath.Join(u.dir, "hello"))
	if strings.TrimSpace(out.stdout) != "hello from go1.22.5" {
		t.Fatalf("hello printed %+v", out)
	}
	if r := u.ok("verify", "1.22.5"); !strings.Contains(r.stdout, "go1.22.5: ok") {
		t.Errorf("verify: %s", r.stdout)
	}
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
