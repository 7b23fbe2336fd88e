package rtnl

import "golang.org/x/sys/unix"

// LinkSpec is the link part of a link request: the ifinfomsg fields and
// the attributes that create, change or name one link. Peer, when set,
// describes the other end of a veth pair the same way.
//
// The optional attributes of DefaultLinkOrder go out in the order of
// Order (see AttrOrder): ip appends them in the order of its words, and a
// caller that wants ip's bytes lists their types there; each listed one is
// sent with its field's value, zero included, and the others follow in
// DefaultLinkOrder when their field is set. IFLA_NEW_IFINDEX, IFLA_IFNAME
// and IFLA_LINKINFO come last, in that order, as iplink_parse and
// iplink_modify append them.
type LinkSpec struct {
	// Family is ifi_family (0 for a plain link request).
	Family uint8
	// Index is ifi_index: the link to change or delete, or the index to
	// create a link with; 0 lets the kernel find the link by Name (or
	// pick an index).
	Index int32
	// Flags and Change go into ifi_flags and ifi_change: up is
	// Flags=Change=unix.IFF_UP, down is Flags=0, Change=unix.IFF_UP.
	Flags, Change uint32
	// MTU and TxQLen are IFLA_MTU and IFLA_TXQLEN.
	MTU, TxQLen uint32
	// HWAddr and Broadcast are IFLA_ADDRESS and IFLA_BROADCAST.
	HWAddr, Broadcast []byte
	// NetNSFD is IFLA_NET_NS_FD: a descriptor of the network namespace to
	// create the link in or move it to. Unless Order lists it, it is sent
	// when positive.
	NetNSFD int32
	// Master is IFLA_MASTER, the index of the link to enslave this one
	// to; 0 (sent only through Order) releases it.
	Master int32
	// Alias is IFLA_IFALIAS, sent without a NUL as ip sends it.
	Alias string
	// LinkMode and OperState are IFLA_LINKMODE and IFLA_OPERSTATE.
	LinkMode, OperState uint8
	// NewIndex, when not zero, is IFLA_NEW_IFINDEX: the index a link
	// moved to another namespace takes there.
	NewIndex int32
	// Name, when set, is IFLA_IFNAME: the name of a link to create, the
	// new name of a link to change, or the link itself when Index is 0.
	Name string
	// Kind, when set, is IFLA_INFO_KIND in IFLA_LINKINFO, with its NUL
	// as iproute2 HEAD sends it ("veth", "dummy").
	Kind string
	// LinkInfo sends IFLA_LINKINFO even when Kind is empty; its
	// IFLA_INFO_KIND then has no bytes at all (ip 6.1's form of
	// `type ""`), which the kernel refuses with ERANGE.
	LinkInfo bool
	// Peer, when set and IFLA_LINKINFO is sent, goes into IFLA_INFO_DATA
	// as VETH_INFO_PEER: the peer's ifinfomsg and attributes, laid out
	// by the same rules (its own Peer is ignored).
	Peer *LinkSpec
	// Order is the order of the optional attributes ip appends as it
	// reads their words; see LinkSpec and AttrOrder.
	Order AttrOrder
}

// LinkRequest is one RTM_NEWLINK or RTM_DELLINK request, as `ip link add`,
// `set`, `replace` and `delete` send it.
type LinkRequest struct {
	// Type is unix.RTM_NEWLINK (add, set, change, replace) or
	// unix.RTM_DELLINK (delete).
	Type uint16
	// Flags are the nlmsg flags beyond REQUEST|ACK: CREATE|EXCL for add,
	// CREATE|REPLACE for replace, none for set and delete.
	Flags uint16
	// Link is the link to create, change or delete.
	Link LinkSpec
}

// AppendLinkRequest appends one whole request r: the netlink header with
// flags REQUEST|ACK|r.Flags, then r.Link laid out as LinkSpec describes.
// The sequence number is left 0 for the Conn to stamp. It grows b at most
// once, and does not allocate when b has room.
func AppendLinkRequest(b []byte, r *LinkRequest) []byte {
	return appendLink(b, r.Type, r.Flags, &r.Link)
}

