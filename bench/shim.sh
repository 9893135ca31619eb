#!/bin/sh
# Measures the go shim's overhead, side by side in one run: `go version`
# run (1) by the SDK's go directly, (2) through a Go program that does
# nothing but exec it (the floor any Go shim pays), and (3) through the
# gover shim, GOVER_HOME/bin/go, in a folder six levels below a go.mod and
# a .go-version. Target (issue 12): the shim's median within 0.25 ms of the
# exec-only program's.
#
#	bench/shim.sh            # uses the go on PATH as the SDK
#	RUNS=2000 bench/shim.sh
#
# The three are run interleaved, round after round in a shuffled order, so
# that load from other programs on a shared machine falls on all three
# alike; the figures are medians of wall time per run.
#
# The SDK is registered in a scratch GOVER_HOME as an imported SDK (its
# manifest points at the existing GOROOT), so nothing is downloaded.
set -eu

RUNS=${RUNS:-500}
repo=$(cd "$(dirname "$0")/.." && pwd)

goroot=${GOROOT_UNDER_TEST:-$(go env GOROOT)}
ver=$("$goroot/bin/go" env GOVERSION)   # go1.26.8
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home=$work/gover

mkdir -p "$home/bin" "$home/meta" "$work/proj/a/b/c/d/e/f"
cat >"$home/meta/$ver.json" <<JSON
{"schema":1,"version":"${ver#go}","goroot":"$goroot","platform":"$("$goroot/bin/go" env GOOS)/$("$goroot/bin/go" env GOARCH)","imported":true,"source":{"kind":"import","url":"$goroot"},"trust":"imported","installedAt":"2026-11-21T00:00:00Z"}
JSON
printf 'module example.com/proj\n\ngo 1.22\n' >"$work/proj/go.mod"
echo "${ver#go}" >"$work/proj/.go-version"

(cd "$repo" && go build -trimpath -o "$home/bin/go" ./cmd/gover-shim)

# The floor any Go shim pays: a Go program that does nothing but exec the
# SDK's go. The difference between it and the shim is gover's own work.
mkdir -p "$work/floor"
cat >"$work/floor/main.go" <<GO
package main

import (
	"os"
	"syscall"
)

func main() {
	syscall.Exec("$goroot/bin/go", append([]string{"$goroot/bin/go"}, os.Args[1:]...), append(os.Environ(), "GOROOT=$goroot", "GOTOOLCHAIN=path"))
}
GO
printf 'module floor\n\ngo 1.21\n' >"$work/floor/go.mod"
(cd "$work/floor" && GOWORK=off go build -trimpath -o "$work/floor/floor" .)

cd "$work/proj/a/b/c/d/e/f"
export GOVER_HOME="$home"
# A scratch go env file, so a developer's own go env -w settings do not
# change what is measured (the shim reads that file on every run).
export XDG_CONFIG_HOME="$work/config"
unset GOVER_VERSION GOTOOLCHAIN GOROOT GOWORK GOENV 2>/dev/null || true

"$home/bin/go" version   # sanity: must print $ver

# The interleaved runner.
mkdir -p "$work/runner"
cat >"$work/runner/main.go" <<'GO'
package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"time"
)

func main() {
	runs, _ := strconv.Atoi(os.Args[1])
	names := []string{"direct", "exec-only", "shim"}
	cmds := os.Args[2:5]
	times := make([][]time.Duration, 3)
	order := []int{0, 1, 2}
	for r := -30; r < runs; r++ { // 30 warm-up rounds
		rand.Shuffle(3, func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			start := time.Now()
			if err := exec.Command(cmds[i], "version").Run(); err != nil {
				fmt.Fprintln(os.Stderr, names[i], err)
				os.Exit(1)
			}
			if r >= 0 {
				times[i] = append(times[i], time.Since(start))
			}
		}
	}
	med := make([]float64, 3)
	for i := range times {
		slices.Sort(times[i])
		med[i] = float64(times[i][len(times[i])/2].Microseconds()) / 1000
	}
	for i, n := range names {
		q1 := float64(times[i][len(times[i])/4].Microseconds()) / 1000
		q3 := float64(times[i][3*len(times[i])/4].Microseconds()) / 1000
		fmt.Printf("%-10s median %6.2f ms   vs direct %+5.2f ms   vs exec-only %+5.2f ms   (quartiles %.2f-%.2f ms, %d runs)\n",
			n, med[i], med[i]-med[0], med[i]-med[1], q1, q3, len(times[i]))
	}
}
GO
printf 'module runner\n\ngo 1.22\n' >"$work/runner/go.mod"
(cd "$work/runner" && GOWORK=off go build -o "$work/runner/runner" .)

uptime
"$work/runner/runner" "$RUNS" "$goroot/bin/go" "$work/floor/floor" "$home/bin/go"
