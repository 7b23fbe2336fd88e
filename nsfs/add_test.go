package nsfs_test

import (
	"errors"
	"io"
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

// TestIntegrationAddUsableByIproute2 adds with nsfs and uses the namespace
// with the real ip, then the other way round.
func TestIntegrationAddUsableByIproute2(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("fromrawns"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("fromrawns")
	if !isNetns(t, "/run/netns/fromrawns") {
		t.Fatal("/run/netns/fromrawns is not an nsfs file")
	}
	if r := ip(t, "netns", "list"); r.code != 0 || !slices.Contains(strings.Split(r.stdout, "\n"), "fromrawns") {
		t.Errorf("ip netns list = %d %q, want fromrawns listed", r.code, r.stdout)
	}
	inside := ip(t, "-n", "fromrawns", "-o", "link")
	if inside.code != 0 || strings.Count(inside.stdout, "\n") != 1 || !strings.HasPrefix(inside.stdout, "1: lo:") {
		t.Errorf("ip -n fromrawns -o link = %d %q, want only lo", inside.code, inside.stdout)
	}
	if r := ip(t, "netns", "exec", "fromrawns", ipPath(t), "-o", "link"); r != inside {
		t.Errorf("ip netns exec fromrawns ip -o link = %+v, want %+v", r, inside)
	}

	// Pids and Identify see a process that ip put into the namespace.
	cmd := exec.Command(ipPath(t), "netns", "exec", "fromrawns", "sh", "-c", "echo ready; exec cat")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(stdout, buf); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	pids, err := d.Pids("fromrawns")
	if err != nil || !slices.Equal(pids, []int{pid}) {
		t.Errorf("Pids(fromrawns) = %v, %v, want [%d]", pids, err, pid)
	}
	if got, err := d.Identify(strconv.Itoa(pid)); err != nil || got != "fromrawns" {
		t.Errorf("Identify(%d) = %q, %v, want fromrawns", pid, got, err)
	}
	ipPids := ip(t, "netns", "pids", "fromrawns")
	if ipPids.stdout != strconv.Itoa(pid)+"\n" {
		t.Errorf("ip netns pids fromrawns = %q, want %d", ipPids.stdout, pid)
	}
	stdin.Close()
	cmd.Wait()
	if got, err := d.Identify("self"); err != nil || got != "" {
		t.Errorf(`Identify("self") = %q, %v, want ""`, got, err)
	}

	// ip netns add → nsfs List, Open, Delete.
	if r := ip(t, "netns", "add", "fromip"); r.code != 0 {
		t.Fatalf("ip netns add fromip = %+v", r)
	}
	names, err := d.List()
	if err != nil || !slices.Contains(names, "fromip") || !slices.Contains(names, "fromrawns") {
		t.Errorf("List() = %q, %v, want fromip and fromrawns", names, err)
	}
	fd, err := d.Open("fromip")
	if err != nil {
		t.Fatal(err)
	}
	var fs unix.Statfs_t
	if err := unix.Fstatfs(fd, &fs); err != nil || fs.Type != unix.NSFS_MAGIC {
		t.Errorf("fstatfs(Open(fromip)) = %#x, %v, want nsfs", fs.Type, err)
	}
	unix.Close(fd)
	if err := d.Delete("fromip"); err != nil {
		t.Fatal(err)
	}
	assertGone(t, "/run/netns/fromip")
	if r := ip(t, "netns", "list"); strings.Contains(r.stdout, "fromip") {
		t.Errorf("ip netns list after Delete = %q, want no fromip", r.stdout)
	}
}

// TestIntegrationListOrder compares List with ip netns list, which prints
// readdir order, and checks the missing-directory case.
func TestIntegrationListOrder(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	for _, n := range []string{"zeta", "alpha", "mid.dle"} {
		if err := d.Add(n); err != nil {
			t.Fatal(err)
		}
		defer d.Delete(n)
	}
	names, err := d.List()
	if err != nil {
		t.Fatal(err)
	}
	r := ip(t, "netns", "list")
	if got := strings.Join(names, "\n") + "\n"; got != r.stdout {
		t.Errorf("List() = %q, want ip's order %q", got, r.stdout)
	}
	if got, err := (nsfs.Dirs{Run: "/run/never/made"}).List(); got != nil || err != nil {
		t.Errorf("List() of a missing dir = %q, %v, want nil, nil", got, err)
	}
}

// TestIntegrationAddMakesRunDirAMount uses a run directory that is not a
// mount point yet: Add bind-mounts it onto itself and makes it shared,
// exactly once.
func TestIntegrationAddMakesRunDirAMount(t *testing.T) {
	sandbox.Require(t)
	d := nsfs.Dirs{Run: "/run/fresh/netns"} // neither /run/fresh nor netns exist
	if err := d.Add("n1"); err != nil {
		t.Fatal(err)
	}
	if err := d.Add("n2"); err != nil {
		t.Fatal(err)
	}
	mounts := mountpoints(t)
	if opts := mounts["/run/fresh/netns"]; len(opts) != 1 || !strings.Contains(opts[0], "shared:") {
		t.Errorf("mounts on /run/fresh/netns = %q, want one shared", opts)
	}
	if !isNetns(t, "/run/fresh/netns/n1") || !isNetns(t, "/run/fresh/netns/n2") {
		t.Error("n1 or n2 is not an nsfs file")
	}
	if err := d.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, "/run/fresh/netns/n1")
	assertGone(t, "/run/fresh/netns/n2")
	unix.Unmount("/run/fresh/netns", unix.MNT_DETACH)
}

// TestIntegrationDeleteMissing compares the error for a missing name with
// ip's message and exit code.
func TestIntegrationDeleteMissing(t *testing.T) {
	sandbox.Require(t)
	err := nsfs.Dirs{}.Delete("nosuch")
	var e *nsfs.Error
	if !errors.As(err, &e) || e.Op != nsfs.OpRemoveFile || !errors.Is(err, unix.ENOENT) {
		t.Fatalf("Delete(nosuch) = %v, want OpRemoveFile ENOENT", err)
	}
	r := ip(t, "netns", "delete", "nosuch")
	if r.code != 1 || r.stderr != ipmsg.Netns(e)+"\n" {
		t.Errorf("ip netns delete nosuch = %d %q, want 1 %q", r.code, r.stderr, ipmsg.Netns(e))
	}
}
