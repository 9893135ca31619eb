package shim

import (
	"os/exec"
	"strings"
	"testing"
)

// TestShimStaysSmall keeps the shim binary free of the packages whose
// start-up cost or size it was split from gover to avoid.
func TestShimStaysSmall(t *testing.T) {
	goExe, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the shim's dependencies")
	}
	out, err := exec.Command(goExe, "list", "-deps", "github.com/gover/gover/cmd/gover-shim").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	banned := []string{
		"github.com/Masterminds/semver/v3",
		"github.com/urfave/cli/v2",
		"net/http",
		"net",
		"crypto/tls",
		"github.com/schollz/progressbar/v3",
		"github.com/mholt/archives",
		"golang.org/x/mod/modfile",
		"github.com/gover/gover/versions/spec",
		"github.com/gover/gover/store/source",
	}
	for _, d := range deps {
		for _, b := range banned {
			if d == b {
				t.Errorf("cmd/gover-shim links %s", d)
			}
		}
	}
}
