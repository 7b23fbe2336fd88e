package rtnl_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// joined dials an event Conn in the test's namespace and joins groups.
func joined(t testing.TB, cfg *rtnl.Config, groups ...uint32) *rtnl.Conn {
	t.Helper()
	ev := dial(t, cfg)
	for _, g := range groups {
		if err := ev.Join(g); err != nil {
			t.Fatalf("Join(%d): %v", g, err)
		}
	}
	return ev
}

// awaitEvent reads events on ev until match reports true for one, and
// returns how many messages it read. A receive error (the dial deadline
// included) fails the test.
func awaitEvent(t testing.TB, ev *rtnl.Conn, what string, match func(m rtnl.Message) (bool, error)) int {
	t.Helper()
	n := 0
	err := ev.Events(func(m rtnl.Message) error {
		n++
		ok, err := match(m)
		if err != nil {
			return err
		}
		if ok {
			return rtnl.StopEvents
		}
		return nil
	})
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return n
}

// linkEvent matches an event of type typ for the link called name whose
// decoded Link passes check (nil: any).
func linkEvent(typ uint16, name string, check func(l *rtnl.Link) bool) func(m rtnl.Message) (bool, error) {
	return func(m rtnl.Message) (bool, error) {
		if m.Header.Type != typ {
			return false, nil
		}
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return false, err
		}
		return string(l.Name()) == name && (check == nil || check(&l)), nil
	}
}

// addrEvent matches an RTM_NEWADDR event for local on link index.
func addrEvent(index int32, local netip.Addr) func(m rtnl.Message) (bool, error) {
	return func(m rtnl.Message) (bool, error) {
		if m.Header.Type != unix.RTM_NEWADDR {
			return false, nil
		}
		a, err := rtnl.ParseAddr(m.Data)
		if err != nil {
			return false, err
		}
		got := a.Local()
		if !got.IsValid() {
			got = a.Address() // IPv6 sends IFA_ADDRESS alone
		}
		return int32(a.Index) == index && got == local, nil
	}
}

func TestIntegrationEvents(t *testing.T) {
	sandbox.Require(t)
	ev := joined(t, nil, unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_IFADDR, unix.RTNLGRP_IPV6_IFADDR, unix.RTNLGRP_NSID)
	c := dial(t, nil)

	addVeth(t, c, "ev0", "ev1")
	isVeth := func(l *rtnl.Link) bool { return string(l.Kind()) == "veth" }
	awaitEvent(t, ev, "RTM_NEWLINK ev0", linkEvent(unix.RTM_NEWLINK, "ev0", isVeth))
	idx, err := c.LinkIndex("ev0")
	if err != nil {
		t.Fatal(err)
	}

	v4 := netip.MustParseAddr("10.7.0.1")
	execute(t, c, "add v4", rtnl.AppendNewAddr(nil, &rtnl.Addr{Index: idx, PrefixLen: 24, Local: v4}))
	awaitEvent(t, ev, "RTM_NEWADDR "+v4.String(), addrEvent(idx, v4))
	v6 := netip.MustParseAddr("2001:db8::7")
	execute(t, c, "add v6", rtnl.AppendNewAddr(nil, &rtnl.Addr{Index: idx, PrefixLen: 64, Local: v6, Flags: unix.IFA_F_NODAD}))
	awaitEvent(t, ev, "RTM_NEWADDR "+v6.String(), addrEvent(idx, v6))

	nsfd := newNetNS(t)
	execute(t, c, "add nsid", rtnl.AppendNewNSID(nil, int32(nsfd), 77))
	awaitEvent(t, ev, "RTM_NEWNSID 77", func(m rtnl.Message) (bool, error) {
		if m.Header.Type != unix.RTM_NEWNSID {
			return false, nil
		}
		n, err := rtnl.ParseNetNSID(m.Data)
		id, ok := n.NSID()
		return ok && id == 77, err
	})

	execute(t, c, "del ev0", rtnl.AppendDelLink(nil, idx, ""))
	awaitEvent(t, ev, "RTM_DELLINK ev0", linkEvent(unix.RTM_DELLINK, "ev0", nil))

	// An event Conn refuses requests, unsent.
	if err := ev.Execute(rtnl.AppendDelLink(nil, 0, "ev1")); !errors.Is(err, rtnl.ErrEventConn) {
		t.Errorf("Execute on an event Conn = %v, want ErrEventConn", err)
	}
	if err := ev.Dump(rtnl.AppendDumpLinks(nil, 0), func(rtnl.Message) error { return nil }); !errors.Is(err, rtnl.ErrEventConn) {
		t.Errorf("Dump on an event Conn = %v, want ErrEventConn", err)
	}
}

