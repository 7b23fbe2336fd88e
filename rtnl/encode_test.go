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

// TestBuildIntoDirtyBuffer builds every golden request into a buffer whose
// spare capacity holds garbage, as a reused buffer does: the builders write
// into room they do not clear, so every byte (padding, nlmsg_seq and
// nlmsg_pid, reserved fields) must be written.
func TestBuildIntoDirtyBuffer(t *testing.T) {
	for _, tc := range builderCases() {
		want := tc.build(nil, 3)
		dirty := bytes.Repeat([]byte{0xa5}, 1024)
		for _, prefix := range []int{0, 3} {
			got := tc.build(dirty[:prefix], 3)
			if !bytes.Equal(got[prefix:], want) {
				t.Errorf("%s after %d bytes in a dirty buffer:\n got % x\nwant % x", tc.name, prefix, got[prefix:], want)
			}
		}
	}
}

// TestSetLinkIsLinkRequest checks that AppendSetLink, which writes its
// request directly, sends the bytes of AppendLinkRequest for the same
// change, field by field and all together.
func TestSetLinkIsLinkRequest(t *testing.T) {
	full := rtnl.LinkChange{Index: 7, Flags: unix.IFF_UP, Change: unix.IFF_UP, Name: "eth9", MTU: 1400,
		HWAddr: []byte{2, 0, 0, 0, 0, 9}, TxQLen: 100, NetNSFD: 5}
	changes := []rtnl.LinkChange{{}, {Index: 3, Flags: unix.IFF_UP, Change: unix.IFF_UP}, full,
		{Index: 1, Name: "abc"}, {Index: 1, Name: "abcd"}, {Index: 2, HWAddr: []byte{1, 2, 3}}, {NetNSFD: -1, MTU: 9000}}
	for _, c := range changes {
		want := rtnl.AppendLinkRequest(nil, &rtnl.LinkRequest{Type: unix.RTM_NEWLINK, Link: rtnl.LinkSpec{
			Index: c.Index, Flags: c.Flags, Change: c.Change, MTU: c.MTU, HWAddr: c.HWAddr,
			TxQLen: c.TxQLen, NetNSFD: c.NetNSFD, Name: c.Name}})
		got := rtnl.AppendSetLink(bytes.Repeat([]byte{0xa5}, 200)[:0], &c)
		if !bytes.Equal(got, want) {
			t.Errorf("%+v:\n got % x\nwant % x", c, got, want)
		}
	}
}

// TestNewVethIsLinkRequest checks that AppendNewVeth, which writes its
// request directly, sends the bytes of AppendLinkRequest for the pair.
func TestNewVethIsLinkRequest(t *testing.T) {
	vs := []rtnl.Veth{{}, {Name: "a"}, {Name: "v0", PeerName: "v1"},
		{Name: "veth0", PeerName: "veth1", NetNSFD: 3, PeerNetNSFD: 4, MTU: 1400, PeerMTU: 1300, TxQLen: 5,
			PeerTxQLen: 6, HWAddr: []byte{2, 0, 0, 0, 0, 1}, PeerHWAddr: []byte{2, 0, 0, 0, 0, 2, 3},
			Flags: unix.IFF_UP, Change: unix.IFF_UP, PeerFlags: 1, PeerChange: 1},
		{PeerName: "p", PeerNetNSFD: -1}}
	for _, v := range vs {
		r := rtnl.LinkRequest{Type: unix.RTM_NEWLINK, Flags: unix.NLM_F_CREATE | unix.NLM_F_EXCL,
			Link: rtnl.LinkSpec{Flags: v.Flags, Change: v.Change, MTU: v.MTU, HWAddr: v.HWAddr,
				TxQLen: v.TxQLen, NetNSFD: v.NetNSFD, Name: v.Name, Kind: "veth"}}
		if v.PeerName != "" {
			r.Link.Peer = &rtnl.LinkSpec{Flags: v.PeerFlags, Change: v.PeerChange, MTU: v.PeerMTU,
				HWAddr: v.PeerHWAddr, TxQLen: v.PeerTxQLen, NetNSFD: v.PeerNetNSFD, Name: v.PeerName}
		}
		want := rtnl.AppendLinkRequest(nil, &r)
		got := rtnl.AppendNewVeth(bytes.Repeat([]byte{0xa5}, 400)[:0], &v)
		if !bytes.Equal(got, want) {
			t.Errorf("%+v:\n got % x\nwant % x", v, got, want)
		}
	}
}

// TestBuildersExactRoom builds every golden request into a buffer with
// room for exactly that request: the builders size their message exactly,
// so they must not grow it (nor allocate).
func TestBuildersExactRoom(t *testing.T) {
	for _, tc := range builderCases() {
		want := tc.build(nil, 3)
		buf := make([]byte, 0, len(want))
		if got := tc.build(buf, 3); &got[:1][0] != &buf[:1][0] || !bytes.Equal(got, want) {
			t.Errorf("%s: grew a buffer with exactly its %d bytes of room", tc.name, len(want))
		}
		if n := testing.AllocsPerRun(10, func() { tc.build(buf, 3) }); n != 0 {
			t.Errorf("%s: %v allocs into exactly its room", tc.name, n)
		}
	}
}
