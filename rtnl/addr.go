package rtnl

import (
	"encoding/binary"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Addr describes an `ip addr add` or `ip addr del` request. The zero value
// of every optional field means "not sent"; no broadcast is computed.
type Addr struct {
	// Family is unix.AF_INET or unix.AF_INET6; zero means the family of
	// Local.
	Family uint8
	// PrefixLen is the prefix length (ifa_prefixlen).
	PrefixLen uint8
	// Scope is ifa_scope (unix.RT_SCOPE_*). iproute2 sends host (254) for
	// 127.0.0.0/8 and 0 otherwise; the caller chooses.
	Scope uint8
	// Flags are IFA_F_* flags. When they fit in 8 bits they go in
	// ifa_flags; otherwise all of them go in IFA_FLAGS and ifa_flags is 0,
	// as iproute2 sends them.
	Flags uint32
	// Index is the interface index (ifa_index).
	Index uint32
	// Local is the address itself (IFA_LOCAL).
	Local netip.Addr
	// Peer, when valid, is the other end of a point-to-point link
	// (IFA_ADDRESS); otherwise IFA_ADDRESS repeats Local.
	Peer netip.Addr
	// Broadcast, when valid, is sent as IFA_BROADCAST.
	Broadcast netip.Addr
	// Label, when set, is sent as IFA_LABEL.
	Label string
	// ValidLft and PreferredLft are sent as IFA_CACHEINFO when
	// HasLifetimes is true; 0xffffffff means forever.
	ValidLft, PreferredLft uint32
	// HasLifetimes reports whether to send IFA_CACHEINFO.
	HasLifetimes bool
}

// AppendNewAddr appends one whole RTM_NEWADDR request (flags
// REQUEST|ACK|CREATE|EXCL) adding a, in iproute2's layout: ifaddrmsg,
// IFA_LOCAL, [IFA_BROADCAST], [IFA_ADDRESS = Peer], [IFA_LABEL],
// [IFA_FLAGS], [IFA_ADDRESS = Local when there is no Peer],
// [IFA_CACHEINFO]. It does not allocate when b has room.
func AppendNewAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_NEWADDR,
		unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, a)
}

// AppendDelAddr appends one whole RTM_DELADDR request (flags REQUEST|ACK)
// removing a, laid out like AppendNewAddr.
// It does not allocate when b has room.
func AppendDelAddr(b []byte, a *Addr) []byte {
	return appendAddr(b, unix.RTM_DELADDR, unix.NLM_F_REQUEST|unix.NLM_F_ACK, a)
}

func appendAddr(b []byte, typ, flags uint16, a *Addr) []byte {
	b, msg := AppendHeader(b, typ, flags)
	family := a.Family
	if family == 0 {
		family = unix.AF_INET
		if a.Local.Is6() {
			family = unix.AF_INET6
		}
	}
	b = AppendIfAddrmsg(b, IfAddrmsg{
		Family:    family,
		PrefixLen: a.PrefixLen,
		Flags:     ifaFlags8(a.Flags),
		Scope:     a.Scope,
		Index:     a.Index,
	})
	if a.Local.IsValid() {
		b = AppendAttrAddr(b, unix.IFA_LOCAL, a.Local)
	}
	if a.Broadcast.IsValid() {
		b = AppendAttrAddr(b, unix.IFA_BROADCAST, a.Broadcast)
	}
	if a.Peer.IsValid() {
		b = AppendAttrAddr(b, unix.IFA_ADDRESS, a.Peer)
	}
	if a.Label != "" {
		b = AppendAttrString(b, unix.IFA_LABEL, a.Label)
	}
	if a.Flags > 0xff {
		b = AppendAttrUint32(b, unix.IFA_FLAGS, a.Flags)
	}
	if !a.Peer.IsValid() && a.Local.IsValid() {
		b = AppendAttrAddr(b, unix.IFA_ADDRESS, a.Local)
	}
	if a.HasLifetimes {
		var ci [unix.SizeofIfaCacheinfo]byte // ifa_prefered, ifa_valid, cstamp, tstamp
		binary.NativeEndian.PutUint32(ci[0:], a.PreferredLft)
		binary.NativeEndian.PutUint32(ci[4:], a.ValidLft)
		b = AppendAttr(b, unix.IFA_CACHEINFO, ci[:])
	}
	return FinishMessage(b, msg)
}

// ifaFlags8 returns what goes in ifa_flags: the flags when they fit in 8
// bits, otherwise 0 (they travel in IFA_FLAGS), as iproute2 does.
func ifaFlags8(f uint32) uint8 {
	if f > 0xff {
		return 0
	}
	return uint8(f)
}

// AppendDumpAddrs appends one whole RTM_GETADDR dump request (flags
// REQUEST|DUMP) for addresses of the given family (0 for all), as `ip addr`
// sends it: a zero ifaddrmsg apart from the family.
// It does not allocate when b has room.
func AppendDumpAddrs(b []byte, family uint8) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETADDR, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendIfAddrmsg(b, IfAddrmsg{Family: family})
	return FinishMessage(b, msg)
}
