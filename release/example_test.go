package release_test

import (
	"fmt"

	"github.com/gover/gover/release"
	"github.com/gover/gover/versions"
)

func ExampleArchiveName() {
	v, _ := release.ParseVersion("v1.2.3")
	for _, p := range []versions.Platform{{OS: "linux", Arch: "amd64"}, {OS: "windows", Arch: "arm64"}} {
		fmt.Println(release.DownloadURL(release.DefaultBaseURL, v, release.ArchiveName(v, p)))
	}
	fmt.Println(release.ChecksumsName(v))
	// Output:
	// https://github.com/gover/gover/releases/download/v1.2.3/gover_1.2.3_linux_amd64.tar.gz
	// https://github.com/gover/gover/releases/download/v1.2.3/gover_1.2.3_windows_arm64.zip
	// gover_1.2.3_checksums.txt
}

func ExampleParseChecksums() {
	sums, err := release.ParseChecksums([]byte(
		"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  gover_1.2.3_linux_amd64.tar.gz\n"))
	fmt.Println(sums["gover_1.2.3_linux_amd64.tar.gz"], err)
	// Output:
	// 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 <nil>
}

func ExampleNewer() {
	fmt.Println(release.Newer("1.3.0", "1.2.9"))
	fmt.Println(release.Newer("1.3.0-rc.1", "1.3.0"))
	fmt.Println(release.Newer("1.0.0", "devel")) // a build from source
	// Output:
	// true
	// false
	// true
}

func ExampleManagedBy() {
	fmt.Println(release.ManagedBy("/opt/homebrew/Caskroom/gover/1.2.3/gover"))
	// Output:
	// Homebrew brew upgrade gover
}
