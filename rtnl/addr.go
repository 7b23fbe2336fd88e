package rtnl

import (
	"encoding/binary"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Addr describes an `ip address add`, `change`, `replace` or `delete`
// request (ParseAddr decodes the kernel's address messages into an
// AddrMessage). The zero value of every optional field means "not sent"; no
// broadcast is computed (the caller computes `broadcast +` and sets
// BroadcastLast).
type Addr struct {
	// Family is unix.AF_INET or unix.AF_INET6; zero means the family of
	// the first valid one of Local, Peer, Broadcast and Anycast, or
	// AF_UNSPEC (0) when none is valid.
	Family uint8
	// PrefixLen is the prefix length (ifa_prefixlen).
	PrefixLen uint8
	// Scope is ifa_scope (unix.RT_SCOPE_*). iproute2 sends host (254) for
	// 127.0.0.0/8 and 0 otherwise; the caller chooses.
	Scope uint8
	// Flags are IFA_F_* flags. When they fit in 8 bits they go in
	// ifa_flags; otherwise all of them go in IFA_FLAGS and ifa_flags is 0,
	// as iproute2 sends them.
	Flags uint32
	// Index is the interface index (ifa_index).
	Index int32
	// Local is the address itself (IFA_LOCAL).
	Local netip.Addr
	// Peer, when valid, is the other end of a point-to-point link
	// (IFA_ADDRESS). When no peer is sent, IFA_ADDRESS repeats Local after
	// the other attributes, unless OmitAddress is set.
	Peer netip.Addr
	// Broadcast, when valid, is sent as IFA_BROADCAST.
	Broadcast netip.Addr
	// Anycast, when valid, is sent as IFA_ANYCAST.
	Anycast netip.Addr
	// Label, when set (or listed in Order), is sent as IFA_LABEL.
	Label string
	// Metric is sent as IFA_RT_PRIORITY, the metric of the prefix route,
	// when HasMetric is true (or IFA_RT_PRIORITY is listed in Order).
	Metric uint32
	// HasMetric reports whether to send Metric.
	HasMetric bool
	// ValidLft and PreferredLft are sent as IFA_CACHEINFO when
	// HasLifetimes is true; 0xffffffff means forever.
	ValidLft, PreferredLft uint32
	// HasLifetimes reports whether to send IFA_CACHEINFO.
	HasLifetimes bool
	// OmitAddress leaves out the IFA_ADDRESS that repeats Local when
	// there is no Peer, as `ip address delete A dev D` does for an IPv4 A
	// without a prefix length: the kernel then deletes the first address
	// A on D whatever its prefix.
	OmitAddress bool
	// BroadcastLast sends Broadcast after IFA_ADDRESS, where iproute2 puts
	// a broadcast address it computes (`broadcast +` or `-`), instead of
	// in the place Order gives it; an invalid Broadcast is then sent as
	// an empty attribute, as iproute2 sends one computed from no address.
	BroadcastLast bool
	// Order is the order of the attributes iproute2 appends as it reads
	// their words (see AttrOrder): the types of DefaultAddrOrder, IFA_LOCAL,
	// IFA_ADDRESS (the peer), IFA_BROADCAST, IFA_ANYCAST, IFA_LABEL and
	// IFA_RT_PRIORITY. A listed one is sent even when its field is zero (an
	// empty Label as a lone NUL, `label ""`; an invalid address as an empty
	// attribute, `local any`).
	Order AttrOrder
}

// DefaultAddrOrder is the default AttrOrder of Addr's attributes: the
// order of `ip address add LOCAL broadcast B peer P anycast A label L
// metric M`.
var DefaultAddrOrder = AttrOrder{unix.IFA_LOCAL, unix.IFA_BROADCAST, unix.IFA_ADDRESS,
	unix.IFA_ANYCAST, unix.IFA_LABEL, unix.IFA_RT_PRIORITY}

// addrOrderMask is the set of the types of DefaultAddrOrder.
const addrOrderMask = 1<<unix.IFA_LOCAL | 1<<unix.IFA_BROADCAST | 1<<unix.IFA_ADDRESS |
	1<<unix.IFA_ANYCAST | 1<<unix.IFA_LABEL | 1<<unix.IFA_RT_PRIORITY

// AppendNewAddr appends one whole RTM_NEWADDR request (flags
// REQUEST|ACK|CREATE|EXCL, `ip address add`) adding a, in iproute2's
// layout: ifaddrmsg; the attributes of a.Order (see AttrOrder); [IFA_FLAGS];
// [IFA_ADDRESS = Local when there is no Peer]; [IFA_BROADCAST when
// BroadcastLast]; [IFA_CACHEINFO]. It does not allocate when b has room.
func AppendNewAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_NEWADDR,
		unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, a)
}

