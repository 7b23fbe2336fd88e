package initramfs

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A Module is a kernel module ready for the image: uncompressed, since
// finit_module on the Debian 12 kernel has no in-kernel decompression
// (MODULE_INIT_COMPRESSED_FILE fails there with EOPNOTSUPP).
type Module struct {
	// Name is the module's name with '-' written as '_', e.g. "veth".
	Name string
	// Path is the file the module was read from.
	Path string
	// Depends lists the modules it needs, from its .modinfo "depends=".
	Depends []string
	// Data is the uncompressed ELF object.
	Data []byte
}

// moduleSuffixes are the file name endings of kernel modules, compressed or
// not.
func moduleSuffixes() []string { return []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"} }

// moduleName returns the module name of a file name and whether it is a
// module file at all.
func moduleName(file string) (string, bool) {
	for _, suf := range moduleSuffixes() {
		if strings.HasSuffix(file, suf) {
			return strings.ReplaceAll(strings.TrimSuffix(file, suf), "-", "_"), true
		}
	}
	return "", false
}

// ResolveModules finds the named modules under dir (a lib/modules/<release>
// tree, whole or in part), adds what they depend on, and returns them all in
// load order: every module after the modules it depends on. Compressed files
// are decompressed: gzip in Go, xz and zstd with the xz and zstd tools.
func ResolveModules(dir string, names []string) ([]Module, error) {
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name, ok := moduleName(d.Name()); ok && d.Type().IsRegular() {
			if _, dup := files[name]; !dup {
				files[name] = path
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	var order []Module
	state := make(map[string]int) // 1 visiting, 2 done
	var visit func(name, neededBy string) error
	visit = func(name, neededBy string) error {
		name = strings.ReplaceAll(name, "-", "_")
		switch state[name] {
		case 1:
			return fmt.Errorf("modules: dependency cycle through %s", name)
		case 2:
			return nil
		}
		state[name] = 1
		path, ok := files[name]
		if !ok {
			if neededBy != "" {
				return fmt.Errorf("modules: %s (needed by %s) is not under %s", name, neededBy, dir)
			}
			return fmt.Errorf("modules: %s is not under %s", name, dir)
		}
		m, err := readModule(name, path)
		if err != nil {
			return err
		}
		for _, dep := range m.Depends {
			if err := visit(dep, name); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, m)
		return nil
	}
	for _, name := range names {
		if err := visit(name, ""); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// readModule reads, decompresses and inspects one module file.
func readModule(name, path string) (Module, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Module{}, fmt.Errorf("modules: %w", err)
	}
	data, err := decompress(path, raw)
	if err != nil {
		return Module{}, err
	}
	deps, err := moduleDepends(data)
	if err != nil {
		return Module{}, fmt.Errorf("modules: %s: %w", path, err)
	}
	return Module{Name: name, Path: path, Depends: deps, Data: data}, nil
}

// decompress returns data uncompressed, judging the format by its magic.
func decompress(path string, data []byte) ([]byte, error) {
	var tool string
	switch {
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return data, nil
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("modules: %s: %w", path, err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("modules: %s: %w", path, err)
		}
		return out, nil
	case bytes.HasPrefix(data, []byte("\xfd7zXZ\x00")):
		tool = "xz"
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		tool = "zstd"
	default:
		return nil, fmt.Errorf("modules: %s: neither an ELF object nor gzip, xz or zstd data", path)
	}
	cmd := exec.Command(tool, "-dc")
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("modules: %s: %s -dc: %w: %s", path, tool, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// moduleDepends returns the "depends=" list of a module's .modinfo section.
func moduleDepends(object []byte) ([]string, error) {
	f, err := elf.NewFile(bytes.NewReader(object))
	if err != nil {
		return nil, err
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("no .modinfo section")
	}
	info, err := sec.Data()
	if err != nil {
		return nil, err
	}
	for _, kv := range bytes.Split(info, []byte{0}) {
		v, ok := bytes.CutPrefix(kv, []byte("depends="))
		if !ok {
			continue
		}
		var deps []string
		for _, d := range strings.Split(string(v), ",") {
			if d != "" {
				deps = append(deps, d)
			}
		}
		return deps, nil
	}
	return nil, nil
}
