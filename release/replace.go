package release

import (
	"path/filepath"
	"strings"
)

// besideDst reports whether src is in dst's folder or a folder inside it:
// on one file system with dst, where a rename is atomic and never copies.
func besideDst(src, dst string) bool {
	rel, err := filepath.Rel(filepath.Dir(dst), src)
	return err == nil && rel != "." && !filepath.IsAbs(rel) && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
