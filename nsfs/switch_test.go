package nsfs_test

import (
	"encoding/binary"
	"errors"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// switchView is what a thread saw after Dirs.Switch.
type switchView struct {
	err              error
	warnings         []*nsfs.Error
	net, mnt         uint64   // /proc/thread-self/ns/{net,mnt} inodes
	sysNet           []string // /sys/class/net
	netlink          []string // link names through a netlink socket
	etc              string   // /etc/rawns-switch as the thread reads it
	addErr           error    // creating veth sw0/sw1 from the thread
	sysRO, sysNsName bool     // /sys read-only; its mount source is the name
}

// switchThread runs Dirs.Switch(name) on a fresh locked thread, looks
// around from it, and lets the thread die with its goroutine (it stays
// locked: it may now be in another namespace).
func switchThread(d nsfs.Dirs, name string, veth bool) switchView {
	ch := make(chan switchView)
	go func() {
		runtime.LockOSThread()
		var v switchView
		v.warnings, v.err = d.Switch(name)
		v.net, v.mnt = threadNs("net"), threadNs("mnt")
		if ents, err := os.ReadDir("/sys/class/net"); err == nil {
			for _, e := range ents {
				v.sysNet = append(v.sysNet, e.Name())
			}
		}
		// net.Interfaces opens its netlink socket on this thread.
		if ifs, err := net.Interfaces(); err == nil {
			for _, i := range ifs {
				v.netlink = append(v.netlink, i.Name)
			}
			slices.Sort(v.netlink)
		}
		b, _ := os.ReadFile("/etc/rawns-switch")
		v.etc = string(b)
		var st unix.Statfs_t
		v.sysRO = unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0
		if mi, err := os.ReadFile("/proc/thread-self/mountinfo"); err == nil {
			for _, l := range strings.Split(string(mi), "\n") {
				f := strings.Fields(l)
				if len(f) > 4 && f[4] == "/sys" && f[len(f)-2] == name && f[len(f)-3] == "sysfs" {
					v.sysNsName = true
				}
			}
		}
		if veth {
			v.addErr = addVeth("sw0", "sw1")
		}
		ch <- v
	}()
	return <-ch
}

// threadNs returns the inode of the calling thread's namespace of kind.
func threadNs(kind string) uint64 {
	var st unix.Stat_t
	if unix.Stat("/proc/thread-self/ns/"+kind, &st) != nil {
		return 0
	}
	return st.Ino
}

// addVeth creates the veth pair name/peer through a netlink socket opened
// on the calling thread, and returns the kernel's answer.
func addVeth(name, peer string) error {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	req := rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: name, PeerName: peer})
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		return err
	}
	if n < 20 || binary.NativeEndian.Uint16(buf[4:]) != unix.NLMSG_ERROR {
		return errors.New("no netlink ack")
	}
	if e := int32(binary.NativeEndian.Uint32(buf[16:])); e != 0 {
		return unix.Errno(-e)
	}
	return nil
}

