package fuzz_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/rtnl"
)

// maxFieldBytes bounds the variable-length inputs of the builder targets:
// beyond 64 KiB an attribute length no longer fits in nla_len, which
// TestBuilderLengthOverflow covers on its own.
const maxFieldBytes = 4096

// ifinfomsg returns struct ifinfomsg as the kernel lays it out:
// family, pad, type, index, flags, change.
func ifinfomsg(family uint8, typ uint16, index int32, flags, change uint32) []byte {
	b := []byte{family, 0}
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint32(b, uint32(index))
	b = binary.NativeEndian.AppendUint32(b, flags)
	return binary.NativeEndian.AppendUint32(b, change)
}

// linkAttrs is the model of the optional link attributes, in the order the
// rtnl contract gives (iproute2's argv order, IFLA_IFNAME last).
func linkAttrs(mtu uint32, hw []byte, txqlen uint32, nsfd int32, name string) []node {
	var n []node
	if mtu != 0 {
		n = append(n, leaf(unix.IFLA_MTU, u32(mtu)))
	}
	if hw != nil {
		n = append(n, leaf(unix.IFLA_ADDRESS, hw))
	}
	if txqlen != 0 {
		n = append(n, leaf(unix.IFLA_TXQLEN, u32(txqlen)))
	}
	if nsfd > 0 {
		n = append(n, leaf(unix.IFLA_NET_NS_FD, u32(uint32(nsfd))))
	}
	if name != "" {
		n = append(n, leaf(unix.IFLA_IFNAME, cstr(name)))
	}
	return n
}

// lookupNameType is the attribute a lookup by name carries: IFLA_IFNAME for
// a name that fits it, IFLA_ALT_IFNAME for one of IFNAMSIZ (16) bytes or
// more, which can only be an alternative name. iproute2 6.1's `ip link show
// NAME` sends exactly this for 15, 16 and 20 bytes (strace of ll_link_get).
func lookupNameType(name string) uint16 {
	if len(name) >= unix.IFNAMSIZ {
		return unix.IFLA_ALT_IFNAME
	}
	return unix.IFLA_IFNAME
}

// optBytes returns b when has is set and nil otherwise, so that the fuzzer
// can choose between "not sent" (nil) and an empty or non-empty value.
func optBytes(has bool, b []byte) []byte {
	if !has {
		return nil
	}
	if b == nil {
		return []byte{}
	}
	return b
}

