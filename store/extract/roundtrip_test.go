package extract

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// TestRoundTrip extracts the fake SDK's three archive forms and expects the
// tree it started from, runnable.
func TestRoundTrip(t *testing.T) {
	host := versions.Host()
	root := fake.SDKFiles(t, "1.22.5", host, 300)
	want := tree(t, root)
	if runtime.GOOS == "windows" {
		for k, v := range want {
			want[k] = noExec(v)
		}
	}
	moduleWant := map[string]string{}
	for k, v := range want {
		switch top, _, _ := strings.Cut(k, "/"); top {
		case "api", "doc", "misc", "test":
			continue
		}
		moduleWant[k] = v
	}
	const modPrefix = "golang.org/toolchain@v0.0.1-go1.22.5."

	tests := []struct {
		name string
		data []byte
		opt  Options
		want map[string]string
	}{
		{"targz", fake.TarGz(t, root), Options{StripPrefix: "go/"}, want},
		{"zip", fake.Zip(t, root), Options{StripPrefix: "go/"}, want},
		{"module", fake.ModuleZip(t, root, "1.22.5", host), Options{StripPrefix: modPrefix + host.Dashed() + "/", Module: true}, moduleWant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(fake.TempDir(t), "go1.22.5")
			st, err := File(context.Background(), writeArchive(t, "archive", tt.data), dst, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got := tree(t, dst)
			files := 0
			for k, v := range tt.want {
				if !strings.HasSuffix(k, "/") {
					files++
				}
				if got[k] != v {
					t.Errorf("%s: got %.40q, want %.40q", k, got[k], v)
				}
			}
			if len(got) != len(tt.want) || st.Files != files {
				t.Errorf("%d entries, %d files; want %d, %d", len(got), st.Files, len(tt.want), files)
			}
			out, err := exec.Command(filepath.Join(dst, "bin", "go"+host.Exe()), "version").Output()
			if err != nil || !bytes.HasPrefix(out, []byte("go version go1.22.5 ")) {
				t.Errorf("extracted go version: %q, %v", out, err)
			}
		})
	}

	t.Run("stream", func(t *testing.T) {
		dst := fake.TempDir(t)
		if _, err := TarGz(context.Background(), bytes.NewReader(fake.TarGz(t, root)), dst, Options{StripPrefix: "go/"}); err != nil {
			t.Fatal(err)
		}
		if got := tree(t, dst); len(got) != len(want) {
			t.Errorf("%d entries, want %d", len(got), len(want))
		}
	})
}
