package fuzz_test

import (
	"testing"

	"github.com/rawns/rawns/rtnl"
)

// FuzzAttrs feeds arbitrary bytes to rtnl.AttrIter and checks them against
// mdlayher/netlink's AttributeDecoder by the rules of compareAttrs, and that
// a walk of well-formed attributes does not allocate.
func FuzzAttrs(f *testing.F) {
	for _, s := range [][]byte{
		nil,
		{0x08, 0x00, 0x03, 0x00, 'r', 'v', '0', 0x00},                        // IFLA_IFNAME "rv0"
		{0x07, 0x00, 0x03, 0x00, 'h', '1', 0x00},                             // final attribute without its padding
		{0x07, 0x00, 0x03, 0x00, 'h', '1', 0x00, 0x00, 0x04, 0x00},           // then a truncated header
		{0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 1, 2, 3, 4},         // zero-length attribute first
		{0x03, 0x00, 0x01, 0x00},                                             // nla_len below the header
		{0x09, 0x00, 0x01, 0x00, 1, 2, 3, 4},                                 // nla_len beyond the buffer
		{0x04, 0x00, 0x12, 0x80},                                             // empty, NLA_F_NESTED
		{0x08, 0x00, 0x01, 0x40, 0, 0, 0, 1},                                 // NLA_F_NET_BYTEORDER
		{0x08, 0x00, 0x01, 0x00, 1, 2, 3, 4, 0x00},                           // one trailing byte
		{0x0c, 0x00, 0x12, 0x80, 0x08, 0x00, 0x01, 0x00, 'v', 'e', 't', 'h'}, // a nest
	} {
		f.Add(s)
	}
	var n int
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := compareAttrs(b); err != nil {
			t.Fatalf("AttrIter(% x): %v", b, err)
		}
		if n++; n%64 == 1 {
			if _, err := rtnlAttrs(b); err == nil {
				noAllocs(t, "AttrIter walk", func() {
					it := rtnl.NewAttrIter(b)
					for it.Next() {
						_ = it.Data()
					}
				})
			}
		}
	})
}
