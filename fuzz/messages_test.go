package fuzz_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/rtnl"
)

// rtnlMessages walks b with rtnl.MessageIter.
func rtnlMessages(b []byte) ([]rtnl.Message, error) {
	var out []rtnl.Message
	it := rtnl.NewMessageIter(b)
	for it.Next() {
		out = append(out, it.Message())
	}
	return out, it.Err()
}

// compareMessages checks rtnl's walk of the datagram b against
// mdlayher/netlink's (refMessages), by these rules:
//
//  1. When mdlayher consumes b exactly, rtnl accepts it with the same
//     messages: same header fields, same payload bytes.
//  2. Trailing bytes shorter than a header, which mdlayher ignores, are an
//     error for rtnl after the same messages, as they are for iproute2
//     ("!!!Remnant of size N").
//  3. A final message whose nlmsg_len fits the buffer but whose padding is
//     missing, which mdlayher rejects (it slices the aligned length), is
//     accepted by rtnl as the kernel's netlink_rcv_skb does; mdlayher
//     decodes that message identically once the padding is appended.
//  4. Anything else mdlayher rejects (nlmsg_len below the header or beyond
//     the buffer), rtnl rejects after the same messages.
func compareMessages(b []byte) error {
	ref := refMessages(b)
	got, gotErr := rtnlMessages(b)
	want := ref.msgs
	wantErr := ref.err != nil
	rule := "rule 1"
	switch {
	case ref.err == nil && len(ref.rest) > 0:
		wantErr, rule = true, "rule 2"
	case ref.err != nil:
		rule = "rule 4"
		if r := ref.rest; len(r) >= 16 {
			l := int(binary.NativeEndian.Uint32(r))
			if l >= 16 && l <= len(r) && align4(l) > len(r) {
				padded := append(bytes.Clone(r), make([]byte, align4(l)-len(r))...)
				var m netlink.Message
				if err := m.UnmarshalBinary(padded); err != nil {
					return fmt.Errorf("mdlayher rejects the padded final message: %v", err)
				}
				m.Data = r[16:l]
				want = append(want, m)
				wantErr, rule = false, "rule 3"
			}
		}
	}
	if wantErr != (gotErr != nil) {
		return fmt.Errorf("%s: rtnl error = %v, want error %t (mdlayher: %v, %d bytes left)", rule, gotErr, wantErr, ref.err, len(ref.rest))
	}
	if len(got) != len(want) {
		return fmt.Errorf("%s: rtnl gave %d messages, mdlayher %d", rule, len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		h := g.Header
		if h.Len != w.Header.Length || h.Type != uint16(w.Header.Type) || h.Flags != uint16(w.Header.Flags) ||
			h.Seq != w.Header.Sequence || h.PortID != w.Header.PID {
			return fmt.Errorf("%s: message %d: rtnl header %+v, mdlayher %+v", rule, i, h, w.Header)
		}
		if !bytes.Equal(g.Data, w.Data) {
			return fmt.Errorf("%s: message %d: rtnl data % x, mdlayher % x", rule, i, g.Data, w.Data)
		}
		if cap(g.Data) != len(g.Data) {
			return fmt.Errorf("message %d: Data has cap %d > len %d: an append would write into the next message", i, cap(g.Data), len(g.Data))
		}
	}
	return nil
}

// FuzzDatagram feeds arbitrary bytes to rtnl.MessageIter as one received
// datagram and compares the walk with mdlayher/netlink's (compareMessages);
// every RTM_NEWLINK, RTM_NEWADDR and RTM_NEWNSID message then goes through
// the typed view and its own comparison. The seeds are real kernel replies
// (testdata/fuzz/FuzzDatagram) and the edge cases below.
func FuzzDatagram(f *testing.F) {
	done := []byte{0x14, 0, 0, 0, 0x03, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for _, s := range [][]byte{
		nil,
		done,
		done[:15],                             // a truncated header
		append(bytes.Clone(done), 0, 0, 0, 0), // a remnant shorter than a header
		{0x11, 0, 0, 0, 0x03, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},       // unaligned final message, padding missing
		{0x0f, 0, 0, 0, 0x03, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0},          // nlmsg_len below the header
		{0xff, 0xff, 0xff, 0xff, 0x03, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0}, // nlmsg_len beyond the buffer
	} {
		f.Add(s)
	}
	var n int
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := compareMessages(b); err != nil {
			t.Fatalf("MessageIter(% x): %v", b, err)
		}
		msgs, walkErr := rtnlMessages(b)
		for i, m := range msgs {
			var err error
			switch m.Header.Type {
			case unix.RTM_NEWLINK:
				err = compareLink(m.Data)
			case unix.RTM_NEWADDR:
				err = compareAddr(m.Data)
			case unix.RTM_NEWNSID:
				err = compareNSID(m.Data)
			}
			if err != nil {
				t.Fatalf("message %d (type %d): %v\ndatagram % x", i, m.Header.Type, err, b)
			}
		}
		if n++; n%64 == 1 && walkErr == nil {
			noAllocs(t, "MessageIter walk", func() {
				it := rtnl.NewMessageIter(b)
				for it.Next() {
					_ = it.Message()
				}
			})
		}
	})
}
