#!/bin/sh
# Installs gover on Linux and macOS (and in Git Bash/MSYS2 on Windows).
#
#	curl -fsSL https://raw.githubusercontent.com/gover/gover/main/install.sh | sh
#	curl -fsSL .../install.sh | sh -s -- --version 1.2.3
#	sh install.sh --base-url https://mirror.example.com/gover/releases --dir ~/bin
#
# It downloads gover_<version>_<os>_<arch>.<tar.gz|zip>,
# gover_<version>_checksums.txt and its signature gover_<version>_checksums.txt.asc
# from <base>/download/v<version>/ over https, checks the signature with gpg
# against the release key below (when gpg is installed; otherwise it says
# that only the checksum was checked), checks the archive's SHA-256 against
# the checksums file before unpacking anything, installs the binaries into
# GOVER_HOME/bin (default ~/.gover/bin) and runs `gover setup`. Every step
# before the final move happens in a temporary folder: a failure changes
# nothing. A failed verification exits with 3. SECURITY.md has the details.
#
# The newest version is read from <base>/latest: GitHub answers with a redirect
# to .../tag/v<version>; a mirror serves a text file holding v<version>.
#
# Options (or the environment variable after each):
#	--version V    a release such as 1.2.3 or v1.2.3     GOVER_INSTALL_VERSION
#	--base-url U   where releases live                   GOVER_RELEASE_URL
#	--dir D        where to put the binaries             GOVER_INSTALL_DIR
#	--no-setup     do not run `gover setup` afterwards
set -eu

# BEGIN GOVER RELEASE KEYS (the public keys in release/keys/, kept in step by tests/release_test.go)
release_fingerprints="58F364430250ECCA78733D0D494115D36B790EA8"
release_keys='-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxBG1xYJKwYBBAHaRw8BAQdADrt3FiFw5Xt5eOHigOiQ63ksW4+9mBH93ekQ
2vUr0MS0LmdvdmVyIHJlbGVhc2Ugc2lnbmluZyBrZXkgPHNlY3VyaXR5QGdvdmVy
LmRldj6IlgQTFggAPhYhBFjzZEMCUOzKeHM9DUlBFdNreQ6oBQJrEEbXAhsDBQkF
o5qABQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEElBFdNreQ6olKIA/jkmvw1B
PMVAyKSEmPEy5t9j/VBG1KsNw67OJu2nqZwdAP9/OFLh6EHLMWVe6fCd6OgfZ0oy
rl5W4ZChIBShMi6ZBw==
=v3KX
-----END PGP PUBLIC KEY BLOCK-----'
# END GOVER RELEASE KEYS

