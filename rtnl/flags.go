package rtnl

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// IfFlags are the IFF_* flags of a link (ifi_flags).
type IfFlags uint32

// AppendText appends the flags as iproute2's print_link_flags writes them
// between the angle brackets: NO-CARRIER first when UP without RUNNING,
// RUNNING never, then LOOPBACK, BROADCAST, POINTOPOINT, MULTICAST, NOARP,
// ALLMULTI, PROMISC, MASTER, SLAVE, DEBUG, DYNAMIC, AUTOMEDIA, PORTSEL,
// NOTRAILERS, UP, LOWER_UP, DORMANT, ECHO, and any other bits in hex, all
// comma separated. It does not allocate when b has room.
func (f IfFlags) AppendText(b []byte) []byte {
	names := [...]struct {
		bit  IfFlags
		name string
	}{
		{unix.IFF_LOOPBACK, "LOOPBACK"},
		{unix.IFF_BROADCAST, "BROADCAST"},
		{unix.IFF_POINTOPOINT, "POINTOPOINT"},
		{unix.IFF_MULTICAST, "MULTICAST"},
		{unix.IFF_NOARP, "NOARP"},
		{unix.IFF_ALLMULTI, "ALLMULTI"},
		{unix.IFF_PROMISC, "PROMISC"},
		{unix.IFF_MASTER, "MASTER"},
		{unix.IFF_SLAVE, "SLAVE"},
		{unix.IFF_DEBUG, "DEBUG"},
		{unix.IFF_DYNAMIC, "DYNAMIC"},
		{unix.IFF_AUTOMEDIA, "AUTOMEDIA"},
		{unix.IFF_PORTSEL, "PORTSEL"},
		{unix.IFF_NOTRAILERS, "NOTRAILERS"},
		{unix.IFF_UP, "UP"},
		{unix.IFF_LOWER_UP, "LOWER_UP"},
		{unix.IFF_DORMANT, "DORMANT"},
		{unix.IFF_ECHO, "ECHO"},
	}
	start := len(b)
	sep := func(b []byte) []byte {
		if len(b) > start {
			b = append(b, ',')
		}
		return b
	}
	if f&unix.IFF_UP != 0 && f&unix.IFF_RUNNING == 0 {
		b = append(b, "NO-CARRIER"...)
	}
	f &^= unix.IFF_RUNNING
	for _, n := range names {
		if f&n.bit != 0 {
			b = append(sep(b), n.name...)
			f &^= n.bit
		}
	}
	if f != 0 {
		b = strconv.AppendUint(sep(b), uint64(f), 16)
	}
	return b
}

// String returns the flags as AppendText writes them, e.g.
// "BROADCAST,MULTICAST,UP,LOWER_UP".
func (f IfFlags) String() string {
	var buf [160]byte
	return string(f.AppendText(buf[:0]))
}
