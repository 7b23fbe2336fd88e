package rtnl

import "encoding/binary"

// attrTable records, in one pass over a message's attributes, where the
// first attribute of each type is: at[t] is 1 + the offset of the header
// of the first attribute of type t in data, or 0 when there is none. The
// decoded types (Link, AddrMessage, NetNSID) read every attribute through
// it, each with an array just long enough for its types.
type attrTable[T tableArray] struct {
	data []byte
	at   T
}

// tableArray are the arrays of the decoded types' tables.
type tableArray interface {
	[linkTableSize]uint32 | [addrTableSize]uint32 | [nsidTableSize]uint32
}

// sizeFamily in a size table stands for the size of an address of the
// message's family.
const sizeFamily = 0xff

// fill records the attributes of b, as attrTable describes, and replaces
// what t held; types beyond the table are skipped. A malformed attribute is
// an error (a DecodeError). sizes[t], when not 0, is the payload size that
// type t must have (sizeFamily: alen, unchecked when alen is negative);
// sizes is as long as the table. bad is the first type recorded with
// another size, or -1. It does not allocate.
func (t *attrTable[T]) fill(b []byte, sizes []uint8, alen int) (bad int, err error) {
	t.data = b
	var zero T
	t.at = zero
	bad = -1
	off := 0
	for len(b)-off >= sizeofAttr {
		l := int(binary.NativeEndian.Uint16(b[off:]))
		if l < sizeofAttr || l > len(b)-off {
			return bad, attrError(b[off:])
		}
		if typ := int(binary.NativeEndian.Uint16(b[off+2:]) & nlaTypeMask); typ < len(t.at) && t.at[typ] == 0 {
			t.at[typ] = uint32(off + 1)
			if want := int(sizes[typ]); want != 0 && bad < 0 && !sizeFits(l-sizeofAttr, want, alen) {
				bad = typ
			}
		}
		off += align4(l)
	}
	if off < len(b) {
		return bad, ErrAttrHeader
	}
	return bad, nil
}

// sizeFits reports whether a payload of n bytes has the size want (see
// fill).
func sizeFits(n, want, alen int) bool {
	if want == sizeFamily {
		return alen < 0 || n == alen
	}
	return n == want
}

// get returns the payload of the recorded attribute of type typ, or nil.
func (t *attrTable[T]) get(typ int) []byte {
	if typ >= len(t.at) || t.at[typ] == 0 {
		return nil
	}
	o := int(t.at[typ] - 1)
	l := int(binary.NativeEndian.Uint16(t.data[o:]))
	return t.data[o+sizeofAttr : o+l : o+l]
}
