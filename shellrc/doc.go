// Package shellrc is everything gover writes for shells: the lines that put
// the shims first on PATH ([PathBlock]), the GOROOT hooks ([Hook],
// [HookEnv], [HookLine]), the scripts gover env prints ([EnvScript]), one
// set of quoting functions per shell ([Posix], [Fish], [PowerShell],
// [Cmd]), which startup files each shell really reads on each OS
// ([StartupFiles], [HookFiles]), and the one editor that changes those
// files ([Editor]).
//
// The editor follows symbolic links, keeps the user's bytes and line
// endings, refuses read-only files, recovers from a deleted end marker
// without losing the user's lines, backs up each file before its first
// edit, and undoes everything byte for byte:
//
//	e := &shellrc.Editor{BackupDir: filepath.Join(root, "backup", "startup")}
//	block, _ := shellrc.PathBlock("bash", filepath.Join(root, "bin"), "")
//	files, _ := shellrc.StartupFiles("bash", shellrc.Env{Home: home, GOOS: runtime.GOOS})
//	for _, f := range files {
//		changed, err := e.Set(f, shellrc.BlockSetup, block)
//	}
//	restored, err := e.Undo() // gover setup --undo
package shellrc
