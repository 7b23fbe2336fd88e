package nsfs_test

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// TestIntegrationAddFailures makes Add and Attach fail at each stage and
// shows that no namespace file and no mount is left, and that the message
// is ip's (compared with the real ip where it can fail the same way).
func TestIntegrationAddFailures(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("exists"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("exists")

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	deadPid := dead.Process.Pid

	// A read-only run directory: the file cannot be created.
	if err := os.MkdirAll("/run/ro", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("ro", "/run/ro", "tmpfs", 0, ""); err != nil {
		t.Fatal(err)
	}
	defer unix.Unmount("/run/ro", unix.MNT_DETACH)
	if err := os.Mkdir("/run/ro/netns", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("", "/run/ro", "", unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
		t.Fatal(err)
	}

	restoreFails := func(int) error { return os.NewSyscallError("setns", unix.EPERM) }
	cases := []struct {
		name   string
		run    func() error
		path   string // must not be left behind
		op     nsfs.Op
		errno  unix.Errno
		msg    string
		ipArgs []string // the same failure with ip, rc 1, when it can be made
	}{
		{
			name: "existing name", run: func() error { return d.Add("exists") },
			op: nsfs.OpCreateFile, errno: unix.EEXIST,
			msg:    `Cannot create namespace file "/run/netns/exists": File exists`,
			ipArgs: []string{"netns", "add", "exists"},
		},
		{
			name: "bind of a dead process", run: func() error { return d.Attach("dead", deadPid) },
			path: "/run/netns/dead", op: nsfs.OpBindNetns, errno: unix.ENOENT,
			msg:    "Bind /proc/" + strconv.Itoa(deadPid) + "/ns/net -> /run/netns/dead failed: No such file or directory",
			ipArgs: []string{"netns", "attach", "dead", strconv.Itoa(deadPid)},
		},
		{
			name: "restore fails after the bind", run: func() error { return d.AddWithRestore("norestore", restoreFails) },
			path: "/run/netns/norestore", op: nsfs.OpRestore, errno: unix.EPERM,
			msg: "setns: Operation not permitted",
		},
		{
			name: "vanished run directory", run: func() error { return nsfs.Dirs{Run: "/run/gone/deeper/netns"}.Add("x") },
			path: "/run/gone", op: nsfs.OpMkdirRun, errno: unix.ENOENT,
			msg: "mkdir /run/gone/deeper/netns failed: No such file or directory",
		},
		{
			name: "read-only run directory", run: func() error { return nsfs.Dirs{Run: "/run/ro/netns"}.Add("x") },
			path: "/run/ro/netns/x", op: nsfs.OpCreateFile, errno: unix.EROFS,
			msg: `Cannot create namespace file "/run/ro/netns/x": Read-only file system`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fds := fdCount(t)
			err := c.run()
			var e *nsfs.Error
			if !errors.As(err, &e) || e.Op != c.op || !errors.Is(err, c.errno) {
				t.Fatalf("err = %v, want Op %q with %v", err, c.op, c.errno)
			}
			if got := ipmsg.Netns(e); got != c.msg {
				t.Errorf("ipmsg.Netns = %q, want %q", got, c.msg)
			}
			if c.path != "" {
				assertGone(t, c.path)
			}
			if got := fdCount(t); got != fds {
				t.Errorf("open fds = %d, want %d", got, fds)
			}
			if c.ipArgs != nil {
				r := ip(t, c.ipArgs...)
				if r.code != 1 || r.stderr != c.msg+"\n" {
					t.Errorf("ip %q = %d %q, want 1 %q", c.ipArgs, r.code, r.stderr, c.msg)
				}
				if c.path != "" {
					assertGone(t, c.path)
				}
			}
		})
	}
	// The existing namespace survived the failed duplicate adds untouched.
	if !isNetns(t, "/run/netns/exists") || len(mountpoints(t)["/run/netns/exists"]) != 1 {
		t.Error("/run/netns/exists is no longer exactly one nsfs mount")
	}
}
