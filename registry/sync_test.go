package registry

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// testConfig is a GOVER_HOME with two SDKs, and registry keys under a
// throwaway key so a Windows developer's own settings are never touched.
func testConfig(t *testing.T) (Config, []SDK) {
	t.Helper()
	base := fake.TempDir(t)
	key := testKeyBase(t)
	cfg := Config{
		Root: filepath.Join(base, "gover"),
		Home: filepath.Join(base, "home"),
		Keys: Keys{
			GoProgrammingLanguage: key + `\GoProgrammingLanguage`,
			GoLang:                key + `\GoLang\Go`,
			UserEnvironment:       key + `\Environment`,
			MachineEnvironment:    key + `\MachineEnvironment`,
		},
	}
	// A set-up store: the go shim is what the goX.Y.Z entries copy.
	mkdirs(t, cfg.BinDir())
	os.WriteFile(filepath.Join(cfg.BinDir(), "go"+exe), []byte("shim"), 0o755)
	var sdks []SDK
	for _, n := range []string{"go1.22.5", "go1.23.1"} {
		d := filepath.Join(cfg.Root, "sdk", n)
		mkdirs(t, filepath.Join(d, "bin"))
		os.WriteFile(filepath.Join(d, "bin", "go"+exe), []byte(n), 0o755)
		sdks = append(sdks, SDK{Name: n, GOROOT: d})
	}
	return cfg, sdks
}

// testKeyBase is the throwaway registry key of one test. The process id
// keeps test runs that share a Wine prefix (or a Windows account) apart.
func testKeyBase(t *testing.T) string {
	return fmt.Sprintf(`Software\GoverTest\%d\%s`, os.Getpid(), strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
}

func TestSyncLinks(t *testing.T) {
	needLinks(t)
	cfg, sdks := testConfig(t)
	for _, active := range []SDK{sdks[0], sdks[1]} {
		rep, err := Sync(cfg, active, sdks, Options{SDKLinks: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Done) == 0 {
			t.Error("no report of what changed")
		}
		if got, err := ReadLink(cfg.CurrentLink()); err != nil || !samePath(got, active.GOROOT) {
			t.Fatalf("current -> %q (%v), want %s", got, err, active.GOROOT)
		}
	}
	for _, s := range sdks {
		if _, err := os.Stat(filepath.Join(cfg.BinDir(), s.Name+exe)); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(cfg.Home, "sdk", s.Name, "bin")); err != nil {
			t.Error(err)
		}
	}
}

func TestSyncNoRoot(t *testing.T) {
	if _, err := Sync(Config{}, SDK{}, nil, Options{}); err == nil {
		t.Fatal("synced without a gover home")
	}
}
