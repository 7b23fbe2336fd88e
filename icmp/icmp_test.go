package icmp_test

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"testing"

	"github.com/rawns/rawns/icmp"
)

// TestAppendEcho checks the request against the RFC 792 layout and iputils'
// payload fill (byte i of the data is i).
func TestAppendEcho(t *testing.T) {
	data := make([]byte, 56)
	icmp.FillPayload(data, nil)
	for i := 0; i < 16; i++ {
		data[i] = 0
	}
	got := icmp.AppendEcho(nil, false, 0x1234, 1, data)
	if len(got) != 64 {
		t.Fatalf("len = %d, want 64", len(got))
	}
	wantHead, _ := hex.DecodeString("08000000" + "12340001")
	head := append([]byte(nil), got[:8]...)
	head[2], head[3] = 0, 0
	if string(head) != string(wantHead) {
		t.Errorf("header = %x, want %x", head, wantHead)
	}
	if c := icmp.Checksum(got); c != 0 {
		t.Errorf("Checksum(packet with checksum) = %#x, want 0", c)
	}
	for i := 16; i < 56; i++ {
		if got[8+i] != byte(i) {
			t.Fatalf("payload[%d] = %#x, want %#x", i, got[8+i], i)
		}
	}
	v6 := icmp.AppendEcho(nil, true, 7, 9, data)
	if v6[0] != 128 || v6[2] != 0 || v6[3] != 0 {
		t.Errorf("v6 header = %x, want type 128 and zero checksum", v6[:8])
	}
}

