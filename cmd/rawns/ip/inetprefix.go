package ip

import (
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// inetPrefix is iproute2's inet_prefix as get_prefix and get_addr fill it.
type inetPrefix struct {
	family   uint8
	bytelen  int
	bitlen   int // -1: no length yet; -2: "default", "any" or "all"
	data     [16]byte
	lenGiven bool   // PREFIXLEN_SPECIFIED
	arg      string // the address as written, without the length
}

// bytes returns the address bytes.
func (p *inetPrefix) bytes() []byte { return p.data[:p.bytelen] }

// multicast reports whether the address is multicast.
func (p *inetPrefix) multicast() bool {
	switch p.family {
	case unix.AF_INET:
		return p.data[0]&0xf0 == 0xe0
	case unix.AF_INET6:
		return p.data[0] == 0xff
	}
	return false
}

// familyVerbose is family_name_verbose.
func familyVerbose(f uint8) string {
	if f == 0 {
		return "any valid"
	}
	if n := familyName(f); n != "" {
		return n
	}
	return "???"
}

// getPrefix is get_prefix: ADDR[/LEN], with iproute2's own IPv4 parsing
// and dotted netmasks. Its errors end the process with status 1, even in a
// batch.
func getPrefix(s string, family uint8) (inetPrefix, error) {
	if family == unix.AF_PACKET {
		return inetPrefix{}, &exitNow{msg: `Error: "` + s + `" may be inet prefix, but it is not allowed in this context.`}
	}
	p, ok := parsePrefix(s, family)
	if !ok {
		return p, &exitNow{msg: "Error: " + familyVerbose(family) + ` prefix is expected rather than "` + s + `".`}
	}
	return p, nil
}

// getAddr is get_addr: one address, no length.
func getAddr(s string, family uint8) (inetPrefix, error) {
	p, ok := parseAddr1(s, family)
	if !ok {
		return p, &exitNow{msg: "Error: " + familyVerbose(family) + ` address is expected rather than "` + s + `".`}
	}
	return p, nil
}

// parsePrefix is get_prefix_1.
func parsePrefix(s string, family uint8) (inetPrefix, bool) {
	addr, plen := s, ""
	slash := indexByte(s, '/')
	if slash >= 0 {
		addr, plen = s[:slash], s[slash+1:]
	}
	p, ok := parseAddr1(addr, family)
	if !ok {
		return p, false
	}
	bits := 0
	switch p.family {
	case unix.AF_INET:
		bits = 32
	case unix.AF_INET6:
		bits = 128
	}
	if slash >= 0 {
		if p.bitlen == -2 {
			return p, false
		}
		n, ok := netmaskLen(plen)
		if !ok || n > bits {
			return p, false
		}
		p.lenGiven = true
		bits = n
	} else if p.bitlen == -2 {
		bits = 0
	}
	p.bitlen = bits
	return p, true
}

// netmaskLen is get_netmask: a number, or a dotted mask of contiguous ones.
func netmaskLen(s string) (int, bool) {
	if n, ok := cUint32(s); ok {
		if n > 1<<16 {
			return 0, false
		}
		return int(n), true
	}
	p, ok := parseAddr1(s, unix.AF_INET)
	if !ok || p.family != unix.AF_INET {
		return 0, false
	}
	m := uint32(p.data[0])<<24 | uint32(p.data[1])<<16 | uint32(p.data[2])<<8 | uint32(p.data[3])
	host := ^m
	if host&(host+1) != 0 {
		return 0, false
	}
	n := 0
	for ; m != 0; m <<= 1 {
		n++
	}
	return n, true
}

// parseAddr1 is get_addr_1 for the inet families.
func parseAddr1(s string, family uint8) (inetPrefix, bool) {
	p := inetPrefix{family: family, bitlen: -1, arg: s}
	switch s {
	case "default":
		p.bitlen, p.lenGiven = -2, true
		switch family {
		case unix.AF_INET:
			p.bytelen = 4
		case unix.AF_INET6:
			p.bytelen = 16
		}
		return p, true
	case "all", "any":
		p.bitlen = -2
		return p, true
	}
	if containsByte(s, ':') {
		p.family = unix.AF_INET6
		if family != 0 && family != unix.AF_INET6 {
			return p, false
		}
		if containsByte(s, '%') {
			return p, false
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() {
			return p, false
		}
		p.data = a.As16()
		p.bytelen = 16
		return p, true
	}
	p.family = unix.AF_INET
	if family != 0 && family != unix.AF_INET {
		return p, false
	}
	a, ok := parseIPv4(s)
	if !ok {
		return p, false
	}
	copy(p.data[:], a[:])
	p.bytelen = 4
	return p, true
}

// parseIPv4 is iproute2's get_addr_ipv4: up to four parts, each a C
// number (strtoul base 0) up to 255; missing parts are zero, so "10.8" is
// 10.8.0.0.
func parseIPv4(s string) ([4]byte, bool) {
	var a [4]byte
	for i := 0; i < 4; i++ {
		n, rest, ok, _ := strtoul(s, 0)
		if !ok || n > 255 {
			return a, false
		}
		a[i] = byte(n)
		if rest == "" {
			return a, true
		}
		if i == 3 || rest[0] != '.' {
			return a, false
		}
		s = rest[1:]
	}
	return a, true
}

func itoa(n int) string { return strconv.Itoa(n) }
