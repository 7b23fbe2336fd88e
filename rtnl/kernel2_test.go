package rtnl_test

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// noAck returns req without NLM_F_ACK: a successful set then gets no
// reply at all, so a receive waits until its deadline.
func noAck(req []byte) []byte {
	f := binary.NativeEndian.Uint16(req[6:])
	binary.NativeEndian.PutUint16(req[6:], f&^unix.NLM_F_ACK)
	return req
}

func TestIntegrationDeadline(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "dl0", "dl1")
	idx, err := c.LinkIndex("dl0")
	if err != nil {
		t.Fatal(err)
	}
	silent := noAck(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1450}))

	// Query refuses a request the kernel would not answer, unsent.
	if err := c.Query(silent, func(rtnl.Message) error { return nil }); err == nil {
		t.Fatalf("Query(SET without NLM_F_ACK) = nil, want a refusal")
	}
	if got := links(t, c)["dl0"].mtu; got == 1450 {
		t.Fatalf("mtu after the refused Query = %d: the request was sent", got)
	}

	// A request applied but answered by nothing: the receive waiting for
	// a reply ends at the deadline.
	if err := c.SendUnread(silent); err != nil {
		t.Fatal(err)
	}
	if err := c.SetDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	err = c.ReceiveContext(context.Background())
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("receive with no reply error = %v, want os.ErrDeadlineExceeded", err)
	}
	if err := c.SetDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The request was applied; the Conn still works.
	if got := links(t, c)["dl0"].mtu; got != 1450 {
		t.Errorf("mtu after the silent set = %d, want 1450", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err = c.ReceiveContext(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("receive with no reply, context error = %v, want context.DeadlineExceeded", err)
	}
	// After a cancellation the Conn's own (zero) deadline is back.
	execute(t, c, "set after cancel", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1460}))

	// A past deadline fails before sending.
	c.SetDeadline(time.Unix(1, 0))
	if err := c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1470})); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Execute past deadline error = %v, want os.ErrDeadlineExceeded", err)
	}
	c.SetDeadline(time.Time{})
	if got := links(t, c)["dl0"].mtu; got != 1460 {
		t.Errorf("mtu = %d, want 1460 (the past-deadline request must not be sent)", got)
	}

	// A context already done fails every request before sending it.
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	set := rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1480})
	for name, call := range map[string]func() error{
		"ExecuteContext": func() error { return c.ExecuteContext(done, set) },
		"QueryContext": func() error {
			return c.QueryContext(done, rtnl.AppendGetLink(nil, idx, ""), func(rtnl.Message) error { return nil })
		},
		"DumpContext": func() error {
			return c.DumpContext(done, rtnl.AppendDumpLinks(nil, unix.AF_UNSPEC), func(rtnl.Message) error { return nil })
		},
		"ExecuteBatchContext": func() error { return c.ExecuteBatchContext(done, set, func(int, error) {}) },
	} {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s(done ctx) error = %v, want context.Canceled", name, err)
		}
	}
	if got := links(t, c)["dl0"].mtu; got != 1460 {
		t.Errorf("mtu = %d, want 1460 (requests with a done context must not be sent)", got)
	}
}

// TestIntegrationStaleReplyDropped leaves the replies of abandoned
// requests queued, and checks that the next requests skip them by their
// older sequence numbers and read their own.
func TestIntegrationStaleReplyDropped(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "st0", "st1")
	idx, err := c.LinkIndex("st0")
	if err != nil {
		t.Fatal(err)
	}
	// An ACK, an error and a data reply, all left unread.
	for _, req := range [][]byte{
		rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1300}),
		rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 99999, MTU: 1300}),
		rtnl.AppendGetLink(nil, idx, ""),
	} {
		if err := c.SendUnread(req); err != nil {
			t.Fatal(err)
		}
	}
	execute(t, c, "set after abandon", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1310}))
	var mtu uint32
	err = c.Query(rtnl.AppendGetLink(nil, idx, ""), func(m rtnl.Message) error {
		l, err := rtnl.ParseLink(m.Data)
		mtu, _ = l.MTU()
		return err
	})
	if err != nil || mtu != 1310 {
		t.Errorf("GETLINK after the abandoned requests = mtu %d, %v; want 1310, nil", mtu, err)
	}
}

