package tests

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestCurrentAgreesWithShim: for generated trees, `gover current --json`
// and the go shim (running a fake SDK that prints its GOROOT) name the same
// SDK, or fail alike: files over 1 MiB, UTF-16 version files, links in a
// loop and (when not root) unreadable files included (issue 12).
func TestCurrentAgreesWithShim(t *testing.T) {
	t.Parallel()
	buildShimBins(t)
	u := newUser(t)
	u.ok("setup")
	sdks := []string{"go1.21.6", "go1.22.5", "go1.22.9", "go1.23.1", "go1.24.0"}
	for _, v := range sdks {
		u.ok("import", u.shimSDK(v))
	}
	u.ok("use", "--global", "1.21.6")
	u.setenv("GOVER_AUTO_INSTALL", "0")
	u.setenv("GOENV", "off")

	rng := rand.New(rand.NewPCG(12, 5))
	versionsUsed := []string{"1.21.6", "1.22.5", "1.22.9", "1.23.1", "1.24.0", "1.22", "1.25.0"}
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	big := strings.Repeat("// "+strings.Repeat("x", 120)+"\n", 9000) // > 1 MiB
	outcomes := map[string]int{}
	for i := range 40 {
		dir := filepath.Join(u.dir, fmt.Sprintf("t%d", i))
		work := filepath.Join(dir, "p", "a", "b")
		if err := os.MkdirAll(work, 0o755); err != nil {
			t.Fatal(err)
		}
		write := func(rel, content string) {
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var desc []string
		mod := "module example.com/p\n"
		if rng.IntN(3) == 0 {
			mod += big
			desc = append(desc, "big go.mod")
		}
		if rng.IntN(4) != 0 {
			mod += "go " + strings.TrimSuffix(pick(versionsUsed[:5]), ".0") + "\n"
		}
		if rng.IntN(3) == 0 {
			mod += "toolchain go" + pick(versionsUsed[:5]) + "\n"
		}
		write("p/go.mod", mod)
		desc = append(desc, fmt.Sprintf("go.mod %q", lastLines(mod)))
		switch rng.IntN(6) {
		case 0:
			write("p/.go-version", pick(versionsUsed)+"\n")
			desc = append(desc, ".go-version")
		case 1:
			write("p/a/.tool-versions", "golang "+pick(versionsUsed)+"\n")
			desc = append(desc, ".tool-versions")
		case 2:
			write(".go-version", utf16le(pick(versionsUsed)+"\r\n"))
			desc = append(desc, "UTF-16 .go-version")
		case 3:
			write("p/a/.go-version", strings.Repeat("# padding\n", 8000)+"1.22.5\n")
			desc = append(desc, "80 KB .go-version")
		case 4:
			os.Symlink("go.mod", filepath.Join(work, "go.mod"))
			os.Symlink(".go-version", filepath.Join(work, ".go-version"))
			desc = append(desc, "links in a loop")
		case 5:
			if os.Geteuid() > 0 && runtime.GOOS != "windows" {
				write("p/a/.go-version", "1.22.5\n")
				os.Chmod(filepath.Join(dir, "p", "a", ".go-version"), 0)
				desc = append(desc, "unreadable .go-version")
			}
		}
		if rng.IntN(5) == 0 {
			write("go.work", "go 1.23.1\nuse ./p\n")
			desc = append(desc, "go.work")
		}
		env := []string{"GOTOOLCHAIN="}
		switch rng.IntN(4) {
		case 0:
			env = []string{"GOTOOLCHAIN=" + pick([]string{"local", "path", "go1.22.5", "go1.22.5+auto", "go1.23.1+path"})}
		case 1:
			env = []string{"GOVER_VERSION=" + pick(versionsUsed)}
		}
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			u.setenv(k, v)
		}
		u.inFolder(filepath.Join(fmt.Sprintf("t%d", i), "p", "a", "b"), func() {
			cur := u.gover("current", "--json")
			sh := u.run(u.shimPath("go"), "env")
			what := fmt.Sprintf("tree %d (%s; %v)", i, strings.Join(desc, ", "), env)
			var j struct {
				Name      string `json:"name"`
				Installed bool   `json:"installed"`
				GOROOT    string `json:"goroot"`
			}
			switch {
			case cur.code != 0:
				outcomes["both fail"]++
				if sh.code != cur.code {
					t.Errorf("%s: gover current failed (exit %d: %s) but the shim exited %d:\n%s%s", what, cur.code, cur.stderr, sh.code, sh.stdout, sh.stderr)
				}
			case json.Unmarshal([]byte(cur.stdout), &j) != nil:
				t.Fatalf("%s: gover current --json printed %q", what, cur.stdout)
			case !j.Installed:
				outcomes["not installed"]++
				if sh.code != 4 || !strings.Contains(sh.stderr, "not installed") {
					t.Errorf("%s: current says %s is not installed; the shim exited %d:\n%s%s", what, j.Name, sh.code, sh.stdout, sh.stderr)
				}
			case !strings.Contains(sh.stdout, "GOROOT="+j.GOROOT+"\n"):
				outcomes["differ"]++
				t.Errorf("%s: current says %s in %s; the shim ran:\n%s%s", what, j.Name, j.GOROOT, sh.stdout, sh.stderr)
			}
		})
		for _, kv := range env {
			k, _, _ := strings.Cut(kv, "=")
			u.setenv(k, "")
		}
	}
	outcomes["same SDK"] = 40 - outcomes["both fail"] - outcomes["not installed"] - outcomes["differ"]
	t.Logf("outcomes: %v", outcomes)
	if outcomes["same SDK"] < 20 || outcomes["not installed"] == 0 {
		t.Errorf("the generated trees exercised too little: %v", outcomes)
	}
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-2):], "; ")
}

