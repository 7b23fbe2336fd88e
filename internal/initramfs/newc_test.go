package initramfs_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rawns/rawns/internal/initramfs"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.cpio")

// sample writes the archive the tests look at: one entry of each kind, with
// names and data of every length modulo 4.
func sample(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := initramfs.NewWriter(&b)
	steps := []error{
		w.Dir("/dev", 0o755),
		w.CharDevice("dev/console", 0o600, 5, 1),
		w.Dir("./bin", 0o755),
		w.File("bin/rawns", 0o755, []byte("ELF?")),
		w.Symlink("bin/ip", "rawns"),
		w.File("a", 0o644, []byte("12345")),
		w.File("ab", 0o600, []byte("123456")),
		w.File("abc", 0o644, []byte("1234567")),
		w.File("empty", 0o644, nil),
		w.Close(),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return b.Bytes()
}

// entry is a newc entry as the test's own reader sees it.
type entry struct {
	ino, mode, uid, gid, nlink, mtime  uint32
	rdevMajor, rdevMinor, check, major uint32
	name                               string
	data                               string
}

// readNewc parses an archive the slow, obvious way, following
// Documentation/driver-api/early-userspace/buffer-format.rst.
func readNewc(t *testing.T, b []byte) []entry {
	t.Helper()
	var out []entry
	off := 0
	field := func(i int) uint32 {
		v, err := strconv.ParseUint(string(b[off+6+8*i:off+14+8*i]), 16, 32)
		if err != nil {
			t.Fatalf("offset %d field %d: %v", off, i, err)
		}
		return uint32(v)
	}
	for {
		if off%4 != 0 {
			t.Fatalf("entry at offset %d is not 4-aligned", off)
		}
		if string(b[off:off+6]) != "070701" {
			t.Fatalf("offset %d: magic %q, want 070701", off, b[off:off+6])
		}
		e := entry{ino: field(0), mode: field(1), uid: field(2), gid: field(3), nlink: field(4),
			mtime: field(5), major: field(7), rdevMajor: field(9), rdevMinor: field(10), check: field(12)}
		size, namesize := int(field(6)), int(field(11))
		name := b[off+110 : off+110+namesize]
		if name[namesize-1] != 0 {
			t.Fatalf("offset %d: name %q is not NUL-terminated", off, name)
		}
		e.name = string(name[:namesize-1])
		off += 110 + namesize
		for ; off%4 != 0; off++ {
			if b[off] != 0 {
				t.Fatalf("offset %d: padding byte %#x", off, b[off])
			}
		}
		e.data = string(b[off : off+size])
		off += size
		for ; off%4 != 0; off++ {
			if b[off] != 0 {
				t.Fatalf("offset %d: padding byte %#x", off, b[off])
			}
		}
		out = append(out, e)
		if e.name == "TRAILER!!!" {
			if off != len(b) {
				t.Fatalf("%d bytes after the trailer", len(b)-off)
			}
			return out
		}
	}
}

func TestWriterEntries(t *testing.T) {
	got := readNewc(t, sample(t))
	want := []entry{
		{ino: 1, mode: unix.S_IFDIR | 0o755, nlink: 1, name: "dev"},
		{ino: 2, mode: unix.S_IFCHR | 0o600, nlink: 1, rdevMajor: 5, rdevMinor: 1, name: "dev/console"},
		{ino: 3, mode: unix.S_IFDIR | 0o755, nlink: 1, name: "bin"},
		{ino: 4, mode: unix.S_IFREG | 0o755, nlink: 1, name: "bin/rawns", data: "ELF?"},
		{ino: 5, mode: unix.S_IFLNK | 0o777, nlink: 1, name: "bin/ip", data: "rawns"},
		{ino: 6, mode: unix.S_IFREG | 0o644, nlink: 1, name: "a", data: "12345"},
		{ino: 7, mode: unix.S_IFREG | 0o600, nlink: 1, name: "ab", data: "123456"},
		{ino: 8, mode: unix.S_IFREG | 0o644, nlink: 1, name: "abc", data: "1234567"},
		{ino: 9, mode: unix.S_IFREG | 0o644, nlink: 1, name: "empty"},
		{ino: 0, mode: 0, nlink: 1, name: "TRAILER!!!"},
	}
	if len(got) != len(want) {
		t.Fatalf("archive has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestWriterGolden pins the exact bytes (checked once with GNU cpio -itv
// and by the kernel's unpacker in the boot test), so a change shows.
func TestWriterGolden(t *testing.T) {
	got := sample(t)
	if *update {
		if err := os.WriteFile("testdata/sample.cpio", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/sample.cpio")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("archive differs from testdata/sample.cpio:\ngot  %q\nwant %q", got, want)
	}
}

// TestWriterGNUCpio extracts the archive with GNU cpio, an independent
// reader, and compares what lands on disk.
func TestWriterGNUCpio(t *testing.T) {
	if _, err := exec.LookPath("cpio"); err != nil {
		t.Skip("no cpio tool (apt-get install cpio) to compare with")
	}
	if os.Geteuid() != 0 {
		t.Skip("extracting a device node needs root")
	}
	dir := t.TempDir()
	cmd := exec.Command("cpio", "-id", "--quiet", "--no-absolute-filenames")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(sample(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cpio -id: %v: %s", err, out)
	}
	files := []struct {
		name string
		mode uint32
		data string
	}{
		{"bin/rawns", unix.S_IFREG | 0o755, "ELF?"},
		{"a", unix.S_IFREG | 0o644, "12345"},
		{"ab", unix.S_IFREG | 0o600, "123456"},
		{"abc", unix.S_IFREG | 0o644, "1234567"},
		{"empty", unix.S_IFREG | 0o644, ""},
		{"dev", unix.S_IFDIR | 0o755, ""},
	}
	for _, f := range files {
		var st unix.Stat_t
		p := filepath.Join(dir, f.name)
		if err := unix.Lstat(p, &st); err != nil {
			t.Fatalf("lstat %s: %v", f.name, err)
		}
		if st.Mode != f.mode {
			t.Errorf("%s: mode %o, want %o", f.name, st.Mode, f.mode)
		}
		if f.mode&unix.S_IFMT == unix.S_IFREG {
			b, err := os.ReadFile(p)
			if err != nil || string(b) != f.data {
				t.Errorf("%s = %q, %v; want %q", f.name, b, err, f.data)
			}
		}
	}
	if target, err := os.Readlink(filepath.Join(dir, "bin/ip")); err != nil || target != "rawns" {
		t.Errorf("readlink bin/ip = %q, %v; want rawns", target, err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(filepath.Join(dir, "dev/console"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Mode != unix.S_IFCHR|0o600 || unix.Major(st.Rdev) != 5 || unix.Minor(st.Rdev) != 1 {
		t.Errorf("dev/console: mode %o rdev %d:%d, want %o 5:1", st.Mode, unix.Major(st.Rdev), unix.Minor(st.Rdev), unix.S_IFCHR|0o600)
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *initramfs.Writer) error
	}{
		{"empty name", func(w *initramfs.Writer) error { return w.File("", 0o644, nil) }},
		{"root", func(w *initramfs.Writer) error { return w.Dir("/", 0o755) }},
		{"dot", func(w *initramfs.Writer) error { return w.Dir(".", 0o755) }},
		{"NUL in name", func(w *initramfs.Writer) error { return w.File("a\x00b", 0o644, nil) }},
		{"trailer name", func(w *initramfs.Writer) error { return w.File("TRAILER!!!", 0o644, nil) }},
		{"empty symlink", func(w *initramfs.Writer) error { return w.Symlink("x", "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := initramfs.NewWriter(&b)
			err := tt.write(w)
			if err == nil {
				t.Fatalf("write = nil, want an error")
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes, want none", b.Len())
			}
			if cerr := w.Close(); cerr != err {
				t.Errorf("Close() = %v, want the sticky %v", cerr, err)
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterStickyWriteError(t *testing.T) {
	w := initramfs.NewWriter(failWriter{})
	err := w.Dir("a", 0o755)
	if err == nil || err.Error() != "disk full" {
		t.Fatalf("Dir() = %v, want disk full", err)
	}
	if err := w.File("b", 0o644, []byte("x")); err == nil || err.Error() != "disk full" {
		t.Errorf("File() after a failure = %v, want disk full", err)
	}
}
