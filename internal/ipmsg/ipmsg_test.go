package ipmsg

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// TestNetns checks the template expansion on messages whose text iproute2
// 6.1 prints (the nsfs integration tests compare them with the real ip).
func TestNetns(t *testing.T) {
	enoent := os.NewSyscallError("open", unix.ENOENT)
	for _, c := range []struct {
		e    nsfs.Error
		want string
	}{
		{nsfs.Error{Op: nsfs.OpCreateFile, Path: "/run/netns/x", Err: os.NewSyscallError("open", unix.EEXIST)},
			`Cannot create namespace file "/run/netns/x": File exists`},
		{nsfs.Error{Op: nsfs.OpBindNetns, Source: "/proc/9/ns/net", Path: "/run/netns/d", Err: enoent},
			"Bind /proc/9/ns/net -> /run/netns/d failed: No such file or directory"},
		{nsfs.Error{Op: nsfs.OpBindRun, Path: "/run/netns", Err: unix.EPERM},
			"mount --bind /run/netns /run/netns failed: Operation not permitted"},
		{nsfs.Error{Op: nsfs.OpIdentifyDir, Path: "/run/netns", Err: enoent},
			"Failed to open directory /run/netns:No such file or directory"},
		{nsfs.Error{Op: nsfs.OpInvalidPid, Name: "0"}, "Invalid PID: 0"},
		{nsfs.Error{Op: nsfs.OpNotPid, Name: "%p"}, "Specified string '%p' is not a pid"},
		{nsfs.Error{Op: nsfs.OpRestore, Err: errors.New("odd")}, "setns: odd"},
		{nsfs.Error{Op: "other", Path: "/x", Err: unix.EIO}, "other /x: input/output error"},
	} {
		if got := Netns(&c.e); got != c.want {
			t.Errorf("Netns(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func TestCause(t *testing.T) {
	if got := Cause(fmt.Errorf("x: %w", os.NewSyscallError("setns", unix.EINVAL))); got != "Invalid argument" {
		t.Errorf("Cause(wrapped EINVAL) = %q", got)
	}
	if got := Cause(errors.New("plain")); got != "plain" {
		t.Errorf("Cause(plain) = %q", got)
	}
	if got := Strerror(unix.ESRCH); got != "No such process" {
		t.Errorf("Strerror(ESRCH) = %q", got)
	}
}
