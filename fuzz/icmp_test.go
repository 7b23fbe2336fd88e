package fuzz_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"

	"github.com/rawns/rawns/icmp"
)

// refSum is the RFC 1071 one's complement sum of b, one 16-bit big-endian
// word at a time with the carry folded back at every step, an odd final
// byte padded with zero: slow and plain, to check icmp's 64-bit version.
func refSum(b []byte) uint16 {
	var s uint32
	for i := 0; i < len(b); i += 2 {
		w := uint32(b[i]) << 8
		if i+1 < len(b) {
			w |= uint32(b[i+1])
		}
		s += w
		if s > 0xffff {
			s = s&0xffff + 1
		}
	}
	return uint16(s)
}

// be16 and be32 read network byte order.
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }

// refICMP is a slow, readable parser of ICMP and ICMPv6 messages, written
// from RFC 792, RFC 4443 and icmp's documentation, to check icmp.Parse:
//
//   - fewer than 8 bytes (type, code, checksum, 4 more header bytes) is an
//     error;
//   - the checksum verifies when the one's complement sum of the message is
//     0xffff; ICMPv6 checksums are the kernel's business (always true);
//   - Info is the 32-bit word after the checksum;
//   - echo messages (everything but errors) carry ID and Seq there;
//   - errors (v4: unreachable 3, source quench 4, redirect 5, time exceeded
//     11, parameter problem 12; v6: types 1 to 4) quote the offending
//     packet: when it is a whole IPv4 header of a valid IHL with protocol 1
//     (or a 40-byte IPv6 header with next header 58) followed by a whole
//     8-byte ICMP header, Inner is set, ID, Seq and InnerType come from the
//     quoted header and InnerDst from the quoted IP header; otherwise ID
//     and Seq are 0.
func refICMP(b []byte, v6 bool) (icmp.Message, error) {
	m := icmp.Message{TTL: -1}
	if len(b) < 8 {
		return m, fmt.Errorf("%d bytes, shorter than an ICMP header", len(b))
	}
	m.Type, m.Code, m.Checksum = b[0], b[1], be16(b[2:])
	m.ChecksumOK = v6 || refSum(b) == 0xffff
	m.Info = be32(b[4:])
	m.Len = len(b)
	m.Data = b[8:]
	isErr := !v6 && (m.Type == 3 || m.Type == 4 || m.Type == 5 || m.Type == 11 || m.Type == 12) ||
		v6 && m.Type >= 1 && m.Type <= 4
	if !isErr {
		m.ID, m.Seq = be16(b[4:]), be16(b[6:])
		return m, nil
	}
	q := b[8:]
	var inner []byte
	switch {
	case v6 && len(q) >= 40+8 && q[0]>>4 == 6 && q[6] == 58:
		m.InnerDst = netip.AddrFrom16([16]byte(q[24:40]))
		inner = q[40:]
	case !v6 && len(q) >= 20 && q[0]>>4 == 4:
		ihl := int(q[0]&0xf) * 4
		if ihl >= 20 && len(q) >= ihl+8 && q[9] == 1 {
			m.InnerDst = netip.AddrFrom4([4]byte(q[16:20]))
			inner = q[ihl:]
		}
	}
	if inner != nil {
		m.Inner, m.InnerType = true, inner[0]
		m.ID, m.Seq = be16(inner[4:]), be16(inner[6:])
	}
	return m, nil
}

// refIPv4 parses a packet from a raw IPv4 ICMP socket: a whole IPv4
// header (version 4, IHL of at least 5 words, all within b) of protocol 1,
// then an ICMP message as refICMP parses it, with TTL, Src and Dst from the
// IP header.
func refIPv4(b []byte) (icmp.Message, error) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return icmp.Message{}, fmt.Errorf("not a whole IPv4 header")
	}
	ihl := int(b[0]&0xf) * 4
	if ihl < 20 || len(b) < ihl {
		return icmp.Message{}, fmt.Errorf("IHL %d does not fit", ihl)
	}
	if b[9] != 1 {
		return icmp.Message{}, fmt.Errorf("protocol %d is not ICMP", b[9])
	}
	m, err := refICMP(b[ihl:], false)
	if err != nil {
		return m, err
	}
	m.TTL = int(b[8])
	m.Src = netip.AddrFrom4([4]byte(b[12:16]))
	m.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	return m, nil
}

// sameICMP compares two parsed messages field by field; Data must also
// alias the same bytes.
func sameICMP(got, want icmp.Message) error {
	gd, wd := got.Data, want.Data
	got.Data, want.Data = nil, nil
	if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
		return fmt.Errorf("got  %s\nwant %s", g, w)
	}
	if !bytes.Equal(gd, wd) || len(gd) > 0 && &gd[0] != &wd[0] {
		return fmt.Errorf("Data = % x, want % x aliasing the input", gd, wd)
	}
	return nil
}

