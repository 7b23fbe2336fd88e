package fuzz_test

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/rtnl"
)

// orderTypes are the attribute types LinkSpec.Order may list, in their
// default order, and one it ignores (IFLA_QDISC), which an order byte
// picks by its value mod 10.
var orderTypes = [...]uint16{unix.IFLA_MTU, unix.IFLA_ADDRESS, unix.IFLA_BROADCAST, unix.IFLA_TXQLEN,
	unix.IFLA_NET_NS_FD, unix.IFLA_MASTER, unix.IFLA_IFALIAS, unix.IFLA_LINKMODE, unix.IFLA_OPERSTATE,
	unix.IFLA_QDISC}

// specAttr is the model of one optional attribute of s.
func specAttr(s *rtnl.LinkSpec, typ uint16) []node {
	switch typ {
	case unix.IFLA_MTU:
		return []node{leaf(typ, u32(s.MTU))}
	case unix.IFLA_ADDRESS:
		return []node{leaf(typ, s.HWAddr)}
	case unix.IFLA_BROADCAST:
		return []node{leaf(typ, s.Broadcast)}
	case unix.IFLA_TXQLEN:
		return []node{leaf(typ, u32(s.TxQLen))}
	case unix.IFLA_NET_NS_FD:
		return []node{leaf(typ, u32(uint32(s.NetNSFD)))}
	case unix.IFLA_MASTER:
		return []node{leaf(typ, u32(uint32(s.Master)))}
	case unix.IFLA_IFALIAS:
		return []node{leaf(typ, []byte(s.Alias))}
	case unix.IFLA_LINKMODE:
		return []node{leaf(typ, []byte{s.LinkMode})}
	case unix.IFLA_OPERSTATE:
		return []node{leaf(typ, []byte{s.OperState})}
	}
	return nil
}

// specAttrs is the model of the attributes of s (peer: inside a peer,
// where Peer is ignored).
func specAttrs(s *rtnl.LinkSpec, peer bool) []node {
	var n []node
	listed := map[uint16]bool{}
	for _, typ := range s.Order {
		if typ == 0 {
			break
		}
		if a := specAttr(s, typ); a != nil && !listed[typ] {
			listed[typ] = true
			n = append(n, a...)
		}
	}
	set := [...]bool{s.MTU != 0, s.HWAddr != nil, s.Broadcast != nil, s.TxQLen != 0, s.NetNSFD > 0,
		s.Master != 0, s.Alias != "", s.LinkMode != 0, s.OperState != 0}
	for i, ok := range set {
		if ok && !listed[orderTypes[i]] {
			n = append(n, specAttr(s, orderTypes[i])...)
		}
	}
	if s.NewIndex != 0 {
		n = append(n, leaf(unix.IFLA_NEW_IFINDEX, u32(uint32(s.NewIndex))))
	}
	if s.Name != "" {
		n = append(n, leaf(unix.IFLA_IFNAME, cstr(s.Name)))
	}
	if s.Kind == "" && !s.LinkInfo {
		return n
	}
	info := []node{leaf(unix.IFLA_INFO_KIND, nil)}
	if s.Kind != "" {
		info[0].data = cstr(s.Kind)
	}
	if peer && s.Peer != nil {
		p := s.Peer
		info = append(info, node{typ: unix.IFLA_INFO_DATA, nest: true, kids: []node{{
			typ: 1, nest: true, data: ifinfomsg(p.Family, 0, p.Index, p.Flags, p.Change), // VETH_INFO_PEER
			kids: specAttrs(p, false),
		}}})
	}
	return append(n, node{typ: unix.IFLA_LINKINFO, nest: true, kids: info})
}

// FuzzBuildLinkRequest builds link requests from random field values and
// attribute orders (the form the CLI sends for any `ip link` words), checks
// each against the model and mdlayher/netlink's encoding, and checks that
// AppendLinkRequest does not allocate into a buffer with room.
func FuzzBuildLinkRequest(f *testing.F) {
	f.Add([]byte(nil), uint32(0), uint32(0), []byte(nil), int32(0), int32(0), "", uint8(0), uint8(0),
		int32(0), "rv0", "veth", false, "rv1", false, int32(0), uint32(0), uint32(0))
	f.Add([]byte{0, 1, 6, 3, 5, 9}, uint32(1400), uint32(9), []byte{2, 0, 0, 0, 0, 0x42}, int32(4), int32(7),
		"z", uint8(1), uint8(6), int32(55), "", "", true, "", true, int32(3), uint32(1), uint32(1))
	var n int
	f.Fuzz(func(t *testing.T, order []byte, mtu, txq uint32, hw []byte, nsfd, master int32, alias string,
		mode, oper uint8, newIndex int32, name, kind string, linkInfo bool, peer string, del bool,
		index int32, flags, change uint32) {
		if len(order) > 64 || len(hw)+len(alias)+len(name)+len(kind)+len(peer) > maxFieldBytes {
			t.Skip("beyond nla_len range; see TestBuilderLengthOverflow")
		}
		r := rtnl.LinkRequest{Type: unix.RTM_NEWLINK, Flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL}
		if del {
			r.Type, r.Flags = unix.RTM_DELLINK, 0
		}
		r.Link = rtnl.LinkSpec{Index: index, Flags: flags, Change: change, MTU: mtu, TxQLen: txq,
			HWAddr: hw, Broadcast: hw, NetNSFD: nsfd, Master: master, Alias: alias, LinkMode: mode,
			OperState: oper, NewIndex: newIndex, Name: name, Kind: kind, LinkInfo: linkInfo}
		for _, o := range order {
			r.Link.Order.Add(orderTypes[int(o)%len(orderTypes)])
		}
		if peer != "" {
			r.Link.Peer = &rtnl.LinkSpec{Name: peer, MTU: mtu, Index: index + 1, Flags: change,
				Peer: &rtnl.LinkSpec{Name: "ignored"}}
		}
		got := rtnl.AppendLinkRequest(nil, &r)
		checkExactRoom(t, got, func(buf []byte) []byte { return rtnl.AppendLinkRequest(buf, &r) })
		checkBuilt(t, "AppendLinkRequest", got, r.Type, unix.NLM_F_REQUEST|unix.NLM_F_ACK|r.Flags,
			ifinfomsg(0, 0, index, flags, change), specAttrs(&r.Link, true))
		if n++; n%64 == 1 {
			buf := make([]byte, 0, 2*maxFieldBytes+1024)
			noAllocs(t, "AppendLinkRequest", func() { buf = rtnl.AppendLinkRequest(buf[:0], &r) })
		}
	})
}

// checkExactRoom builds again into a buffer with room for exactly want, the
// bytes build gave into nil: the builders size their message exactly, so
// they must neither grow that buffer nor write past it.
func checkExactRoom(t *testing.T, want []byte, build func([]byte) []byte) {
	buf := make([]byte, 0, len(want))
	if got := build(buf); &got[:1][0] != &buf[:1][0] || !bytes.Equal(got, want) {
		t.Fatalf("built into exactly its room (%d bytes): grew it or changed:\n got % x\nwant % x", len(want), got, want)
	}
}
