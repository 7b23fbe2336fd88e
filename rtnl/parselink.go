package rtnl

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// Link is a decoded RTM_NEWLINK message: its ifinfomsg and where each of
// its top-level attributes is, indexed by IFLA_* type.
//
// Link's byte slices alias the message it was decoded from; see Message
// for how long that lives. Decode into one Link reused from message to
// message (a dump's callback) costs no copy of the table.
type Link struct {
	IfInfomsg
	attrs attrTable[[linkTableSize]uint32]
	kind  []byte
}

// linkSizes are the payload sizes of the attributes Link decodes as
// numbers (0: any size).
var linkSizes = [linkTableSize]uint8{
	unix.IFLA_MTU: 4, unix.IFLA_TXQLEN: 4, unix.IFLA_MASTER: 4, unix.IFLA_LINK: 4,
	unix.IFLA_LINK_NETNSID: 4, unix.IFLA_GROUP: 4, unix.IFLA_NEW_NETNSID: 4,
	unix.IFLA_NEW_IFINDEX: 4,
	unix.IFLA_OPERSTATE:   1, unix.IFLA_LINKMODE: 1, unix.IFLA_PROTO_DOWN: 1,
}

// ParseLink decodes data as Link.Decode does and returns the Link by
// value; a caller decoding many messages should reuse one Link with
// Decode instead.
func ParseLink(data []byte) (l Link, err error) {
	err = l.Decode(data)
	return l, err
}

// Decode decodes data, the payload of an RTM_NEWLINK message (an
// ifinfomsg and attributes), into l, replacing what l held. The first
// occurrence of an attribute wins and unknown types are skipped; a
// truncated message, a malformed attribute (also inside IFLA_LINKINFO and
// IFLA_PROP_LIST: a DecodeError, wrapped), or a known attribute of the
// wrong size is an error naming what was wrong. It does not allocate on
// well-formed input and never panics.
func (l *Link) Decode(data []byte) error {
	if len(data) < sizeofIfInfomsg {
		*l = Link{}
		return fmt.Errorf("rtnl: link message: %d bytes, shorter than ifinfomsg (%d)", len(data), sizeofIfInfomsg)
	}
	l.Family = data[0]
	l.Type = binary.NativeEndian.Uint16(data[2:])
	l.Index = int32(binary.NativeEndian.Uint32(data[4:]))
	l.Flags = binary.NativeEndian.Uint32(data[8:])
	l.Change = binary.NativeEndian.Uint32(data[12:])
	l.kind = nil
	bad, err := l.attrs.fill(data[sizeofIfInfomsg:], linkSizes[:], -1)
	if err != nil {
		return fmt.Errorf("rtnl: link %d: %w", l.Index, err)
	}
	if bad >= 0 {
		return fmt.Errorf("rtnl: link %d: attribute type %d has %d bytes, want %d", l.Index, bad, len(l.attrs.get(bad)), linkSizes[bad])
	}
	if info := l.attrs.get(unix.IFLA_LINKINFO); info != nil {
		it := NewAttrIter(info)
		for it.Next() {
			if it.Type() == unix.IFLA_INFO_KIND && l.kind == nil {
				l.kind = trimNUL(it.Data())
			}
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("rtnl: link %d: IFLA_LINKINFO: %w", l.Index, err)
		}
	}
	if props := l.attrs.get(unix.IFLA_PROP_LIST); props != nil {
		it := NewAttrIter(props)
		for it.Next() {
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("rtnl: link %d: IFLA_PROP_LIST: %w", l.Index, err)
		}
	}
	return nil
}

// Attr returns the payload of the first top-level attribute of type typ,
// or nil when the message has none (or typ is beyond the types Link keeps).
func (l *Link) Attr(typ uint16) []byte { return l.attrs.get(int(typ)) }

func (l *Link) u32(typ int) (uint32, bool) {
	v := l.attrs.get(typ)
	if v == nil {
		return 0, false
	}
	return binary.NativeEndian.Uint32(v), true
}

func (l *Link) u8(typ int) (uint8, bool) {
	v := l.attrs.get(typ)
	if v == nil {
		return 0, false
	}
	return v[0], true
}

// Name returns IFLA_IFNAME without its NUL.
func (l *Link) Name() []byte { return trimNUL(l.attrs.get(unix.IFLA_IFNAME)) }

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
func (l *Link) Qdisc() []byte { return trimNUL(l.attrs.get(unix.IFLA_QDISC)) }

// Address returns IFLA_ADDRESS, the link-layer address.
func (l *Link) Address() []byte { return l.attrs.get(unix.IFLA_ADDRESS) }

// Broadcast returns IFLA_BROADCAST, the link-layer broadcast (or
// point-to-point peer) address.
func (l *Link) Broadcast() []byte { return l.attrs.get(unix.IFLA_BROADCAST) }

// PermAddr returns IFLA_PERM_ADDRESS, the permanent hardware address.
func (l *Link) PermAddr() []byte { return l.attrs.get(unix.IFLA_PERM_ADDRESS) }

// Kind returns IFLA_INFO_KIND from IFLA_LINKINFO ("veth", ...), without
// its NUL, or nil.
func (l *Link) Kind() []byte { return l.kind }

// IfAlias returns IFLA_IFALIAS, the link's alias, without its NUL.
func (l *Link) IfAlias() []byte { return trimNUL(l.attrs.get(unix.IFLA_IFALIAS)) }

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
func (l *Link) AltNames() AttrIter { return NewAttrIter(l.attrs.get(unix.IFLA_PROP_LIST)) }
