package registry

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/tailscale/hujson"
)

const shim = `/home/ann/.gover/bin/go`

// settingsOf decodes merged settings as VS Code would.
func settingsOf(t *testing.T, data []byte) map[string]any {
	t.Helper()
	std, err := hujson.Standardize(append([]byte(nil), data...))
	if err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, data)
	}
	var m map[string]any
	if err := json.Unmarshal(std, &m); err != nil {
		t.Fatalf("result is not an object: %v\n%s", err, data)
	}
	return m
}

func TestMergeVSCodeSettings(t *testing.T) {
	tests := []struct {
		name, in  string
		want      string // exact output, when the layout matters
		keep      []string
		goroot    string
		unchanged bool
	}{
		{name: "empty", in: "", want: "{\n\t\"go.alternateTools\": {\n\t\t\"go\": \"" + shim + "\"\n\t}\n}\n"},
		{name: "empty object", in: "{}", want: "{\n\t\"go.alternateTools\": {\n\t\t\"go\": \"" + shim + "\"\n\t}\n}"},
		{
			name:   "comments and other settings kept",
			in:     "{\n  // my font\n  \"editor.fontSize\": 14, /* big */\n  \"go.goroot\": \"/opt/go1.20\",\n  \"files.eol\": \"\\n\"\n}\n",
			want:   "{\n  // my font\n  \"editor.fontSize\": 14, /* big */\n  \"files.eol\": \"\\n\",\n  \"go.alternateTools\": {\n    \"go\": \"" + shim + "\"\n  }\n}\n",
			goroot: "/opt/go1.20",
		},
		{
			name: "existing alternateTools",
			in:   "{\n\t\"go.alternateTools\": {\n\t\t// mine\n\t\t\"gopls\": \"/x/gopls\",\n\t},\n}\n",
			want: "{\n\t\"go.alternateTools\": {\n\t\t// mine\n\t\t\"gopls\": \"/x/gopls\",\n\t\t\"go\": \"" + shim + "\",\n\t},\n}\n",
		},
		{
			name: "old go tool replaced",
			in:   "{\"go.alternateTools\": {\"go\": \"/usr/bin/go\", \"dlv\": \"/d\"}}",
			keep: []string{`"dlv": "/d"`},
		},
		{
			name: "trailing comma and comment after removed goroot",
			in:   "{\n\t\"a\": 1,\n\t// pin\n\t\"go.goroot\": \"/opt/go\",\n}\n",
			keep: []string{"// pin", `"a": 1`}, goroot: "/opt/go",
		},
		{
			name: "toolsEnvVars GOROOT",
			in:   "{\"go.toolsEnvVars\": {\"GOROOT\": \"/opt/go\", \"GOFLAGS\": \"-mod=mod\"}}",
			keep: []string{`"GOFLAGS": "-mod=mod"`},
		},
		{
			name:      "already set",
			in:        "{\n\t// hi\n\t\"go.alternateTools\": {\"go\": \"" + shim + "\"},\n}",
			unchanged: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, res, err := MergeVSCodeSettings([]byte(tt.in), shim)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && string(out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
			for _, k := range tt.keep {
				if !strings.Contains(string(out), k) {
					t.Errorf("lost %q:\n%s", k, out)
				}
			}
			if tt.unchanged && (res.Changed || string(out) != tt.in) {
				t.Errorf("changed settings that were right:\n%s", out)
			}
			if res.RemovedGOROOT != tt.goroot {
				t.Errorf("RemovedGOROOT = %q, want %q", res.RemovedGOROOT, tt.goroot)
			}
			m := settingsOf(t, out)
			alt, _ := m["go.alternateTools"].(map[string]any)
			if alt["go"] != shim {
				t.Errorf("go.alternateTools = %v", m["go.alternateTools"])
			}
			if _, ok := m["go.goroot"]; ok {
				t.Error("go.goroot still there")
			}
			if env, ok := m["go.toolsEnvVars"].(map[string]any); ok && env["GOROOT"] != nil {
				t.Error("go.toolsEnvVars.GOROOT still there")
			}
			again, res2, err := MergeVSCodeSettings(out, shim)
			if err != nil || res2.Changed || string(again) != string(out) {
				t.Errorf("second merge changed it (%v):\n%s", err, again)
			}
		})
	}
}

