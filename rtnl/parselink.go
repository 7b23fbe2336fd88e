package rtnl

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// Link is a decoded RTM_NEWLINK message: its ifinfomsg and a table of its
// top-level attributes, indexed by IFLA_* type.
//
// Link's byte slices alias the message it was parsed from; see Message for
// how long that lives.
type Link struct {
	IfInfomsg
	attrs [linkTableSize][]byte
	kind  []byte
}

// linkSizes lists the attributes Link decodes as numbers, with their
// fixed payload sizes.
var linkSizes = [...]struct {
	typ  uint8
	size uint8
}{
	{unix.IFLA_MTU, 4}, {unix.IFLA_TXQLEN, 4}, {unix.IFLA_MASTER, 4}, {unix.IFLA_LINK, 4},
	{unix.IFLA_LINK_NETNSID, 4}, {unix.IFLA_GROUP, 4}, {unix.IFLA_NEW_NETNSID, 4},
	{unix.IFLA_NEW_IFINDEX, 4},
	{unix.IFLA_OPERSTATE, 1}, {unix.IFLA_LINKMODE, 1}, {unix.IFLA_PROTO_DOWN, 1},
}

// ParseLink decodes data, the payload of an RTM_NEWLINK message (an
// ifinfomsg and attributes). The first occurrence of an attribute wins and
// unknown types are skipped; a truncated message, a malformed attribute
// (also inside IFLA_LINKINFO and IFLA_PROP_LIST), or a known attribute of
// the wrong size is an error naming what was wrong. It does not allocate
// on well-formed input and never panics.
func ParseLink(data []byte) (l Link, err error) {
	if len(data) < sizeofIfInfomsg {
		return l, fmt.Errorf("rtnl: link message: %d bytes, shorter than ifinfomsg (%d)", len(data), sizeofIfInfomsg)
	}
	l.Family = data[0]
	l.Type = binary.NativeEndian.Uint16(data[2:])
	l.Index = int32(binary.NativeEndian.Uint32(data[4:]))
	l.Flags = binary.NativeEndian.Uint32(data[8:])
	l.Change = binary.NativeEndian.Uint32(data[12:])
	if err := parseTable(data[sizeofIfInfomsg:], l.attrs[:]); err != nil {
		return l, fmt.Errorf("rtnl: link %d: %w", l.Index, err)
	}
	for _, f := range linkSizes {
		if v := l.attrs[f.typ]; v != nil && len(v) != int(f.size) {
			return l, fmt.Errorf("rtnl: link %d: attribute type %d has %d bytes, want %d", l.Index, f.typ, len(v), f.size)
		}
	}
	if info := l.attrs[unix.IFLA_LINKINFO]; info != nil {
		it := NewAttrIter(info)
		for it.Next() {
			if it.Type() == unix.IFLA_INFO_KIND && l.kind == nil {
				l.kind = trimNUL(it.Data())
			}
		}
		if err := it.Err(); err != nil {
			return l, fmt.Errorf("rtnl: link %d: IFLA_LINKINFO: %w", l.Index, err)
		}
	}
	if props := l.attrs[unix.IFLA_PROP_LIST]; props != nil {
		it := NewAttrIter(props)
		for it.Next() {
		}
		if err := it.Err(); err != nil {
			return l, fmt.Errorf("rtnl: link %d: IFLA_PROP_LIST: %w", l.Index, err)
		}
	}
	return l, nil
}

// Attr returns the payload of the first top-level attribute of type typ,
// or nil when the message has none (or typ is beyond the types Link keeps).
func (l *Link) Attr(typ uint16) []byte {
	if int(typ) >= len(l.attrs) {
		return nil
	}
	return l.attrs[typ]
}

func (l *Link) u32(typ int) (uint32, bool) {
	v := l.attrs[typ]
	if v == nil {
		return 0, false
	}
	return binary.NativeEndian.Uint32(v), true
}

func (l *Link) u8(typ int) (uint8, bool) {
	v := l.attrs[typ]
	if v == nil {
		return 0, false
	}
	return v[0], true
}

// Name returns IFLA_IFNAME without its NUL.
func (l *Link) Name() []byte { return trimNUL(l.attrs[unix.IFLA_IFNAME]) }