// appendLink appends one whole request of type typ with flags
// REQUEST|ACK|flags for s: sized first, written in one pass.
func appendLink(b []byte, typ, flags uint16, s *LinkSpec) []byte {
	b, start := room(b, sizeofHeader+s.size(true))
	o := s.put(b, start+sizeofHeader, true)
	putHeader(b, start, o-start, typ, unix.NLM_F_REQUEST|unix.NLM_F_ACK|flags)
	return b[:o]
}

// size returns the room s takes (peer: with its Peer).
func (s *LinkSpec) size(peer bool) int {
	sent := s.setMask()
	if s.Order[0] != 0 {
		sent |= s.Order.listed() & linkOrderMask
	}
	has := func(t uint16) bool { return sent&(1<<t) != 0 }
	n := sizeofIfInfomsg
	for _, t := range [...]uint16{unix.IFLA_MTU, unix.IFLA_TXQLEN, unix.IFLA_NET_NS_FD, unix.IFLA_MASTER} {
		if has(t) {
			n += attrSize(4)
		}
	}
	for _, t := range [...]uint16{unix.IFLA_LINKMODE, unix.IFLA_OPERSTATE} {
		if has(t) {
			n += attrSize(1)
		}
	}
	n += sizeIf(has(unix.IFLA_ADDRESS), len(s.HWAddr)) + sizeIf(has(unix.IFLA_BROADCAST), len(s.Broadcast)) +
		sizeIf(has(unix.IFLA_IFALIAS), len(s.Alias)) + sizeIf(s.NewIndex != 0, 4) + sizeIf(s.Name != "", len(s.Name)+1)
	if s.Kind != "" || s.LinkInfo {
		kind := len(s.Kind) // with its NUL when set; `type ""` sends no byte
		if kind != 0 {
			kind++
		}
		n += sizeofAttr + attrSize(kind)
		if peer && s.Peer != nil {
			n += 2*sizeofAttr + s.Peer.size(false)
		}
	}
	return n
}

// sizeIf returns the room of an attribute with a payload of n bytes when
// ok, else 0.
func sizeIf(ok bool, n int) int {
	if !ok {
		return 0
	}
	return attrSize(n)
}

// put writes s's ifinfomsg and attributes at b[o:] (peer: with its Peer,
// in IFLA_INFO_DATA / VETH_INFO_PEER) and returns the offset after them.
func (s *LinkSpec) put(b []byte, o int, peer bool) int {
	o = putIfInfomsg(b, o, &IfInfomsg{Family: s.Family, Index: s.Index, Flags: s.Flags, Change: s.Change})
	if s.Order[0] == 0 {
		o = s.putDefault(b, o)
	} else {
		seq, _ := s.Order.plan(&DefaultLinkOrder, linkOrderMask, s.setMask())
		for _, typ := range seq {
			if typ == 0 {
				break
			}
			o = s.putAttr(b, o, typ)
		}
	}
	if s.NewIndex != 0 {
		o = putAttrUint32(b, o, unix.IFLA_NEW_IFINDEX, uint32(s.NewIndex))
	}
	if s.Name != "" {
		o = putAttrString(b, o, unix.IFLA_IFNAME, s.Name, true)
	}
	if s.Kind == "" && !s.LinkInfo {
		return o
	}
	info := o
	o = putAttrHeader(b, o, unix.IFLA_LINKINFO, 0)
	o = putAttrString(b, o, unix.IFLA_INFO_KIND, s.Kind, s.Kind != "")
	if peer && s.Peer != nil {
		data := o
		o = putAttrHeader(b, o, unix.IFLA_INFO_DATA, 0)
		p := o
		o = putAttrHeader(b, o, vethInfoPeer, 0)
		o = s.Peer.put(b, o, false)
		putNestEnd(b, p, o)
		putNestEnd(b, data, o)
	}
	return putNestEnd(b, info, o)
}

// DefaultLinkOrder is the default AttrOrder of LinkSpec's optional
// attributes, the types LinkSpec.Order may list.
var DefaultLinkOrder = AttrOrder{unix.IFLA_MTU, unix.IFLA_ADDRESS, unix.IFLA_BROADCAST,
	unix.IFLA_TXQLEN, unix.IFLA_NET_NS_FD, unix.IFLA_MASTER, unix.IFLA_IFALIAS,
	unix.IFLA_LINKMODE, unix.IFLA_OPERSTATE}

