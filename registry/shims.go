package registry

import (
	"fmt"
	"os"

	"github.com/gover/gover/internal/fsx"
)

// ShimTools are the programs the shim stands in for.
var ShimTools = []string{"go", "gofmt"}

// PlaceShims makes binDir/go and binDir/gofmt (go.exe, gofmt.exe on
// Windows) copies of the shim program src, replacing running ones safely
// (fsx.Place). before, when not nil, runs for each shim path first (gover
// doctor --fix saves a backup there). It returns the paths it placed.
// gover setup and gover doctor --fix both place shims through it.
func PlaceShims(binDir, src string, before func(dst string) error) ([]string, error) {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return nil, err
	}
	var done []string
	for _, tool := range ShimTools {
		dst := ShimPath(binDir, tool)
		if before != nil {
			if err := before(dst); err != nil {
				return done, err
			}
		}
		if err := fsx.Place(src, dst); err != nil {
			return done, fmt.Errorf("installing the %s shim: %w", tool, err)
		}
		done = append(done, dst)
	}
	return done, nil
}
