#!/usr/bin/env bash
# Prepares a Wine prefix that can run Go 1.26 Windows programs, for gover's
# Windows tests, and prints its path.
#
#   WINEPREFIX=$(scripts/wine-prefix.sh)
#   GOOS=windows go test -exec "$PWD/scripts/wine-exec" ./shim/...
#
# Go 1.26 programs need bcryptprimitives.dll (ProcessPrng), which Wine 8
# lacks; a stand-in built here with mingw-w64 forwards to RtlGenRandom.
# Needs: wine64 and gcc-mingw-w64-x86-64 (apt-get install -y wine64 gcc-mingw-w64-x86-64).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prefix=${GOVER_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/gover/wine}
wine=$("$here/wine-exec" --which)

cc=x86_64-w64-mingw32-gcc
command -v "$cc" >/dev/null || { echo "wine-prefix: $cc not found; apt-get install -y gcc-mingw-w64-x86-64" >&2; exit 1; }

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
"$cc" -shared -O2 -s -o "$build/bcryptprimitives.dll" \
	"$here/wine/bcryptprimitives.c" "$here/wine/bcryptprimitives.def" -ladvapi32

mkdir -p "$prefix"
if [ ! -f "$prefix/system.reg" ]; then
	WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" "$wine" wineboot --init >/dev/null 2>&1 || true
	WINEPREFIX=$prefix "$(dirname "$wine")/wineserver" -w 2>/dev/null || wineserver -w 2>/dev/null || true
fi
sys32=$prefix/drive_c/windows/system32
[ -d "$sys32" ] || { echo "wine-prefix: $sys32 missing after wineboot" >&2; exit 1; }
cp "$build/bcryptprimitives.dll" "$sys32/bcryptprimitives.dll"
echo "$prefix"
