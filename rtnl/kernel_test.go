package rtnl_test

import (
	"errors"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// dial opens a Conn for a test, with a deadline so that a lost reply
// fails the test instead of hanging it.
func dial(t testing.TB, cfg *rtnl.Config) *rtnl.Conn {
	t.Helper()
	c, err := rtnl.Dial(cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatalf("SetDeadline: %v", err)
	}
	return c
}

// newNetNS makes a new network namespace and returns an O_CLOEXEC fd for
// it, closed at the end of the test. The namespace is entered by a locked
// goroutine that never unlocks: its thread is poisoned and dies when the
// goroutine returns.
func newNetNS(t testing.TB) int {
	t.Helper()
	type result struct {
		fd  int
		err error
	}
	ch := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with this goroutine
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			ch <- result{-1, os.NewSyscallError("unshare", err)}
			return
		}
		// From here on the thread is poisoned (in the new namespace).
		fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			err = os.NewSyscallError("open", err)
		}
		ch <- result{fd, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { unix.Close(r.fd) })
	return r.fd
}

// execute runs one request built by build and fails the test on error.
func execute(t testing.TB, c *rtnl.Conn, what string, req []byte) {
	t.Helper()
	if err := c.Execute(req); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// addVeth creates the veth pair name/peer and removes it at the end.
func addVeth(t testing.TB, c *rtnl.Conn, name, peer string) {
	t.Helper()
	execute(t, c, "add veth "+name, rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: name, PeerName: peer}))
	t.Cleanup(func() { c.Execute(rtnl.AppendDelLink(nil, 0, name)) })
}

// linkInfo is what the tests keep of a decoded link.
type linkInfo struct {
	index             int32
	flags             uint32
	mtu               uint32
	kind              string
	peer              int32
	hasPeer           bool
	netnsid           int32
	hasNetNSID        bool
	operstate         uint8
	txqlen            uint32
	addrLen, permAddr int
}

// links dumps the links c sees, by name.
func links(t testing.TB, c *rtnl.Conn) map[string]linkInfo {
	t.Helper()
	out := map[string]linkInfo{}
	err := c.Dump(rtnl.AppendDumpLinks(nil, unix.AF_PACKET), func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return err
		}
		li := linkInfo{index: l.Index, flags: l.Flags, kind: string(l.Kind()), addrLen: len(l.Address())}
		li.mtu, _ = l.MTU()
		li.peer, li.hasPeer = l.LinkIndex()
		li.netnsid, li.hasNetNSID = l.LinkNetNSID()
		li.operstate, _ = l.OperState()
		li.txqlen, _ = l.TxQLen()
		out[string(l.Name())] = li
		return nil
	})
	if err != nil {
		t.Fatalf("dump links: %v", err)
	}
	return out
}

