package shellhint

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Parents returns the executable names of this process's ancestors,
// nearest first, at most four: a shell may start gover through a launcher
// (a scoop shim, a .cmd wrapper), so the nearest one is not always the
// shell. Nil when they cannot be read.
func Parents() []string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil
	}
	defer windows.CloseHandle(snap)
	type proc struct {
		parent uint32
		name   string
	}
	procs := map[uint32]proc{}
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err := windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		procs[e.ProcessID] = proc{parent: e.ParentProcessID, name: windows.UTF16ToString(e.ExeFile[:])}
	}
	var out []string
	seen := map[uint32]bool{}
	for pid := uint32(os.Getpid()); len(out) < 4; {
		p, ok := procs[pid]
		if !ok || seen[p.parent] {
			break
		}
		seen[pid] = true
		parent, ok := procs[p.parent]
		if !ok {
			break
		}
		out = append(out, parent.name)
		pid = p.parent
	}
	return out
}
