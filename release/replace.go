package release

import "path/filepath"

// sameDir reports whether two paths are in one folder, where a rename is
// atomic and never copies.
func sameDir(a, b string) bool {
	return filepath.Clean(filepath.Dir(a)) == filepath.Clean(filepath.Dir(b))
}