// FuzzBuildLink builds veth, set, delete and get requests from random field
// values, checks each against the model and mdlayher/netlink's encoding,
// decodes them back with rtnl's decoder and checks that the builders do not
// allocate into a buffer with room.
func FuzzBuildLink(f *testing.F) {
	f.Add("rv0", "rv1", uint32(0), uint32(0), uint32(0), uint32(0), int32(0), int32(0),
		false, []byte(nil), false, []byte(nil), uint32(0), uint32(0), uint32(0), uint32(0), int32(0))
	f.Add("h1", "h2", uint32(1400), uint32(9000), uint32(1000), uint32(500), int32(4), int32(7),
		true, []byte{2, 0, 0, 0, 0, 1}, true, []byte{}, uint32(unix.IFF_UP), uint32(unix.IFF_UP),
		uint32(0), uint32(unix.IFF_UP), int32(3))
	f.Add("", "", uint32(1), uint32(0), uint32(0), uint32(1), int32(-1), int32(-7),
		true, []byte{1, 2, 3}, false, []byte(nil), ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0), int32(-1))
	f.Add("a\x00b", "0123456789abcde", uint32(0), uint32(0), uint32(0), uint32(0), int32(0), int32(0),
		false, []byte(nil), false, []byte(nil), uint32(0), uint32(0), uint32(0), uint32(0), int32(1<<30))
	f.Add("0123456789abcdef", "", uint32(0), uint32(0), uint32(0), uint32(0), int32(0), int32(0),
		false, []byte(nil), false, []byte(nil), uint32(0), uint32(0), uint32(0), uint32(0), int32(0))
	var n int
	f.Fuzz(func(t *testing.T, name, peer string, mtu, pmtu, txq, ptxq uint32, nsfd, pnsfd int32,
		hasHW bool, hw []byte, hasPHW bool, phw []byte, flags, change, pflags, pchange uint32, index int32) {
		if len(name)+len(peer)+len(hw)+len(phw) > maxFieldBytes {
			t.Skip("beyond nla_len range; see TestBuilderLengthOverflow")
		}
		hw, phw = optBytes(hasHW, hw), optBytes(hasPHW, phw)
		v := rtnl.Veth{
			Name: name, PeerName: peer, NetNSFD: nsfd, PeerNetNSFD: pnsfd,
			MTU: mtu, PeerMTU: pmtu, TxQLen: txq, PeerTxQLen: ptxq,
			HWAddr: hw, PeerHWAddr: phw,
			Flags: flags, Change: change, PeerFlags: pflags, PeerChange: pchange,
		}
		info := []node{leaf(unix.IFLA_INFO_KIND, cstr("veth"))}
		if peer != "" {
			info = append(info, node{typ: unix.IFLA_INFO_DATA, nest: true, kids: []node{{
				typ: 1, nest: true, data: ifinfomsg(0, 0, 0, pflags, pchange), // VETH_INFO_PEER
				kids: linkAttrs(pmtu, phw, ptxq, pnsfd, peer),
			}}})
		}
		attrs := append(linkAttrs(mtu, hw, txq, nsfd, name), node{typ: unix.IFLA_LINKINFO, nest: true, kids: info})
		veth := rtnl.AppendNewVeth(nil, &v)
		checkBuilt(t, "AppendNewVeth", veth, unix.RTM_NEWLINK,
			unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL,
			ifinfomsg(0, 0, 0, flags, change), attrs)
		checkVethDecode(t, veth, &v)

		c := rtnl.LinkChange{Index: index, Flags: flags, Change: change, Name: name, MTU: mtu,
			HWAddr: hw, TxQLen: txq, NetNSFD: nsfd}
		set := rtnl.AppendSetLink(nil, &c)
		checkBuilt(t, "AppendSetLink", set, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK,
			ifinfomsg(0, 0, index, flags, change), linkAttrs(mtu, hw, txq, nsfd, name))
		checkSetLinkDecode(t, set, &c)

		var byName []node
		if index == 0 && name != "" {
			byName = []node{leaf(unix.IFLA_IFNAME, cstr(name))}
		}
		checkBuilt(t, "AppendDelLink", rtnl.AppendDelLink(nil, index, name), unix.RTM_DELLINK,
			unix.NLM_F_REQUEST|unix.NLM_F_ACK, ifinfomsg(0, 0, index, 0, 0), byName)

		get := []node{leaf(unix.IFLA_EXT_MASK, u32(9))} // RTEXT_FILTER_VF|SKIP_STATS
		if index == 0 {
			get = []node{leaf(unix.IFLA_EXT_MASK, u32(0x109)), leaf(lookupNameType(name), cstr(name))}
		}
		checkBuilt(t, "AppendGetLink", rtnl.AppendGetLink(nil, index, name), unix.RTM_GETLINK,
			unix.NLM_F_REQUEST, ifinfomsg(0, 0, index, 0, 0), get)

		family := uint8(flags)
		var mask []node // ip sends RTEXT_FILTER_VF with AF_UNSPEC and AF_PACKET only
		if family == unix.AF_UNSPEC || family == unix.AF_PACKET {
			mask = []node{leaf(unix.IFLA_EXT_MASK, u32(1))}
		}
		checkBuilt(t, "AppendDumpLinks", rtnl.AppendDumpLinks(nil, family), unix.RTM_GETLINK,
			unix.NLM_F_REQUEST|unix.NLM_F_DUMP, ifinfomsg(family, 0, 0, 0, 0), mask)

		if n++; n%64 == 1 {
			buf := make([]byte, 0, 2*maxFieldBytes+512)
			noAllocs(t, "AppendNewVeth", func() { buf = rtnl.AppendNewVeth(buf[:0], &v) })
			noAllocs(t, "AppendSetLink", func() { buf = rtnl.AppendSetLink(buf[:0], &c) })
			noAllocs(t, "AppendDelLink", func() { buf = rtnl.AppendDelLink(buf[:0], index, name) })
			noAllocs(t, "AppendGetLink", func() { buf = rtnl.AppendGetLink(buf[:0], index, name) })
			noAllocs(t, "AppendDumpLinks", func() { buf = rtnl.AppendDumpLinks(buf[:0], family) })
		}
	})
}

