package source

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadSettings(t *testing.T) {
	dir := fake.TempDir(t)
	goenv := filepath.Join(dir, "go", "env")
	if err := os.MkdirAll(filepath.Dir(goenv), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goenv, []byte("GOPROXY=https://goproxy.cn,direct\nGOSUMDB=sum.golang.google.cn\n# comment\nGOPRIVATE=example.com/*\r\nGOVER_MIRRORS=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.env")
	if err := os.WriteFile(other, []byte("GOPROXY=https://other.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		env       map[string]string
		configDir string
		want      map[string]Setting // by name; unlisted ones are not checked
		envFile   string
	}{
		{
			name: "defaults",
			want: map[string]Setting{
				"GOPROXY":       {"GOPROXY", DefaultGOPROXY, FromDefault},
				"GOSUMDB":       {"GOSUMDB", DefaultGOSUMDB, FromDefault},
				"GOVER_SOURCES": {"GOVER_SOURCES", DefaultSources, FromDefault},
				"GONOSUMDB":     {"GONOSUMDB", "", FromDefault},
			},
		},
		{
			name:      "go env file",
			configDir: dir,
			envFile:   goenv,
			want: map[string]Setting{
				"GOPROXY":       {"GOPROXY", "https://goproxy.cn,direct", FromGoEnv},
				"GOSUMDB":       {"GOSUMDB", "sum.golang.google.cn", FromGoEnv},
				"GOPRIVATE":     {"GOPRIVATE", "example.com/*", FromGoEnv},
				"GONOSUMDB":     {"GONOSUMDB", "example.com/*", FromGoEnv},
				"GOVER_MIRRORS": {"GOVER_MIRRORS", "", FromDefault},
			},
		},
		{
			name:      "environment wins",
			env:       map[string]string{"GOPROXY": "https://corp.example/athens", "GOVER_SOURCES": "mirror"},
			configDir: dir,
			envFile:   goenv,
			want: map[string]Setting{
				"GOPROXY":       {"GOPROXY", "https://corp.example/athens", FromEnv},
				"GOSUMDB":       {"GOSUMDB", "sum.golang.google.cn", FromGoEnv},
				"GOVER_SOURCES": {"GOVER_SOURCES", "mirror", FromEnv},
			},
		},
		{
			name:      "GOENV names the file",
			env:       map[string]string{"GOENV": other},
			configDir: dir,
			envFile:   other,
			want:      map[string]Setting{"GOPROXY": {"GOPROXY", "https://other.example", FromGoEnv}},
		},
		{
			name:      "GOENV=off",
			env:       map[string]string{"GOENV": "off"},
			configDir: dir,
			want:      map[string]Setting{"GOPROXY": {"GOPROXY", DefaultGOPROXY, FromDefault}},
		},
		{
			name:      "missing file is fine",
			configDir: filepath.Join(dir, "nowhere"),
			envFile:   filepath.Join(dir, "nowhere", "go", "env"),
			want:      map[string]Setting{"GOSUMDB": {"GOSUMDB", DefaultGOSUMDB, FromDefault}},
		},
		{
			name: "explicit GONOSUMDB",
			env:  map[string]string{"GOPRIVATE": "a.example", "GONOSUMDB": "b.example"},
			want: map[string]Setting{"GONOSUMDB": {"GONOSUMDB", "b.example", FromEnv}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadSettings(envFunc(tt.env), tt.configDir)
			if err != nil {
				t.Fatal(err)
			}
			if s.EnvFile != tt.envFile {
				t.Errorf("EnvFile = %q, want %q", s.EnvFile, tt.envFile)
			}
			got := map[string]Setting{}
			for _, v := range s.All() {
				got[v.Name] = v
			}
			if len(got) != len(settingNames) {
				t.Errorf("All() has %d settings, want %d", len(got), len(settingNames))
			}
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s = %+v, want %+v", name, got[name], want)
				}
			}
		})
	}
}

