package nsfs_test

import (
	"errors"
	"os"
	"strconv"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// TestPID checks PID against what iproute2's get_integer (strtol base 0,
// whole string, int range) accepts.
func TestPID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
		ok   bool
	}{
		{"12", 12, true}, {" 12", 12, true}, {"\t\n7", 7, true}, {"+5", 5, true},
		{"-5", -5, true}, {"0x1f", 31, true}, {"0X1F", 31, true}, {"017", 15, true},
		{"-0x10", -16, true}, {"2147483647", 2147483647, true}, {"-2147483648", -2147483648, true},
		{"", 0, false}, {" ", 0, false}, {"12 ", 0, false}, {"1_0", 0, false}, {"0b1", 0, false},
		{"0o7", 0, false}, {"08", 0, false}, {"+-1", 0, false}, {"- 1", 0, false}, {"0x", 0, false},
		{"2147483648", 0, false}, {"12a", 0, false}, {"blue", 0, false},
	} {
		got, ok := nsfs.PID(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("PID(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestIntegrationOpenPID opens this process's namespace by pid, written
// the ways get_integer reads it, and checks that a name that is neither a
// file nor a pid fails with the path it tried.
func TestIntegrationOpenPID(t *testing.T) {
	sandbox.Require(t)
	d := nsfs.Dirs{Run: t.TempDir()}
	var self unix.Stat_t
	if err := unix.Stat("/proc/self/ns/net", &self); err != nil {
		t.Fatal(err)
	}
	pid := os.Getpid()
	for _, name := range []string{strconv.Itoa(pid), " " + strconv.Itoa(pid), "0x" + strconv.FormatInt(int64(pid), 16)} {
		fd, err := d.Open(name)
		if err != nil {
			t.Errorf("Open(%q) = %v", name, err)
			continue
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil || st.Ino != self.Ino {
			t.Errorf("Open(%q) opened inode %d (%v), want this namespace's %d", name, st.Ino, err, self.Ino)
		}
		unix.Close(fd)
	}
	_, err := d.Open("nosuch")
	var e *nsfs.Error
	if !errors.As(err, &e) || e.Op != nsfs.OpOpenNetns || e.Path != d.Path("nosuch") || !errors.Is(err, unix.ENOENT) {
		t.Errorf("Open(nosuch) = %#v, want OpOpenNetns at %s wrapping ENOENT", err, d.Path("nosuch"))
	}
}
