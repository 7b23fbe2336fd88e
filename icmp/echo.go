package icmp

import "encoding/binary"

// AppendEcho appends an ICMP echo request with identifier id, sequence seq
// and payload data to b and returns the extended buffer. For IPv4 it fills
// in the checksum; for IPv6 it leaves it zero, since the kernel computes the
// ICMPv6 checksum over its pseudo-header. It does not allocate when b has
// room for 8+len(data) more bytes.
func AppendEcho(b []byte, v6 bool, id, seq uint16, data []byte) []byte {
	start := len(b)
	typ := byte(typeEcho)
	if v6 {
		typ = type6EchoRequest
	}
	b = append(b, typ, 0, 0, 0, byte(id>>8), byte(id), byte(seq>>8), byte(seq))
	b = append(b, data...)
	if !v6 {
		binary.BigEndian.PutUint16(b[start+2:], Checksum(b[start:]))
	}
	return b
}

// SetSeq rewrites the sequence number of the echo message pkt and patches
// its checksum incrementally. pkt shorter than an echo header is left
// alone. It does not allocate.
func SetSeq(pkt []byte, seq uint16) {
	if len(pkt) < headerLen {
		return
	}
	var nw [2]byte
	binary.BigEndian.PutUint16(nw[:], seq)
	c := updateChecksum(binary.BigEndian.Uint16(pkt[2:]), pkt[6:8], nw[:])
	pkt[6], pkt[7] = nw[0], nw[1]
	binary.BigEndian.PutUint16(pkt[2:], c)
}

// Stamp writes the send time ns (nanoseconds since the Unix epoch) into the
// first 16 payload bytes of the echo message pkt as a native-endian struct
// timespec, and patches the checksum incrementally. pkt without room for the
// stamp is left alone. It does not allocate.
func Stamp(pkt []byte, ns int64) {
	if len(pkt) < headerLen+stampLen {
		return
	}
	var nw [stampLen]byte
	binary.NativeEndian.PutUint64(nw[0:], uint64(ns/1e9))
	binary.NativeEndian.PutUint64(nw[8:], uint64(ns%1e9))
	area := pkt[headerLen : headerLen+stampLen]
	c := updateChecksum(binary.BigEndian.Uint16(pkt[2:]), area, nw[:])
	copy(area, nw[:])
	binary.BigEndian.PutUint16(pkt[2:], c)
}

// StampOf returns the send time written by Stamp into an echo payload data
// (the bytes after the 8-byte header), and whether data is long enough to
// hold one. It does not allocate.
func StampOf(data []byte) (ns int64, ok bool) {
	if len(data) < stampLen {
		return 0, false
	}
	sec := int64(binary.NativeEndian.Uint64(data[0:]))
	nsec := int64(binary.NativeEndian.Uint64(data[8:]))
	return sec*1e9 + nsec, true
}

// FillPayload fills data the way iputils does: with the repeated pattern
// when one is given, otherwise byte i holds i&0xff. The first 16 bytes are
// later overwritten by Stamp. It does not allocate.
func FillPayload(data, pattern []byte) {
	if len(pattern) == 0 {
		for i := range data {
			data[i] = byte(i)
		}
		return
	}
	for i := range data {
		data[i] = pattern[i%len(pattern)]
	}
}