func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return string(b)
}

// TestShimGoGetSwitchesThroughStore is issue 12's real-toolchain case: in
// a go 1.22 module pinned to go1.22.5, `go get go@<the machine's Go>`
// through the shim switches to the imported machine Go through its
// GOVER_HOME/bin/goX.Y.Z entry and rewrites go.mod, with no toolchain
// extracted into the module cache. GOVER_HOME/bin is not on PATH: the shim
// adds it for go's path lookup.
func TestShimGoGetSwitchesThroughStore(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to download go1.22.5")
	}
	buildShimBins(t)
	u := newUser(t)
	u.ok("setup")
	u.ok("install", "1.22.5")
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	u.ok("import", strings.TrimSpace(string(out)))
	ver, _ := exec.Command("go", "env", "GOVERSION").Output()
	local := strings.TrimSpace(string(ver))
	entry := filepath.Join(u.home, "bin", local+exeSuffix())
	if _, err := os.Stat(entry); err != nil {
		t.Fatalf("import made no %s entry: %v", entry, err)
	}

	modcache := filepath.Join(u.home, "..", "modcache")
	u.setenv("GOMODCACHE", modcache)
	u.setenv("GOCACHE", filepath.Join(u.home, "..", "gocache"))
	u.setenv("GOENV", "off")
	u.setenv("GOFLAGS", "")
	u.writeFile("old/go.mod", "module example.com/old\n\ngo 1.22\n")
	u.inFolder("old", func() {
		u.ok("use", "1.22.5")
		r := u.run(u.shimPath("go"), "version")
		if !strings.HasPrefix(r.stdout, "go version go1.22.5 ") {
			t.Fatalf("before: %s%s", r.stdout, r.stderr)
		}
		r = u.run(u.shimPath("go"), "get", "go@"+strings.TrimPrefix(local, "go"))
		if r.code != 0 || !strings.Contains(r.stderr, "switching to "+local) {
			t.Fatalf("go get go@%s: exit %d\n%s%s", local, r.code, r.stdout, r.stderr)
		}
		data, _ := os.ReadFile(filepath.Join(u.dir, "go.mod"))
		if !strings.Contains(string(data), "go "+strings.TrimPrefix(local, "go")+"\n") {
			t.Errorf("go.mod not rewritten:\n%s", data)
		}
		r = u.run(u.shimPath("go"), "version")
		if !strings.HasPrefix(r.stdout, "go version "+local+" ") {
			t.Errorf("after: %s%s", r.stdout, r.stderr)
		}
	})
	if ents, err := os.ReadDir(filepath.Join(modcache, "golang.org", "toolchain@v0.0.1-"+local+"."+runtime.GOOS+"-"+runtime.GOARCH)); err == nil {
		t.Errorf("a toolchain was extracted into the module cache: %d entries", len(ents))
	}
	if zips, _ := filepath.Glob(filepath.Join(modcache, "cache", "download", "golang.org", "toolchain", "@v", "*.zip")); len(zips) > 0 {
		t.Errorf("a toolchain zip was downloaded: %v", zips)
	}
}
