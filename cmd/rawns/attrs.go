package main

import "encoding/binary"

// parseAttrs fills t with the payloads of the netlink attributes in b,
// indexed by type (NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off). The
// first occurrence of a type wins; types beyond t are skipped; a truncated
// attribute ends the walk. The slices alias b.
func parseAttrs(b []byte, t [][]byte) {
	for len(b) >= 4 {
		l := int(binary.NativeEndian.Uint16(b))
		typ := int(binary.NativeEndian.Uint16(b[2:]) & 0x3fff)
		if l < 4 || l > len(b) {
			return
		}
		if typ < len(t) && t[typ] == nil {
			t[typ] = b[4:l:l]
		}
		l = (l + 3) &^ 3
		if l > len(b) {
			l = len(b)
		}
		b = b[l:]
	}
}

// eachAttr calls fn for every attribute in b, in order.
func eachAttr(b []byte, fn func(typ uint16, data []byte)) {
	for len(b) >= 4 {
		l := int(binary.NativeEndian.Uint16(b))
		if l < 4 || l > len(b) {
			return
		}
		fn(binary.NativeEndian.Uint16(b[2:])&0x3fff, b[4:l:l])
		l = (l + 3) &^ 3
		if l > len(b) {
			l = len(b)
		}
		b = b[l:]
	}
}

// cstr returns b up to its first NUL as a string.
func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// attrU32 reads a 32-bit attribute in host byte order; ok is false when
// the attribute is absent or short.
func attrU32(b []byte) (v uint32, ok bool) {
	if len(b) < 4 {
		return 0, false
	}
	return binary.NativeEndian.Uint32(b), true
}

// attrU8 reads a one-byte attribute.
func attrU8(b []byte) (v uint8, ok bool) {
	if len(b) < 1 {
		return 0, false
	}
	return b[0], true
}
