package nsfs_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// unshared starts a process in a fresh network namespace holding a bridge
// link named link, and returns it once the link exists. It is killed with
// the test.
func unshared(t *testing.T, link string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("unshare", "-n", "sh", "-c",
		ipPath(t)+" link add "+link+" type bridge && echo ready && exec sleep 60")
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("unshare: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if l, err := bufio.NewReader(out).ReadString('\n'); err != nil || l != "ready\n" {
		cmd.Wait()
		t.Fatalf("unshare -n sh: read %q, %v; stderr %q", l, err, errb.String())
	}
	return cmd
}

// TestIntegrationAttach names the namespace of a process made by unshare,
// and shows with the real ip and with Identify that the name is that
// namespace (same device and inode, same links), and that it outlives the
// process until Delete.
func TestIntegrationAttach(t *testing.T) {
	sandbox.Require(t)
	cmd := unshared(t, "att0")
	pid := cmd.Process.Pid
	var d nsfs.Dirs
	fds := fdCount(t)
	if err := d.Attach("att", pid); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("att")
	if got := fdCount(t); got != fds {
		t.Errorf("open fds = %d after Attach, want %d", got, fds)
	}

	var file, proc unix.Stat_t
	if err := unix.Stat("/run/netns/att", &file); err != nil {
		t.Fatal(err)
	}
	if err := unix.Stat("/proc/"+strconv.Itoa(pid)+"/ns/net", &proc); err != nil {
		t.Fatal(err)
	}
	if file.Dev != proc.Dev || file.Ino != proc.Ino {
		t.Errorf("/run/netns/att is %d:%d, the process's namespace %d:%d", file.Dev, file.Ino, proc.Dev, proc.Ino)
	}
	if file.Ino == inode(t, "/proc/self/ns/net") {
		t.Fatal("the unshared process is in the test's namespace")
	}
	if n := len(mountpoints(t)["/run/netns/att"]); n != 1 {
		t.Errorf("/run/netns/att has %d mounts, want 1", n)
	}
	if got, err := d.Identify(strconv.Itoa(pid)); err != nil || got != "att" {
		t.Errorf("Identify(%d) = %q, %v, want att", pid, got, err)
	}
	if pids, err := d.Pids("att"); err != nil || !slices.Contains(pids, pid) {
		t.Errorf("Pids(att) = %v, %v, want %d among them", pids, err, pid)
	}
	if r := ip(t, "netns", "identify", strconv.Itoa(pid)); r.stdout != "att\n" {
		t.Errorf("ip netns identify %d = %+v, want att", pid, r)
	}
	if r := ip(t, "netns", "list"); r.code != 0 || !slices.Contains(strings.Split(r.stdout, "\n"), "att") {
		t.Errorf("ip netns list = %+v, want att listed", r)
	}
	want := "lo att0\n"
	if got := linkNames(t, "att"); got != want {
		t.Errorf("ip -n att link names = %q, want %q", got, want)
	}

	// The name keeps the namespace alive after its last process is gone.
	cmd.Process.Kill()
	cmd.Wait()
	if got := linkNames(t, "att"); got != want {
		t.Errorf("after the process ended, ip -n att link names = %q, want %q", got, want)
	}
	if err := d.Delete("att"); err != nil {
		t.Fatal(err)
	}
	assertGone(t, "/run/netns/att")
}

// linkNames returns the link names ip -n ns sees, space separated.
func linkNames(t *testing.T, ns string) string {
	t.Helper()
	r := ip(t, "-n", ns, "-o", "link")
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			names = append(names, strings.TrimSuffix(f[1], ":"))
		}
	}
	return strings.Join(names, " ") + "\n"
}

// TestIntegrationAttachFailures attaches a name that exists and PIDs that
// name no process, and shows the message and exit status are ip's and that
// no file and no mount is left behind (and the existing name is intact).
func TestIntegrationAttachFailures(t *testing.T) {
	sandbox.Require(t)
	cmd := unshared(t, "att1")
	pid := strconv.Itoa(cmd.Process.Pid)
	var d nsfs.Dirs
	if err := d.Add("taken"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("taken")
	takenIno := inode(t, "/run/netns/taken")
	max, err := os.ReadFile("/proc/sys/kernel/pid_max")
	if err != nil {
		t.Fatal(err)
	}
	noPid := strings.TrimSpace(string(max)) // PIDs are below pid_max

	for _, c := range []struct {
		name, pid string
		op        nsfs.Op
		errno     unix.Errno // 0: no errno
		msg       string
		path      string // must not be left behind
	}{
		{"taken", pid, nsfs.OpCreateFile, unix.EEXIST, `Cannot create namespace file "/run/netns/taken": File exists`, ""},
		{"nopid", noPid, nsfs.OpBindNetns, unix.ENOENT,
			"Bind /proc/" + noPid + "/ns/net -> /run/netns/nopid failed: No such file or directory", "/run/netns/nopid"},
		{"zeropid", "0", nsfs.OpInvalidPid, 0, "Invalid PID: 0", "/run/netns/zeropid"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, _ := strconv.Atoi(c.pid)
			before := mountpoints(t)
			err := d.Attach(c.name, n)
			var e *nsfs.Error
			if !errors.As(err, &e) || e.Op != c.op || (c.errno != 0 && !errors.Is(err, c.errno)) {
				t.Fatalf("Attach(%s, %s) = %v, want Op %q with %v", c.name, c.pid, err, c.op, c.errno)
			}
			if got := ipmsg.Netns(e); got != c.msg {
				t.Errorf("ipmsg.Netns = %q, want %q", got, c.msg)
			}
			if c.path != "" {
				assertGone(t, c.path)
			}
			if after := mountpoints(t); len(after) != len(before) {
				t.Errorf("mount points: %d before, %d after", len(before), len(after))
			}
			r := ip(t, "netns", "attach", c.name, c.pid)
			if r.code != 1 || r.stderr != c.msg+"\n" {
				t.Errorf("ip netns attach %s %s = %d %q, want 1 %q", c.name, c.pid, r.code, r.stderr, c.msg)
			}
			if c.path != "" {
				assertGone(t, c.path)
			}
		})
	}
	// The existing name still holds its own namespace, once mounted.
	if got := inode(t, "/run/netns/taken"); got != takenIno {
		t.Errorf("/run/netns/taken inode = %d, want %d", got, takenIno)
	}
	if n := len(mountpoints(t)["/run/netns/taken"]); n != 1 {
		t.Errorf("/run/netns/taken has %d mounts, want 1", n)
	}
	if got, err := d.Identify(pid); err != nil || got != "" {
		t.Errorf("Identify(%s) = %q, %v, want no name", pid, got, err)
	}
}
