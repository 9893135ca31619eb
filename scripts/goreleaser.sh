#!/bin/sh
# Runs GoReleaser at a pinned version, built from the Go module proxy with the
# Go toolchain on PATH and cached between runs, so CI and release machines use
# the same GoReleaser without a separate download channel.
#
#	scripts/goreleaser.sh check
#	scripts/goreleaser.sh release --snapshot --clean --skip=publish,sign
#
# GORELEASER_VERSION overrides the pin (v2.15.0 is the newest that builds with
# Go 1.26; later releases require Go 1.27). GOVER_CI_CACHE moves the cache.
set -eu

version=${GORELEASER_VERSION:-v2.15.0}
cache=${GOVER_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gover-ci}
bindir=$cache/goreleaser-$version/bin
bin=$bindir/goreleaser

if [ ! -x "$bin" ]; then
	echo "building goreleaser $version into $bindir (first run only; takes a few minutes)" >&2
	mkdir -p "$bindir"
	# GOFLAGS from the caller (for example -mod=vendor) must not leak into a
	# build outside this module.
	GOFLAGS= GOBIN=$bindir go install "github.com/goreleaser/goreleaser/v2@$version"
fi

exec "$bin" "$@"
