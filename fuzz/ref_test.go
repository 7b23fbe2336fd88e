package fuzz_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mdlayher/netlink"

	"github.com/rawns/rawns/rtnl"
)

// The reference walkers below drive mdlayher/netlink's exported decoders
// (Message.UnmarshalBinary, AttributeDecoder) the way its Conn does, and
// record what they accept. The fuzz targets then state, rule by rule, what
// rtnl must do with the same bytes.

// refMsgWalk is what mdlayher/netlink makes of one datagram.
type refMsgWalk struct {
	msgs []netlink.Message
	// rest is what the walk did not consume: trailing bytes (fewer than a
	// header, which mdlayher ignores) when err is nil, the bytes from the
	// rejected message on when err is set.
	rest []byte
	err  error
}

// refMessages walks b the way mdlayher/netlink v1.11.2's parseMessagesIter
// (used by Conn.Receive) does: while a whole header is left, a length below
// the header is an error, an aligned length beyond the buffer is an error,
// and Message.UnmarshalBinary decodes the aligned message. Fewer than 16
// trailing bytes are ignored.
func refMessages(b []byte) refMsgWalk {
	var w refMsgWalk
	for len(b) >= 16 {
		length := binary.NativeEndian.Uint32(b)
		if length < 16 {
			w.rest, w.err = b, errors.New("length below header")
			return w
		}
		alength := align4(int(length))
		if alength > len(b) {
			w.rest, w.err = b, errors.New("aligned length beyond buffer")
			return w
		}
		var m netlink.Message
		if err := m.UnmarshalBinary(b[:alength]); err != nil {
			w.rest, w.err = b, err
			return w
		}
		w.msgs = append(w.msgs, m)
		b = b[alength:]
	}
	w.rest = b
	return w
}

// attr is one decoded attribute: its raw nla_type (flag bits included),
// nla_len and payload.
type attr struct {
	typ    uint16
	length uint16
	data   []byte
}

// refAttrWalk is what mdlayher/netlink's AttributeDecoder makes of b.
type refAttrWalk struct {
	attrs []attr // every attribute Next returned, zero-length ones included
	err   error  // NewAttributeDecoder's or Next's error
}

// refAttrs walks b with netlink.NewAttributeDecoder and Next. The decoder
// scans the whole buffer first (trailing bytes shorter than a header are an
// error there), skips zero-length attributes by 4 bytes, rejects lengths 1
// to 3 and lengths beyond the buffer, and accepts a final attribute whose
// padding is missing.
func refAttrs(b []byte) refAttrWalk {
	var w refAttrWalk
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		w.err = err
		return w
	}
	off := 0
	for ad.Next() {
		// AttributeDecoder hides nla_len; read it to tell a zero-length
		// attribute (nla_len 0) from an empty one (nla_len 4).
		l := binary.NativeEndian.Uint16(b[off:])
		w.attrs = append(w.attrs, attr{typ: ad.Type() | ad.TypeFlags(), length: l, data: ad.Bytes()})
		off += max(4, align4(int(l)))
	}
	w.err = ad.Err()
	return w
}

// offsetOf returns where the attribute after attrs starts, by the stride
// both decoders use: 4 bytes for a zero-length attribute, else the aligned
// length.
func offsetOf(attrs []attr) int {
	off := 0
	for _, a := range attrs {
		off += max(4, align4(int(a.length)))
	}
	return off
}

// firstZero returns the index of the first zero-length attribute, or -1.
func (w refAttrWalk) firstZero() int {
	for i, a := range w.attrs {
		if a.length == 0 {
			return i
		}
	}
	return -1
}

// rtnlAttrs walks b with rtnl.AttrIter.
func rtnlAttrs(b []byte) ([]attr, error) {
	var out []attr
	it := rtnl.NewAttrIter(b)
	for it.Next() {
		d := it.Data()
		out = append(out, attr{typ: it.RawType(), length: uint16(4 + len(d)), data: d})
	}
	return out, it.Err()
}

// compareAttrs checks rtnl's walk of b against mdlayher/netlink's, by these
// rules:
//
//  1. Both accept, with the same attributes (raw type with flag bits, the
//     payload without padding), when mdlayher accepts and met no
//     zero-length attribute.
//  2. A zero-length attribute (nla_len 0) is where rtnl stops with an
//     error: the kernel's nla_ok fails on it, while mdlayher skips it by 4
//     bytes. What rtnl returned before it equals mdlayher's attributes
//     before it.
//  3. Otherwise, when mdlayher rejects (trailing bytes shorter than a
//     header, nla_len 1 to 3, nla_len beyond the buffer), rtnl rejects too,
//     and the attributes rtnl returned before stopping are exactly what
//     mdlayher decodes from the bytes they span.
//
// Type() is also checked to be the raw type without NLA_F_NESTED and
// NLA_F_NET_BYTEORDER, as mdlayher's Type() and the kernel's nla_type().
func compareAttrs(b []byte) error {
	ref := refAttrs(b)
	got, gotErr := rtnlAttrs(b)
	it := rtnl.NewAttrIter(b)
	for it.Next() {
		if it.Type() != it.RawType()&^(netlink.Nested|netlink.NetByteOrder) {
			return fmt.Errorf("Type() = %#x for raw type %#x", it.Type(), it.RawType())
		}
		if d := it.Data(); cap(d) != len(d) {
			return fmt.Errorf("Data() has cap %d > len %d: an append would write into the next attribute", cap(d), len(d))
		}
	}
	if z := ref.firstZero(); z >= 0 {
		if gotErr == nil {
			return fmt.Errorf("rtnl accepted a zero-length attribute at offset %d (rule 2)", offsetOf(ref.attrs[:z]))
		}
		return sameAttrs(got, ref.attrs[:z], "rule 2")
	}
	if ref.err == nil {
		if gotErr != nil {
			return fmt.Errorf("rtnl rejected what mdlayher accepts (rule 1): %v", gotErr)
		}
		return sameAttrs(got, ref.attrs, "rule 1")
	}
	if gotErr == nil {
		return fmt.Errorf("rtnl accepted what mdlayher rejects with %q (rule 3): %d attributes", ref.err, len(got))
	}
	off := min(offsetOf(got), len(b))
	prefix := refAttrs(b[:off])
	if prefix.err != nil || prefix.firstZero() >= 0 {
		return fmt.Errorf("mdlayher rejects the %d bytes rtnl accepted before its error (rule 3): %v", off, prefix.err)
	}
	return sameAttrs(got, prefix.attrs, "rule 3")
}

// sameAttrs compares two attribute lists.
func sameAttrs(got, want []attr, rule string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: rtnl gave %d attributes, mdlayher %d", rule, len(got), len(want))
	}
	for i := range got {
		if got[i].typ != want[i].typ || !bytes.Equal(got[i].data, want[i].data) {
			return fmt.Errorf("%s: attribute %d: rtnl type %#x data % x, mdlayher type %#x data % x",
				rule, i, got[i].typ, got[i].data, want[i].typ, want[i].data)
		}
	}
	return nil
}
