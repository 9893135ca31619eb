<#
.SYNOPSIS
Installs gover on Windows.

.DESCRIPTION
Downloads gover_<version>_windows_<arch>.zip, gover_<version>_checksums.txt and
its signature gover_<version>_checksums.txt.asc from <BaseUrl>/download/v<version>/
over https (http only on this machine's loopback), checks the signature with
gpg (Gpg4win) against gover's release key when gpg is installed, and says so
plainly when it is not and only the checksum was checked. It checks the zip's
SHA-256 against the checksums file before unpacking anything, installs gover.exe (and
gover-shim.exe) into $env:GOVER_HOME\bin (default ~\.gover\bin) and runs
`gover setup`, which puts the shims first on the user PATH. All work happens
in a temporary folder; a failure changes nothing.

The newest version is read from <BaseUrl>/latest: GitHub redirects it to
.../tag/v<version>; a mirror serves a text file holding v<version>.

.EXAMPLE
irm https://raw.githubusercontent.com/gover/gover/main/install.ps1 | iex

.EXAMPLE
.\install.ps1 -Version 1.2.3 -BaseUrl https://mirror.example.com/gover/releases -Dir C:\tools\gover
#>
param(
    # A release such as 1.2.3 or v1.2.3; default: the latest.
    [string]$Version = $env:GOVER_INSTALL_VERSION,
    # Where releases live.
    [string]$BaseUrl = $(if ($env:GOVER_RELEASE_URL) { $env:GOVER_RELEASE_URL } else { 'https://github.com/gover/gover/releases' }),
    # Where to put the binaries; default: $env:GOVER_HOME\bin, else ~\.gover\bin.
    [string]$Dir = $env:GOVER_INSTALL_DIR,
    # Do not run `gover setup` afterwards.
    [switch]$NoSetup
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
# The progress bar makes Invoke-WebRequest many times slower in Windows PowerShell 5.1.
$ProgressPreference = 'SilentlyContinue'
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

function Say([string]$Message) { Write-Host "gover-install: $Message" }
function Fail([string]$Message) { throw "gover-install: error: $Message" }

# BEGIN GOVER RELEASE KEYS (the public keys in release/keys/, kept in step by tests/release_test.go)
$ReleaseFingerprints = @('58F364430250ECCA78733D0D494115D36B790EA8')
$ReleaseKeys = @'
-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxBG1xYJKwYBBAHaRw8BAQdADrt3FiFw5Xt5eOHigOiQ63ksW4+9mBH93ekQ
2vUr0MS0LmdvdmVyIHJlbGVhc2Ugc2lnbmluZyBrZXkgPHNlY3VyaXR5QGdvdmVy
LmRldj6IlgQTFggAPhYhBFjzZEMCUOzKeHM9DUlBFdNreQ6oBQJrEEbXAhsDBQkF
o5qABQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEElBFdNreQ6olKIA/jkmvw1B
PMVAyKSEmPEy5t9j/VBG1KsNw67OJu2nqZwdAP9/OFLh6EHLMWVe6fCd6OgfZ0oy
rl5W4ZChIBShMi6ZBw==
=v3KX
-----END PGP PUBLIC KEY BLOCK-----
'@
# END GOVER RELEASE KEYS

if ($env:OS -ne 'Windows_NT') { Fail 'install.ps1 is for Windows; on Linux and macOS use install.sh' }
$BaseUrl = $BaseUrl.TrimEnd('/')
# Only https is trusted, and plain http on this machine's loopback (tests).
$baseUri = $null
if (-not [Uri]::TryCreate($BaseUrl, [UriKind]::Absolute, [ref]$baseUri) -or
    -not ($baseUri.Scheme -eq 'https' -or ($baseUri.Scheme -eq 'http' -and $baseUri.IsLoopback -and -not $baseUri.UserInfo))) {
    Fail "refusing ${BaseUrl}: not an https URL (only https is trusted, and http on this machine's loopback)"
}

# The machine's architecture, not this PowerShell's: the Machine scope reads
# the registry, which says ARM64 even inside an emulated x64 PowerShell.
$arch = switch ([Environment]::GetEnvironmentVariable('PROCESSOR_ARCHITECTURE', 'Machine')) {
    'AMD64' { 'amd64' }
    'ARM64' { 'arm64' }
    'x86' { '386' }
    default { Fail "unsupported architecture: $_" }
}

$tmp = Join-Path ([IO.Path]::GetTempPath()) ("gover-install-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
    if (-not $Version) {
        $r = Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/latest"
        # Windows PowerShell 5.1 exposes the final URL as ResponseUri, PowerShell 7 as RequestMessage.RequestUri.
        $final = if ($r.BaseResponse.PSObject.Properties['ResponseUri']) { $r.BaseResponse.ResponseUri.AbsoluteUri } else { $r.BaseResponse.RequestMessage.RequestUri.AbsoluteUri }
        if ($final -match '/tag/([^/]+)$') {
            $Version = $Matches[1]
        } else {
            $text = $r.Content
            if ($text -is [byte[]]) { $text = [Text.Encoding]::UTF8.GetString($text) }
            $Version = ($text -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
            if ($Version) { $Version = $Version.Trim() }
        }
    }
    $Version = "$Version".TrimStart('v')
    # The version becomes part of URLs and file names: only release names get through.
    if ($Version -notmatch '^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$') {
        Fail "invalid version: '$Version' (want something like 1.2.3)"
    }

    $archive = "gover_${Version}_windows_$arch.zip"
    $checksums = "gover_${Version}_checksums.txt"
    $url = "$BaseUrl/download/v$Version"
    Say "downloading gover $Version for windows/$arch from $url"

    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$url/$checksums" -OutFile (Join-Path $tmp $checksums)
    } catch {
        Fail "cannot download $url/$checksums (is $Version a gover release?): $_"
    }
    $want = Get-Content (Join-Path $tmp $checksums) | ForEach-Object {
        $sum, $name = $_.Trim() -split '\s+', 2
        if ($name -and $name.TrimStart('*') -eq $archive) { $sum.ToLowerInvariant() }
    } | Select-Object -First 1
    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$url/$checksums.asc" -OutFile (Join-Path $tmp "$checksums.asc")
    } catch {
        Fail "gover $Version has no signature ($url/$checksums.asc): refusing an unsigned release; nothing was installed"
    }
    $signed = $false
    if (Get-Command gpg -ErrorAction SilentlyContinue) {
        $gnupg = Join-Path $tmp 'gnupg'
        New-Item -ItemType Directory -Path $gnupg | Out-Null
        $ReleaseKeys | & gpg --homedir $gnupg --batch --quiet --import 2>$null
        $status = & gpg --homedir $gnupg --batch --status-fd 1 --verify (Join-Path $tmp "$checksums.asc") (Join-Path $tmp $checksums) 2>$null
        $signer = $status | Where-Object { $_ -match '^\[GNUPG:\] VALIDSIG ' } | ForEach-Object { ($_ -split ' ')[-1] } | Select-Object -First 1
        if (-not $signer -or $ReleaseFingerprints -notcontains $signer) {
            Fail "the signature of $checksums does not verify with gover's release key; nothing was installed"
        }
        Say "verified the signature of ${checksums}: gover release key $signer"
        $signed = $true
    }
    if (-not $want) { Fail "gover $Version has no release for windows/$arch ($archive is not in $checksums)" }

    try {
        Invoke-WebRequest -UseBasicParsing -Uri "$url/$archive" -OutFile (Join-Path $tmp $archive)
    } catch {
        Fail "cannot download $url/$archive`: $_"
    }

    # Verify before unpacking anything.
    $got = (Get-FileHash -Algorithm SHA256 -Path (Join-Path $tmp $archive)).Hash.ToLowerInvariant()
    if ($got -ne $want) {
        Fail "checksum mismatch for ${archive}: got sha256 $got, $checksums says $want; nothing was installed"
    }
    Say "verified sha256 $got"
    if (-not $signed) {
        Say "WARNING: gpg is not installed, so only the SHA-256 checksum was checked, not the signature of ${checksums}:"
        Say "WARNING: this proves the download is intact, not that gover's release key signed it. Install Gpg4win and"
        Say "WARNING: run this script again, or verify by hand as SECURITY.md shows."
    }

    $x = Join-Path $tmp 'x'
    Expand-Archive -Path (Join-Path $tmp $archive) -DestinationPath $x
    $bins = @('gover.exe', 'gover-shim.exe') | Where-Object { Test-Path -PathType Leaf (Join-Path $x $_) }
    if ($bins -notcontains 'gover.exe') { Fail "$archive holds no gover.exe" }

    if (-not $Dir) {
        $home_ = if ($env:GOVER_HOME) { $env:GOVER_HOME } else { Join-Path $env:USERPROFILE '.gover' }
        $Dir = Join-Path $home_ 'bin'
    }
    New-Item -ItemType Directory -Force -Path $Dir | Out-Null

    # Stage next to the destination, then rename into place. A running .exe
    # (a go.exe shim linked to gover-shim.exe, say) cannot be overwritten but
    # can be renamed aside; gover deletes *.exe.old* files on its next run.
    foreach ($b in $bins) { Copy-Item -Path (Join-Path $x $b) -Destination (Join-Path $Dir ".$b.new") -Force }
    foreach ($b in $bins) {
        $dst = Join-Path $Dir $b
        if (Test-Path $dst) {
            $old = "$dst.old-" + [guid]::NewGuid().ToString('N').Substring(0, 8)
            Move-Item -Path $dst -Destination $old
            Remove-Item -Path $old -Force -ErrorAction SilentlyContinue
        }
        Move-Item -Path (Join-Path $Dir ".$b.new") -Destination $dst
    }
    Say "installed gover $Version in $Dir"
} finally {
    Remove-Item -Recurse -Force -Path $tmp -ErrorAction SilentlyContinue
    if ($Dir) { Get-ChildItem -Force -Path $Dir -Filter '.gover*.exe.new' -ErrorAction SilentlyContinue | Remove-Item -Force -ErrorAction SilentlyContinue }
}

if (-not $NoSetup) {
    & (Join-Path $Dir 'gover.exe') setup
    if ($LASTEXITCODE -ne 0) {
        Fail "gover $Version is installed in $Dir, but 'gover setup' failed; run it again: $(Join-Path $Dir 'gover.exe') setup"
    }
}