// AppendReplaceAddr appends one whole RTM_NEWADDR request with flags
// REQUEST|ACK|CREATE|REPLACE (`ip address replace`: add a, or change it
// when it exists), laid out like AppendNewAddr.
// It does not allocate when b has room.
func AppendReplaceAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_NEWADDR,
		unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_REPLACE, a)
}

// AppendChangeAddr appends one whole RTM_NEWADDR request with flags
// REQUEST|ACK|REPLACE (`ip address change`: change a, which must exist),
// laid out like AppendNewAddr. It does not allocate when b has room.
func AppendChangeAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_NEWADDR, unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_REPLACE, a)
}

// AppendDelAddr appends one whole RTM_DELADDR request (flags REQUEST|ACK)
// removing a, laid out like AppendNewAddr.
// It does not allocate when b has room.
func AppendDelAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_DELADDR, unix.NLM_F_REQUEST|unix.NLM_F_ACK, a)
}

// appendAddr appends one whole address request of type typ with flags
// flags for a: sized first, written in one pass.
func appendAddr(b []byte, typ, flags uint16, a *Addr) []byte {
	b, start := room(b, sizeofHeader+sizeofIfAddrmsg+a.size())
	o := putIfAddrmsg(b, start+sizeofHeader, &IfAddrmsg{Family: a.family(), PrefixLen: a.PrefixLen,
		Flags: ifaFlags8(a.Flags), Scope: a.Scope, Index: a.Index})
	o, sent := a.putWordAttrs(b, o)
	if a.Flags > 0xff {
		o = putAttrUint32(b, o, unix.IFA_FLAGS, a.Flags)
	}
	if sent&(1<<unix.IFA_LOCAL) != 0 && sent&(1<<unix.IFA_ADDRESS) == 0 && !a.OmitAddress {
		o = putAttrAddr(b, o, unix.IFA_ADDRESS, a.Local)
	}
	if a.BroadcastLast {
		o = putAttrAddr(b, o, unix.IFA_BROADCAST, a.Broadcast)
	}
	if a.HasLifetimes {
		p := putAttrHeader(b, o, unix.IFA_CACHEINFO, unix.SizeofIfaCacheinfo)
		binary.NativeEndian.PutUint32(b[p:], a.PreferredLft) // ifa_prefered, ifa_valid, cstamp, tstamp
		binary.NativeEndian.PutUint32(b[p+4:], a.ValidLft)
		binary.NativeEndian.PutUint64(b[p+8:], 0)
		o = p + unix.SizeofIfaCacheinfo
	}
	putHeader(b, start, o-start, typ, flags)
	return b[:o]
}

// putWordAttrs writes the attributes of a.Order and, after them, those of
// DefaultAddrOrder whose field is set (see AttrOrder), and returns the
// offset after them and the set of the types written.
func (a *Addr) putWordAttrs(b []byte, o int) (int, uint64) {
	if a.Order[0] == 0 && !a.BroadcastLast && !a.Anycast.IsValid() && a.Label == "" && !a.HasMetric {
		// The usual request, unrolled: [IFA_LOCAL] [IFA_BROADCAST] [IFA_ADDRESS].
		var sent uint64
		if a.Local.IsValid() {
			o, sent = putAttrAddr(b, o, unix.IFA_LOCAL, a.Local), sent|1<<unix.IFA_LOCAL
		}
		if a.Broadcast.IsValid() {
			o, sent = putAttrAddr(b, o, unix.IFA_BROADCAST, a.Broadcast), sent|1<<unix.IFA_BROADCAST
		}
		if a.Peer.IsValid() {
			o, sent = putAttrAddr(b, o, unix.IFA_ADDRESS, a.Peer), sent|1<<unix.IFA_ADDRESS
		}
		return o, sent
	}
	allowed := uint64(addrOrderMask)
	if a.BroadcastLast {
		allowed &^= 1 << unix.IFA_BROADCAST
	}
	seq, sent := a.Order.plan(&DefaultAddrOrder, allowed, a.setMask())
	for _, t := range seq {
		if t == 0 {
			break
		}
		o = a.putWordAttr(b, o, t)
	}
	return o, sent
}

