package shim

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// TestSelectAgreesWithCmdGo is the differential test of issue 12: for a
// generated table of trees (pin source, go line, toolchain line,
// GOTOOLCHAIN value and where it is set, go.work or not, installed
// versions) it runs the machine's real go with the equivalent settings and
// fake goX.Y.Z programs on PATH, and checks that Select and Resolve pick
// the toolchain cmd/go ends up running.
//
// gover's pin plays cmd/go's local toolchain, so the equivalent of a pin P
// is GOTOOLCHAIN=P+path (P when switching is forbidden), exactly as
// DESIGN.md says. Where DESIGN.md deliberately differs, a go line
// ("go 1.27" or "go 1.27.2"), cmd/go runs exactly that release (1.27.0 for
// a language version) while gover takes the newest installed patch of that
// minor that is at least as new; the test asserts exactly that.
//
// All generated versions are newer than the machine's go, so cmd/go
// always switches, and every release cmd/go may ask for is on PATH, so it
// never downloads (GOPROXY=off besides).
func TestSelectAgreesWithCmdGo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real go a few hundred times")
	}
	goExe := filepath.Join(runtime.GOROOT(), "bin", "go"+exeSuffix)
	if _, err := os.Stat(goExe); err != nil {
		t.Skipf("no go command at %s", goExe)
	}
	base := fake.TempDir(t)
	home := filepath.Join(base, "home")
	os.MkdirAll(home, 0o755)
	cleanEnv := []string{"HOME=" + home, "USERPROFILE=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GOPROXY=off", "GOFLAGS=", "GOCACHE=" + filepath.Join(base, "cache"), "GOMODCACHE=" + filepath.Join(base, "modcache"),
		"GOTELEMETRY=off", "SYSTEMROOT=" + os.Getenv("SYSTEMROOT"), "PATHEXT=.exe", "TMPDIR=" + os.TempDir()}
	local := strings.TrimSpace(runGo(t, goExe, base, append(cleanEnv, "GOENV=off", "GOTOOLCHAIN=local", "PATH="), "env", "GOVERSION"))
	lv, err := versions.Parse(local)
	if err != nil {
		t.Fatalf("go env GOVERSION = %q", local)
	}

	// One fake toolchain, linked under every name: it prints the release
	// cmd/go switched to (the variable cmd/go sets on the target).
	fakeDir := filepath.Join(base, "fake")
	os.MkdirAll(fakeDir, 0o755)
	os.WriteFile(filepath.Join(fakeDir, "go.mod"), []byte("module fake\ngo 1.21\n"), 0o644)
	os.WriteFile(filepath.Join(fakeDir, "main.go"), []byte("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() { fmt.Print(\"switched \" + os.Getenv(\""+switchEnv+"\")) }\n"), 0o644)
	fakeExe := filepath.Join(fakeDir, "fake"+exeSuffix)
	runGo(t, goExe, fakeDir, append(cleanEnv, "GOENV=off", "GOTOOLCHAIN=local", "PATH="), "build", "-o", fakeExe, ".")

	// Releases newer than the machine's go: three minors, a few patches.
	var universe []string
	for m := 1; m <= 3; m++ {
		for _, p := range []int{0, 1, 2, 4} {
			universe = append(universe, fmt.Sprintf("go%d.%d.%d", lv.Major(), lv.Minor()+m, p))
		}
	}
	rng := rand.New(rand.NewPCG(12, 2026))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	plain := func(name string) string { return strings.TrimPrefix(name, "go") }
	lang := func(name string) string { v, _ := versions.Parse(name); return v.Lang() }

	const cases = 320
	agreed, patched := 0, 0
	for i := range cases {
		c := struct {
			pinKind, pin   string
			goLine, tcLine string
			gotoolchain    string
			inEnvFile      bool
			work           bool
			workGo, workTC string
			installed      []string
			desc, cmdgoTC  string
			wantErr        bool
			files          map[string]string
			vars           map[string]string
		}{pinKind: pick([]string{FromGoverVersion, FromGoVersion, FromToolVersions, FromGlobal}), pin: pick(universe)}
		line := func() string {
			switch rng.IntN(4) {
			case 0:
				return ""
			case 1:
				return lang(pick(universe)) // a language version, "1.28"
			}
			return plain(pick(universe))
		}
		tcl := func() string {
			switch rng.IntN(4) {
			case 0, 1:
				return ""
			case 2:
				if rng.IntN(3) == 0 {
					return "default"
				}
			}
			return pick(universe)
		}
		c.goLine, c.tcLine = line(), tcl()
		c.work = rng.IntN(4) == 0
		if c.work {
			c.workGo, c.workTC = line(), tcl()
		}
		modes := []string{"", "auto", "path", "local", "local+auto", "local+path", "<name>", "<name>+auto", "<name>+path"}
		switch m := pick(modes); m {
		case "<name>", "<name>+auto", "<name>+path":
			c.gotoolchain = pick(universe) + strings.TrimPrefix(m, "<name>")
		default:
			c.gotoolchain = m
		}
		c.inEnvFile = c.gotoolchain != "" && rng.IntN(2) == 0

		// The tree: proj/go.mod (and a go.work above it), the pin file
		// at proj or above, the working folder two levels below.
		c.files = map[string]string{}
		mod := "module example.com/p\n"
		if c.goLine != "" {
			mod += "\ngo " + c.goLine + "\n"
		}
		if c.tcLine != "" {
			mod += "\ntoolchain " + c.tcLine + "\n"
		}
		c.files["ws/proj/go.mod"] = mod
		c.files["ws/proj/a/b/keep"] = ""
		if c.work {
			w := ""
			if c.workGo != "" {
				w += "go " + c.workGo + "\n"
			}
			if c.workTC != "" {
				w += "toolchain " + c.workTC + "\n"
			}
			c.files["ws/go.work"] = w + "\nuse ./proj\n"
		}
		c.vars = map[string]string{}
		global := ""
		pinDir := pick([]string{"ws/proj/a/b/", "ws/proj/", "ws/", ""})
		switch c.pinKind {
		case FromGoverVersion:
			c.vars["GOVER_VERSION"] = plain(c.pin)
		case FromGoVersion:
			c.files[pinDir+".go-version"] = plain(c.pin) + "\n"
		case FromToolVersions:
			c.files[pinDir+".tool-versions"] = "nodejs 22.1.0\n" + pick([]string{"golang", "go"}) + " " + plain(c.pin) + "\n"
		case FromGlobal:
			global = plain(c.pin)
		}
		envFile := ""
		if c.inEnvFile {
			envFile = "GOFLAGS=-mod=mod\nGOTOOLCHAIN=" + c.gotoolchain + "\n"
		} else if c.gotoolchain != "" {
			c.vars["GOTOOLCHAIN"] = c.gotoolchain
		}
		c.files["goenv"] = envFile

		// What cmd/go may run: every release a line, the pin or
		// GOTOOLCHAIN names exactly (".0" for a language version), plus
		// a random few more patches that gover's go-line rule may take.
		need := map[string]bool{c.pin: true}
		for _, l := range []string{c.goLine, c.tcLine, c.workGo, c.workTC} {
			switch {
			case l == "" || l == "default":
			case strings.Count(l, ".") == 1:
				need["go"+l+".0"] = true
			default:
				need["go"+plain(l)] = true
			}
		}
		if name, _, _ := strings.Cut(c.gotoolchain, "+"); strings.HasPrefix(name, "go") {
			need[name] = true
		}
		for _, u := range universe {
			if need[u] || rng.IntN(3) == 0 {
				c.installed = append(c.installed, u)
			}
		}

		// cmd/go's equivalent: gover's pin is the local toolchain.
		tc := c.gotoolchain
		if c.inEnvFile {
			tc = ""
		}
		c.cmdgoTC = equivalentGOTOOLCHAIN(c.gotoolchain, c.pin)
		c.desc = fmt.Sprintf("case %d: pin %s %s; go.mod go %q toolchain %q; go.work %v (go %q toolchain %q); GOTOOLCHAIN=%q (env file %v); installed %v",
			i, c.pinKind, c.pin, c.goLine, c.tcLine, c.work, c.workGo, c.workTC, c.gotoolchain, c.inEnvFile, c.installed)

		root := tree(t, c.files)
		dir := filepath.Join(root, "ws", "proj", "a", "b")
		vars := map[string]string{}
		for k, v := range c.vars {
			vars[k] = v
		}
		vars["GOENV"] = filepath.Join(root, "goenv")
		sel, err := Select(testEnv(root, "ws/proj/a/b", vars, global, c.installed), nil)
		if err != nil {
			t.Fatalf("%s\nSelect: %v", c.desc, err)
		}
		got, ok := Resolve(sel.Request, c.installed)

		// The real go, with fake toolchains on PATH.
		bin := filepath.Join(root, "bin")
		os.MkdirAll(bin, 0o755)
		for _, name := range c.installed {
			if err := os.Link(fakeExe, filepath.Join(bin, name+exeSuffix)); err != nil {
				copyExe(t, fakeExe, filepath.Join(bin, name+exeSuffix))
			}
		}
		env := append(slices.Clone(cleanEnv), "PATH="+bin)
		cmdgoEnvFile := filepath.Join(root, "goenv.cmdgo")
		os.WriteFile(cmdgoEnvFile, []byte("GOTOOLCHAIN="+c.cmdgoTC+"\n"), 0o644)
		if tc != "" || !c.inEnvFile && c.gotoolchain == "" {
			env = append(env, "GOTOOLCHAIN="+c.cmdgoTC, "GOENV=off")
		} else {
			env = append(env, "GOENV="+cmdgoEnvFile) // set with go env -w
		}
		out := runGo(t, goExe, dir, env, "version")
		cmdgo, found := strings.CutPrefix(out, "switched ")
		if !found {
			t.Fatalf("%s\ncmd/go did not switch: %q", c.desc, out)
		}

		switch {
		case !ok:
			t.Errorf("%s\ngover chose %s (%+v), which is not installed; cmd/go ran %s", c.desc, got, sel.Request, cmdgo)
		case sel.Exact() || sel.Min == "":
			if got != cmdgo {
				t.Errorf("%s\ngover chose %s (set by %s), cmd/go ran %s", c.desc, got, sel.Source, cmdgo)
			} else {
				agreed++
			}
		default:
			// A go line: cmd/go runs that release exactly; gover the
			// newest installed patch of its minor at least as new.
			want := newestPatch(c.installed, cmdgo)
			if lang(cmdgo) != lang(sel.Min) || got != want {
				t.Errorf("%s\ngover chose %s (go line %s in %s), cmd/go ran %s; want the newest installed patch %s", c.desc, got, sel.Min, sel.Source.Path, cmdgo, want)
			} else if got == cmdgo {
				agreed++
			} else {
				patched++
			}
		}
	}
	t.Logf("%d cases: %d identical to cmd/go, %d a newer installed patch of the go line's release", cases, agreed, patched)
	if agreed == 0 || patched == 0 {
		t.Errorf("the table exercised too little: %d identical, %d newer patch", agreed, patched)
	}
}

// equivalentGOTOOLCHAIN is the GOTOOLCHAIN under which cmd/go, whose own
// version is older than every generated one, chooses as gover does with
// the pin as its local toolchain. Auto modes become path modes: every
// release cmd/go may want is on PATH, and nothing may be downloaded.
func equivalentGOTOOLCHAIN(gotoolchain, pin string) string {
	switch gotoolchain {
	case "", "auto", "path", "local+auto", "local+path":
		return pin + "+path"
	case "local":
		return pin
	}
	name, mode, plus := strings.Cut(gotoolchain, "+")
	if !plus {
		return name
	}
	_ = mode
	return name + "+path"
}

// newestPatch is the newest installed release of min's minor that is at
// least min.
func newestPatch(installed []string, min string) string {
	best := ""
	for _, v := range installed {
		if strings.HasPrefix(v, strings.Join(strings.Split(min, ".")[:2], ".")+".") && cmp(v, min) >= 0 && (best == "" || cmp(v, best) > 0) {
			best = v
		}
	}
	return best
}

func runGo(t *testing.T, exe, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", exe, strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}