func TestIntegrationBatch(t *testing.T) {
	sandbox.Require(t)
	c, err := rtnl.Dial(&rtnl.Config{BatchBytes: 300}) // several sendmsg calls
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() }) // after addVeth's cleanup
	c.SetDeadline(time.Now().Add(30 * time.Second))
	addVeth(t, c, "bt0", "bt1")
	idx, err := c.LinkIndex("bt0")
	if err != nil {
		t.Fatal(err)
	}
	const n, dup = 40, 20 // request dup repeats request 3's address
	var reqs []byte
	for i := range n {
		a := rtnl.Addr{Index: idx, PrefixLen: 32, Local: netip.AddrFrom4([4]byte{10, 8, 0, byte(i)})}
		if i == dup {
			a.Local = netip.AddrFrom4([4]byte{10, 8, 0, 3})
		}
		reqs = rtnl.AppendNewAddr(reqs, &a)
	}
	var got [n]int
	var errs [n]error
	err = c.ExecuteBatch(reqs, func(i int, err error) {
		got[i]++
		errs[i] = err
	})
	if err != nil {
		t.Fatalf("ExecuteBatch: %v", err)
	}
	for i := range n {
		switch {
		case got[i] != 1:
			t.Errorf("request %d reported %d times, want 1", i, got[i])
		case i == dup && !errors.Is(errs[i], unix.EEXIST):
			t.Errorf("request %d (duplicate) error = %v, want EEXIST", i, errs[i])
		case i != dup && errs[i] != nil:
			t.Errorf("request %d error = %v, want nil", i, errs[i])
		}
	}
	if as := addrs(t, c, idx); len(as) != n-1 {
		t.Errorf("addresses after the batch = %d, want %d", len(as), n-1)
	}
	// No ACK left unread: the next request's reply is its own.
	if _, err := c.LinkIndex("bt0"); err != nil {
		t.Errorf("LinkIndex after the batch: %v", err)
	}
	if err := c.ExecuteBatch(rtnl.AppendDumpLinks(nil, 0), func(int, error) {}); err == nil {
		t.Errorf("ExecuteBatch(dump) = nil, want an error")
	}
}

var capture = flag.Bool("rtnl.capture", false, "rewrite testdata/newlink-veth.bin and newaddr.bin from the sandbox kernel")

// TestIntegrationDumpMessages dumps a veth that is up with an address and
// checks its decoded fields; with -rtnl.capture it stores the raw
// RTM_NEWLINK and RTM_NEWADDR messages for the decoder tests and
// benchmarks.
func TestIntegrationDumpMessages(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "veth0", "veth1")
	i0, _ := c.LinkIndex("veth0")
	i1, _ := c.LinkIndex("veth1")
	for _, i := range []int32{i0, i1} {
		execute(t, c, "up", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: i, Flags: unix.IFF_UP, Change: unix.IFF_UP}))
	}
	execute(t, c, "addr", rtnl.AppendNewAddr(nil, &rtnl.Addr{Index: i0, PrefixLen: 24,
		Local: netip.MustParseAddr("192.168.1.1"), Broadcast: netip.MustParseAddr("192.168.1.255")}))

	var link, addr []byte
	err := c.Dump(rtnl.AppendDumpLinks(nil, unix.AF_UNSPEC), func(m rtnl.Message) error {
		l, err := rtnl.ParseLink(m.Data)
		if err == nil && l.Index == i0 {
			link = wholeMessage(m)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Dump(rtnl.AppendDumpAddrs(nil, unix.AF_INET, 0), func(m rtnl.Message) error {
		a, err := rtnl.ParseAddr(m.Data)
		if err == nil && int32(a.Index) == i0 {
			addr = wholeMessage(m)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if link == nil || addr == nil {
		t.Fatalf("veth0 link %d bytes, address %d bytes; want both", len(link), len(addr))
	}
	t.Logf("RTM_NEWLINK for veth0: %d bytes; RTM_NEWADDR: %d bytes", len(link), len(addr))
	checkCapturedLink(t, link)
	checkCapturedAddr(t, addr)
	if *capture {
		if err := os.WriteFile("testdata/newlink-veth.bin", link, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/newaddr.bin", addr, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wholeMessage copies m back into wire form, header included.
func wholeMessage(m rtnl.Message) []byte {
	b, start := rtnl.AppendHeader(nil, m.Header.Type, m.Header.Flags)
	binary.NativeEndian.PutUint32(b[8:], m.Header.Seq)
	binary.NativeEndian.PutUint32(b[12:], m.Header.PortID)
	b = append(b, m.Data...)
	return rtnl.FinishMessage(b, start)
}

// TestIntegrationLookupAltName finds a link by an alternative name too long
// for IFLA_IFNAME: AppendGetLink sends it as IFLA_ALT_IFNAME.
func TestIntegrationLookupAltName(t *testing.T) {
	sandbox.Require(t)
	c := dial(t, nil)
	addVeth(t, c, "an0", "an1")
	idx, err := c.LinkIndex("an0")
	if err != nil {
		t.Fatal(err)
	}
	const alt = "an0-alternative-name"
	b, msg := rtnl.AppendHeader(nil, unix.RTM_NEWLINKPROP, unix.NLM_F_REQUEST|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Index: idx})
	b, nest := rtnl.BeginNest(b, unix.IFLA_PROP_LIST|unix.NLA_F_NESTED)
	b = rtnl.AppendAttrString(b, unix.IFLA_ALT_IFNAME, alt)
	b = rtnl.EndNest(b, nest)
	execute(t, c, "add altname", rtnl.FinishMessage(b, msg))

	if got, err := c.LinkIndex(alt); err != nil || got != idx {
		t.Errorf("LinkIndex(%q) = %d, %v; want %d", alt, got, err, idx)
	}
	if _, err := c.LinkIndex("an0-no-such-alternative"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("LinkIndex(unknown long name) error = %v, want ENODEV", err)
	}
}