// TestIntegrationSwitch switches a locked thread into a namespace made
// with a bridge link the sandbox lacks, and shows that the thread, and only
// it, is in that namespace (by inode), has a private mount namespace with
// the namespace's sysfs on /sys and the /etc/netns file over /etc, sees the
// namespace's links through netlink, and creates links there.
func TestIntegrationSwitch(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("sw"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("sw")
	if r := ip(t, "-n", "sw", "link", "add", "br9", "type", "bridge"); r.code != 0 {
		t.Fatalf("ip -n sw link add br9 type bridge = %+v", r)
	}
	if err := os.WriteFile("/etc/rawns-switch", []byte("sandbox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove("/etc/rawns-switch")
	if err := os.MkdirAll("/etc/netns/sw", 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll("/etc/netns/sw")
	if err := os.WriteFile("/etc/netns/sw/rawns-switch", []byte("sw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs("/sys", &fs); err != nil {
		t.Fatal(err)
	}
	sandboxRO := fs.Flags&unix.ST_RDONLY != 0
	before := mountpoints(t)
	ownNet, ownMnt := threadNs("net"), threadNs("mnt")

	v := switchThread(d, "sw", true)
	if v.err != nil || len(v.warnings) != 0 {
		t.Fatalf("Switch(sw) = %v, %v", v.warnings, v.err)
	}
	if want := inode(t, "/run/netns/sw"); v.net != want {
		t.Errorf("thread netns inode = %d, want /run/netns/sw's %d", v.net, want)
	}
	if v.mnt == ownMnt || v.mnt == 0 {
		t.Errorf("thread mount namespace = %d, want a new one (the test's is %d)", v.mnt, ownMnt)
	}
	if want := []string{"br9", "lo"}; !slices.Equal(v.sysNet, want) || !slices.Equal(v.netlink, want) {
		t.Errorf("thread sees /sys/class/net %q and netlink links %q, want %q", v.sysNet, v.netlink, want)
	}
	if !v.sysNsName || v.sysRO != sandboxRO {
		t.Errorf("thread's /sys: sysfs with source %q %v, read-only %v (the sandbox's: %v)", "sw", v.sysNsName, v.sysRO, sandboxRO)
	}
	if v.etc != "sw\n" {
		t.Errorf("thread reads /etc/rawns-switch = %q, want the /etc/netns/sw one", v.etc)
	}
	if v.addErr != nil {
		t.Errorf("creating veth sw0 from the thread: %v", v.addErr)
	}
	r := ip(t, "-n", "sw", "-br", "link")
	if !strings.Contains(r.stdout, "sw0@sw1") || !strings.Contains(r.stdout, "sw1@sw0") {
		t.Errorf("ip -n sw -br link = %q, want the veth made from the thread", r.stdout)
	}

	// The rest of the process is where it was.
	if got := threadNs("net"); got != ownNet {
		t.Errorf("test thread netns = %d, want %d", got, ownNet)
	}
	if _, err := os.Stat("/sys/class/net/br9"); !os.IsNotExist(err) {
		t.Errorf("stat /sys/class/net/br9 in the test = %v, want not exist", err)
	}
	if _, err := net.InterfaceByName("sw0"); err == nil {
		t.Error("sw0 is visible in the sandbox namespace")
	}
	if b, _ := os.ReadFile("/etc/rawns-switch"); string(b) != "sandbox\n" {
		t.Errorf("/etc/rawns-switch of the test = %q, want the sandbox's", b)
	}
	for _, th := range threadNamespaces(t) {
		if th != ownNet {
			t.Errorf("a thread is left in namespace %d after its goroutine ended", th)
		}
	}
	if after := mountpoints(t); len(after) != len(before) {
		t.Errorf("mount points: %d before, %d after", len(before), len(after))
	}
}

// TestIntegrationSwitchFailures switches into what is not a namespace and
// shows the error is ip's (compared with "ip -n NAME link", exit 255) and
// that the thread's network and mount namespaces did not change.
func TestIntegrationSwitchFailures(t *testing.T) {
	sandbox.Require(t)
	if err := os.WriteFile("/run/netns/plain", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove("/run/netns/plain")
	for _, c := range []struct {
		name  string
		op    nsfs.Op
		errno unix.Errno
		msg   string
	}{
		{"nonexist", nsfs.OpOpenNetns, unix.ENOENT, `Cannot open network namespace "nonexist": No such file or directory`},
		{"plain", nsfs.OpSetns, unix.EINVAL, `setting the network namespace "plain" failed: Invalid argument`},
		{"a/b", nsfs.OpOpenNetns, unix.ENOENT, `Cannot open network namespace "a/b": No such file or directory`},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := make(chan switchView)
			var netBefore, mntBefore uint64
			go func() {
				runtime.LockOSThread()
				netBefore, mntBefore = threadNs("net"), threadNs("mnt")
				var v switchView
				v.warnings, v.err = nsfs.Dirs{}.Switch(c.name)
				v.net, v.mnt = threadNs("net"), threadNs("mnt")
				ch <- v
			}()
			v := <-ch
			var e *nsfs.Error
			if !errors.As(v.err, &e) || e.Op != c.op || !errors.Is(v.err, c.errno) {
				t.Fatalf("Switch(%q) = %v, want Op %q with %v", c.name, v.err, c.op, c.errno)
			}
			if got := ipmsg.Netns(e); got != c.msg {
				t.Errorf("ipmsg.Netns = %q, want %q", got, c.msg)
			}
			if v.net != netBefore || v.mnt != mntBefore {
				t.Errorf("thread namespaces net %d mnt %d after a failed Switch, want %d %d", v.net, v.mnt, netBefore, mntBefore)
			}
			if r := ip(t, "-n", c.name, "link"); r.code != 255 || r.stderr != c.msg+"\n" {
				t.Errorf("ip -n %s link = %d %q, want 255 %q", c.name, r.code, r.stderr, c.msg)
			}
		})
	}
}
