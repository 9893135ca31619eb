#!/bin/sh
# Measures the go shim's overhead: `go version` run through GOVER_HOME/bin/go
# versus the same SDK's go run directly, in a folder six levels below a
# go.mod and a .go-version. Target (DESIGN.md): at most +1.0 ms mean.
#
#	bench/shim.sh            # uses the go on PATH as the SDK
#	RUNS=1000 bench/shim.sh
#
# The SDK is registered in a scratch GOVER_HOME as an imported SDK (its
# manifest points at the existing GOROOT), so nothing is downloaded.
set -eu

RUNS=${RUNS:-500}
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null 2>&1 || {
	echo "installing hyperfine" >&2
	apt-get install -y hyperfine >/dev/null
}

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
	syscall.Exec("$goroot/bin/go", append([]string{"$goroot/bin/go"}, os.Args[1:]...), append(os.Environ(), "GOROOT=$goroot", "GOTOOLCHAIN=local"))
}
GO
printf 'module floor\n\ngo 1.21\n' >"$work/floor/go.mod"
(cd "$work/floor" && GOWORK=off go build -trimpath -o "$work/floor/floor" .)

cd "$work/proj/a/b/c/d/e/f"
export GOVER_HOME="$home"
unset GOVER_VERSION GOTOOLCHAIN GOROOT GOWORK 2>/dev/null || true

"$home/bin/go" version   # sanity: must print $ver
uptime
hyperfine -N --warmup 30 --runs "$RUNS" --export-json "$work/result.json" \
	-n direct "$goroot/bin/go version" \
	-n go-exec-floor "$work/floor/floor version" \
	-n shim "$home/bin/go version"

# Means are swamped by other load on a shared machine; medians are shown
# next to them.
python3 - "$work/result.json" <<'PY' || true
import json, sys
rs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
d = rs["direct"]
for name, r in rs.items():
    print("%-14s mean %6.2f ms (%+5.2f)  median %6.2f ms (%+5.2f)  min %6.2f ms" % (
        name, r["mean"] * 1e3, (r["mean"] - d["mean"]) * 1e3,
        r["median"] * 1e3, (r["median"] - d["median"]) * 1e3, r["min"] * 1e3))
PY
