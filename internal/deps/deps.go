package deps

import (
	_ "github.com/Masterminds/semver/v3"
	_ "github.com/ProtonMail/go-crypto/openpgp"
	_ "github.com/gofrs/flock"
	_ "github.com/mholt/archives"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/tailscale/hujson"
	_ "github.com/urfave/cli/v2"
	_ "golang.org/x/mod/modfile"
	_ "golang.org/x/mod/sumdb"
	_ "golang.org/x/mod/sumdb/dirhash"
	_ "golang.org/x/term"
)