// ifaddrmsg returns struct ifaddrmsg: family, prefixlen, flags, scope, index.
func ifaddrmsg(family, plen, flags, scope uint8, index uint32) []byte {
	return binary.NativeEndian.AppendUint32([]byte{family, plen, flags, scope}, index)
}

// addrOf makes an address from fuzz input: 4 bytes give IPv4, 16 IPv6, and
// any other length the invalid (not sent) address.
func addrOf(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// addrBytes is the wire form of a valid address.
func addrBytes(a netip.Addr) []byte { return a.AsSlice() }

// FuzzBuildAddr builds address add, delete and dump requests from random
// field values and checks them like FuzzBuildLink.
func FuzzBuildAddr(f *testing.F) {
	f.Add(uint8(0), uint8(24), uint8(0), uint32(0), uint32(3), []byte{10, 9, 0, 1}, []byte(nil), []byte(nil),
		"", false, uint32(0), uint32(0))
	f.Add(uint8(0), uint8(24), uint8(0), uint32(0), uint32(3), []byte{10, 9, 0, 2}, []byte(nil),
		[]byte{10, 9, 0, 255}, "rv1:x", true, ^uint32(0), uint32(3600))
	f.Add(uint8(10), uint8(64), uint8(0), uint32(0x100), uint32(7),
		[]byte{0xfd, 0x99, 15: 1}, []byte{0xfd, 0x99, 15: 2}, []byte(nil), "", false, uint32(0), uint32(0))
	f.Add(uint8(0), uint8(8), uint8(254), uint32(0x80), uint32(1), []byte{127, 5, 0, 1}, []byte{1, 2, 3, 4, 5},
		[]byte{0xff, 15: 0xff}, "lo", false, uint32(0), uint32(0))
	f.Add(uint8(2), uint8(33), uint8(0), uint32(0), uint32(0), []byte(nil), []byte(nil), []byte(nil),
		"", false, uint32(0), uint32(0))
	var n int
	f.Fuzz(func(t *testing.T, family, plen, scope uint8, flags, index uint32, local, peer, brd []byte,
		label string, hasLft bool, valid, preferred uint32) {
		if len(label) > maxFieldBytes {
			t.Skip("beyond nla_len range; see TestBuilderLengthOverflow")
		}
		a := rtnl.Addr{Family: family, PrefixLen: plen, Scope: scope, Flags: flags, Index: int32(index),
			Local: addrOf(local), Peer: addrOf(peer), Broadcast: addrOf(brd), Label: label,
			ValidLft: valid, PreferredLft: preferred, HasLifetimes: hasLft}
		fam := family
		for _, ip := range []netip.Addr{a.Local, a.Peer, a.Broadcast} {
			if fam == 0 && ip.Is4() {
				fam = unix.AF_INET
			} else if fam == 0 && ip.Is6() {
				fam = unix.AF_INET6
			}
		}
		f8 := uint8(flags)
		if flags > 0xff {
			f8 = 0
		}
		var attrs []node
		if a.Local.IsValid() {
			attrs = append(attrs, leaf(unix.IFA_LOCAL, addrBytes(a.Local)))
		}
		if a.Broadcast.IsValid() {
			attrs = append(attrs, leaf(unix.IFA_BROADCAST, addrBytes(a.Broadcast)))
		}
		if a.Peer.IsValid() {
			attrs = append(attrs, leaf(unix.IFA_ADDRESS, addrBytes(a.Peer)))
		}
		if label != "" {
			attrs = append(attrs, leaf(unix.IFA_LABEL, cstr(label)))
		}
		if flags > 0xff {
			attrs = append(attrs, leaf(unix.IFA_FLAGS, u32(flags)))
		}
		if !a.Peer.IsValid() && a.Local.IsValid() {
			attrs = append(attrs, leaf(unix.IFA_ADDRESS, addrBytes(a.Local)))
		}
		if hasLft { // struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp
			ci := append(append(u32(preferred), u32(valid)...), make([]byte, 8)...)
			attrs = append(attrs, leaf(unix.IFA_CACHEINFO, ci))
		}
		hdr := ifaddrmsg(fam, plen, f8, scope, index)
		add := rtnl.AppendNewAddr(nil, &a)
		checkBuilt(t, "AppendNewAddr", add, unix.RTM_NEWADDR,
			unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, hdr, attrs)
		checkAddrDecode(t, add, &a)
		checkBuilt(t, "AppendDelAddr", rtnl.AppendDelAddr(nil, &a), unix.RTM_DELADDR,
			unix.NLM_F_REQUEST|unix.NLM_F_ACK, hdr, attrs)
		checkBuilt(t, "AppendDumpAddrs", rtnl.AppendDumpAddrs(nil, family, 0), unix.RTM_GETADDR,
			unix.NLM_F_REQUEST|unix.NLM_F_DUMP, ifaddrmsg(family, 0, 0, 0, 0), nil)

		if n++; n%64 == 1 {
			buf := make([]byte, 0, maxFieldBytes+512)
			noAllocs(t, "AppendNewAddr", func() { buf = rtnl.AppendNewAddr(buf[:0], &a) })
			noAllocs(t, "AppendDelAddr", func() { buf = rtnl.AppendDelAddr(buf[:0], &a) })
			noAllocs(t, "AppendDumpAddrs", func() { buf = rtnl.AppendDumpAddrs(buf[:0], family, 0) })
		}
	})
}

// FuzzBuildNSID builds the nsid requests from random values and checks them
// like FuzzBuildLink.
func FuzzBuildNSID(f *testing.F) {
	f.Add(int32(4), int32(5))
	f.Add(int32(4), int32(-1))
	f.Add(int32(-1), int32(0))
	f.Fuzz(func(t *testing.T, fd, nsid int32) {
		rtgen := []byte{0, 0, 0, 0}
		add := rtnl.AppendNewNSID(nil, fd, nsid)
		checkBuilt(t, "AppendNewNSID", add, unix.RTM_NEWNSID, unix.NLM_F_REQUEST|unix.NLM_F_ACK, rtgen,
			[]node{leaf(unix.NETNSA_FD, u32(uint32(fd))), leaf(unix.NETNSA_NSID, u32(uint32(nsid)))})
		checkBuilt(t, "AppendGetNSID", rtnl.AppendGetNSID(nil, fd), unix.RTM_GETNSID, unix.NLM_F_REQUEST, rtgen,
			[]node{leaf(unix.NETNSA_FD, u32(uint32(fd)))})
		checkBuilt(t, "AppendListNSIDs", rtnl.AppendListNSIDs(nil, &rtnl.NSIDQuery{}), unix.RTM_GETNSID,
			unix.NLM_F_REQUEST|unix.NLM_F_DUMP, rtgen, nil)
		checkNSIDDecode(t, add, nsid)
		buf := make([]byte, 0, 64)
		noAllocs(t, "AppendNewNSID", func() { buf = rtnl.AppendNewNSID(buf[:0], fd, nsid) })
	})
}

// noAllocs fails when fn allocates. testing.AllocsPerRun averages over 100
// runs with integer division, so a stray allocation elsewhere in a fuzz
// worker does not count, while one allocation per call does.
func noAllocs(tb testing.TB, name string, fn func()) {
	tb.Helper()
	if got := testing.AllocsPerRun(100, fn); got != 0 {
		tb.Errorf("%s: AllocsPerRun = %v, want 0", name, got)
	}
}