func TestLoadSettingsUnreadable(t *testing.T) {
	dir := fake.TempDir(t) // a folder where a file is expected
	_, err := LoadSettings(envFunc(map[string]string{"GOENV": dir}), "")
	if err == nil || !strings.Contains(err.Error(), "go env file") {
		t.Fatalf("err = %v, want a go env file error", err)
	}
}

func TestUserConfigDir(t *testing.T) {
	tests := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"windows", map[string]string{"AppData": `C:\Users\a\AppData\Roaming`}, `C:\Users\a\AppData\Roaming`},
		{"windows", nil, ""},
		{"darwin", map[string]string{"HOME": "/Users/a"}, filepath.Join("/Users/a", "Library", "Application Support")},
		{"linux", map[string]string{"HOME": "/home/a"}, filepath.Join("/home/a", ".config")},
		{"linux", map[string]string{"HOME": "/home/a", "XDG_CONFIG_HOME": "/cfg"}, "/cfg"},
		// os.UserConfigDir refuses a relative XDG_CONFIG_HOME, so cmd/go reads no go env file.
		{"linux", map[string]string{"HOME": "/home/a", "XDG_CONFIG_HOME": "rel"}, ""},
		{"linux", nil, ""},
	}
	for _, tt := range tests {
		if runtime.GOOS == "windows" && tt.goos != "windows" {
			continue // Unix paths are not absolute on a Windows host
		}
		if got := UserConfigDir(tt.goos, envFunc(tt.env)); got != tt.want {
			t.Errorf("UserConfigDir(%s, %v) = %q, want %q", tt.goos, tt.env, got, tt.want)
		}
	}
}

func TestParseEnvFile(t *testing.T) {
	got := ParseEnvFile([]byte("GOPROXY=a\n\n# x=y\nlower=1\nGOPROXY=b\nGOSUMDB=off\r\nNOEQUALS\nGOFLAGS=-mod=mod\n="))
	want := map[string]string{"GOPROXY": "b", "GOSUMDB": "off", "GOFLAGS": "-mod=mod"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseEnvFile = %v, want %v", got, want)
	}
}

func TestParseSources(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"proxy,official,mirror", []string{"proxy", "official", "mirror"}, ""},
		{" Mirror , proxy ", []string{"mirror", "proxy"}, ""},
		{"official", []string{"official"}, ""},
		{"proxy,,", []string{"proxy"}, ""},
		{"", nil, "no source"},
		{"ftp", nil, `unknown source "ftp"`},
		{"proxy,proxy", nil, "listed twice"},
		{"file", nil, "unknown source"},
	}
	for _, tt := range tests {
		got, err := ParseSources(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSources(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSources(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseMirrors(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"https://m.example/golang", []string{"https://m.example/golang/"}, ""},
		{"https://a.example/go/, http://127.0.0.1:8080/", []string{"https://a.example/go/", "http://127.0.0.1:8080/"}, ""},
		{"ftp://x/", nil, "http or https"},
		{"mirrors.example.com", nil, "http or https"},
		{"https:///x", nil, "missing host"},
		{"https://a.example/?q=1", nil, "no query"},
		{" , ", nil, "no mirror"},
	}
	for _, tt := range tests {
		got, err := ParseMirrors(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseMirrors(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseMirrors(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	s, err := LoadSettings(envFunc(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := s.Mirrors(); err != nil || !reflect.DeepEqual(m, DefaultMirrors) {
		t.Errorf("default Mirrors() = %v, %v", m, err)
	}
}

func FuzzParseEnvFile(f *testing.F) {
	f.Add([]byte("GOPROXY=https://goproxy.cn,direct\nGOSUMDB=off\n"))
	f.Add([]byte("=\n\r\n#\nA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for k := range ParseEnvFile(data) {
			if k == "" || k[0] < 'A' || k[0] > 'Z' || strings.ContainsAny(k, "=\n") {
				t.Fatalf("bad key %q", k)
			}
		}
	})
}
