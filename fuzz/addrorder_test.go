package fuzz_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// FuzzBuildAddrOrder builds address requests with random word orders
// (rtnl.AttrOrder), anycast, metric, label, BroadcastLast and OmitAddress,
// and checks that each attribute is sent at most once, that the listed
// ones come in the order given and first, and that rtnl.ParseAddr reads
// back every field that was set.
func FuzzBuildAddrOrder(f *testing.F) {
	f.Add(uint64(0x54321), []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}, []byte{10, 0, 0, 255}, []byte{10, 0, 0, 7},
		"x", uint32(5), true, false, false)
	f.Add(uint64(0x2), []byte{10, 0, 0, 1}, []byte(nil), []byte{10, 0, 0, 3}, []byte(nil), "", uint32(0), false, true, true)
	f.Fuzz(func(t *testing.T, perm uint64, local, peer, brd, any []byte, label string, metric uint32,
		hasMetric, brdLast, omit bool) {
		if len(label) > maxFieldBytes {
			t.Skip("beyond nla_len range")
		}
		a := rtnl.Addr{Index: 3, PrefixLen: 24, Local: addrOf(local), Peer: addrOf(peer), Broadcast: addrOf(brd),
			Anycast: addrOf(any), Label: label, Metric: metric, HasMetric: hasMetric,
			BroadcastLast: brdLast, OmitAddress: omit}
		for i := 0; perm != 0 && i < len(a.Order); i, perm = i+1, perm/7 {
			if k := perm % 7; k > 0 {
				a.Order.Add(rtnl.DefaultAddrOrder[k-1])
			}
		}
		b := rtnl.AppendNewAddr(nil, &a)
		checkExactRoom(t, b, func(buf []byte) []byte { return rtnl.AppendNewAddr(buf, &a) })
		var seen []uint16
		it := rtnl.NewAttrIter(b[24:])
		for it.Next() {
			for _, s := range seen {
				if s == it.Type() {
					t.Fatalf("attribute %d sent twice: % x", s, b)
				}
			}
			seen = append(seen, it.Type())
		}
		checkOrderPrefix(t, seen, &a, b)
		m, err := rtnl.ParseAddr(b[16:])
		if err != nil {
			return // a family mix the decoder refuses; the layout was checked
		}
		checkReadBack(t, &m, &a)
	})
}

// checkOrderPrefix checks that the attributes of a.Order come first, in
// its order (IFA_BROADCAST excepted under BroadcastLast).
func checkOrderPrefix(t *testing.T, seen []uint16, a *rtnl.Addr, b []byte) {
	i := 0
	for _, typ := range a.Order {
		if typ == 0 {
			break
		}
		if typ == unix.IFA_BROADCAST && a.BroadcastLast {
			continue
		}
		if i >= len(seen) || seen[i] != typ {
			t.Fatalf("order %v: sent %v: % x", a.Order, seen, b)
		}
		i++
	}
}

// checkReadBack compares the decoded message with the fields set in a.
func checkReadBack(t *testing.T, m *rtnl.AddrMessage, a *rtnl.Addr) {
	same := func(what string, got, want netip.Addr) {
		if want.IsValid() && got != want {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	same("Local", m.Local(), a.Local)
	same("Anycast", m.Anycast(), a.Anycast)
	same("Broadcast", m.Broadcast(), a.Broadcast)
	if a.Peer.IsValid() {
		same("Address", m.Address(), a.Peer)
	} else if !a.OmitAddress {
		same("Address", m.Address(), a.Local)
	}
	if v, ok := m.RtPriority(); a.HasMetric && (!ok || v != a.Metric) {
		t.Fatalf("RtPriority = %d, %t, want %d", v, ok, a.Metric)
	}
	label, _, _ := strings.Cut(a.Label, "\x00") // IFA_LABEL is a C string
	if a.Label != "" && string(m.Label()) != label {
		t.Fatalf("Label = %q, want %q", m.Label(), label)
	}
}
