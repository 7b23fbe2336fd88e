package rtnl

import "golang.org/x/sys/unix"

// Veth describes an `ip link add NAME type veth peer name PEER` request.
// The zero value of every optional field means "not sent": in particular a
// zero TxQLen sends no IFLA_TXQLEN, so the kernel keeps its default.
type Veth struct {
	// Name and PeerName are the two interface names. An empty PeerName
	// sends no VETH_INFO_PEER, and the kernel names the peer vethN.
	Name, PeerName string
	// NetNSFD and PeerNetNSFD, when positive, are file descriptors of
	// network namespaces to create that end in (IFLA_NET_NS_FD). Zero means
	// the namespace of the socket.
	NetNSFD, PeerNetNSFD int32
	// MTU and PeerMTU set IFLA_MTU when non-zero.
	MTU, PeerMTU uint32
	// TxQLen and PeerTxQLen set IFLA_TXQLEN when non-zero.
	TxQLen, PeerTxQLen uint32
	// HWAddr and PeerHWAddr set IFLA_ADDRESS when non-nil.
	HWAddr, PeerHWAddr []byte
	// Flags and Change go into ifi_flags and ifi_change of each end, for
	// example unix.IFF_UP in both to create an end up.
	Flags, Change, PeerFlags, PeerChange uint32
}