func TestMergeVSCodeSettingsBad(t *testing.T) {
	for _, in := range []string{"{", "[1]", "// only a comment\n", `{"a": }`} {
		if _, _, err := MergeVSCodeSettings([]byte(in), shim); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestVSCodeSettingsFile(t *testing.T) {
	dir := fake.TempDir(t)
	path, res, err := VSCodeSettings(dir, shim)
	if err != nil || !res.Changed {
		t.Fatalf("%v %+v", err, res)
	}
	if path != filepath.Join(dir, ".vscode", "settings.json") {
		t.Fatalf("path %s", path)
	}
	bad := []byte("{ broken // \n")
	os.WriteFile(path, bad, 0o644)
	if _, _, err := VSCodeSettings(dir, shim); err == nil {
		t.Fatal("broken settings accepted")
	}
	if data, _ := os.ReadFile(path); string(data) != string(bad) {
		t.Fatal("broken settings were overwritten")
	}
}

func FuzzMergeVSCodeSettings(f *testing.F) {
	f.Add([]byte("{\n  // c\n  \"go.goroot\": \"/x\",\n}\n"))
	f.Add([]byte(`{"go.alternateTools": 3, "go.toolsEnvVars": {"GOROOT": 1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := MergeVSCodeSettings(data, shim)
		if err != nil {
			return
		}
		m := settingsOf(t, out)
		alt, _ := m["go.alternateTools"].(map[string]any)
		if alt["go"] != shim {
			t.Fatalf("go.alternateTools = %v", m["go.alternateTools"])
		}
		if _, ok := m["go.goroot"]; ok {
			t.Fatal("go.goroot kept")
		}
	})
}

// TestVSCodeSettingsBOMAndCRLF: settings.json written by a Windows editor,
// with a UTF-8 byte order mark and CRLF lines, is merged (not refused),
// keeps both, and the lines gover adds end in CRLF too. A second run
// changes nothing.
func TestVSCodeSettingsBOMAndCRLF(t *testing.T) {
	const bom = "\ufeff"
	for _, tc := range []struct{ name, in string }{
		{"BOM and CRLF", bom + "{\r\n\t// keep\r\n\t\"go.goroot\": \"C:\\\\Go\",\r\n\t\"editor.tabSize\": 4\r\n}\r\n"},
		{"BOM only", bom + "{\n\t\"editor.tabSize\": 4\n}\n"},
		{"CRLF only", "{\r\n  \"editor.tabSize\": 4,\r\n}\r\n"},
		{"BOM, empty", bom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fake.TempDir(t)
			p := filepath.Join(dir, ".vscode", "settings.json")
			mkdirs(t, filepath.Dir(p))
			if err := os.WriteFile(p, []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, res, err := VSCodeSettings(dir, shim); err != nil || !res.Changed {
				t.Fatalf("merge: %v %+v", err, res)
			}
			out, _ := os.ReadFile(p)
			s := string(out)
			if strings.HasPrefix(tc.in, bom) != strings.HasPrefix(s, bom) || strings.Count(s, bom) > 1 {
				t.Errorf("byte order mark not kept as it was:\n%q", s)
			}
			crlf := strings.Contains(tc.in, "\r\n")
			if lf := strings.Count(s, "\n"); crlf && strings.Count(s, "\r\n") != lf || !crlf && strings.Contains(s, "\r") {
				t.Errorf("line endings not kept (CRLF %v):\n%q", crlf, s)
			}
			m := settingsOf(t, []byte(strings.TrimPrefix(s, bom)))
			if alt, _ := m["go.alternateTools"].(map[string]any); alt["go"] != shim {
				t.Errorf("go.alternateTools = %v", m["go.alternateTools"])
			}
			if _, ok := m["go.goroot"]; ok {
				t.Error("go.goroot kept")
			}
			if strings.Contains(tc.in, "// keep") && !strings.Contains(s, "// keep\r\n") {
				t.Errorf("comment lost:\n%q", s)
			}
			// Round trip: the merged file is left byte for byte.
			if _, res, err := VSCodeSettings(dir, shim); err != nil || res.Changed {
				t.Errorf("second merge: %v %+v", err, res)
			}
			if again, _ := os.ReadFile(p); string(again) != s {
				t.Errorf("second merge rewrote the file:\n%q\n%q", s, again)
			}
		})
	}
}
