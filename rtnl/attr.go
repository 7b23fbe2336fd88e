package rtnl

import "encoding/binary"

// DecodeError is a message or attribute whose lengths break netlink's
// layout. AttrIter and MessageIter stop at one of the constants below, and
// the Parse functions return them wrapped with what they were decoding,
// so errors.Is(err, rtnl.ErrAttrOverrun) and the like hold. They are
// constants, so that reporting one costs the iterators nothing.
type DecodeError string

// Error returns the text of e, prefixed with "rtnl: ".
func (e DecodeError) Error() string { return "rtnl: " + string(e) }

// The decoding errors.
const (
	// ErrAttrHeader: fewer bytes than an attribute header are left.
	ErrAttrHeader DecodeError = "truncated attribute header"
	// ErrAttrShort: an attribute's nla_len is shorter than its header.
	ErrAttrShort DecodeError = "attribute length is shorter than its header"
	// ErrAttrOverrun: an attribute's nla_len exceeds the bytes left.
	ErrAttrOverrun DecodeError = "attribute length exceeds the bytes left"
	// ErrMsgHeader: fewer bytes than a message header are left.
	ErrMsgHeader DecodeError = "truncated message header"
	// ErrMsgShort: a message's nlmsg_len is shorter than its header.
	ErrMsgShort DecodeError = "message length is shorter than its header"
	// ErrMsgOverrun: a message's nlmsg_len exceeds the bytes left.
	ErrMsgOverrun DecodeError = "message length exceeds the bytes left"
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
	bad  []byte // where the iteration stopped: empty at a clean end
}

// NewAttrIter returns an iterator over the attributes in b. Data slices
// alias b. It does not allocate.
func NewAttrIter(b []byte) AttrIter { return AttrIter{b: b} }

// Next advances to the next attribute and reports whether there is one. It
// returns false at the end or at the first malformed attribute, which Err
// then reports (ErrAttrHeader, ErrAttrShort or ErrAttrOverrun). It does
// not allocate, never panics, and is small enough to be inlined (a test
// checks it).
func (it *AttrIter) Next() bool {
	b := it.b
	if len(b) >= sizeofAttr {
		if l := int(binary.NativeEndian.Uint16(b)); l >= sizeofAttr && l <= len(b) {
			it.typ = binary.NativeEndian.Uint16(b[2:])
			it.data = b[sizeofAttr:l:l]
			it.b = b[min(align4(l), len(b)):]
			return true
		}
	}
	if len(b) != 0 {
		it.bad, it.b = b, nil
	}
	return false
}

// Type returns the current attribute's type without the NLA_F_NESTED and
// NLA_F_NET_BYTEORDER bits.
func (it *AttrIter) Type() uint16 { return it.typ & nlaTypeMask }

// RawType returns the current attribute's nla_type with its flag bits.
func (it *AttrIter) RawType() uint16 { return it.typ }

// Data returns the current attribute's payload, without padding. It
// aliases the iterated buffer.
func (it *AttrIter) Data() []byte { return it.data }

// Err returns the error that stopped the iteration, or nil at a clean end
// (or before the end).
func (it *AttrIter) Err() error { return attrError(it.bad) }

// attrError returns the error of the attribute at the start of b, where a
// walk stopped: nil when b is empty.
func attrError(b []byte) error {
	switch {
	case len(b) == 0:
		return nil
	case len(b) < sizeofAttr:
		return ErrAttrHeader
	case binary.NativeEndian.Uint16(b) < sizeofAttr:
		return ErrAttrShort
	}
	return ErrAttrOverrun
}

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
