// Package source gets verified Go SDKs into the store: it reads the user's
// download settings, tries the configured sources in order, checks every
// download before anything becomes visible, and commits a full manifest.
//
// Sources, tried in order (GOVER_SOURCES or --source; default
// proxy,official,mirror):
//
//   - proxy: the golang.org/toolchain module from the GOPROXY list, its h1
//     hash checked against the checksum database (GOSUMDB). The database
//     is asked while the zip downloads, and the h1 is computed from the
//     extracted tree's file list, so the zip is inflated once.
//   - official: the go.dev/dl index (golang.google.cn as fallback) and
//     dl.google.com archives; SHA-256 from the index, and for .tar.gz the
//     .asc signature against Google's pinned release key.
//   - mirror: flat mirrors (GOVER_MIRRORS or --mirror); SHA-256 from the
//     official index when it is reachable, else the mirror's .sha256 (trust
//     mirror, refused unless opted in); the .asc signature when present.
//   - file: a local archive, checked by --sha256, a sibling .sha256 or a
//     sibling .asc signature.
//
// Every archive gets a [store.Trust] from what it is checked against
// (trust.go decides, in one place) and must reach the required minimum
// (Options.MinTrust, GOVER_MIN_TRUST; default index) before it is even
// downloaded. Hashes that are the only evidence never count over plain
// HTTP; a .tar.gz whose .asc is missing counts as index only when the 404
// came from Google's host or the index is Google's; any other .asc failure
// stops the install ([SignatureError]).
//
// A source that does not have the version ("not available") hands over to
// the next with a note. A verification failure stops everything with exit
// code 3; the bad download is deleted and nothing is installed. Only
// Options.InsecureSkipVerify gets past a failed or impossible check, and the
// manifest then says Insecure with trust "insecure".
//
// An official or mirror .tar.gz is extracted while it downloads, its
// SHA-256 and signature computed on the same stream; a module zip is
// extracted over both cores. Either way every file is hashed as it is
// written, which gives the file list (meta/<version>.files) and the tree
// hash without reading the tree again, and the tree stays hidden under the
// store's partial marker until every check has passed.
//
// Verified downloads are kept in the store's cache folder with a record of
// where they came from and how they were verified. The cache is a shortcut
// for one URL, never a root of trust: a source reuses only its own URL's
// copy and checks it as it checks a download. Release lists are cached per
// URL too.
//
//	settings, _ := source.LoadSettings(os.Getenv, source.UserConfigDir(runtime.GOOS, os.Getenv))
//	in, _ := source.NewInstaller(st, client, settings) // client: the one *http.Client main built
//	sp, _ := spec.Parse("1.22")
//	res, err := in.Install(ctx, sp, source.Options{Platform: versions.Host()})
//	if err != nil {
//		return err // exitcode.Verify for a failed check
//	}
//	fmt.Println(res.Manifest.GOROOT)
package source
