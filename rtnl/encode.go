package rtnl

import (
	"encoding/binary"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Sizes of the fixed headers the builders write: short names for x/sys/unix's,
// and the one it lacks.
const (
	sizeofHeader    = unix.SizeofNlMsghdr  // struct nlmsghdr
	sizeofIfInfomsg = unix.SizeofIfInfomsg // struct ifinfomsg
	sizeofIfAddrmsg = unix.SizeofIfAddrmsg // struct ifaddrmsg
	sizeofRtgenmsg  = 4                    // struct rtgenmsg padded to NLMSG_ALIGNTO (unix's is 1, unpadded)
	sizeofAttr      = unix.SizeofNlAttr    // struct nlattr / rtattr
)

// align4 rounds n up to a multiple of 4 (NLMSG_ALIGN and NLA_ALIGN).
func align4(n int) int { return (n + 3) &^ 3 }

// grow extends b by n zero bytes and returns the extended slice.
// It allocates only when b lacks capacity.
func grow(b []byte, n int) []byte {
	l := len(b)
	if cap(b)-l < n {
		nb := make([]byte, l, 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	b = b[:l+n]
	clear(b[l:])
	return b
}

// IfInfomsg is struct ifinfomsg, the fixed header of link messages.
type IfInfomsg struct {
	Family uint8
	Type   uint16
	Index  int32
	Flags  uint32
	Change uint32
}

// IfAddrmsg is struct ifaddrmsg, the fixed header of address messages.
type IfAddrmsg struct {
	Family    uint8
	PrefixLen uint8
	Flags     uint8
	Scope     uint8
	Index     int32
}

// AppendHeader appends a struct nlmsghdr with the given type and flags and
// zero length, sequence and port id, and returns the extended buffer and
// the offset of the header, to be passed to FinishMessage.
// It does not allocate when b has room.
func AppendHeader(b []byte, typ, flags uint16) (out []byte, start int) {
	start = len(b)
	b = grow(b, sizeofHeader)
	binary.NativeEndian.PutUint16(b[start+4:], typ)
	binary.NativeEndian.PutUint16(b[start+6:], flags)
	return b, start
}

// FinishMessage pads the message that AppendHeader began at start to a
// multiple of 4 bytes, counted from start (not from the start of b, which
// may hold anything before it), and writes its length into its header.
// It does not allocate when b has room.
func FinishMessage(b []byte, start int) []byte {
	n := len(b) - start
	b = grow(b, align4(n)-n)
	binary.NativeEndian.PutUint32(b[start:], uint32(align4(n)))
	return b
}

// AppendIfInfomsg appends m as a 16-byte struct ifinfomsg.
// It does not allocate when b has room.
func AppendIfInfomsg(b []byte, m IfInfomsg) []byte {
	b, o := reserve(b, sizeofIfInfomsg)
	putIfInfomsg(b, o, &m)
	return b
}

// AppendIfAddrmsg appends m as an 8-byte struct ifaddrmsg.
// It does not allocate when b has room.
func AppendIfAddrmsg(b []byte, m IfAddrmsg) []byte {
	b, o := reserve(b, sizeofIfAddrmsg)
	putIfAddrmsg(b, o, &m)
	return b
}

// AppendRtgenmsg appends a struct rtgenmsg holding family, padded to 4
// bytes. It does not allocate when b has room.
func AppendRtgenmsg(b []byte, family uint8) []byte {
	o := len(b)
	b = grow(b, sizeofRtgenmsg)
	b[o] = family
	return b
}

// attrLen returns the nla_len for an attribute of n bytes, header included.
// nla_len has 16 bits: an attribute longer than 65535 bytes cannot be
// encoded, and gets nla_len 0 instead of a wrapped length, so that every
// decoder (rtnl's, the kernel's) refuses it rather than reading its payload
// as other attributes.
func attrLen(n int) uint16 {
	if n > 0xffff {
		return 0
	}
	return uint16(n)
}

// appendAttrHeader appends an attribute header for a payload of n bytes and
// room for the payload and its padding, and returns the buffer and the
// offset of the payload.
func appendAttrHeader(b []byte, typ uint16, n int) ([]byte, int) {
	b, o := reserve(b, attrSize(n))
	return b, putAttrHeader(b, o, typ, n)
}

// AppendAttr appends an attribute of type typ holding data, padded to 4
// bytes. data longer than 65531 bytes does not fit nla_len: the attribute
// is written with nla_len 0, which the kernel and every decoder refuse. It
// does not allocate when b has room.
func AppendAttr(b []byte, typ uint16, data []byte) []byte {
	b, o := appendAttrHeader(b, typ, len(data))
	copy(b[o:], data)
	return b
}

// AppendAttrUint8 appends a one-byte attribute (padded to 4 bytes).
// It does not allocate when b has room.
func AppendAttrUint8(b []byte, typ uint16, v uint8) []byte {
	b, o := appendAttrHeader(b, typ, 1)
	b[o] = v
	return b
}

// AppendAttrUint16 appends a two-byte attribute in host byte order (padded
// to 4 bytes). It does not allocate when b has room.
func AppendAttrUint16(b []byte, typ uint16, v uint16) []byte {
	b, o := appendAttrHeader(b, typ, 2)
	binary.NativeEndian.PutUint16(b[o:], v)
	return b
}

// AppendAttrUint32 appends a four-byte attribute in host byte order.
// It does not allocate when b has room.
func AppendAttrUint32(b []byte, typ uint16, v uint32) []byte {
	b, o := appendAttrHeader(b, typ, 4)
	binary.NativeEndian.PutUint32(b[o:], v)
	return b
}

// AppendAttrInt32 appends a signed four-byte attribute in host byte order.
// It does not allocate when b has room.
func AppendAttrInt32(b []byte, typ uint16, v int32) []byte {
	return AppendAttrUint32(b, typ, uint32(v))
}

// AppendAttrString appends s followed by a NUL byte as an attribute.
// It does not allocate when b has room.
func AppendAttrString(b []byte, typ uint16, s string) []byte {
	b, o := appendAttrHeader(b, typ, len(s)+1)
	copy(b[o:], s) // the NUL and the padding are already zero
	return b
}

// AppendAttrAddr appends a as a 4-byte (IPv4) or 16-byte (IPv6) attribute
// in network byte order. An invalid a gives an empty attribute.
// It does not allocate when b has room.
func AppendAttrAddr(b []byte, typ uint16, a netip.Addr) []byte {
	b, o := reserve(b, addrAttrSize(a))
	putAttrAddr(b, o, typ, a)
	return b
}

// BeginNest appends the header of a nested attribute of type typ and
// returns the buffer and the offset to pass to EndNest. Like iproute2's
// addattr_nest it does not set NLA_F_NESTED; OR it into typ to set it.
// It does not allocate when b has room.
func BeginNest(b []byte, typ uint16) (out []byte, start int) {
	start = len(b)
	b = grow(b, sizeofAttr)
	binary.NativeEndian.PutUint16(b[start+2:], typ)
	return b, start
}

// EndNest writes the length of the nest that BeginNest opened at start,
// covering everything appended since. A nest longer than 65535 bytes gets
// nla_len 0, which decoders refuse (see AppendAttr). It does not allocate.
func EndNest(b []byte, start int) []byte {
	putNestEnd(b, start, len(b))
	return b
}
