package tools

import (
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"os"
	"path/filepath"
)

// Checkout returns the folder of the module that a tool built from a local
// checkout was built in: the file of its main.main, as the binary's line
// table records it, then up to the go.mod above it when that still exists
// on this machine. It returns "" when the binary does not say (built with
// -trimpath, or stripped).
func Checkout(path string) string {
	tab := lineTable(path)
	if tab == nil {
		return ""
	}
	fn := tab.LookupFunc("main.main")
	if fn == nil {
		return ""
	}
	file, _, _ := tab.PCToLine(fn.Entry)
	if !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(file)
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// lineTable reads the Go line table of an ELF, Mach-O or PE executable.
func lineTable(path string) *gosym.Table {
	var data []byte
	var text uint64
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		if s := f.Section(".gopclntab"); s != nil {
			data, _ = s.Data()
		}
		if s := f.Section(".text"); s != nil {
			text = s.Addr
		}
	} else if f, err := macho.Open(path); err == nil {
		defer f.Close()
		if s := f.Section("__gopclntab"); s != nil {
			data, _ = s.Data()
		}
		if s := f.Section("__text"); s != nil {
			text = s.Addr
		}
	} else if f, err := pe.Open(path); err == nil {
		defer f.Close()
		data, text = pePclntab(f)
	}
	if len(data) == 0 {
		return nil
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text))
	if err != nil {
		return nil
	}
	return tab
}

// pePclntab finds runtime.pclntab in a PE file through its COFF symbols.
func pePclntab(f *pe.File) ([]byte, uint64) {
	var start, end *pe.Symbol
	for _, s := range f.Symbols {
		switch s.Name {
		case "runtime.pclntab":
			start = s
		case "runtime.epclntab":
			end = s
		}
	}
	if start == nil || end == nil || start.SectionNumber != end.SectionNumber || start.SectionNumber < 1 || int(start.SectionNumber) > len(f.Sections) {
		return nil, 0
	}
	sect := f.Sections[start.SectionNumber-1]
	data, err := sect.Data()
	if err != nil || end.Value > uint32(len(data)) || start.Value > end.Value {
		return nil, 0
	}
	var text uint64
	if s := f.Section(".text"); s != nil {
		var base uint64
		switch oh := f.OptionalHeader.(type) {
		case *pe.OptionalHeader64:
			base = oh.ImageBase
		case *pe.OptionalHeader32:
			base = uint64(oh.ImageBase)
		}
		text = base + uint64(s.VirtualAddress)
	}
	return data[start.Value:end.Value], text
}
