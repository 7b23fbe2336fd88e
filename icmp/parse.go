package icmp

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// Parse errors. They are values, so returning them does not allocate.
var (
	errShortIP   = errors.New("icmp: truncated ipv4 header")
	errNotICMP   = errors.New("icmp: ipv4 packet is not icmp")
	errShortICMP = errors.New("icmp: truncated icmp message")
)

// A Message is an ICMP message decoded in place by Parse or ParseIPv4. Data
// aliases the parsed buffer: it is valid only as long as that buffer is not
// reused (for a Prober, until the next Receive).
type Message struct {
	// Type and Code are the ICMP (or ICMPv6) type and code.
	Type, Code uint8
	// Checksum is the checksum field as received.
	Checksum uint16
	// ChecksumOK reports whether the checksum verified. It is always true
	// for IPv6, whose checksum the kernel verifies.
	ChecksumOK bool
	// ID and Seq are the echo identifier and sequence for echo messages;
	// for errors they are taken from the quoted echo header (see Inner).
	ID, Seq uint16
	// TTL is the IPv4 header's time to live, or -1 without an IP header.
	TTL int
	// Src and Dst are the IPv4 header's addresses; invalid without one.
	Src, Dst netip.Addr
	// Len is the length of the ICMP message (the IP header not counted).
	Len int
	// Data is the payload after the 8-byte header.
	Data []byte
	// Info is the 32-bit field after the checksum of an error: the
	// gateway of a redirect, the MTU of "fragmentation needed" or "packet
	// too big", the pointer of a parameter problem.
	Info uint32
	// Inner reports whether an error message quotes an echo request whose
	// header is complete; InnerDst is the quoted packet's destination and
	// InnerType its ICMP type.
	Inner     bool
	InnerType uint8
	InnerDst  netip.Addr
}

// ParseIPv4 decodes b as read from a raw IPv4 ICMP socket: an IPv4 header
// of any valid IHL followed by an ICMP message, whose checksum it verifies.
// It does not allocate.
func ParseIPv4(b []byte, m *Message) error {
	if len(b) < ipv4MinHeaderLen || b[0]>>4 != 4 {
		return errShortIP
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < ipv4MinHeaderLen || len(b) < ihl {
		return errShortIP
	}
	if b[9] != 1 { // IPPROTO_ICMP
		return errNotICMP
	}
	if err := Parse(b[ihl:], false, m); err != nil {
		return err
	}
	m.TTL = int(b[8])
	m.Src = netip.AddrFrom4([4]byte(b[12:16]))
	m.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	return nil
}

// Parse decodes the ICMP (v6 false) or ICMPv6 message b, which carries no IP
// header, as read from a datagram socket or a raw IPv6 socket. For IPv4 it
// verifies the checksum; for errors it decodes the quoted echo header. It
// does not allocate.
func Parse(b []byte, v6 bool, m *Message) error {
	*m = Message{TTL: -1}
	if len(b) < headerLen {
		return errShortICMP
	}
	m.Type, m.Code = b[0], b[1]
	m.Checksum = binary.BigEndian.Uint16(b[2:])
	m.ChecksumOK = v6 || fold(sum(0, b)) == 0xffff
	m.ID = binary.BigEndian.Uint16(b[4:])
	m.Seq = binary.BigEndian.Uint16(b[6:])
	m.Info = binary.BigEndian.Uint32(b[4:])
	m.Len = len(b)
	m.Data = b[headerLen:]
	if isError(v6, m.Type) {
		m.ID, m.Seq = 0, 0
		parseInner(m, v6, m.Data)
	}
	return nil
}

// isError reports whether typ is an error that quotes the offending packet.
func isError(v6 bool, typ uint8) bool {
	if v6 {
		return typ >= type6DestUnreach && typ <= type6ParamProb
	}
	switch typ {
	case typeDestUnreach, typeSourceQuench, typeRedirect, typeTimeExceeded, typeParamProb:
		return true
	}
	return false
}

// parseInner decodes the IP header and echo header quoted by an error.
func parseInner(m *Message, v6 bool, q []byte) {
	var echo []byte
	if v6 {
		const ip6Len = 40
		if len(q) < ip6Len+headerLen || q[0]>>4 != 6 || q[6] != 58 { // IPPROTO_ICMPV6
			return
		}
		m.InnerDst = netip.AddrFrom16([16]byte(q[24:40]))
		echo = q[ip6Len:]
	} else {
		if len(q) < ipv4MinHeaderLen+headerLen || q[0]>>4 != 4 {
			return
		}
		ihl := int(q[0]&0x0f) * 4
		if ihl < ipv4MinHeaderLen || len(q) < ihl+headerLen || q[9] != 1 {
			return
		}
		m.InnerDst = netip.AddrFrom4([4]byte(q[16:20]))
		echo = q[ihl:]
	}
	m.Inner = true
	m.InnerType = echo[0]
	m.ID = binary.BigEndian.Uint16(echo[4:])
	m.Seq = binary.BigEndian.Uint16(echo[6:])
}
