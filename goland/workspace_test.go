package goland

import (
	"strings"
	"testing"
)

// modern is the shape GoLand 2023-2025 writes (trimmed): components in name
// order, the SDK as url="file://...".
const modern = `<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="AutoImportSettings">
    <option name="autoReloadType" value="ALL" />
  </component>
  <component name="ChangeListManager">
    <list default="true" id="0b6b1f8e-1e0c-4a4e-9d2b-3c1f3c6c2a10" name="Changes" comment="" />
    <option name="SHOW_DIALOG" value="false" />
  </component>
  <component name="FileTemplateManagerImpl">
    <option name="RECENT_TEMPLATES">
      <list>
        <option value="Go File" />
      </list>
    </option>
  </component>
  <component name="GOROOT" url="file:///usr/local/go" />
  <component name="Git.Settings">
    <option name="RECENT_GIT_ROOT_PATH" value="$PROJECT_DIR$" />
  </component>
  <component name="ProjectColorInfo">{
  &quot;associatedIndex&quot;: 5
}</component>
  <component name="ProjectId" id="2lwVo27H45j7sJyjJRGjnExhq7j" />
</project>
`

// old is the Gogland-era shape with path=.
const old = `<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
	<component name="GOROOT" path="/opt/tm/tools/go/1.10.2/usr/go" />
	<component name="GoLibraries">
		<option name="urls">
			<list>
				<option value="file://$USER_HOME$/code/github.com/x/please/src" />
			</list>
		</option>
	</component>
</project>
`

// without has no GOROOT component (GoLand uses its default SDK).
const without = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<project version=\"4\">\r\n  <component name=\"ChangeListManager\">\r\n    <option name=\"SHOW_DIALOG\" value=\"false\" />\r\n  </component>\r\n  <component name=\"Git.Settings\">\r\n    <option name=\"RECENT_GIT_ROOT_PATH\" value=\"$PROJECT_DIR$\" />\r\n  </component>\r\n  <component name=\"ProjectId\" id=\"2lw\" />\r\n</project>\r\n"

func TestRoundTrip(t *testing.T) {
	w := Workspace{ProjectDir: "/home/me/src/app", Home: "/home/me", GOOS: "linux"}
	for _, tc := range []struct {
		name, data, orig string
	}{
		{"url form", modern, "/usr/local/go"},
		{"path form", old, "/opt/tm/tools/go/1.10.2/usr/go"},
		{"url form, CRLF", strings.ReplaceAll(modern, "\n", "\r\n"), "/usr/local/go"},
	} {
		got, ok := w.GOROOT([]byte(tc.data))
		if !ok || got != tc.orig {
			t.Errorf("%s: GOROOT = %q, %v; want %q", tc.name, got, ok, tc.orig)
		}
		set, changed := w.SetGOROOT([]byte(tc.data), "/home/me/.gover/sdk/go1.22.5")
		if !changed {
			t.Errorf("%s: SetGOROOT changed nothing", tc.name)
		}
		if g, _ := w.GOROOT(set); g != "/home/me/.gover/sdk/go1.22.5" {
			t.Errorf("%s: after SetGOROOT, GOROOT = %q", tc.name, g)
		}
		// Only the value changed: putting the old one back gives the
		// original bytes.
		back, _ := w.SetGOROOT(set, tc.orig)
		if string(back) != tc.data {
			t.Errorf("%s: round trip changed the file:\n%q\nwant\n%q", tc.name, back, tc.data)
		}
		if again, changed := w.SetGOROOT(set, "/home/me/.gover/sdk/go1.22.5"); changed || string(again) != string(set) {
			t.Errorf("%s: setting the same GOROOT again changed the file", tc.name)
		}
	}
	set, _ := w.SetGOROOT([]byte(modern), "/home/me/.gover/sdk/go1.22.5")
	if want := strings.Replace(modern, `url="file:///usr/local/go"`, `url="file://$USER_HOME$/.gover/sdk/go1.22.5"`, 1); string(set) != want {
		t.Errorf("url form:\n%s\nwant\n%s", set, want)
	}
	set, _ = w.SetGOROOT([]byte(old), "/home/me/.gover/sdk/go1.22.5")
	if want := strings.Replace(old, `path="/opt/tm/tools/go/1.10.2/usr/go"`, `path="$USER_HOME$/.gover/sdk/go1.22.5"`, 1); string(set) != want {
		t.Errorf("path form:\n%s\nwant\n%s", set, want)
	}
}