// addrs dumps the addresses c sees, as "prefix label" strings.
func addrs(t testing.TB, c *rtnl.Conn, index int32) []string {
	t.Helper()
	var out []string
	err := c.Dump(rtnl.AppendDumpAddrs(nil, unix.AF_UNSPEC, 0), func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWADDR {
			return nil
		}
		a, err := rtnl.ParseAddr(m.Data)
		if err != nil {
			return err
		}
		if int32(a.Index) == index {
			out = append(out, a.Prefix().String()+" "+string(a.Label()))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("dump addrs: %v", err)
	}
	return out
}

func TestIntegrationVethLifecycle(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "lc0", "lc1")

	ls := links(t, c)
	l0, ok0 := ls["lc0"]
	l1, ok1 := ls["lc1"]
	if !ok0 || !ok1 {
		t.Fatalf("dump after add: lc0 %v, lc1 %v; want both", ok0, ok1)
	}
	if l0.kind != "veth" || !l0.hasPeer || l0.peer != l1.index || l1.peer != l0.index {
		t.Errorf("lc0 = %+v, lc1 = %+v; want veth peers of each other", l0, l1)
	}
	if l0.addrLen != 6 || l0.txqlen != 1000 || l0.flags&unix.IFF_UP != 0 {
		t.Errorf("lc0 = %+v; want a 6-byte address, txqlen 1000 (the kernel default), down", l0)
	}
	idx, err := c.LinkIndex("lc0")
	if err != nil || idx != l0.index {
		t.Fatalf("LinkIndex(lc0) = %d, %v; want %d, nil", idx, err, l0.index)
	}

	// Up.
	execute(t, c, "set up", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, Flags: unix.IFF_UP, Change: unix.IFF_UP}))
	if f := links(t, c)["lc0"].flags; f&unix.IFF_UP == 0 {
		t.Errorf("flags after up = %v; want UP", rtnl.IfFlags(f))
	}
	// Rename and MTU in one request each.
	execute(t, c, "rename", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, Name: "lc0new"}))
	execute(t, c, "mtu", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1400}))
	t.Cleanup(func() { c.Execute(rtnl.AppendDelLink(nil, 0, "lc0new")) })
	var got linkInfo
	err = c.Query(rtnl.AppendGetLink(nil, idx, ""), func(m rtnl.Message) error {
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return err
		}
		if string(l.Name()) != "lc0new" {
			t.Errorf("name after rename = %q, want lc0new", l.Name())
		}
		got.mtu, _ = l.MTU()
		return nil
	})
	if err != nil || got.mtu != 1400 {
		t.Errorf("GETLINK %d: mtu %d, %v; want 1400, nil", idx, got.mtu, err)
	}
	if _, err := c.LinkIndex("lc0"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("LinkIndex(old name) error = %v, want ENODEV", err)
	}

	// Addresses, IPv4 and IPv6 (nodad: no tentative state).
	a4 := rtnl.Addr{Index: idx, PrefixLen: 24, Local: netip.MustParseAddr("10.7.0.1"), Label: "lc0new:a"}
	a6 := rtnl.Addr{Index: idx, PrefixLen: 64, Local: netip.MustParseAddr("fd07::1"), Flags: unix.IFA_F_NODAD}
	execute(t, c, "add 4", rtnl.AppendNewAddr(nil, &a4))
	execute(t, c, "add 6", rtnl.AppendNewAddr(nil, &a6))
	list := strings.Join(addrs(t, c, idx), ",")
	if !strings.Contains(list, "10.7.0.1/24 lc0new:a") || !strings.Contains(list, "fd07::1/64 ") {
		t.Errorf("addresses = %q; want 10.7.0.1/24 lc0new:a and fd07::1/64", list)
	}
	execute(t, c, "del 4", rtnl.AppendDelAddr(nil, &a4))
	if list := strings.Join(addrs(t, c, idx), ","); strings.Contains(list, "10.7.0.1") {
		t.Errorf("addresses after delete = %q; want no 10.7.0.1", list)
	}

	// Delete: both ends go.
	execute(t, c, "del link", rtnl.AppendDelLink(nil, idx, ""))
	ls = links(t, c)
	if _, ok := ls["lc0new"]; ok {
		t.Errorf("lc0new still present after delete")
	}
	if _, ok := ls["lc1"]; ok {
		t.Errorf("peer lc1 still present after delete")
	}
}

