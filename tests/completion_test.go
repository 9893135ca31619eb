package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// TestCompletionScripts: each script is printed; an unknown shell is a
// usage error.
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	for _, sh := range []string{"bash", "zsh", "fish", "pwsh"} {
		r := u.ok("completion", sh)
		if !strings.Contains(r.stdout, "gover __complete") {
			t.Errorf("completion %s printed %q", sh, r.stdout)
		}
		if strings.Contains(r.stdout, "`") && sh == "fish" {
			t.Errorf("fish completion has backticks:\n%s", r.stdout)
		}
	}
	u.fails(2, "completion", "tcsh")
}

// TestCompletionInShells runs the completion scripts in the real bash, zsh
// and fish: commands, flags, installed versions, the cached release list
// for install (with the network unreachable), shell names.
func TestCompletionInShells(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("bash, zsh and fish completion: Unix shells")
	}
	t.Parallel()
	s := newServers(t)
	for _, v := range []string{"1.21.0", "1.22.4", "1.22.5"} {
		s.publish(v)
	}
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.21.0", "1.22.5")
	u.ok("list-remote") // caches the release list
	// TAB never touches the network: the servers count what they serve.
	hits := func() int { return s.dl.Hits(fake.IndexPath) + s.px.HitsPrefix("/") + s.mirror.Hits("/") }
	before := hits()
	if before == 0 {
		t.Fatal("list-remote made no request the servers counted")
	}
	defer func() {
		if after := hits(); after != before {
			t.Errorf("completion made %d requests", after-before)
		}
	}()
	u.setenv("PATH", bins.dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	cases := []struct {
		line      string // what is typed before TAB
		want, not []string
		exactly   bool
	}{
		{line: "gover ", want: []string{"install", "use", "list", "upgrade", "completion"}, not: []string{"__complete", "h"}},
		{line: "gover ins", want: []string{"install"}, exactly: true},
		{line: "gover use ", want: []string{"1.22.5", "1.21.0"}, not: []string{"help", "h", "1.22.4"}, exactly: true},
		{line: "gover uninstall 1.2", want: []string{"1.22.5", "1.21.0"}, exactly: true},
		{line: "gover exec ", want: []string{"1.22.5", "1.21.0"}, exactly: true},
		{line: "gover which ", want: []string{"1.22.5", "1.21.0"}, exactly: true},
		{line: "gover verify ", want: []string{"1.22.5", "1.21.0"}, exactly: true},
		{line: "gover install ", want: []string{"latest", "1.22.5", "1.22.4", "1.21.0"}, exactly: true},
		{line: "gover install --", want: []string{"--force", "--source", "--platform", "--quiet", "--help"}},
		{line: "gover install --source ", want: []string{"proxy", "official", "mirror"}, exactly: true},
		{line: "gover completion ", want: []string{"bash", "zsh", "fish", "pwsh"}, exactly: true},
		{line: "gover activate ", want: []string{"bash", "zsh", "fish", "pwsh"}, exactly: true},
		{line: "gover env --shell ", want: []string{"bash", "zsh", "fish", "pwsh", "cmd"}, exactly: true},
		{line: "gover cache ", want: []string{"clean"}, not: []string{"help", "h"}},
		{line: "gover use --g", want: []string{"--global"}, exactly: true},
	}
	shells := map[string]func(line string) (string, []string){
		"bash": func(line string) (string, []string) {
			return "bash", []string{"--norc", "--noprofile", "-c", `eval "$(gover completion bash)"
read -r -a COMP_WORDS <<< "$LINE"
[[ "$LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
complete -p gover >/dev/null || exit 9
_gover_complete
printf '%s\n' "${COMPREPLY[@]}"`}
		},
		"zsh": func(line string) (string, []string) {
			return "zsh", []string{"-f", "-c", `compdef() { :; }
compadd() { [[ "$1" == -- ]] && shift; print -rl -- "$@"; }
_files() { print -r -- FILES; }
eval "$(gover completion zsh)"
words=(${=LINE})
[[ "$LINE" == *" " ]] && words+=("")
CURRENT=${#words}
_gover`}
		},
		"fish": func(line string) (string, []string) {
			return "fish", []string{"--no-config", "-c", `gover completion fish | source; complete -C "$LINE"`}
		},
	}
	for name, cmdFor := range shells {
		if _, err := exec.LookPath(name); err != nil {
			t.Errorf("%s is not installed: apt-get install -y %s", name, name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			for _, tc := range cases {
				bin, args := cmdFor(tc.line)
				cmd := exec.Command(bin, args...)
				cmd.Dir = u.dir
				cmd.Env = append(slices.Clone(u.env), "LINE="+tc.line)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Errorf("%q: %v\n%s", tc.line, err, out)
					continue
				}
				var got []string
				for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
					l, _, _ = strings.Cut(l, "\t") // fish: candidate<TAB>description
					if l != "" {
						got = append(got, l)
					}
				}
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("%s: %q offers %q, want %q among them", name, tc.line, got, w)
					}
				}
				for _, w := range tc.not {
					if slices.Contains(got, w) {
						t.Errorf("%s: %q offers %q, which has %q", name, tc.line, got, w)
					}
				}
				if tc.exactly && len(got) != len(tc.want) {
					t.Errorf("%s: %q offers %q, want exactly %q", name, tc.line, got, tc.want)
				}
				sorted := slices.Clone(got)
				slices.Sort(sorted)
				if len(slices.Compact(sorted)) != len(got) {
					t.Errorf("%s: %q offers duplicates: %q", name, tc.line, got)
				}
			}
		})
	}
	// With no cached list, install completes to latest at once.
	u2 := newUser(t)
	u2.setenv("GOVER_INDEX_URL", "http://127.0.0.1:1/dl/")
	u2.setenv("GOPROXY", "http://127.0.0.1:1")
	if r := u2.ok("__complete", "install", ""); r.stdout != "latest\n" {
		t.Errorf("install completion without a cache: %q", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(u2.home, "cache")); err == nil {
		t.Errorf("completion created a cache")
	}
}
