package fuzz_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"

	"github.com/mdlayher/netlink"
)

// node is one attribute of the expected layout of a request, written from
// the rtnl API contract and iproute2's wire format: a leaf holding data, or
// a nest holding data as a fixed header (the peer's ifinfomsg inside
// VETH_INFO_PEER) followed by its children.
type node struct {
	typ  uint16
	data []byte
	nest bool
	kids []node
}

// leaf returns a leaf node.
func leaf(typ uint16, data []byte) node { return node{typ: typ, data: data} }

// u32 returns v in host byte order.
func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

// cstr returns s with its NUL terminator.
func cstr(s string) []byte { return append([]byte(s), 0) }

// align4 is NLA_ALIGN / NLMSG_ALIGN, written out again here so that the
// length check does not trust rtnl's own helper.
func align4(n int) int { return (n + 3) / 4 * 4 }

// sizeOf returns the aligned size of nodes computed from the parts:
// 4 bytes of header plus the aligned payload for each.
func sizeOf(nodes []node) int {
	n := 0
	for _, a := range nodes {
		payload := len(a.data)
		if a.nest {
			payload += sizeOf(a.kids)
		}
		n += 4 + align4(payload)
	}
	return n
}

// refEncodeAttrs encodes nodes with mdlayher/netlink's MarshalAttributes, the
// independent reference encoder. Nests get no NLA_F_NESTED, as iproute2's
// addattr_nest and the rtnl contract do.
func refEncodeAttrs(tb testing.TB, nodes []node) []byte {
	tb.Helper()
	attrs := make([]netlink.Attribute, 0, len(nodes))
	for _, a := range nodes {
		data := a.data
		if a.nest {
			data = append(slices.Clip(a.data), refEncodeAttrs(tb, a.kids)...)
		}
		attrs = append(attrs, netlink.Attribute{Type: a.typ, Data: data})
	}
	b, err := netlink.MarshalAttributes(attrs)
	if err != nil {
		tb.Fatalf("netlink.MarshalAttributes: %v", err)
	}
	return b
}

// refMessage encodes a whole request with mdlayher/netlink: header, fixed
// family header hdr, then nodes; sequence and port id zero.
func refMessage(tb testing.TB, typ, flags uint16, hdr []byte, nodes []node) []byte {
	tb.Helper()
	data := append(slices.Clip(hdr), refEncodeAttrs(tb, nodes)...)
	m := netlink.Message{
		Header: netlink.Header{
			Length: uint32(16 + len(data)),
			Type:   netlink.HeaderType(typ),
			Flags:  netlink.HeaderFlags(flags),
		},
		Data: data,
	}
	b, err := m.MarshalBinary()
	if err != nil {
		tb.Fatalf("netlink.Message.MarshalBinary: %v", err)
	}
	return b
}

// checkBuilt checks a request made by an rtnl builder against the model:
// its length is the sum of the aligned parts, its bytes equal what
// mdlayher/netlink encodes for the same layout, and mdlayher/netlink's
// decoder gives back the same header, family header and attribute tree.
func checkBuilt(tb testing.TB, name string, got []byte, typ, flags uint16, hdr []byte, nodes []node) {
	tb.Helper()
	if want := 16 + len(hdr) + sizeOf(nodes); len(got) != want {
		tb.Fatalf("%s: len = %d, want %d (16 + %d + aligned attributes)", name, len(got), want, len(hdr))
	}
	if want := refMessage(tb, typ, flags, hdr, nodes); !bytes.Equal(got, want) {
		tb.Fatalf("%s: bytes differ from mdlayher/netlink's encoding\n got  % x\n want % x", name, got, want)
	}
	var m netlink.Message
	if err := m.UnmarshalBinary(got); err != nil {
		tb.Fatalf("%s: netlink.Message.UnmarshalBinary: %v", name, err)
	}
	if int(m.Header.Length) != len(got) || uint16(m.Header.Type) != typ || uint16(m.Header.Flags) != flags ||
		m.Header.Sequence != 0 || m.Header.PID != 0 {
		tb.Fatalf("%s: header = %+v, want len %d type %d flags %#x seq 0 pid 0", name, m.Header, len(got), typ, flags)
	}
	if !bytes.HasPrefix(m.Data, hdr) {
		tb.Fatalf("%s: family header = % x, want % x", name, m.Data[:min(len(hdr), len(m.Data))], hdr)
	}
	if err := refDecodeTree(m.Data[len(hdr):], nodes); err != nil {
		tb.Fatalf("%s: mdlayher/netlink decode: %v", name, err)
	}
}

// refDecodeTree decodes b with mdlayher/netlink's AttributeDecoder, nest by
// nest as the model says, and reports the first difference from nodes.
func refDecodeTree(b []byte, nodes []node) error {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return err
	}
	i := 0
	for ad.Next() {
		if i >= len(nodes) {
			return fmt.Errorf("extra attribute type %d", ad.Type())
		}
		want := nodes[i]
		if ad.Type() != want.typ || ad.TypeFlags() != 0 {
			return fmt.Errorf("attribute %d: type %#x, want %#x", i, ad.Type()|ad.TypeFlags(), want.typ)
		}
		data := ad.Bytes()
		if !want.nest {
			if !bytes.Equal(data, want.data) {
				return fmt.Errorf("attribute %d (type %d): data % x, want % x", i, want.typ, data, want.data)
			}
		} else {
			if !bytes.HasPrefix(data, want.data) {
				return fmt.Errorf("nest %d (type %d): header % x, want % x", i, want.typ, data, want.data)
			}
			if err := refDecodeTree(data[len(want.data):], want.kids); err != nil {
				return fmt.Errorf("in nest type %d: %w", want.typ, err)
			}
		}
		i++
	}
	if err := ad.Err(); err != nil {
		return err
	}
	if i != len(nodes) {
		return fmt.Errorf("%d attributes, want %d", i, len(nodes))
	}
	return nil
}