func TestIntegrationErrors(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "er0", "er1")

	err := c.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: "er0", PeerName: "er2"}))
	var e *rtnl.Error
	if !errors.Is(err, unix.EEXIST) || !errors.As(err, &e) || e.Type != unix.RTM_NEWLINK {
		t.Fatalf("duplicate veth error = %v; want an *rtnl.Error for RTM_NEWLINK wrapping EEXIST", err)
	}
	if want := "rtnl: file exists"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("duplicate veth error text = %q, want prefix %q", err, want)
	}
	t.Logf("duplicate veth: errno %d, kernel message %q (iproute2: RTNETLINK answers: File exists)", e.Errno, e.Msg)

	err = c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 99999, Flags: unix.IFF_UP, Change: unix.IFF_UP}))
	if !errors.Is(err, unix.ENODEV) {
		t.Errorf("set up on index 99999 error = %v, want ENODEV", err)
	}
	// A too-long name is refused by attribute policy, with an extended ack
	// pointing at IFLA_IFNAME, right after the header and ifinfomsg (32).
	err = c.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: "abcdefghijklmnop", PeerName: "er3"}))
	if !errors.As(err, &e) || e.Errno != unix.ERANGE || e.Msg != "Attribute failed policy validation" || e.Offset != 32 {
		t.Errorf("16-char name error = %#v; want ERANGE, \"Attribute failed policy validation\" at offset 32", err)
	} else {
		t.Logf("16-char name: %q at offset %d", e.Msg, e.Offset)
	}
	// The Conn stays usable after errors.
	if _, err := c.LinkIndex("er0"); err != nil {
		t.Errorf("LinkIndex after errors: %v", err)
	}
}

func TestIntegrationMoveToNetNS(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "mv0", "mv1")
	nsfd := newNetNS(t)
	idx, err := c.LinkIndex("mv1")
	if err != nil {
		t.Fatal(err)
	}
	execute(t, c, "move", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, NetNSFD: int32(nsfd)}))

	ls := links(t, c)
	if _, ok := ls["mv1"]; ok {
		t.Errorf("mv1 still seen after the move")
	}
	if l := ls["mv0"]; !l.hasNetNSID {
		t.Errorf("mv0 = %+v; want IFLA_LINK_NETNSID for a peer in another namespace", l)
	}
	// The namespace's nsid, as seen from here, is what mv0 reports.
	var nsid int32
	var ok bool
	err = c.Query(rtnl.AppendGetNSID(nil, int32(nsfd)), func(m rtnl.Message) error {
		n, err := rtnl.ParseNetNSID(m.Data)
		nsid, ok = n.NSID()
		return err
	})
	if err != nil || !ok || nsid != ls["mv0"].netnsid {
		t.Errorf("GETNSID = %d, %v, %v; want %d, true, nil", nsid, ok, err, ls["mv0"].netnsid)
	}

	// A Conn dialed in that namespace by fd sees mv1 there.
	in := dial(t, &rtnl.Config{NetNS: nsfd})
	ils := links(t, in)
	if _, ok := ils["mv1"]; !ok || len(ils) != 2 {
		t.Errorf("links in the other namespace = %v; want lo and mv1", ils)
	}
}

func TestIntegrationDialNetNS(t *testing.T) {
	sandbox.Require(t)
	nsfd := newNetNS(t)
	// Name it as `ip netns add` would: a bind mount under /run/netns (the
	// sandbox's own tmpfs).
	const name = "rtnltest"
	path := "/run/netns/" + name
	if err := os.WriteFile(path, nil, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("/proc/self/fd/"+itoa(nsfd), path, "", unix.MS_BIND, ""); err != nil {
		t.Fatal(os.NewSyscallError("mount", err))
	}
	t.Cleanup(func() { unix.Unmount(path, unix.MNT_DETACH); os.Remove(path) })

	byName := dial(t, &rtnl.Config{NetNSName: name})
	addVeth(t, byName, "dn0", "dn1")
	byFD := dial(t, &rtnl.Config{NetNS: nsfd})
	if ls := links(t, byFD); len(ls) != 3 {
		t.Errorf("links by fd = %v; want lo, dn0, dn1", ls)
	}
	if _, ok := links(t, dial(t, nil))["dn0"]; ok {
		t.Errorf("dn0 visible in the test's own namespace")
	}
	if _, err := rtnl.Dial(&rtnl.Config{NetNSName: "nosuchns"}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dial(nosuchns) error = %v, want not exist", err)
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
