package rtnl_test

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestBuildAfterUnalignedPrefix builds messages after prefixes of every
// length modulo 4 and checks that each comes out byte for byte as it does
// at the start of an empty buffer: lengths and padding are the message's
// own, whatever the buffer held before it.
func TestBuildAfterUnalignedPrefix(t *testing.T) {
	builds := []struct {
		name  string
		build func(b []byte) []byte
	}{
		{"odd attribute", func(b []byte) []byte { // 16+16+5 bytes before padding
			b, msg := rtnl.AppendHeader(b, unix.RTM_NEWLINK, unix.NLM_F_REQUEST)
			b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Index: 7})
			b = rtnl.AppendAttrUint8(b, unix.IFLA_OPERSTATE, 6)
			return rtnl.FinishMessage(b, msg)
		}},
		{"unpadded payload", func(b []byte) []byte { // a payload of 3 bytes, not padded by an attribute
			b, msg := rtnl.AppendHeader(b, unix.RTM_DELADDR, unix.NLM_F_REQUEST)
			b = append(b, 1, 2, 3)
			return rtnl.FinishMessage(b, msg)
		}},
		{"nest", func(b []byte) []byte {
			b, msg := rtnl.AppendHeader(b, unix.RTM_NEWLINK, unix.NLM_F_REQUEST)
			b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{})
			b, nest := rtnl.BeginNest(b, unix.IFLA_LINKINFO)
			b = rtnl.AppendAttrString(b, unix.IFLA_INFO_KIND, "veth")
			b = rtnl.AppendAttrUint8(b, 9, 1)
			b = rtnl.EndNest(b, nest)
			return rtnl.FinishMessage(b, msg)
		}},
		{"AppendNewAddr", func(b []byte) []byte {
			return rtnl.AppendNewAddr(b, &rtnl.Addr{Index: 2, PrefixLen: 24, Label: "eth0:x",
				Local: netip.MustParseAddr("10.0.0.1")})
		}},
		{"AppendNewVeth", func(b []byte) []byte {
			return rtnl.AppendNewVeth(b, &rtnl.Veth{Name: "v0", PeerName: "v1", MTU: 1400})
		}},
	}
	for _, bc := range builds {
		want := bc.build(nil)
		if n := binary.NativeEndian.Uint32(want); int(n) != len(want) || n%4 != 0 {
			t.Fatalf("%s: nlmsg_len %d for %d bytes", bc.name, n, len(want))
		}
		for prefix := 1; prefix < 8; prefix++ {
			pre := bytes.Repeat([]byte{0xa5}, prefix)
			got := bc.build(append([]byte(nil), pre...))
			if !bytes.Equal(got[:prefix], pre) || !bytes.Equal(got[prefix:], want) {
				t.Errorf("%s after %d bytes:\n got % x\nwant % x", bc.name, prefix, got[prefix:], want)
			}
		}
	}
}