func TestInsertComponent(t *testing.T) {
	w := Workspace{ProjectDir: "/p", Home: "/home/me", GOOS: "linux"}
	got, changed := w.SetGOROOT([]byte(without), "/opt/go sdk/go1.23.4")
	want := strings.Replace(without, "  <component name=\"Git.Settings\">", "  <component name=\"GOROOT\" url=\"file:///opt/go sdk/go1.23.4\" />\r\n  <component name=\"Git.Settings\">", 1)
	if !changed || string(got) != want {
		t.Errorf("insert:\n%q\nwant\n%q", got, want)
	}
	if g, ok := w.GOROOT(got); !ok || g != "/opt/go sdk/go1.23.4" {
		t.Errorf("GOROOT after insert = %q, %v", g, ok)
	}

	// The last component: inserted before </project>.
	last := "<project version=\"4\">\n\t<component name=\"Alpha\" />\n</project>\n"
	got, _ = w.SetGOROOT([]byte(last), "/opt/go")
	if want := "<project version=\"4\">\n\t<component name=\"Alpha\" />\n\t<component name=\"GOROOT\" url=\"file:///opt/go\" />\n</project>\n"; string(got) != want {
		t.Errorf("insert last:\n%q\nwant\n%q", got, want)
	}
	// A component without url or path gets url=.
	bare := "<project version=\"4\">\n  <component name=\"GOROOT\" />\n</project>\n"
	got, _ = w.SetGOROOT([]byte(bare), "/opt/go")
	if want := "<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file:///opt/go\" />\n</project>\n"; string(got) != want {
		t.Errorf("bare component:\n%q\nwant\n%q", got, want)
	}
	// An empty project element and an empty file.
	got, _ = w.SetGOROOT([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\" />\n"), "/opt/go")
	if want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file:///opt/go\" />\n</project>\n"; string(got) != want {
		t.Errorf("empty project:\n%q\nwant\n%q", got, want)
	}
	got, _ = w.SetGOROOT(nil, "/home/me/sdk/go1.22.5")
	if want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file://$USER_HOME$/sdk/go1.22.5\" />\n</project>\n"; string(got) != want {
		t.Errorf("new file:\n%q\nwant\n%q", got, want)
	}
}

func TestWindowsForms(t *testing.T) {
	w := Workspace{ProjectDir: `C:\src\app`, Home: `C:\Users\Me`, GOOS: "windows"}
	data := []byte(`<project version="4">` + "\r\n" + `  <component name="GOROOT" url="file://$USER_HOME$/sdk/go1.21.0" />` + "\r\n</project>\r\n")
	if g, ok := w.GOROOT(data); !ok || g != `C:\Users\Me\sdk\go1.21.0` {
		t.Errorf("GOROOT = %q, %v", g, ok)
	}
	// %USERPROFILE% case differs: still written with $USER_HOME$.
	got, _ := w.SetGOROOT(data, `c:\users\me\.gover\sdk\go1.22.5`)
	if !strings.Contains(string(got), `url="file://$USER_HOME$/.gover/sdk/go1.22.5" />`+"\r\n") {
		t.Errorf("SetGOROOT under %%USERPROFILE%%:\n%s", got)
	}
	got, _ = w.SetGOROOT(data, `C:\Program Files\Go & Co`)
	if !strings.Contains(string(got), `url="file://C:/Program Files/Go &amp; Co"`) {
		t.Errorf("SetGOROOT outside home:\n%s", got)
	}
	if g, _ := w.GOROOT(got); g != `C:\Program Files\Go & Co` {
		t.Errorf("GOROOT read back = %q", g)
	}
	// $PROJECT_DIR$ expands too.
	rel := []byte(`<component name="GOROOT" url="file://$PROJECT_DIR$/../sdk/go" />`)
	if g, _ := (Workspace{ProjectDir: "/src/app", Home: "/home/me", GOOS: "linux"}).GOROOT(rel); g != "/src/sdk/go" {
		t.Errorf("$PROJECT_DIR$: %q", g)
	}
	// A folder that only starts like the home folder is not under it.
	if v := (Workspace{Home: "/home/me", GOOS: "linux"}).value("/home/meg/go", true); v != "file:///home/meg/go" {
		t.Errorf("value = %q", v)
	}
}
