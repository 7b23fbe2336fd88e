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