base_url=${GOVER_RELEASE_URL:-https://github.com/gover/gover/releases}
version=${GOVER_INSTALL_VERSION:-}
dir=${GOVER_INSTALL_DIR:-}
setup=1

say() { printf 'gover-install: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}
# refuse ends the script for a download that failed verification.
refuse() {
	say "error: $*"
	exit 3
}

usage() {
	cat >&2 <<'EOF'
usage: install.sh [--version V] [--base-url URL] [--dir DIR] [--no-setup]
  --version V    the gover release to install, such as 1.2.3 (default: the latest)
  --base-url U   where releases live (default: https://github.com/gover/gover/releases)
  --dir D        where to put the binaries (default: $GOVER_HOME/bin or ~/.gover/bin)
  --no-setup     do not run `gover setup` afterwards
EOF
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--version) [ $# -ge 2 ] || usage; version=$2; shift 2 ;;
	--version=*) version=${1#*=}; shift ;;
	--base-url) [ $# -ge 2 ] || usage; base_url=$2; shift 2 ;;
	--base-url=*) base_url=${1#*=}; shift ;;
	--dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
	--dir=*) dir=${1#*=}; shift ;;
	--no-setup) setup=0; shift ;;
	-h | --help) usage ;;
	*) say "unknown option: $1"; usage ;;
	esac
done
base_url=${base_url%/}

# Only https is trusted, and plain http on this machine's loopback (tests).
curl_proto='=https'
case $base_url in
https://?*) ;;
http://*)
	host=${base_url#http://}
	host=${host%%/*}
	case $host in
	*@*) host= ;;
	\[::1\]:* | \[::1\]) host='[::1]' ;;
	*) host=${host%:*} ;;
	esac
	case $host in
	localhost | 127.* | '[::1]') curl_proto='=http,https' ;;
	*) refuse "refusing $base_url: not an https URL (only https is trusted, and http on this machine's loopback)" ;;
	esac
	case $host in 127.*[!0-9.]*) refuse "refusing $base_url: not an https URL" ;; esac
	;;
*) refuse "refusing $base_url: not an https URL" ;;
esac

# detect_platform sets os, arch and ext the way .goreleaser.yml names archives.
detect_platform() {
	case $(uname -s) in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
	*) die "unsupported operating system: $(uname -s)" ;;
	esac
	case $(uname -m) in
	x86_64 | amd64 | x64) arch=amd64 ;;
	aarch64 | arm64 | ARM64) arch=arm64 ;;
	i386 | i486 | i586 | i686 | x86) arch=386 ;;
	*) die "unsupported architecture: $(uname -m)" ;;
	esac
	# A shell under Rosetta 2 reports x86_64 on Apple silicon; the native
	# binary is the one to install.
	if [ "$os" = darwin ] && [ "$arch" = amd64 ] &&
		[ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
		arch=arm64
	fi
	ext=tar.gz
	exe=
	if [ "$os" = windows ]; then
		ext=zip
		exe=.exe
	fi
}

# fetch URL FILE downloads URL into FILE, failing on any HTTP error.
fetch() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --proto "$curl_proto" --proto-redir '=https' --retry 3 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1"
	else
		die "neither curl nor wget is installed"
	fi
}

# latest prints the newest release's version: from the tag GitHub redirects
# <base>/latest to, else from the text a mirror serves there.
latest() {
	url=
	if command -v curl >/dev/null 2>&1; then
		url=$(curl -fsSL --proto "$curl_proto" --proto-redir '=https' --retry 3 -o "$tmp/latest" -w '%{url_effective}' "$base_url/latest") ||
			die "cannot read the latest release from $base_url/latest"
	else
		fetch "$base_url/latest" "$tmp/latest" || die "cannot read the latest release from $base_url/latest"
	fi
	case $url in
	*/tag/*) tag=${url##*/tag/} ;;
	*) tag=$(tr -d ' \t\r' <"$tmp/latest" | sed -n '/./{p;q;}') ;;
	esac
	case $tag in
	v[0-9]* | [0-9]*) printf '%s\n' "$tag" ;;
	*) die "cannot tell the latest version from $base_url/latest; pass --version" ;;
	esac
}

# verify_signature checks the detached signature $2 of the file $1 with gpg
# against the release keys above, in a keyring of its own.
verify_signature() {
	gnupg=$tmp/gnupg
	mkdir -m 700 "$gnupg"
	printf '%s\n' "$release_keys" | gpg --homedir "$gnupg" --batch --quiet --import 2>"$tmp/gpg.err" ||
		die "gpg cannot read the release key: $(cat "$tmp/gpg.err")"
	status=$(gpg --homedir "$gnupg" --batch --status-fd 1 --verify "$2" "$1" 2>"$tmp/gpg.err") || true
	signer=$(printf '%s\n' "$status" | awk '$1 == "[GNUPG:]" && $2 == "VALIDSIG" { print $NF; exit }')
	for f in $release_fingerprints; do
		if [ -n "$signer" ] && [ "$signer" = "$f" ]; then
			say "verified the signature of $checksums: gover release key $f"
			return 0
		fi
	done
	refuse "the signature of $checksums does not verify with gover's release key; nothing was installed
$(sed 's/^/gpg: /' "$tmp/gpg.err")"
}

# sha256 prints the SHA-256 of a file in lowercase hex.
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d' ' -f1
	elif command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 -r "$1" | cut -d' ' -f1
	else
		die "no sha256sum, shasum or openssl to verify the download"
	fi
}