// linkOrderMask is the set of the types of DefaultLinkOrder.
const linkOrderMask = 1<<unix.IFLA_MTU | 1<<unix.IFLA_ADDRESS | 1<<unix.IFLA_BROADCAST |
	1<<unix.IFLA_TXQLEN | 1<<unix.IFLA_NET_NS_FD | 1<<unix.IFLA_MASTER | 1<<unix.IFLA_IFALIAS |
	1<<unix.IFLA_LINKMODE | 1<<unix.IFLA_OPERSTATE

// setMask returns the set of the attributes of DefaultLinkOrder whose
// field holds a value to send when Order does not list them.
func (s *LinkSpec) setMask() uint64 {
	return bitIf(s.MTU != 0, unix.IFLA_MTU) | bitIf(s.HWAddr != nil, unix.IFLA_ADDRESS) |
		bitIf(s.Broadcast != nil, unix.IFLA_BROADCAST) | bitIf(s.TxQLen != 0, unix.IFLA_TXQLEN) |
		bitIf(s.NetNSFD > 0, unix.IFLA_NET_NS_FD) | bitIf(s.Master != 0, unix.IFLA_MASTER) |
		bitIf(s.Alias != "", unix.IFLA_IFALIAS) | bitIf(s.LinkMode != 0, unix.IFLA_LINKMODE) |
		bitIf(s.OperState != 0, unix.IFLA_OPERSTATE)
}

// putDefault writes the optional attributes whose field is set in
// DefaultLinkOrder, as put does for an empty Order (the plan it would
// make, unrolled).
func (s *LinkSpec) putDefault(b []byte, o int) int {
	if s.MTU != 0 {
		o = putAttrUint32(b, o, unix.IFLA_MTU, s.MTU)
	}
	if s.HWAddr != nil {
		o = putAttr(b, o, unix.IFLA_ADDRESS, s.HWAddr)
	}
	if s.Broadcast != nil {
		o = putAttr(b, o, unix.IFLA_BROADCAST, s.Broadcast)
	}
	if s.TxQLen != 0 {
		o = putAttrUint32(b, o, unix.IFLA_TXQLEN, s.TxQLen)
	}
	if s.NetNSFD > 0 {
		o = putAttrUint32(b, o, unix.IFLA_NET_NS_FD, uint32(s.NetNSFD))
	}
	if s.Master != 0 || s.Alias != "" || s.LinkMode != 0 || s.OperState != 0 {
		seq, _ := s.Order.plan(&DefaultLinkOrder, 0, s.setMask()&^(1<<unix.IFLA_MTU|1<<unix.IFLA_ADDRESS|
			1<<unix.IFLA_BROADCAST|1<<unix.IFLA_TXQLEN|1<<unix.IFLA_NET_NS_FD))
		for _, typ := range seq {
			if typ == 0 {
				break
			}
			o = s.putAttr(b, o, typ)
		}
	}
	return o
}

// putAttr writes the attribute typ with its field's value; a type
// LinkSpec has no field for writes nothing.
func (s *LinkSpec) putAttr(b []byte, o int, typ uint16) int {
	switch typ {
	case unix.IFLA_MTU:
		return putAttrUint32(b, o, typ, s.MTU)
	case unix.IFLA_ADDRESS:
		return putAttr(b, o, typ, s.HWAddr)
	case unix.IFLA_BROADCAST:
		return putAttr(b, o, typ, s.Broadcast)
	case unix.IFLA_TXQLEN:
		return putAttrUint32(b, o, typ, s.TxQLen)
	case unix.IFLA_NET_NS_FD:
		return putAttrUint32(b, o, typ, uint32(s.NetNSFD))
	case unix.IFLA_MASTER:
		return putAttrUint32(b, o, typ, uint32(s.Master))
	case unix.IFLA_IFALIAS:
		return putAttrString(b, o, typ, s.Alias, false)
	case unix.IFLA_LINKMODE:
		return putAttrUint8(b, o, typ, s.LinkMode)
	case unix.IFLA_OPERSTATE:
		return putAttrUint8(b, o, typ, s.OperState)
	}
	return o
}

