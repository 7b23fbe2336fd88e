package rtnl

import (
	"encoding/binary"
	"net/netip"
)

// The typed builders size a message first (an upper bound: every
// attribute they might send), grow the caller's buffer once with room,
// and then write each part at its offset with the put functions below,
// which neither grow nor check for room. Each put function writes every
// byte of what it puts, padding and reserved fields included (the room is
// not cleared first), at b[o:], and returns the offset after it; the
// Append functions of encode.go are reserve plus one of them.

// reserve extends b by n zero bytes, growing it at most once, and returns
// it and the offset of the first new byte.
func reserve(b []byte, n int) ([]byte, int) {
	o := len(b)
	return grow(b, n), o
}

// room extends b by n bytes that hold anything, growing it at most once,
// and returns it and the offset of the first new byte.
func room(b []byte, n int) ([]byte, int) {
	o := len(b)
	if cap(b)-o < n {
		nb := make([]byte, o, 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:o+n], o
}

// attrSize is the room an attribute with a payload of n bytes takes.
func attrSize(n int) int { return sizeofAttr + align4(n) }

// putHeader writes a struct nlmsghdr with length n, type typ and flags.
func putHeader(b []byte, o, n int, typ, flags uint16) int {
	binary.NativeEndian.PutUint32(b[o:], uint32(n))
	binary.NativeEndian.PutUint16(b[o+4:], typ)
	binary.NativeEndian.PutUint16(b[o+6:], flags)
	binary.NativeEndian.PutUint64(b[o+8:], 0) // nlmsg_seq, nlmsg_pid
	return o + sizeofHeader
}

// putIfInfomsg writes m as a struct ifinfomsg.
func putIfInfomsg(b []byte, o int, m *IfInfomsg) int {
	b[o], b[o+1] = m.Family, 0
	binary.NativeEndian.PutUint16(b[o+2:], m.Type)
	binary.NativeEndian.PutUint32(b[o+4:], uint32(m.Index))
	binary.NativeEndian.PutUint32(b[o+8:], m.Flags)
	binary.NativeEndian.PutUint32(b[o+12:], m.Change)
	return o + sizeofIfInfomsg
}

// putIfAddrmsg writes m as a struct ifaddrmsg.
func putIfAddrmsg(b []byte, o int, m *IfAddrmsg) int {
	b[o] = m.Family
	b[o+1] = m.PrefixLen
	b[o+2] = m.Flags
	b[o+3] = m.Scope
	binary.NativeEndian.PutUint32(b[o+4:], uint32(m.Index))
	return o + sizeofIfAddrmsg
}

// putAttrHeader writes the header of an attribute with a payload of n
// bytes and returns the offset of the payload.
func putAttrHeader(b []byte, o int, typ uint16, n int) int {
	binary.NativeEndian.PutUint16(b[o:], attrLen(sizeofAttr+n))
	binary.NativeEndian.PutUint16(b[o+2:], typ)
	return o + sizeofAttr
}

// putAttr writes an attribute holding data.
func putAttr(b []byte, o int, typ uint16, data []byte) int {
	p := putAttrHeader(b, o, typ, len(data))
	end := p + align4(len(data))
	if len(data)&3 != 0 {
		binary.NativeEndian.PutUint32(b[end-4:], 0) // the padding
	}
	copy(b[p:], data)
	return end
}

// putAttrString writes an attribute holding s and, when nul is set, a NUL.
func putAttrString(b []byte, o int, typ uint16, s string, nul bool) int {
	n := len(s)
	if nul {
		n++
	}
	p := putAttrHeader(b, o, typ, n)
	end := p + align4(n)
	if n != 0 {
		binary.NativeEndian.PutUint32(b[end-4:], 0) // the NUL and the padding
	}
	copy(b[p:], s)
	return end
}

// putAttrUint8 writes a one-byte attribute.
func putAttrUint8(b []byte, o int, typ uint16, v uint8) int {
	p := putAttrHeader(b, o, typ, 1)
	b[p], b[p+1], b[p+2], b[p+3] = v, 0, 0, 0
	return p + 4
}

// putAttrUint32 writes a four-byte attribute in host byte order.
func putAttrUint32(b []byte, o int, typ uint16, v uint32) int {
	binary.NativeEndian.PutUint16(b[o:], sizeofAttr+4)
	binary.NativeEndian.PutUint16(b[o+2:], typ)
	binary.NativeEndian.PutUint32(b[o+4:], v)
	return o + 8
}

// putAttrAddr writes a as a 4- or 16-byte attribute in network byte
// order, or an empty one when a is invalid.
func putAttrAddr(b []byte, o int, typ uint16, a netip.Addr) int {
	switch {
	case a.Is4():
		p := putAttrHeader(b, o, typ, 4)
		*(*[4]byte)(b[p : p+4]) = a.As4()
		return p + 4
	case a.Is6():
		p := putAttrHeader(b, o, typ, 16)
		*(*[16]byte)(b[p : p+16]) = a.As16()
		return p + 16
	}
	return putAttrHeader(b, o, typ, 0)
}

// addrAttrSize is the room putAttrAddr takes for a.
func addrAttrSize(a netip.Addr) int {
	if a.Is4() {
		return attrSize(4)
	}
	if a.Is6() {
		return attrSize(16)
	}
	return sizeofAttr
}

// putNestEnd writes the length of the nest whose header is at start and
// whose content ends at o, and returns o.
func putNestEnd(b []byte, start, o int) int {
	binary.NativeEndian.PutUint16(b[start:], attrLen(o-start))
	return o
}
