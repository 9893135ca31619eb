#!/usr/bin/env bash
# bench/install.sh compares `gover install` with the shell one-liners it
# replaces, on a real Go SDK (go1.22.5, linux/amd64, ~9,500 files):
#
#   (a) official .tar.gz from a local server:
#       curl -s URL | tar -xz          vs  gover install --source official 1.22.5
#       (SHA-256 checked against the index, file list written; the local
#       server has no Google signature, so the run says --min-trust mirror,
#       which changes what is accepted, not the work done)
#   (b) golang.org/toolchain module zip from the real proxy.golang.org:
#       curl -so z.zip URL && unzip -q z.zip
#                                      vs  gover install --source proxy 1.22.5
#       (h1 checked against sum.golang.org, file list written)
#
# Both sides extract into tmpfs (/dev/shm), from the same server, and every
# round starts from an empty folder (hyperfine --prepare, not timed).
#
# Usage: [RUNS=20] bench/install.sh [more hyperfine options...]
# Environment: GOVER_BENCH_CACHE (default ~/.cache/gover-bench) keeps the
# archive and the server between runs; GOVER_BENCH_SKIP_PROXY=1 skips (b).
#
# Run it on a quiet machine: it prints the load average first. The figures
# mean little when other work competes for the cores.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${GOVER_BENCH_CACHE:-$HOME/.cache/gover-bench}
version=1.22.5
runs=${RUNS:-10}
platform=linux-amd64
tgz=go$version.$platform.tar.gz
modzip=https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$version.$platform.zip

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
	echo "bench/install.sh: needs linux/amd64 (the archive is go$version.$platform)" >&2
	exit 2
fi
for tool in curl tar unzip go; do
	command -v "$tool" >/dev/null || { echo "bench/install.sh: $tool is missing" >&2; exit 2; }
done
if ! command -v hyperfine >/dev/null; then
	echo "installing hyperfine"
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo apt-get install -y -qq hyperfine
fi

tmp=/dev/shm
[ -d "$tmp" ] || tmp=${TMPDIR:-/tmp}
work=$(mktemp -d "$tmp/gover-bench.XXXXXX")
mkdir -p "$cache/www"
server_pid=
cleanup() {
	[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "building gover"
(cd "$repo" && go build -o "$cache/gover" ./cmd/gover)
gover=$cache/gover

# The archive: the real go1.22.5 tree (from the module proxy, verified by
# sum.golang.org), packed as go.dev packs it: entries under go/, owned by
# root, sorted, gzip level 6.
if [ ! -s "$cache/www/$tgz" ]; then
	echo "preparing $tgz"
	rm -rf "$cache/seed"
	GOVER_HOME=$cache/seed "$gover" install --source proxy $version
	rm -rf "$cache/pack" && mkdir -p "$cache/pack"
	cp -a "$cache/seed/sdk/go$version" "$cache/pack/go"
	tar -C "$cache/pack" --sort=name --owner=0 --group=0 --numeric-owner -cf - go | gzip -6 >"$cache/www/$tgz.tmp"
	mv "$cache/www/$tgz.tmp" "$cache/www/$tgz"
	rm -rf "$cache/pack" "$cache/seed"
fi
sum=$(sha256sum "$cache/www/$tgz" | cut -d' ' -f1)
size=$(stat -c %s "$cache/www/$tgz")
cat >"$cache/www/index.json" <<EOF
[{"version":"go$version","stable":true,"files":[{"filename":"$tgz","os":"linux","arch":"amd64","version":"go$version","sha256":"$sum","size":$size,"kind":"archive"}]}]
EOF

# A small Go file server (sendfile, no per-request work), so that the
# server costs both sides as little CPU as a remote one would.
mkdir -p "$cache/serve"
cat >"$cache/serve/main.go" <<'EOF'
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String())
	panic(http.Serve(ln, http.FileServer(http.Dir(os.Args[1]))))
}
EOF
(cd "$cache/serve" && [ -f go.mod ] || go mod init serve >/dev/null 2>&1; go build -o serve .)
"$cache/serve/serve" "$cache/www" >"$work/addr" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/addr" ] && break; sleep 0.1; done
base=http://$(cat "$work/addr")

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if awk -v n="$(nproc)" '{ exit !($1 > 0.75 * n) }' /proc/loadavg; then
	echo "warning: the machine is busy; the figures will be noisy" >&2
fi
ratio() { # ratio <csv> : gover mean / shell mean
	awk -F, 'NR == 2 { shell = $2 } NR == 3 { printf "%.3f (%.3f s / %.3f s)\n", $2 / shell, $2, shell }' "$1"
}

# (a) official .tar.gz
mkdir -p "$work/a"
hyperfine --warmup 2 --runs "$runs" "$@" \
	--prepare "rm -rf $work/a/tar $work/a/home; mkdir -p $work/a/tar" \
	--export-csv "$work/a.csv" \
	-n 'curl | tar -xz' "curl -s $base/$tgz | tar -xz -C $work/a/tar" \
	-n 'gover install (official)' "GOVER_HOME=$work/a/home GOVER_INDEX_URL=$base/index.json GOVER_DOWNLOAD_URL=$base/ $gover install --source official --min-trust mirror $version >/dev/null 2>&1"
ra=$(ratio "$work/a.csv")

# (b) module zip from proxy.golang.org. The sumdb cache survives rounds,
# as it does for a user; the download cache does not.
rb=skipped
if [ -z "${GOVER_BENCH_SKIP_PROXY:-}" ]; then
	mkdir -p "$work/b"
	hyperfine --warmup 2 --runs "$runs" "$@" \
		--prepare "rm -rf $work/b/unzip $work/b/home/sdk $work/b/home/meta $work/b/home/cache/downloads; mkdir -p $work/b/unzip" \
		--export-csv "$work/b.csv" \
		-n 'curl && unzip' "cd $work/b/unzip && curl -so z.zip $modzip && unzip -q z.zip" \
		-n 'gover install (proxy)' "GOVER_HOME=$work/b/home GOPROXY=https://proxy.golang.org $gover install --source proxy $version >/dev/null 2>&1"
	rb=$(ratio "$work/b.csv")
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(a) gover install --source official / curl | tar -xz:   $ra"
echo "(b) gover install --source proxy / curl && unzip:        $rb"