// Veth describes an `ip link add NAME type veth peer name PEER` request:
// a shorthand for the LinkRequest AppendNewVeth builds from it.
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
// order. It is AppendLinkRequest of the request v describes. It does not
// allocate when b has room.
//
// Like AppendSetLink it writes its bytes directly; a test checks them
// against AppendLinkRequest's.
func AppendNewVeth(b []byte, v *Veth) []byte {
	n := sizeofHeader + sizeofIfInfomsg + linkBasicsSize(v.MTU, v.HWAddr, v.TxQLen, v.NetNSFD, v.Name) +
		sizeofAttr + attrSize(len("veth")+1)
	if v.PeerName != "" {
		n += 2*sizeofAttr + sizeofIfInfomsg + linkBasicsSize(v.PeerMTU, v.PeerHWAddr, v.PeerTxQLen, v.PeerNetNSFD, v.PeerName)
	}
	b, start := room(b, n)
	o := putIfInfomsg(b, start+sizeofHeader, &IfInfomsg{Flags: v.Flags, Change: v.Change})
	o = putLinkBasics(b, o, v.MTU, v.HWAddr, v.TxQLen, v.NetNSFD, v.Name)
	info := o
	o = putAttrHeader(b, o, unix.IFLA_LINKINFO, 0)
	o = putAttrString(b, o, unix.IFLA_INFO_KIND, "veth", true)
	if v.PeerName != "" {
		data := o
		o = putAttrHeader(b, o, unix.IFLA_INFO_DATA, 0)
		p := o
		o = putAttrHeader(b, o, vethInfoPeer, 0)
		o = putIfInfomsg(b, o, &IfInfomsg{Flags: v.PeerFlags, Change: v.PeerChange})
		o = putLinkBasics(b, o, v.PeerMTU, v.PeerHWAddr, v.PeerTxQLen, v.PeerNetNSFD, v.PeerName)
		putNestEnd(b, p, o)
		putNestEnd(b, data, o)
	}
	o = putNestEnd(b, info, o)
	putHeader(b, start, o-start, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	return b[:o]
}

// linkBasicsSize is the room putLinkBasics takes.
func linkBasicsSize(mtu uint32, hw []byte, txq uint32, nsfd int32, name string) int {
	return sizeIf(mtu != 0, 4) + sizeIf(hw != nil, len(hw)) + sizeIf(txq != 0, 4) + sizeIf(nsfd > 0, 4) +
		sizeIf(name != "", len(name)+1)
}

// putLinkBasics writes, as LinkSpec.put does for these fields alone and
// an empty Order, [IFLA_MTU] [IFLA_ADDRESS] [IFLA_TXQLEN]
// [IFLA_NET_NS_FD] [IFLA_IFNAME]: each when set.
func putLinkBasics(b []byte, o int, mtu uint32, hw []byte, txq uint32, nsfd int32, name string) int {
	if mtu != 0 {
		o = putAttrUint32(b, o, unix.IFLA_MTU, mtu)
	}
	if hw != nil {
		o = putAttr(b, o, unix.IFLA_ADDRESS, hw)
	}
	if txq != 0 {
		o = putAttrUint32(b, o, unix.IFLA_TXQLEN, txq)
	}
	if nsfd > 0 {
		o = putAttrUint32(b, o, unix.IFLA_NET_NS_FD, uint32(nsfd))
	}
	if name != "" {
		o = putAttrString(b, o, unix.IFLA_IFNAME, name, true)
	}
	return o
}

// LinkChange describes an `ip link set` request on an existing link: a
// shorthand for the LinkRequest AppendSetLink builds from it. The zero
// value of every optional field means "not sent".
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
// [IFLA_ADDRESS], [IFLA_TXQLEN], [IFLA_NET_NS_FD], [IFLA_IFNAME]. Its
// bytes are those of AppendLinkRequest for the request c describes (a
// test checks it), written directly, without building that request,
// since `ip link set` is the request sent most. It grows b at most once,
// and does not allocate when b has room.
func AppendSetLink(b []byte, c *LinkChange) []byte {
	b, start := room(b, sizeofHeader+sizeofIfInfomsg+linkBasicsSize(c.MTU, c.HWAddr, c.TxQLen, c.NetNSFD, c.Name))
	o := putIfInfomsg(b, start+sizeofHeader, &IfInfomsg{Index: c.Index, Flags: c.Flags, Change: c.Change})
	o = putLinkBasics(b, o, c.MTU, c.HWAddr, c.TxQLen, c.NetNSFD, c.Name)
	putHeader(b, start, o-start, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	return b[:o]
}

// AppendDelLink appends one whole RTM_DELLINK request (flags REQUEST|ACK)
// for the link with the given index or, when index is 0, the given name.
// It does not allocate when b has room.
func AppendDelLink(b []byte, index int32, name string) []byte {
	s := LinkSpec{Index: index}
	if index == 0 {
		s.Name = name
	}
	return appendLink(b, unix.RTM_DELLINK, 0, &s)
}

// LinkQuery is one RTM_GETLINK request for a single link.
type LinkQuery struct {
	// Family is ifi_family: the family ip filters on (-4, -6, -0), else 0.
	Family uint8
	// Index, when not zero, is the link to get (ifi_index).
	Index int32
	// Name is the link to get when Index is 0; it is sent then even when
	// empty, as IFLA_IFNAME or, when AltName is set, IFLA_ALT_IFNAME.
	Name string
	// AltName sends Name as IFLA_ALT_IFNAME (an alternative name).
	AltName bool
	// ExtMask is IFLA_EXT_MASK (ExtFilter* bits); it is always sent.
	ExtMask uint32
	// NameFirst puts the name before IFLA_EXT_MASK, as iplink_get (`ip
	// link show DEV`) does; ll_link_get (ip's name lookups) sends the
	// mask first.
	NameFirst bool
}

// AppendLinkQuery appends one whole RTM_GETLINK request q (flags REQUEST,
// so one RTM_NEWLINK answer comes back; see Conn.Query). It does not
// allocate when b has room.
func AppendLinkQuery(b []byte, q *LinkQuery) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = AppendIfInfomsg(b, IfInfomsg{Family: q.Family, Index: q.Index})
	if !q.NameFirst {
		b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, q.ExtMask)
	}
	if q.Index == 0 {
		typ := uint16(unix.IFLA_IFNAME)
		if q.AltName {
			typ = unix.IFLA_ALT_IFNAME
		}
		b = AppendAttrString(b, typ, q.Name)
	}
	if q.NameFirst {
		b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, q.ExtMask)
	}
	return FinishMessage(b, msg)
}