func TestIntegrationEventsLeave(t *testing.T) {
	sandbox.Require(t)
	ev := joined(t, nil, unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_IFADDR)
	c := dial(t, nil)
	if err := ev.Leave(unix.RTNLGRP_LINK); err != nil {
		t.Fatal(err)
	}
	addVeth(t, c, "lv0", "lv1")
	idx, err := c.LinkIndex("lv0")
	if err != nil {
		t.Fatal(err)
	}
	a := netip.MustParseAddr("10.7.1.1")
	execute(t, c, "add addr", rtnl.AppendNewAddr(nil, &rtnl.Addr{Index: idx, PrefixLen: 24, Local: a}))
	// The address event is the first one: no link event came before it.
	if n := awaitEvent(t, ev, "RTM_NEWADDR", addrEvent(idx, a)); n != 1 {
		t.Errorf("read %d events up to the address, want 1 (no link events after Leave)", n)
	}
}

// TestIntegrationEventsOverrun fills a small receive buffer with link
// events without reading them: Events reports the overrun once, as an
// *OverrunError, and the Conn then goes on: a dump gives the state, and
// the next change still arrives.
func TestIntegrationEventsOverrun(t *testing.T) {
	sandbox.Require(t)
	ev := joined(t, &rtnl.Config{ReadBuffer: 1}, unix.RTNLGRP_LINK) // the kernel's minimum
	c := dial(t, nil)
	addVeth(t, c, "ov0", "ov1")
	idx, err := c.LinkIndex("ov0")
	if err != nil {
		t.Fatal(err)
	}
	var batch []byte
	for i := range 64 {
		batch = rtnl.AppendSetLink(batch, &rtnl.LinkChange{Index: idx, MTU: uint32(1300 + i)})
	}
	if err := c.ExecuteBatch(batch, func(i int, err error) {
		if err != nil {
			t.Errorf("set mtu %d: %v", i, err)
		}
	}); err != nil {
		t.Fatal(err)
	}

	err = ev.Events(func(rtnl.Message) error { return nil })
	var oe *rtnl.OverrunError
	if !errors.As(err, &oe) || !errors.Is(err, rtnl.ErrOverrun) || !errors.Is(err, unix.ENOBUFS) {
		t.Fatalf("Events after 64 unread changes = %v, want an *OverrunError (ErrOverrun, ENOBUFS)", err)
	}
	// Recover: re-dump, then read on.
	if l := links(t, c)["ov0"]; l.mtu != 1363 {
		t.Errorf("dumped ov0 = %+v, want mtu 1363", l)
	}
	execute(t, c, "rename", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, Name: "ov9"}))
	awaitEvent(t, ev, "RTM_NEWLINK ov9", linkEvent(unix.RTM_NEWLINK, "ov9", nil))
	execute(t, c, "rename back", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, Name: "ov0"}))
}

func TestIntegrationEventsNoAllocs(t *testing.T) {
	sandbox.Require(t)
	for _, tc := range []struct {
		name string
		cfg  *rtnl.Config
	}{{"poller", nil}, {"RawSyscalls", &rtnl.Config{RawSyscalls: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			ev := joined(t, tc.cfg, unix.RTNLGRP_LINK)
			c := dial(t, nil)
			addVeth(t, c, "ea0", "ea1")
			idx, err := c.LinkIndex("ea0")
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 0, 128)
			mtu := uint32(1400)
			var failed error
			match := func(m rtnl.Message) error {
				if m.Header.Type != unix.RTM_NEWLINK {
					return nil
				}
				l, err := rtnl.ParseLink(m.Data)
				if got, _ := l.MTU(); err == nil && l.Index == idx && got == mtu {
					return rtnl.StopEvents
				}
				return err
			}
			run := func() {
				mtu ^= 1 // 1400, 1401, ...
				buf = rtnl.AppendSetLink(buf[:0], &rtnl.LinkChange{Index: idx, MTU: mtu})
				if err := c.Execute(buf); err != nil {
					failed = err
				}
				if err := ev.Events(match); err != nil {
					failed = err
				}
			}
			run() // warm
			if n := testing.AllocsPerRun(50, run); n != 0 {
				t.Errorf("a change and its event allocate %v times per run, want 0", n)
			}
			if failed != nil {
				t.Fatal(failed)
			}
		})
	}
}
