package icmp

import "encoding/binary"

// Checksum returns the Internet checksum (RFC 1071) of b: the one's
// complement of the one's complement sum of its 16-bit big-endian words, an
// odd final byte padded with zero. It does not allocate.
func Checksum(b []byte) uint16 {
	return ^fold(sum(0, b))
}

// sum adds the 16-bit words of b to s, eight bytes at a time.
func sum(s uint64, b []byte) uint64 {
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		s += v >> 32
		s += v & 0xffffffff
		b = b[8:]
	}
	for len(b) >= 2 {
		s += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

// fold folds a wide one's complement sum into 16 bits.
func fold(s uint64) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// updateChecksum returns the checksum of a message whose even-aligned bytes
// old were replaced by new (of the same length), given its checksum c
// (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
func updateChecksum(c uint16, old, new []byte) uint16 {
	s := uint64(^c)
	for i := 0; i+1 < len(old) && i+1 < len(new); i += 2 {
		s += uint64(^binary.BigEndian.Uint16(old[i:]))
		s += uint64(binary.BigEndian.Uint16(new[i:]))
	}
	return ^fold(s)
}
