package icmp

import "golang.org/x/sys/unix"

// A TTLError reports that the kernel refused a TTL (IPv6: hop limit) of
// Config.TTL, for example an IPv4 TTL of 0 (EINVAL).
type TTLError struct {
	// Multicast is true when the multicast TTL was refused, false for the
	// unicast one.
	Multicast bool
	// IPv6 is true for a hop limit.
	IPv6 bool
	// Err is the *os.SyscallError of setsockopt(2).
	Err error
}

// Error names the refused option and the cause.
func (e *TTLError) Error() string {
	s := "icmp: setting the unicast "
	if e.Multicast {
		s = "icmp: setting the multicast "
	}
	if e.IPv6 {
		s += "hop limit: "
	} else {
		s += "TTL: "
	}
	return s + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *TTLError) Unwrap() error { return e.Err }

// SetTTL sets the multicast, then the unicast TTL or hop limit to ttl, in
// iputils' order, as Config.TTL does in Open; a refusal is a *TTLError.
// It must not run concurrently with Send.
func (p *Prober) SetTTL(ttl int) error {
	level, mcast, ucast := unix.SOL_IP, unix.IP_MULTICAST_TTL, unix.IP_TTL
	if p.v6 {
		level, mcast, ucast = unix.SOL_IPV6, unix.IPV6_MULTICAST_HOPS, unix.IPV6_UNICAST_HOPS
	}
	if err := setsockoptInt(p.fd, level, mcast, ttl); err != nil {
		return &TTLError{Multicast: true, IPv6: p.v6, Err: err}
	}
	if err := setsockoptInt(p.fd, level, ucast, ttl); err != nil {
		return &TTLError{IPv6: p.v6, Err: err}
	}
	return nil
}
