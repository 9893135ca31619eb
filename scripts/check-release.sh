#!/bin/sh
# Checks the release configuration end to end, without keys or network
# publishing: `goreleaser check`, a snapshot release into dist/, then the
# archive set the install scripts and `gover self-update` rely on:
#
#   - one archive per platform, named gover_<version>_<os>_<arch>.<tar.gz|zip>
#   - each holding gover(.exe), gover-shim(.exe) when cmd/gover-shim exists,
#     README.md and LICENSE, and nothing else
#   - gover_<version>_checksums.txt listing exactly those archives, matching
#   - the host's gover reporting the snapshot version (the -X stamping works)
#
# Run from anywhere: scripts/check-release.sh
set -eu
cd "$(dirname "$0")/.."

fail() {
	echo "check-release: $*" >&2
	exit 1
}

scripts/goreleaser.sh check
scripts/goreleaser.sh release --snapshot --clean --skip=publish,sign

[ -f dist/metadata.json ] || fail "dist/metadata.json is missing"
version=$(tr -d '\n' <dist/metadata.json | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p')
[ -n "$version" ] || fail "no version in dist/metadata.json"
echo "check-release: snapshot version $version"

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

sums=dist/gover_${version}_checksums.txt
[ -f "$sums" ] || fail "$sums is missing"

platforms="darwin_amd64 darwin_arm64 linux_amd64 linux_arm64 windows_386 windows_amd64 windows_arm64"
shim=
[ -d cmd/gover-shim ] && shim=gover-shim

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expected_archives=
for p in $platforms; do
	case $p in
	windows_*) ext=zip exe=.exe ;;
	*) ext=tar.gz exe= ;;
	esac
	archive=gover_${version}_$p.$ext
	expected_archives="$expected_archives $archive"
	path=dist/$archive
	[ -f "$path" ] || fail "$archive is missing from dist/"

	if [ "$ext" = zip ]; then
		unzip -Z1 "$path" >"$tmp/list" || fail "cannot list $archive"
	else
		tar -tzf "$path" >"$tmp/list" || fail "cannot list $archive"
	fi
	sed 's|^\./||' "$tmp/list" | sort >"$tmp/got"
	{
		echo "LICENSE"
		echo "README.md"
		echo "gover$exe"
		[ -n "$shim" ] && echo "$shim$exe"
	} | sort >"$tmp/want"
	diff -u "$tmp/want" "$tmp/got" >"$tmp/diff" || {
		cat "$tmp/diff" >&2
		fail "$archive does not hold exactly the expected files"
	}

	want=$(awk -v f="$archive" '$2 == f { print $1 }' "$sums")
	[ -n "$want" ] || fail "$sums does not list $archive"
	got=$(sha256 "$path")
	[ "$got" = "$want" ] || fail "$archive has sha256 $got, $sums says $want"
	echo "check-release: $archive ok"
done

listed=$(awk '{ print $2 }' "$sums" | sort | tr '\n' ' ')
want=$(printf '%s\n' $expected_archives | sort | tr '\n' ' ')
[ "$listed" = "$want" ] || fail "$sums lists [$listed], want [$want]"

# The host's binary must run and carry the stamped version.
host=$(go env GOOS)_$(go env GOARCH)
case " $platforms " in
*" $host "*)
	case $host in windows_*) ;; *)
		mkdir "$tmp/x"
		tar -xzf "dist/gover_${version}_$host.tar.gz" -C "$tmp/x"
		out=$("$tmp/x/gover" --version)
		case $out in
		*" $version "*) echo "check-release: $out" ;;
		*) fail "gover --version printed \"$out\", want version $version" ;;
		esac
		;;
	esac
	;;
esac

echo "check-release: ok: $(echo $platforms | wc -w) archives and $sums"