detect_platform

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t gover-install)
dir_staged=
cleanup() {
	rm -rf "$tmp"
	if [ -n "$dir_staged" ]; then
		rm -f "$dir_staged/.gover.new.$$" "$dir_staged/.gover.exe.new.$$" \
			"$dir_staged/.gover-shim.new.$$" "$dir_staged/.gover-shim.exe.new.$$"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "$version" ]; then
	version=$(latest) || exit 1
fi
version=${version#v}
# The version becomes part of URLs and file names: accept only what gover's
# releases are named.
case $version in
'' | *[!0-9A-Za-z.+-]* | .* | *..*) die "invalid version: \"$version\"" ;;
[0-9]*.[0-9]*.[0-9]*) ;;
*) die "invalid version: \"$version\" (want something like 1.2.3)" ;;
esac

archive=gover_${version}_${os}_${arch}.$ext
checksums=gover_${version}_checksums.txt
url=$base_url/download/v$version

say "downloading gover $version for $os/$arch from $url"
fetch "$url/$checksums" "$tmp/$checksums" ||
	die "cannot download $url/$checksums (is $version a gover release?)"
fetch "$url/$checksums.asc" "$tmp/$checksums.asc" ||
	refuse "gover $version has no signature ($url/$checksums.asc): refusing an unsigned release; nothing was installed"
signed=0
if command -v gpg >/dev/null 2>&1; then
	verify_signature "$tmp/$checksums" "$tmp/$checksums.asc"
	signed=1
fi
want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/$checksums")
[ -n "$want" ] || die "gover $version has no release for $os/$arch ($archive is not in $checksums)"
fetch "$url/$archive" "$tmp/$archive" || die "cannot download $url/$archive"

got=$(sha256 "$tmp/$archive")
if [ "$got" != "$(printf '%s' "$want" | tr 'A-F' 'a-f')" ]; then
	refuse "checksum mismatch for $archive: got sha256 $got, $checksums says $want; nothing was installed"
fi
say "verified sha256 $got"
if [ "$signed" = 0 ]; then
	say "WARNING: gpg is not installed, so only the SHA-256 checksum was checked, not the signature of $checksums:"
	say "WARNING: this proves the download is intact, not that gover's release key signed it. Install gnupg and run"
	say "WARNING: this script again, or verify by hand as SECURITY.md shows."
fi

mkdir "$tmp/x"
case $ext in
tar.gz) (cd "$tmp/x" && gzip -dc "../$archive" | tar -xf -) || die "cannot unpack $archive" ;;
zip)
	command -v unzip >/dev/null 2>&1 || die "unzip is needed to unpack $archive"
	unzip -q "$tmp/$archive" -d "$tmp/x" || die "cannot unpack $archive"
	;;
esac

bins=
for b in gover gover-shim; do
	if [ -f "$tmp/x/$b$exe" ]; then
		chmod 755 "$tmp/x/$b$exe"
		bins="$bins $b$exe"
	fi
done
case "$bins " in
*" gover$exe "*) ;;
*) die "$archive holds no gover$exe" ;;
esac

if [ -z "$dir" ]; then
	if [ -n "${GOVER_HOME:-}" ]; then
		dir=$GOVER_HOME/bin
	elif [ -n "${HOME:-}" ]; then
		dir=$HOME/.gover/bin
	else
		die "neither GOVER_HOME nor HOME is set; pass --dir"
	fi
fi
mkdir -p "$dir" || die "cannot create $dir"

# Copy each binary next to its destination first, then rename it over the old
# one: a rename within one folder is atomic, so a running gover keeps working
# and no one ever sees half a binary.
dir_staged=$dir
for b in $bins; do
	cp "$tmp/x/$b" "$dir/.$b.new.$$" || die "cannot write to $dir; nothing was installed"
done
for b in $bins; do
	mv -f "$dir/.$b.new.$$" "$dir/$b" || die "cannot replace $dir/$b"
done
say "installed gover $version in $dir"

if [ "$setup" = 1 ]; then
	"$dir/gover$exe" setup || die "gover $version is installed in $dir, but \`gover setup\` failed; run it again: $dir/gover$exe setup"
fi