// checkICMP compares icmp.ParseIPv4 (raw IPv4 input) or icmp.Parse with
// the reference, and feeds the result to AppendErrorText.
func checkICMP(t *testing.T, b []byte, v6, withIP bool) {
	var got icmp.Message
	var err error
	want, wantErr := refICMP(b, v6)
	if withIP {
		err = icmp.ParseIPv4(b, &got)
		want, wantErr = refIPv4(b)
	} else {
		err = icmp.Parse(b, v6, &got)
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("parse(% x, v6 %t, ip %t) error = %v, want error %v", b, v6, withIP, err, wantErr)
	}
	if err != nil {
		return
	}
	if err := sameICMP(got, want); err != nil {
		t.Fatalf("parse(% x, v6 %t, ip %t):\n%v", b, v6, withIP, err)
	}
	if len(icmp.AppendErrorText(nil, v6, got.Type, got.Code, got.Info)) == 0 {
		t.Fatalf("AppendErrorText(v6 %t, %d, %d, %d) is empty", v6, got.Type, got.Code, got.Info)
	}
}

// FuzzICMPv4 checks icmp.ParseIPv4 (raw socket input with the IPv4 header
// and any options) and icmp.Parse on the same bytes without the header
// against the reference parser, and that parsing does not allocate. Seeds
// are real packets captured in a sandbox (testdata/fuzz/FuzzICMPv4): echo
// requests and replies, one with a record-route option (IHL 15), and
// "destination unreachable" errors from a router namespace.
func FuzzICMPv4(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte{0x46, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1, 0, 0, 0xff, 0xff})             // IHL past the ICMP header
	f.Add([]byte{0x45, 0, 0, 28, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0}) // TCP
	var n int
	f.Fuzz(func(t *testing.T, b []byte) {
		checkICMP(t, b, false, true)
		if got, want := icmp.Checksum(b), ^refSum(b); got != want {
			t.Fatalf("Checksum(% x) = %#04x, want %#04x", b, got, want)
		}
		ihl := 20
		if len(b) > 0 {
			ihl = int(b[0]&0xf) * 4
		}
		if ihl <= len(b) {
			checkICMP(t, b[ihl:], false, false)
		}
		if n++; n%64 == 1 {
			var m icmp.Message
			noAllocs(t, "ParseIPv4", func() { _ = icmp.ParseIPv4(b, &m) })
		}
	})
}

// FuzzICMPv6 checks icmp.Parse of ICMPv6 messages (raw IPv6 socket input,
// no IP header) against the reference parser. Seeds are real packets
// (echo, neighbour discovery, "destination unreachable" from a router).
func FuzzICMPv6(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{129, 0, 0, 0, 0x12, 0x34, 0, 1})
	f.Add(append([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0x60, 0, 0, 0, 0, 8, 58, 64}, make([]byte, 40)...)) // quoted header cut short
	var n int
	f.Fuzz(func(t *testing.T, b []byte) {
		checkICMP(t, b, true, false)
		if n++; n%64 == 1 {
			var m icmp.Message
			noAllocs(t, "Parse", func() { _ = icmp.Parse(b, true, &m) })
		}
	})
}

// FuzzICMPEcho builds echo requests with icmp.AppendEcho from random
// values, parses them back, and checks that the incremental checksum
// updates of SetSeq and Stamp keep an IPv4 message verifiable (against the
// reference sum) and that StampOf returns the stamp.
func FuzzICMPEcho(f *testing.F) {
	f.Add(false, uint16(0x1234), uint16(1), uint16(2), int64(1764403200123456789), []byte("0123456789abcdef-payload"))
	f.Add(false, uint16(0), uint16(0), uint16(0xffff), int64(0), []byte{})
	f.Add(true, uint16(0xffff), uint16(0xffff), uint16(0), int64(-1), []byte{0xff, 0xff, 0xff})
	f.Add(false, uint16(0xf7ff), uint16(0xffff), uint16(0), int64(0), make([]byte, 16)) // all-ones sums
	f.Fuzz(func(t *testing.T, v6 bool, id, seq, seq2 uint16, ns int64, data []byte) {
		pkt := icmp.AppendEcho(nil, v6, id, seq, data)
		var m icmp.Message
		if err := icmp.Parse(pkt, v6, &m); err != nil {
			t.Fatalf("Parse(AppendEcho) error = %v", err)
		}
		typ := uint8(8)
		if v6 {
			typ = 128
		}
		if m.Type != typ || m.Code != 0 || m.ID != id || m.Seq != seq || !bytes.Equal(m.Data, data) || m.Len != 8+len(data) {
			t.Fatalf("Parse(AppendEcho(v6 %t, %#x, %d, % x)) = %+v", v6, id, seq, data, m)
		}
		if !v6 && refSum(pkt) != 0xffff {
			t.Fatalf("AppendEcho checksum does not verify: % x", pkt)
		}
		icmp.SetSeq(pkt, seq2)
		if err := icmp.Parse(pkt, v6, &m); err != nil || m.Seq != seq2 || m.ID != id {
			t.Fatalf("after SetSeq(%d): %+v, %v", seq2, m, err)
		}
		if !v6 && refSum(pkt) != 0xffff {
			t.Fatalf("after SetSeq(%d) the checksum does not verify: % x", seq2, pkt)
		}
		icmp.Stamp(pkt, ns)
		if !v6 && refSum(pkt) != 0xffff {
			t.Fatalf("after Stamp(%d) the checksum does not verify: % x", ns, pkt)
		}
		got, ok := icmp.StampOf(pkt[8:])
		if ok != (len(data) >= 16) || ok && got != ns {
			t.Fatalf("StampOf after Stamp(%d) = %d, %t (payload %d bytes)", ns, got, ok, len(data))
		}
	})
}
