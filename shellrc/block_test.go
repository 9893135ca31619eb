package shellrc

import (
	"strings"
	"testing"
)

func TestSetBlock(t *testing.T) {
	b, e := Begin(BlockActivate), End(BlockActivate)
	body := `eval "$(gover activate bash)"`
	block := b + "\n" + body + "\n" + e + "\n"
	tests := []struct {
		name, in, body, want string
		known                []string
	}{
		{"empty file", "", body, block, nil},
		{"append", "alias ll='ls -l'\n", body, "alias ll='ls -l'\n" + block, nil},
		{"append without final newline", "x=1", body, "x=1\n" + block, nil},
		{"replace in place", "a\n" + b + "\nold\n" + e + "\nb\n", body, "a\n" + block + "b\n", nil},
		{"remove", "a\n" + block + "b\n", "", "a\nb\n", nil},
		{"remove absent", "a\n", "", "a\n", nil},
		{"crlf", "a\r\n", body, "a\r\n" + b + "\r\n" + body + "\r\n" + e + "\r\n", nil},
		{"crlf replace", "a\r\n" + b + "\r\nold\r\n" + e + "\r\nz\r\n", body, "a\r\n" + b + "\r\n" + body + "\r\n" + e + "\r\nz\r\n", nil},
		// The user deleted the end marker and wrote below gover's line:
		// only the marker and gover's own line go.
		{"orphaned begin marker", "a\n" + b + "\n" + body + "\nexport MINE=1\nalias x=y\n", body, "a\n" + block + "export MINE=1\nalias x=y\n", nil},
		{"orphaned begin marker removed", "a\n" + b + "\n" + body + "\nexport MINE=1\n", "", "a\nexport MINE=1\n", []string{body}},
		{"orphaned begin marker, then a whole block", b + "\nmine\n" + block, body, block + "mine\n", nil},
		{"lone end marker", "a\n" + e + "\nb\n", "", "a\nb\n", nil},
		{"two blocks become one", block + "mid\n" + block, body, block + "mid\n", nil},
		{"the other command's block is kept", Begin(BlockSetup) + "\nx\n" + End(BlockSetup) + "\n", "", Begin(BlockSetup) + "\nx\n" + End(BlockSetup) + "\n", nil},
	}
	for _, tt := range tests {
		got := SetBlock(tt.in, BlockActivate, tt.body, tt.known...)
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if again := SetBlock(got, BlockActivate, tt.body, tt.known...); again != got {
			t.Errorf("%s: not idempotent: %q", tt.name, again)
		}
	}
	// An earlier body, not the one being written now, is recognised as
	// gover's through known.
	in := "a\n" + b + "\nold line\nmine\n"
	if got, want := SetBlock(in, BlockActivate, body, "old line"), "a\n"+block+"mine\n"; got != want {
		t.Errorf("orphan with an earlier body:\n got %q\nwant %q", got, want)
	}
}

func FuzzSetBlock(f *testing.F) {
	f.Add("a\n", "x")
	f.Add("a\r\nb", "x\ny")
	f.Add(Begin(BlockSetup)+"\nold\n"+End(BlockSetup)+"\n", "")
	f.Fuzz(func(t *testing.T, profile, body string) {
		if strings.Contains(profile, "# >>> gover") || strings.Contains(profile, "# <<< gover") || strings.Contains(body, "# ") || strings.Contains(body, "\r") {
			return
		}
		out := SetBlock(profile, BlockSetup, body)
		if strings.TrimRight(body, "\n") != "" {
			if strings.Count(out, Begin(BlockSetup)) != 1 {
				t.Fatalf("%d blocks", strings.Count(out, Begin(BlockSetup)))
			}
			if SetBlock(out, BlockSetup, body) != out {
				t.Fatal("not idempotent")
			}
		}
		back := SetBlock(out, BlockSetup, "")
		if back != profile && back != profile+"\n" && back != profile+"\r\n" {
			t.Fatalf("removing the block did not give back the profile: %q -> %q", profile, back)
		}
	})
}