// AppendGetLink appends the RTM_GETLINK request of iproute2 HEAD's
// ll_name_to_index for the link with the given index or, when index is 0,
// the given name: AppendLinkQuery with IFLA_EXT_MASK VF|SKIP_STATS (9),
// plus NAME_ONLY (0x109) by name, whose answer carries little more than
// the index and name. A name too long for IFLA_IFNAME (IFNAMSIZ bytes or
// more) can only be an alternative name and goes in IFLA_ALT_IFNAME, as
// iproute2's ll_link_get sends it. It does not allocate when b has room.
func AppendGetLink(b []byte, index int32, name string) []byte {
	q := LinkQuery{Index: index, Name: name, AltName: len(name) >= unix.IFNAMSIZ,
		ExtMask: ExtFilterVF | ExtFilterSkipStats}
	if index == 0 {
		q.ExtMask |= ExtFilterNameOnly
	}
	return AppendLinkQuery(b, &q)
}

// AppendDumpLinks appends one whole RTM_GETLINK dump request (flags
// REQUEST|DUMP) for links of the given family, as ip sends it: for
// unix.AF_PACKET (`ip link`) and 0 (`ip addr`) with IFLA_EXT_MASK
// RTEXT_FILTER_VF, for any other family (`ip -4 addr`, `ip -6 addr`) with
// no attribute, since the kernel's per-family dump handlers refuse
// attributes under strict checking. It does not allocate when b has room.
func AppendDumpLinks(b []byte, family uint8) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendIfInfomsg(b, IfInfomsg{Family: family})
	if family == unix.AF_UNSPEC || family == unix.AF_PACKET {
		b = AppendAttrUint32(b, unix.IFLA_EXT_MASK, ExtFilterVF)
	}
	return FinishMessage(b, msg)
}
