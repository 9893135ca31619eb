//go:build windows

package deps

import _ "golang.org/x/sys/windows/registry"