// size returns the room a's attributes take, as appendAddr sends them.
func (a *Addr) size() int {
	sent := a.setMask()
	if a.Order[0] != 0 {
		sent |= a.Order.listed() & addrOrderMask
	}
	n := sizeIf(sent&(1<<unix.IFA_LABEL) != 0, len(a.Label)+1) +
		sizeIf(sent&(1<<unix.IFA_RT_PRIORITY) != 0, 4) + sizeIf(a.Flags > 0xff, 4) +
		sizeIf(a.HasLifetimes, unix.SizeofIfaCacheinfo)
	if sent&(1<<unix.IFA_LOCAL) != 0 {
		n += addrAttrSize(a.Local)
		if sent&(1<<unix.IFA_ADDRESS) == 0 && !a.OmitAddress {
			n += addrAttrSize(a.Local) // IFA_ADDRESS repeats it
		}
	}
	if sent&(1<<unix.IFA_ADDRESS) != 0 {
		n += addrAttrSize(a.Peer)
	}
	if sent&(1<<unix.IFA_BROADCAST) != 0 || a.BroadcastLast {
		n += addrAttrSize(a.Broadcast)
	}
	if sent&(1<<unix.IFA_ANYCAST) != 0 {
		n += addrAttrSize(a.Anycast)
	}
	return n
}

// family returns the ifa_family to send (see Addr.Family).
func (a *Addr) family() uint8 {
	if a.Family != 0 {
		return a.Family
	}
	for _, ip := range [...]netip.Addr{a.Local, a.Peer, a.Broadcast, a.Anycast} {
		switch {
		case ip.Is4():
			return unix.AF_INET
		case ip.Is6():
			return unix.AF_INET6
		}
	}
	return unix.AF_UNSPEC
}

// setMask returns the set of the attributes of DefaultAddrOrder whose
// field is set (bit t for type t).
func (a *Addr) setMask() uint64 {
	return bitIf(a.Local.IsValid(), unix.IFA_LOCAL) | bitIf(a.Peer.IsValid(), unix.IFA_ADDRESS) |
		bitIf(a.Broadcast.IsValid() && !a.BroadcastLast, unix.IFA_BROADCAST) |
		bitIf(a.Anycast.IsValid(), unix.IFA_ANYCAST) | bitIf(a.Label != "", unix.IFA_LABEL) |
		bitIf(a.HasMetric, unix.IFA_RT_PRIORITY)
}

// putWordAttr writes attribute typ of DefaultAddrOrder from a's field.
func (a *Addr) putWordAttr(b []byte, o int, typ uint16) int {
	switch typ {
	case unix.IFA_LOCAL:
		return putAttrAddr(b, o, typ, a.Local)
	case unix.IFA_ADDRESS:
		return putAttrAddr(b, o, typ, a.Peer)
	case unix.IFA_BROADCAST:
		return putAttrAddr(b, o, typ, a.Broadcast)
	case unix.IFA_ANYCAST:
		return putAttrAddr(b, o, typ, a.Anycast)
	case unix.IFA_LABEL:
		return putAttrString(b, o, typ, a.Label, true)
	case unix.IFA_RT_PRIORITY:
		return putAttrUint32(b, o, typ, a.Metric)
	}
	return o
}

// ifaFlags8 returns what goes in ifa_flags: the flags when they fit in 8
// bits, otherwise 0 (they travel in IFA_FLAGS), as iproute2 does.
func ifaFlags8(f uint32) uint8 {
	if f > 0xff {
		return 0
	}
	return uint8(f)
}

// AppendDelAddrOf appends one whole RTM_DELADDR request (flags
// REQUEST|ACK) that removes the address m was decoded from: m's ifaddrmsg
// and attributes as the kernel sent them, as `ip address flush` sends them
// back (it asks for no ACK; this one does, so that a batch of them can be
// matched to their answers). It does not allocate when b has room.
func AppendDelAddrOf(b []byte, m *AddrMessage) []byte {
	b, msg := AppendHeader(b, unix.RTM_DELADDR, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	b = append(b, m.data...)
	return FinishMessage(b, msg)
}

// AppendDumpAddrs appends one whole RTM_GETADDR dump request (flags
// REQUEST|DUMP) for the addresses of the given family (0 for all) on the
// link with the given index (0 for all), as `ip address show [dev D]`
// sends it: a zero ifaddrmsg apart from the family and the index, which
// the kernel filters on under strict checking.
// It does not allocate when b has room.
func AppendDumpAddrs(b []byte, family uint8, index int32) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETADDR, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendIfAddrmsg(b, IfAddrmsg{Family: family, Index: index})
	return FinishMessage(b, msg)
}