// MTU returns IFLA_MTU and whether the message has it.
func (l *Link) MTU() (uint32, bool) { return l.u32(unix.IFLA_MTU) }

// TxQLen returns IFLA_TXQLEN and whether the message has it.
func (l *Link) TxQLen() (uint32, bool) { return l.u32(unix.IFLA_TXQLEN) }

// Group returns IFLA_GROUP and whether the message has it.
func (l *Link) Group() (uint32, bool) { return l.u32(unix.IFLA_GROUP) }

// Master returns IFLA_MASTER, the index of the master device, and whether
// the message has it.
func (l *Link) Master() (int32, bool) {
	v, ok := l.u32(unix.IFLA_MASTER)
	return int32(v), ok
}

// LinkIndex returns IFLA_LINK, the index of the device this one is linked
// to (a veth's peer), and whether the message has it. The kernel sends it
// only when it differs from the link's own index.
func (l *Link) LinkIndex() (int32, bool) {
	v, ok := l.u32(unix.IFLA_LINK)
	return int32(v), ok
}

// LinkNetNSID returns IFLA_LINK_NETNSID, the nsid of the namespace that
// holds the IFLA_LINK device, and whether the message has it.
func (l *Link) LinkNetNSID() (int32, bool) {
	v, ok := l.u32(unix.IFLA_LINK_NETNSID)
	return int32(v), ok
}

// OperState returns IFLA_OPERSTATE (IF_OPER_*) and whether the message has
// it.
func (l *Link) OperState() (uint8, bool) { return l.u8(unix.IFLA_OPERSTATE) }

// LinkMode returns IFLA_LINKMODE (0 default, 1 dormant) and whether the
// message has it.
func (l *Link) LinkMode() (uint8, bool) { return l.u8(unix.IFLA_LINKMODE) }

// Qdisc returns IFLA_QDISC without its NUL.
func (l *Link) Qdisc() []byte { return trimNUL(l.attrs[unix.IFLA_QDISC]) }

// Address returns IFLA_ADDRESS, the link-layer address.
func (l *Link) Address() []byte { return l.attrs[unix.IFLA_ADDRESS] }

// Broadcast returns IFLA_BROADCAST, the link-layer broadcast (or
// point-to-point peer) address.
func (l *Link) Broadcast() []byte { return l.attrs[unix.IFLA_BROADCAST] }

// PermAddr returns IFLA_PERM_ADDRESS, the permanent hardware address.
func (l *Link) PermAddr() []byte { return l.attrs[unix.IFLA_PERM_ADDRESS] }

// Kind returns IFLA_INFO_KIND from IFLA_LINKINFO ("veth", ...), without
// its NUL, or nil.
func (l *Link) Kind() []byte { return l.kind }

// IfAlias returns IFLA_IFALIAS, the link's alias, without its NUL.
func (l *Link) IfAlias() []byte { return trimNUL(l.attrs[unix.IFLA_IFALIAS]) }

// NewNetNSID returns IFLA_NEW_NETNSID, the nsid of the namespace a link
// moved to (in the RTM_DELLINK the move causes), and whether the message
// has it.
func (l *Link) NewNetNSID() (int32, bool) {
	v, ok := l.u32(unix.IFLA_NEW_NETNSID)
	return int32(v), ok
}

// NewIfIndex returns IFLA_NEW_IFINDEX, the index a link got in the
// namespace it moved to, and whether the message has it.
func (l *Link) NewIfIndex() (int32, bool) {
	v, ok := l.u32(unix.IFLA_NEW_IFINDEX)
	return int32(v), ok
}

// ProtoDown reports whether IFLA_PROTO_DOWN is present and non-zero: the
// link is held down by a protocol (`protodown on`).
func (l *Link) ProtoDown() bool {
	v, ok := l.u8(unix.IFLA_PROTO_DOWN)
	return ok && v != 0
}

// AltNames returns an iterator over IFLA_PROP_LIST, whose IFLA_ALT_IFNAME
// attributes are the link's alternative names (NUL-terminated); ParseLink
// has checked the walk, so the iterator ends without an error.
func (l *Link) AltNames() AttrIter { return NewAttrIter(l.attrs[unix.IFLA_PROP_LIST]) }