// AppendNewVeth appends one whole RTM_NEWLINK request (flags
// REQUEST|ACK|CREATE|EXCL) that creates the veth pair v, laid out as
// iproute2 HEAD sends it: ifinfomsg, [IFLA_MTU], [IFLA_ADDRESS],
// [IFLA_TXQLEN], [IFLA_NET_NS_FD], IFLA_IFNAME, then IFLA_LINKINFO with
// IFLA_INFO_KIND "veth\x00" and, when PeerName is set, IFLA_INFO_DATA /
// VETH_INFO_PEER holding the peer's ifinfomsg and attributes in the same
// order. The sequence number is left 0 for the Conn to stamp.
// It does not allocate when b has room.
func AppendNewVeth(b []byte, v *Veth) []byte {
	b, msg := AppendHeader(b, unix.RTM_NEWLINK,
		unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	b = AppendIfInfomsg(b, IfInfomsg{Flags: v.Flags, Change: v.Change})
	b = appendLinkAttrs(b, v.MTU, v.HWAddr, v.TxQLen, v.NetNSFD, v.Name)
	b, info := BeginNest(b, unix.IFLA_LINKINFO)
	b = AppendAttrString(b, unix.IFLA_INFO_KIND, "veth")
	if v.PeerName != "" {
		var data, peer int
		b, data = BeginNest(b, unix.IFLA_INFO_DATA)
		b, peer = BeginNest(b, vethInfoPeer)
		b = AppendIfInfomsg(b, IfInfomsg{Flags: v.PeerFlags, Change: v.PeerChange})
		b = appendLinkAttrs(b, v.PeerMTU, v.PeerHWAddr, v.PeerTxQLen, v.PeerNetNSFD, v.PeerName)
		b = EndNest(b, peer)
		b = EndNest(b, data)
	}
	b = EndNest(b, info)
	return FinishMessage(b, msg)
}

// appendLinkAttrs appends the optional link attributes in the order the
// builders use (the argv order of the golden captures), then IFLA_IFNAME
// when name is set, as iproute2's iplink_parse does at its end.
func appendLinkAttrs(b []byte, mtu uint32, hw []byte, txqlen uint32, nsfd int32, name string) []byte {
	if mtu != 0 {
		b = AppendAttrUint32(b, unix.IFLA_MTU, mtu)
	}
	if hw != nil {
		b = AppendAttr(b, unix.IFLA_ADDRESS, hw)
	}
	if txqlen != 0 {
		b = AppendAttrUint32(b, unix.IFLA_TXQLEN, txqlen)
	}
	if nsfd > 0 {
		b = AppendAttrInt32(b, unix.IFLA_NET_NS_FD, nsfd)
	}
	if name != "" {
		b = AppendAttrString(b, unix.IFLA_IFNAME, name)
	}
	return b
}

// LinkChange describes an `ip link set` request on an existing link. The
// zero value of every optional field means "not sent".
type LinkChange struct {
	// Index is the interface index of the link to change.
	Index int32
	// Flags and Change go into ifi_flags and ifi_change: up is
	// Flags=Change=unix.IFF_UP, down is Flags=0, Change=unix.IFF_UP.
	Flags, Change uint32
	// Name, when set, renames the link (IFLA_IFNAME).
	Name string
	// MTU sets IFLA_MTU when non-zero.
	MTU uint32
	// HWAddr sets IFLA_ADDRESS when non-nil.
	HWAddr []byte
	// TxQLen sets IFLA_TXQLEN when non-zero.
	TxQLen uint32
	// NetNSFD, when positive, moves the link into the network namespace
	// open at that file descriptor (IFLA_NET_NS_FD).
	NetNSFD int32
}

// AppendSetLink appends one whole RTM_NEWLINK request (flags REQUEST|ACK)
// that applies c, in iproute2's layout: ifinfomsg, [IFLA_MTU],
// [IFLA_ADDRESS], [IFLA_TXQLEN], [IFLA_NET_NS_FD], [IFLA_IFNAME].
// It does not allocate when b has room.
func AppendSetLink(b []byte, c *LinkChange) []byte {
	b, msg := AppendHeader(b, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	b = AppendIfInfomsg(b, IfInfomsg{Index: c.Index, Flags: c.Flags, Change: c.Change})
	b = appendLinkAttrs(b, c.MTU, c.HWAddr, c.TxQLen, c.NetNSFD, c.Name)
	return FinishMessage(b, msg)
}

// AppendDelLink appends one whole RTM_DELLINK request (flags REQUEST|ACK)
// for the link with the given index or, when index is 0, the given name.
// It does not allocate when b has room.
func AppendDelLink(b []byte, index int32, name string) []byte {
	b, msg := AppendHeader(b, unix.RTM_DELLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	b = AppendIfInfomsg(b, IfInfomsg{Index: index})
	if index == 0 && name != "" {
		b = AppendAttrString(b, unix.IFLA_IFNAME, name)
	}
	return FinishMessage(b, msg)
}

// AppendGetLink appends one whole RTM_GETLINK request (flags REQUEST, so
// one RTM_NEWLINK answer comes back; see Conn.Query) for the link with the
// given index or, when index is 0, the given name. The name lookup is the
// one iproute2 HEAD's ll_name_to_index sends: IFLA_EXT_MASK
// VF|SKIP_STATS|NAME_ONLY (0x109), then IFLA_IFNAME; its answer carries
// little more than the index and name. A name too long for IFLA_IFNAME
// (IFNAMSIZ bytes or more) can only be an alternative name and goes in
// IFLA_ALT_IFNAME, as iproute2's ll_link_get sends it. A lookup by index
// asks for the full link (IFLA_EXT_MASK VF|SKIP_STATS, 9). It does not
// allocate when b has room.
func AppendGetLink(b []byte, index int32, name string) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = AppendIfInfomsg(b, IfInfomsg{Index: index})
	if index != 0 {
		b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, ExtFilterVF|ExtFilterSkipStats)
		return FinishMessage(b, msg)
	}
	b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, ExtFilterVF|ExtFilterSkipStats|ExtFilterNameOnly)
	typ := uint16(unix.IFLA_IFNAME)
	if len(name) >= unix.IFNAMSIZ {
		typ = unix.IFLA_ALT_IFNAME
	}
	b = AppendAttrString(b, typ, name)
	return FinishMessage(b, msg)
}

// AppendDumpLinks appends one whole RTM_GETLINK dump request (flags
// REQUEST|DUMP) for links of the given family (unix.AF_PACKET as `ip link`
// sends it, 0 as `ip addr` does) with IFLA_EXT_MASK RTEXT_FILTER_VF.
// It does not allocate when b has room.
func AppendDumpLinks(b []byte, family uint8) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendIfInfomsg(b, IfInfomsg{Family: family})
	b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, ExtFilterVF)
	return FinishMessage(b, msg)
}
