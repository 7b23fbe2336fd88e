package initramfs_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/initramfs"
)

// fakeModule returns a minimal ELF64 relocatable object whose .modinfo
// section holds modinfo (NUL-separated key=value strings), which is all
// ResolveModules reads.
func fakeModule(modinfo string) []byte {
	shstrtab := "\x00.modinfo\x00.shstrtab\x00"
	le := binary.LittleEndian
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], 1)  // ET_REL
	le.PutUint16(b[18:], 62) // EM_X86_64
	le.PutUint32(b[20:], 1)  // EV_CURRENT
	le.PutUint16(b[52:], 64) // e_ehsize
	le.PutUint16(b[58:], 64) // e_shentsize
	le.PutUint16(b[60:], 3)  // e_shnum
	le.PutUint16(b[62:], 2)  // e_shstrndx
	infoOff := len(b)
	b = append(b, modinfo...)
	strOff := len(b)
	b = append(b, shstrtab...)
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	le.PutUint64(b[40:], uint64(len(b))) // e_shoff
	sh := func(name, typ uint32, off, size int) {
		h := make([]byte, 64)
		le.PutUint32(h[0:], name)
		le.PutUint32(h[4:], typ)
		le.PutUint64(h[24:], uint64(off))
		le.PutUint64(h[32:], uint64(size))
		le.PutUint64(h[48:], 1)
		b = append(b, h...)
	}
	sh(0, 0, 0, 0)
	sh(1, 1, infoOff, len(modinfo))  // .modinfo, SHT_PROGBITS
	sh(10, 3, strOff, len(shstrtab)) // .shstrtab, SHT_STRTAB
	return b
}

func gzipped(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestResolveModules(t *testing.T) {
	tests := []struct {
		name    string
		request string
		files   map[string][]byte // path under the tree -> contents
		want    []string          // names in load order
		wantErr string
	}{
		{
			name:    "no dependencies",
			request: "veth",
			files: map[string][]byte{
				"kernel/drivers/net/veth.ko": fakeModule("license=GPL\x00depends=\x00name=veth\x00"),
			},
			want: []string{"veth"},
		},
		{
			name: "chain and diamond, dashes, gzip",
			files: map[string][]byte{
				"kernel/a.ko":           fakeModule("depends=bee,nf-cee\x00"),
				"kernel/sub/bee.ko.gz":  gzipped(t, fakeModule("depends=nf_cee\x00")),
				"kernel/sub/nf_cee.ko":  fakeModule("name=nf_cee\x00"),
				"kernel/unrelated.ko":   fakeModule("depends=a\x00"),
				"kernel/not-module.txt": []byte("x"),
			},
			want: []string{"nf_cee", "bee", "a"},
		},
		{
			name:    "missing dependency",
			files:   map[string][]byte{"a.ko": fakeModule("depends=gone\x00")},
			wantErr: "gone (needed by a) is not under",
		},
		{
			name:    "missing module",
			files:   map[string][]byte{},
			wantErr: "a is not under",
		},
		{
			name: "cycle",
			files: map[string][]byte{
				"a.ko": fakeModule("depends=b\x00"),
				"b.ko": fakeModule("depends=a\x00"),
			},
			wantErr: "dependency cycle",
		},
		{
			name:    "not a module",
			files:   map[string][]byte{"a.ko": []byte("hello")},
			wantErr: "neither an ELF object",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, b := range tt.files {
				writeFile(t, filepath.Join(dir, p), b)
			}
			request := tt.request
			if request == "" {
				request = "a"
			}
			mods, err := initramfs.ResolveModules(dir, []string{request})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ResolveModules() = %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range mods {
				got = append(got, m.Name)
				if !bytes.HasPrefix(m.Data, []byte("\x7fELF")) {
					t.Errorf("module %s: data is not an uncompressed ELF object", m.Name)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("ResolveModules(%s) order = %v, want %v", request, got, tt.want)
			}
		})
	}
}

func TestResolveModulesXZ(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		t.Skip("no xz tool")
	}
	obj := fakeModule("depends=\x00")
	cmd := exec.Command("xz", "-c")
	cmd.Stdin = bytes.NewReader(obj)
	xzd, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "veth.ko.xz"), xzd)
	mods, err := initramfs.ResolveModules(dir, []string{"veth"})
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 1 || !bytes.Equal(mods[0].Data, obj) {
		t.Fatalf("ResolveModules(veth.ko.xz) = %d modules, want the decompressed object", len(mods))
	}
}

// TestResolveModulesKernel reads veth from the cached Debian kernel, when
// there is one: it is uncompressed and depends on nothing.
func TestResolveModulesKernel(t *testing.T) {
	k, err := initramfs.FindKernel(initramfs.KernelDir())
	if err != nil {
		t.Skip(err)
	}
	mods, err := initramfs.ResolveModules(k.Modules, []string{"veth"})
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 1 || mods[0].Name != "veth" || len(mods[0].Depends) != 0 {
		t.Fatalf("ResolveModules(veth) = %+v, want veth alone", mods)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
