package rtnl

import (
	"encoding/binary"
	"fmt"
)

// AttrIter walks netlink attributes (struct nlattr / rtattr) in place.
// The zero value holds no attributes.
//
//	it := rtnl.NewAttrIter(b)
//	for it.Next() {
//		switch it.Type() { ... it.Data() ... }
//	}
//	if err := it.Err(); err != nil { ... }
type AttrIter struct {
	b    []byte
	typ  uint16
	data []byte
	err  error
}

// NewAttrIter returns an iterator over the attributes in b. Data slices
// alias b. It does not allocate.
func NewAttrIter(b []byte) AttrIter { return AttrIter{b: b} }

// Next advances to the next attribute and reports whether there is one. It
// returns false at the end or at the first malformed attribute, which Err
// then describes. It does not allocate on well-formed input and never
// panics.
func (it *AttrIter) Next() bool {
	if it.err != nil || len(it.b) == 0 {
		return false
	}
	b := it.b
	if len(b) < sizeofAttr {
		it.err = fmt.Errorf("rtnl: truncated attribute header: %d bytes left, want %d", len(b), sizeofAttr)
		return false
	}
	l := int(binary.NativeEndian.Uint16(b))
	typ := binary.NativeEndian.Uint16(b[2:])
	switch {
	case l < sizeofAttr:
		it.err = fmt.Errorf("rtnl: attribute type %d: length %d is shorter than its header", typ&nlaTypeMask, l)
		return false
	case l > len(b):
		it.err = fmt.Errorf("rtnl: attribute type %d: length %d exceeds the %d bytes left", typ&nlaTypeMask, l, len(b))
		return false
	}
	it.typ = typ
	it.data = b[sizeofAttr:l:l]
	it.b = b[min(align4(l), len(b)):]
	return true
}

// Type returns the current attribute's type without the NLA_F_NESTED and
// NLA_F_NET_BYTEORDER bits.
func (it *AttrIter) Type() uint16 { return it.typ & nlaTypeMask }

// RawType returns the current attribute's nla_type with its flag bits.
func (it *AttrIter) RawType() uint16 { return it.typ }

// Data returns the current attribute's payload, without padding. It
// aliases the iterated buffer.
func (it *AttrIter) Data() []byte { return it.data }

// Err returns the error that stopped the iteration, or nil at a clean end.
func (it *AttrIter) Err() error { return it.err }

// parseTable fills t, indexed by attribute type, from the attributes in b:
// the first occurrence of a type wins, types beyond t are skipped, a
// malformed attribute is an error. Zero-length attributes are stored as
// empty, non-nil slices. It does not allocate on well-formed input.
func parseTable(b []byte, t [][]byte) error {
	it := NewAttrIter(b)
	for it.Next() {
		typ := int(it.Type())
		if typ < len(t) && t[typ] == nil {
			t[typ] = it.Data()
		}
	}
	return it.Err()
}

// trimNUL returns b up to its first NUL byte.
func trimNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