func TestChecksum(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want uint16
	}{
		// RFC 1071 section 3 example: sum 0xddf2, checksum 0x220d.
		{"rfc1071", "0001f203f4f5f6f7", 0x220d},
		{"odd", "01", 0xfeff},
		{"empty", "", 0xffff},
	} {
		b, _ := hex.DecodeString(tc.in)
		if got := icmp.Checksum(b); got != tc.want {
			t.Errorf("%s: Checksum(%s) = %#04x, want %#04x", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestIncremental checks that SetSeq and Stamp keep the checksum equal to a
// full recomputation, across many values and a wrap.
func TestIncremental(t *testing.T) {
	data := make([]byte, 56)
	icmp.FillPayload(data, []byte{0xab, 0xcd})
	pkt := icmp.AppendEcho(nil, false, 0xbeef, 0, data)
	for i, ns := 0, int64(1_700_000_000_123_456_789); i < 70000; i, ns = i+1, ns+987_654_321 {
		icmp.SetSeq(pkt, uint16(i))
		icmp.Stamp(pkt, ns)
		if c := icmp.Checksum(pkt); c != 0 {
			t.Fatalf("seq %d: checksum over packet = %#x, want 0", i, c)
		}
		if got, ok := icmp.StampOf(pkt[8:]); !ok || got != ns {
			t.Fatalf("StampOf = %d, %v, want %d, true", got, ok, ns)
		}
	}
}

func ipv4Reply(ihl int, src [4]byte, typ uint8, id, seq uint16, data []byte) []byte {
	b := make([]byte, ihl*4)
	b[0] = 0x40 | byte(ihl)
	b[8] = 63
	b[9] = 1
	copy(b[12:], src[:])
	copy(b[16:], []byte{10, 0, 0, 1})
	m := icmp.AppendEcho(nil, false, id, seq, data)
	m[0] = typ
	m[2], m[3] = 0, 0
	binary.BigEndian.PutUint16(m[2:], icmp.Checksum(m))
	return append(b, m...)
}

func TestParseIPv4(t *testing.T) {
	data := []byte("0123456789abcdef-payload")
	good := ipv4Reply(5, [4]byte{10, 0, 0, 2}, 0, 0x1234, 7, data)
	opts := ipv4Reply(7, [4]byte{10, 0, 0, 3}, 0, 0x1234, 8, data)
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0xff
	for _, tc := range []struct {
		name    string
		in      []byte
		wantErr bool
		seq     uint16
		ok      bool
		src     string
	}{
		{"plain", good, false, 7, true, "10.0.0.2"},
		{"options", opts, false, 8, true, "10.0.0.3"},
		{"bad checksum", bad, false, 7, false, "10.0.0.2"},
		{"short", good[:10], true, 0, false, ""},
		{"short icmp", good[:24], true, 0, false, ""},
		{"ihl too small", append([]byte{0x44}, good[1:]...), true, 0, false, ""},
		{"ihl past end", append([]byte{0x4f}, good[1:40]...), true, 0, false, ""},
	} {
		var m icmp.Message
		err := icmp.ParseIPv4(tc.in, &m)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: ParseIPv4 error = %v, want error %v", tc.name, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if m.Seq != tc.seq || m.ChecksumOK != tc.ok || m.Src.String() != tc.src || m.TTL != 63 || m.ID != 0x1234 {
			t.Errorf("%s: ParseIPv4 = seq %d ok %v src %v ttl %d id %#x, want %d %v %s 63 0x1234",
				tc.name, m.Seq, m.ChecksumOK, m.Src, m.TTL, m.ID, tc.seq, tc.ok, tc.src)
		}
		if m.Len != 8+len(data) || (tc.ok && string(m.Data) != string(data)) {
			t.Errorf("%s: Len %d Data %q, want %d %q", tc.name, m.Len, m.Data, 8+len(data), data)
		}
	}
}

// TestParseError checks that an ICMP error's quoted echo header is decoded.
func TestParseError(t *testing.T) {
	req := ipv4Reply(5, [4]byte{10, 0, 0, 1}, 8, 0x4321, 3, []byte("12345678"))
	copy(req[16:20], []byte{10, 9, 9, 9})
	msg := append([]byte{11, 0, 0, 0, 0, 0, 0, 0}, req[:28]...)
	binary.BigEndian.PutUint16(msg[2:], icmp.Checksum(msg))
	var m icmp.Message
	if err := icmp.Parse(msg, false, &m); err != nil {
		t.Fatalf("Parse(time exceeded) error = %v", err)
	}
	if !m.Inner || m.InnerType != 8 || m.ID != 0x4321 || m.Seq != 3 || m.InnerDst != netip.MustParseAddr("10.9.9.9") || !m.ChecksumOK {
		t.Errorf("Parse(time exceeded) = %+v, want inner echo id 0x4321 seq 3 to 10.9.9.9", m)
	}
	var m2 icmp.Message
	if err := icmp.Parse(msg[:20], false, &m2); err != nil || m2.Inner {
		t.Errorf("Parse(truncated error) = %v, inner %v; want no error, no inner", err, m2.Inner)
	}
}

func TestAppendErrorText(t *testing.T) {
	for _, tc := range []struct {
		v6        bool
		typ, code uint8
		info      uint32
		want      string
	}{
		{false, 3, 1, 0, "Destination Host Unreachable"},
		{false, 3, 13, 0, "Packet filtered"},
		{false, 3, 4, 1400, "Frag needed and DF set (mtu = 1400)"},
		{false, 3, 99, 0, "Dest Unreachable, Bad Code: 99"},
		{false, 11, 0, 0, "Time to live exceeded"},
		{true, 3, 0, 0, "Time exceeded: Hop limit"},
		{true, 1, 0, 0, "Destination unreachable: No route"},
		{true, 1, 3, 0, "Destination unreachable: Address unreachable"},
		{true, 2, 0, 1280, "Packet too big: mtu=1280"},
	} {
		if got := string(icmp.AppendErrorText(nil, tc.v6, tc.typ, tc.code, tc.info)); got != tc.want {
			t.Errorf("AppendErrorText(%v, %d, %d, %d) = %q, want %q", tc.v6, tc.typ, tc.code, tc.info, got, tc.want)
		}
	}
}

// TestNoAllocs proves the hot paths do not allocate.
func TestNoAllocs(t *testing.T) {
	data := make([]byte, 56)
	buf := make([]byte, 0, 128)
	pkt := ipv4Reply(5, [4]byte{10, 0, 0, 2}, 0, 1, 1, data)
	var m icmp.Message
	var st icmp.Stats
	var sink uint16
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"AppendEcho", func() { buf = icmp.AppendEcho(buf[:0], false, 1, 2, data) }},
		{"SetSeq+Stamp", func() { icmp.SetSeq(buf, 3); icmp.Stamp(buf, 123456789) }},
		{"Checksum", func() { sink += icmp.Checksum(pkt) }},
		{"ParseIPv4", func() { _ = icmp.ParseIPv4(pkt, &m) }},
		{"ParseIPv4 short", func() { _ = icmp.ParseIPv4(pkt[:3], &m) }},
		{"Stats", func() { st.Sent(5); st.Reply(5, true, true, 12); _ = st.Mdev() }},
		{"AppendErrorText", func() { buf = icmp.AppendErrorText(buf[:0], false, 3, 4, 1500) }},
	} {
		if n := testing.AllocsPerRun(1000, tc.fn); n != 0 {
			t.Errorf("%s: AllocsPerRun = %v, want 0", tc.name, n)
		}
	}
	_ = sink
}

func BenchmarkAppendEcho(b *testing.B) {
	data := make([]byte, 56)
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf = icmp.AppendEcho(buf[:0], false, 1, uint16(i), data)
		icmp.Stamp(buf, int64(i))
	}
}

func BenchmarkParseIPv4(b *testing.B) {
	pkt := ipv4Reply(5, [4]byte{10, 0, 0, 2}, 0, 1, 1, make([]byte, 56))
	var m icmp.Message
	b.ReportAllocs()
	for b.Loop() {
		if err := icmp.ParseIPv4(pkt, &m); err != nil || !m.ChecksumOK {
			b.Fatal(err)
		}
	}
}
