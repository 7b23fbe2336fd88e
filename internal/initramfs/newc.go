package initramfs

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/sys/unix"
)

// newcMagic starts every newc header ("new ASCII" format, no checksum).
const newcMagic = "070701"

// newcHeaderLen is the length of a newc header: the magic and 13 fields of 8
// hex digits.
const newcHeaderLen = 6 + 13*8

// trailerName is the name of the entry that ends an archive.
const trailerName = "TRAILER!!!"

// A Writer writes a newc cpio archive as the kernel's initramfs unpacker
// reads it. Every entry is owned by root, has mtime 0 and one link, and gets
// the next inode number, so the same calls always give the same bytes. Names
// are relative to the root; a leading "/" or "./" is dropped. Directories
// must be written before what they hold.
//
// The first error sticks: later calls return it and write nothing.
type Writer struct {
	w   io.Writer
	ino uint32
	err error
	hdr [newcHeaderLen]byte
}

// NewWriter returns a Writer that writes an archive to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Dir adds a directory with permission bits perm.
func (w *Writer) Dir(name string, perm uint32) error {
	return w.entry(name, unix.S_IFDIR|perm&0o7777, 0, 0, nil)
}

// File adds a regular file holding data, with permission bits perm.
func (w *Writer) File(name string, perm uint32, data []byte) error {
	return w.entry(name, unix.S_IFREG|perm&0o7777, 0, 0, data)
}

// Symlink adds a symbolic link to target.
func (w *Writer) Symlink(name, target string) error {
	if target == "" {
		return w.fail(fmt.Errorf("cpio: symlink %q: empty target", name))
	}
	return w.entry(name, unix.S_IFLNK|0o777, 0, 0, []byte(target))
}

// CharDevice adds a character device node major:minor with permission bits
// perm; no mknod (and no root) is needed to write one.
func (w *Writer) CharDevice(name string, perm, major, minor uint32) error {
	return w.entry(name, unix.S_IFCHR|perm&0o7777, major, minor, nil)
}

// Close writes the trailer entry. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.ino = 0
	return w.raw(trailerName, 0, 0, 0, nil)
}

// fail records err as the sticky error and returns it.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// entry cleans name and writes one entry with the next inode number.
func (w *Writer) entry(name string, mode, rdevMajor, rdevMinor uint32, data []byte) error {
	if w.err != nil {
		return w.err
	}
	clean, err := cleanName(name)
	if err != nil {
		return w.fail(err)
	}
	w.ino++
	return w.raw(clean, mode, rdevMajor, rdevMinor, data)
}

// raw writes the header, the padded name and the padded data of one entry.
func (w *Writer) raw(name string, mode, rdevMajor, rdevMinor uint32, data []byte) error {
	if uint64(len(data)) > 0xffffffff {
		return w.fail(fmt.Errorf("cpio: %s: %d bytes is too large for newc", name, len(data)))
	}
	fields := [13]uint32{
		w.ino, mode, 0, 0, // ino, mode, uid, gid
		1, 0, uint32(len(data)), // nlink, mtime, filesize
		0, 0, rdevMajor, rdevMinor, // devmajor, devminor, rdevmajor, rdevminor
		uint32(len(name) + 1), 0, // namesize (with the NUL), check
	}
	b := append(w.hdr[:0], newcMagic...)
	for _, f := range fields {
		b = appendHex8(b, f)
	}
	// The header and the name together are padded to a multiple of 4, as
	// is the data; every entry starts 4-aligned.
	var zeros [4]byte
	if _, err := w.w.Write(b); err != nil {
		return w.fail(err)
	}
	if _, err := io.WriteString(w.w, name); err != nil {
		return w.fail(err)
	}
	if _, err := w.w.Write(zeros[:1+pad4(newcHeaderLen+len(name)+1)]); err != nil {
		return w.fail(err)
	}
	if _, err := w.w.Write(data); err != nil {
		return w.fail(err)
	}
	if _, err := w.w.Write(zeros[:pad4(len(data))]); err != nil {
		return w.fail(err)
	}
	return nil
}

// pad4 returns how many bytes bring n to a multiple of 4.
func pad4(n int) int { return (4 - n%4) % 4 }

// appendHex8 appends v as 8 uppercase hex digits.
func appendHex8(b []byte, v uint32) []byte {
	const digits = "0123456789ABCDEF"
	for shift := 28; shift >= 0; shift -= 4 {
		b = append(b, digits[v>>uint(shift)&0xf])
	}
	return b
}

// cleanName drops a leading "/" or "./" and rejects names the unpacker
// would misread.
func cleanName(name string) (string, error) {
	for strings.HasPrefix(name, "/") || strings.HasPrefix(name, "./") {
		name = strings.TrimPrefix(strings.TrimPrefix(name, "/"), "./")
	}
	switch {
	case name == "" || name == ".":
		return "", errors.New("cpio: empty name")
	case strings.IndexByte(name, 0) >= 0:
		return "", fmt.Errorf("cpio: name %q holds a NUL byte", name)
	case name == trailerName:
		return "", fmt.Errorf("cpio: name %q is reserved for the trailer", name)
	}
	return name, nil
}
