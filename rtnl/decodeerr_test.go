package rtnl_test

import (
	"errors"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestDecodeErrors checks that each malformed layout stops the iterators
// and the Parse functions with its DecodeError, which errors.Is finds
// through the Parse functions' wrapping.
func TestDecodeErrors(t *testing.T) {
	attrs := []struct {
		name string
		b    []byte
		want error
	}{
		{"clean", []byte{5, 0, 1, 0, 'x', 0, 0, 0, 4, 0, 2, 0}, nil},
		{"header", []byte{8, 0, 1, 0, 1, 2, 3, 4, 4, 0}, rtnl.ErrAttrHeader},
		{"short", []byte{8, 0, 1, 0, 1, 2, 3, 4, 3, 0, 2, 0}, rtnl.ErrAttrShort},
		{"overrun", []byte{8, 0, 1, 0, 1, 2, 3, 4, 9, 0, 2, 0, 0, 0, 0, 0}, rtnl.ErrAttrOverrun},
	}
	for _, tc := range attrs {
		it := rtnl.NewAttrIter(tc.b)
		n := 0
		for it.Next() {
			n++
		}
		if it.Err() != tc.want || it.Next() || it.Err() != tc.want {
			t.Errorf("%s: AttrIter stopped with %v after %d, want %v", tc.name, it.Err(), n, tc.want)
		}
		if tc.want == nil {
			continue
		}
		link := append(rtnl.AppendIfInfomsg(nil, rtnl.IfInfomsg{Index: 2}), tc.b...)
		if _, err := rtnl.ParseLink(link); !errors.Is(err, tc.want) {
			t.Errorf("%s: ParseLink = %v, want %v", tc.name, err, tc.want)
		}
		addr := append(rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET}), tc.b...)
		if _, err := rtnl.ParseAddr(addr); !errors.Is(err, tc.want) {
			t.Errorf("%s: ParseAddr = %v, want %v", tc.name, err, tc.want)
		}
	}
	msgs := []struct {
		name string
		b    []byte
		want error
	}{
		{"header", append(rtnl.FinishMessage(rtnl.AppendHeader(nil, unix.RTM_NEWLINK, 0)), 1, 2), rtnl.ErrMsgHeader},
		{"short", []byte{15, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, rtnl.ErrMsgShort},
		{"overrun", []byte{17, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, rtnl.ErrMsgOverrun},
	}
	for _, tc := range msgs {
		it := rtnl.NewMessageIter(tc.b)
		for it.Next() {
		}
		if it.Err() != tc.want {
			t.Errorf("%s: MessageIter stopped with %v, want %v", tc.name, it.Err(), tc.want)
		}
	}
}

// TestDecodeReuse decodes two different messages into one Link and one
// AddrMessage, as a dump callback does: nothing of the first may show
// through the second, and decoding allocates nothing.
func TestDecodeReuse(t *testing.T) {
	full := readMessage(t, "newlink-veth.bin").Data
	bare := rtnl.AppendAttrString(rtnl.AppendIfInfomsg(nil, rtnl.IfInfomsg{Index: 9}), unix.IFLA_IFNAME, "x")
	var l rtnl.Link
	if err := l.Decode(full); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.MTU(); !ok || l.Kind() == nil {
		t.Fatalf("first message: MTU or kind missing")
	}
	if err := l.Decode(bare); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.MTU(); ok || l.Kind() != nil || string(l.Name()) != "x" || l.Index != 9 || l.Address() != nil {
		t.Errorf("second message shows the first: index %d name %q kind %q address % x", l.Index, l.Name(), l.Kind(), l.Address())
	}
	if n := testing.AllocsPerRun(100, func() { _ = l.Decode(full) }); n != 0 {
		t.Errorf("Link.Decode: %v allocs, want 0", n)
	}
	var a rtnl.AddrMessage
	if err := a.Decode(readMessage(t, "newaddr.bin").Data); err != nil || !a.Local().IsValid() {
		t.Fatalf("address: %v, local %v", err, a.Local())
	}
	if err := a.Decode(rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET, Index: 4})); err != nil {
		t.Fatal(err)
	}
	if a.Local().IsValid() || a.Label() != nil || a.Index != 4 {
		t.Errorf("second address shows the first: local %v label %q index %d", a.Local(), a.Label(), a.Index)
	}
}
