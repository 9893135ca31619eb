package registry

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func mkdirs(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSetCurrent(t *testing.T) {
	needLinks(t)
	root := fake.TempDir(t)
	a, b := filepath.Join(root, "sdk", "go1.22.5"), filepath.Join(root, "sdk", "go1.23.1")
	mkdirs(t, a, b)
	if err := os.WriteFile(filepath.Join(b, "VERSION"), []byte("go1.23.1"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "current")
	for _, target := range []string{a, b, b, a, b} {
		if err := SetCurrent(link, target); err != nil {
			t.Fatal(err)
		}
		got, err := ReadLink(link)
		if err != nil || !samePath(got, target) {
			t.Fatalf("current -> %q (%v), want %q", got, err, target)
		}
	}
	if data, err := os.ReadFile(filepath.Join(link, "VERSION")); err != nil || string(data) != "go1.23.1" {
		t.Fatalf("reading through the link: %q, %v", data, err)
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 2 {
		t.Fatalf("temporary links left behind: %v", ents)
	}
}

func TestSetCurrentRefuses(t *testing.T) {
	root := fake.TempDir(t)
	sdk := filepath.Join(root, "sdk")
	real := filepath.Join(root, "current")
	mkdirs(t, sdk, real)
	if err := SetCurrent(real, sdk); err == nil {
		t.Fatal("replaced a real folder")
	}
	if fi, err := os.Lstat(real); err != nil || !fi.IsDir() || isLink(real, fi) {
		t.Fatal("the real folder was touched")
	}
	if err := SetCurrent(filepath.Join(root, "c2"), filepath.Join(root, "missing")); err == nil {
		t.Fatal("linked to a missing folder")
	}
}

// TestSetCurrentConcurrent retargets the link from several goroutines
// while readers keep resolving it: a reader must always find one of the
// targets, never a missing link.
func TestSetCurrentConcurrent(t *testing.T) {
	needLinks(t)
	root := fake.TempDir(t)
	var targets []string
	for _, n := range []string{"go1.21.0", "go1.22.5", "go1.23.1", "go1.24.0"} {
		d := filepath.Join(root, "sdk", n)
		mkdirs(t, d)
		if err := os.WriteFile(filepath.Join(d, "VERSION"), []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
		targets = append(targets, d)
	}
	link := filepath.Join(root, "current")
	if err := SetCurrent(link, targets[0]); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var missing sync.Map
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := os.ReadFile(filepath.Join(link, "VERSION")); err != nil {
					missing.Store(err.Error(), true)
				}
			}
		}()
	}
	var writers sync.WaitGroup
	errs := make(chan error, 4*50)
	for w := 0; w < 4; w++ {
		writers.Add(1)
		go func(w int) {
			defer writers.Done()
			for i := 0; i < 50; i++ {
				errs <- SetCurrent(link, targets[(w+i)%len(targets)])
			}
		}(w)
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	missing.Range(func(k, _ any) bool { t.Errorf("reader saw no link: %v", k); return true })
	got, err := ReadLink(link)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range targets {
		found = found || samePath(got, d)
	}
	if !found {
		t.Fatalf("current -> %q, not one of the SDKs", got)
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 2 {
		t.Fatalf("temporary links left behind: %v", ents)
	}
}

func TestLinkToolchainsAndSDKs(t *testing.T) {
	needLinks(t)
	root := fake.TempDir(t)
	home := filepath.Join(root, "home")
	store := filepath.Join(root, "gover", "sdk")
	bin := filepath.Join(root, "gover", "bin")
	var sdks []SDK
	for _, n := range []string{"go1.22.5", "go1.23rc1"} {
		d := filepath.Join(store, n)
		mkdirs(t, filepath.Join(d, "bin"))
		if err := os.WriteFile(filepath.Join(d, "bin", "go"+exe), []byte(n), 0o755); err != nil {
			t.Fatal(err)
		}
		sdks = append(sdks, SDK{Name: n, GOROOT: d})
	}
	mkdirs(t, bin, filepath.Join(home, "sdk", "go1.20"))              // golang.org/dl's own
	os.WriteFile(filepath.Join(bin, "go"+exe), []byte("shim"), 0o755) // the shim: not ours to touch
	rep := &Report{}
	if err := LinkToolchains(bin, sdks, rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) > 0 {
		t.Skipf("no file links here: %s", rep.Notes[0].Msg) // Windows without Developer Mode
	}
	if err := LinkSDKs(filepath.Join(home, "sdk"), store, append(sdks, SDK{Name: "go1.20", GOROOT: filepath.Join(store, "go1.20")}), rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range sdks {
		// The entries are the go shim itself, which runs that release
		// when cmd/go switches to it.
		if data, err := os.ReadFile(filepath.Join(bin, s.Name+exe)); err != nil || string(data) != "shim" {
			t.Errorf("%s entry: %q %v", s.Name, data, err)
		}
		if data, err := os.ReadFile(filepath.Join(home, "sdk", s.Name, "bin", "go"+exe)); err != nil || string(data) != s.Name {
			t.Errorf("~/sdk/%s link: %q %v", s.Name, data, err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(home, "sdk", "go1.20")); err != nil || isLink("", fi) {
		t.Error("a real ~/sdk folder was replaced")
	}

	// Uninstalling go1.23rc1 drops its links on the next sync, and only
	// those.
	if err := LinkToolchains(bin, sdks[:1], rep); err != nil {
		t.Fatal(err)
	}
	if err := LinkSDKs(filepath.Join(home, "sdk"), store, sdks[:1], rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(bin, "go1.23rc1"+exe), filepath.Join(home, "sdk", "go1.23rc1")} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there (%v)", p, err)
		}
	}
	for _, p := range []string{filepath.Join(bin, "go1.22.5"+exe), filepath.Join(bin, "go"+exe), filepath.Join(home, "sdk", "go1.22.5"), filepath.Join(home, "sdk", "go1.20")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}

// TestLinkToolchainsOwnership: entries follow the installed SDKs and the
// current shim; an old-style link to an SDK's go is replaced; a file gover
// did not make is left alone.
func TestLinkToolchainsOwnership(t *testing.T) {
	root := fake.TempDir(t)
	bin := filepath.Join(root, "bin")
	mkdirs(t, bin)
	shimGo := filepath.Join(bin, "go"+exe)
	os.WriteFile(shimGo, []byte("shim v1"), 0o755)
	os.WriteFile(filepath.Join(bin, "go1.21.0"+exe), []byte("golang.org/dl wrapper"), 0o755)
	sdks := []SDK{{Name: "go1.21.0"}, {Name: "go1.22.5"}, {Name: "go1.23.1"}}
	rep := &Report{}
	if err := LinkToolchains(bin, sdks, rep); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(bin, name+exe))
		if err != nil {
			return "missing"
		}
		return string(data)
	}
	if read("go1.22.5") != "shim v1" || read("go1.23.1") != "shim v1" || read("go1.21.0") != "golang.org/dl wrapper" {
		t.Fatalf("entries: %q %q %q", read("go1.22.5"), read("go1.23.1"), read("go1.21.0"))
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0].Msg, "not gover's") {
		t.Errorf("notes = %v", rep.Notes)
	}
	// A new shim (gover setup after an upgrade) replaces the entries; an
	// uninstalled SDK loses its own.
	os.Remove(shimGo)
	os.WriteFile(shimGo, []byte("shim v2"), 0o755)
	if err := LinkToolchains(bin, sdks[:2], &Report{}); err != nil {
		t.Fatal(err)
	}
	if read("go1.22.5") != "shim v2" || read("go1.23.1") != "missing" || read("go1.21.0") != "golang.org/dl wrapper" {
		t.Errorf("after upgrade and uninstall: %q %q %q", read("go1.22.5"), read("go1.23.1"), read("go1.21.0"))
	}
	if err := LinkToolchains(bin, nil, &Report{}); err != nil {
		t.Fatal(err)
	}
	if read("go1.22.5") != "missing" || read("go1.21.0") != "golang.org/dl wrapper" || read("go") != "shim v2" {
		t.Errorf("after uninstalling everything: %q %q %q", read("go1.22.5"), read("go1.21.0"), read("go"))
	}
}
