package fuzz_test

import (
	"bytes"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/rtnl"
)

// onlyMessage returns the single message in b, walked by rtnl.MessageIter.
func onlyMessage(tb testing.TB, b []byte) rtnl.Message {
	tb.Helper()
	msgs, err := rtnlMessages(b)
	if err != nil || len(msgs) != 1 {
		tb.Fatalf("MessageIter on a built request: %d messages, error %v", len(msgs), err)
	}
	return msgs[0]
}

// linkWant is what a link view must give back from a built request.
type linkWant struct {
	index         int32
	flags, change uint32
	name          string
	mtu, txqlen   uint32
	hw            []byte
	nsfd          int32
}

// checkLinkView checks rtnl.ParseLink(data) against w.
func checkLinkView(tb testing.TB, what string, data []byte, w linkWant) rtnl.Link {
	tb.Helper()
	l, err := rtnl.ParseLink(data)
	if err != nil {
		tb.Fatalf("%s: ParseLink: %v", what, err)
	}
	if l.Index != w.index || l.Flags != w.flags || l.Change != w.change || l.Family != 0 || l.Type != 0 {
		tb.Fatalf("%s: ifinfomsg = %+v, want index %d flags %#x change %#x", what, l.IfInfomsg, w.index, w.flags, w.change)
	}
	if got, want := string(l.Name()), string(cstring([]byte(w.name))); got != want {
		tb.Fatalf("%s: Name() = %q, want %q", what, got, want)
	}
	if v, ok := l.MTU(); v != w.mtu || ok != (w.mtu != 0) {
		tb.Fatalf("%s: MTU() = %d, %t, want %d", what, v, ok, w.mtu)
	}
	if v, ok := l.TxQLen(); v != w.txqlen || ok != (w.txqlen != 0) {
		tb.Fatalf("%s: TxQLen() = %d, %t, want %d", what, v, ok, w.txqlen)
	}
	if got := l.Address(); !bytes.Equal(got, w.hw) || (got == nil) != (w.hw == nil) {
		tb.Fatalf("%s: Address() = % x, want % x", what, got, w.hw)
	}
	var fd []byte
	if w.nsfd > 0 {
		fd = u32(uint32(w.nsfd))
	}
	if got := l.Attr(unix.IFLA_NET_NS_FD); !bytes.Equal(got, fd) || (got == nil) != (fd == nil) {
		tb.Fatalf("%s: Attr(IFLA_NET_NS_FD) = % x, want % x", what, got, fd)
	}
	return l
}

// nested returns the payload of the first attribute of type typ in b,
// walked with rtnl.AttrIter.
func nested(tb testing.TB, b []byte, typ uint16) []byte {
	tb.Helper()
	it := rtnl.NewAttrIter(b)
	for it.Next() {
		if it.Type() == typ {
			return it.Data()
		}
	}
	if err := it.Err(); err != nil {
		tb.Fatalf("AttrIter looking for type %d: %v", typ, err)
	}
	return nil
}

// checkVethDecode decodes a built veth request with rtnl's decoders, the
// peer included, and checks every field of v comes back.
func checkVethDecode(tb testing.TB, b []byte, v *rtnl.Veth) {
	tb.Helper()
	m := onlyMessage(tb, b)
	l := checkLinkView(tb, "veth", m.Data, linkWant{0, v.Flags, v.Change, v.Name, v.MTU, v.TxQLen, v.HWAddr, v.NetNSFD})
	if string(l.Kind()) != "veth" {
		tb.Fatalf("veth: Kind() = %q, want veth", l.Kind())
	}
	peer := nested(tb, nested(tb, l.Attr(unix.IFLA_LINKINFO), unix.IFLA_INFO_DATA), 1) // VETH_INFO_PEER
	if v.PeerName == "" {
		if peer != nil {
			tb.Fatalf("veth without a peer name: VETH_INFO_PEER = % x, want none", peer)
		}
		return
	}
	checkLinkView(tb, "veth peer", peer,
		linkWant{0, v.PeerFlags, v.PeerChange, v.PeerName, v.PeerMTU, v.PeerTxQLen, v.PeerHWAddr, v.PeerNetNSFD})
}

// checkSetLinkDecode decodes a built set-link request with rtnl's decoders.
func checkSetLinkDecode(tb testing.TB, b []byte, c *rtnl.LinkChange) {
	tb.Helper()
	m := onlyMessage(tb, b)
	checkLinkView(tb, "set", m.Data, linkWant{c.Index, c.Flags, c.Change, c.Name, c.MTU, c.TxQLen, c.HWAddr, c.NetNSFD})
}

// checkAddrDecode decodes a built address request with rtnl.ParseAddr. The
// view rejects an address whose size does not fit an AF_INET or AF_INET6
// family (a request the caller built with mismatched families), and
// otherwise gives every field back.
func checkAddrDecode(tb testing.TB, b []byte, a *rtnl.Addr) {
	tb.Helper()
	m := onlyMessage(tb, b)
	got, err := rtnl.ParseAddr(m.Data)
	fam := m.Data[0]
	fits := func(ip netip.Addr) bool {
		return !ip.IsValid() || fam == unix.AF_INET && ip.Is4() || fam == unix.AF_INET6 && ip.Is6() ||
			fam != unix.AF_INET && fam != unix.AF_INET6
	}
	if want := fits(a.Local) && fits(a.Peer) && fits(a.Broadcast); want != (err == nil) {
		tb.Fatalf("ParseAddr of a built request: error %v, want error %t", err, !want)
	}
	if err != nil {
		return
	}
	peer := a.Peer
	if !peer.IsValid() {
		peer = a.Local
	}
	valid, preferred, ok := got.CacheInfo()
	switch {
	case got.PrefixLen != a.PrefixLen || got.Scope != a.Scope || got.Index != a.Index:
		tb.Fatalf("ifaddrmsg = %+v, want prefixlen %d scope %d index %d", got.IfAddrmsg, a.PrefixLen, a.Scope, a.Index)
	case got.Flags() != a.Flags:
		tb.Fatalf("Flags() = %#x, want %#x", got.Flags(), a.Flags)
	case got.Local() != a.Local || got.Address() != peer || got.Broadcast() != a.Broadcast:
		tb.Fatalf("Local, Address, Broadcast = %v, %v, %v, want %v, %v, %v",
			got.Local(), got.Address(), got.Broadcast(), a.Local, peer, a.Broadcast)
	case string(got.Label()) != string(cstring([]byte(a.Label))):
		tb.Fatalf("Label() = %q, want %q", got.Label(), a.Label)
	case ok != a.HasLifetimes || ok && (valid != a.ValidLft || preferred != a.PreferredLft):
		tb.Fatalf("CacheInfo() = %d, %d, %t, want %d, %d, %t", valid, preferred, ok, a.ValidLft, a.PreferredLft, a.HasLifetimes)
	}
}

// checkNSIDDecode decodes a built RTM_NEWNSID request with rtnl.ParseNetNSID.
func checkNSIDDecode(tb testing.TB, b []byte, nsid int32) {
	tb.Helper()
	m := onlyMessage(tb, b)
	n, err := rtnl.ParseNetNSID(m.Data)
	got, ok := n.NSID()
	if err != nil || !ok || got != nsid {
		tb.Fatalf("ParseNetNSID: NSID() = %d, %t, %v, want %d, true, nil", got, ok, err, nsid)
	}
}
