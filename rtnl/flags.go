package rtnl

import "strconv"

// IfFlags are the IFF_* flags of a link (ifi_flags).
type IfFlags uint32

// ifFlagNames are the kernel's names of the IFF_* bits, without the IFF_
// prefix, indexed by bit number (include/uapi/linux/if.h).
var ifFlagNames = [...]string{
	"UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTOPOINT", "NOTRAILERS",
	"RUNNING", "NOARP", "PROMISC", "ALLMULTI", "MASTER", "SLAVE",
	"MULTICAST", "PORTSEL", "AUTOMEDIA", "DYNAMIC", "LOWER_UP", "DORMANT",
	"ECHO",
}

// AppendText appends the flags in the kernel's words: the name of each set
// bit, without the IFF_ prefix, in bit order (UP first), then any bits
// without a name as one hex number, all separated by '|'; nothing for 0.
// For example, unix.IFF_UP|unix.IFF_RUNNING|0x80000 appends
// "UP|RUNNING|0x80000". It does not allocate when b has room.
func (f IfFlags) AppendText(b []byte) []byte {
	start := len(b)
	for i, name := range ifFlagNames {
		if f&(1<<i) != 0 {
			if len(b) > start {
				b = append(b, '|')
			}
			b = append(b, name...)
		}
	}
	if rest := f &^ (1<<len(ifFlagNames) - 1); rest != 0 {
		if len(b) > start {
			b = append(b, '|')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(rest), 16)
	}
	return b
}

// String returns the flags as AppendText writes them, e.g.
// "UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP".
func (f IfFlags) String() string {
	var buf [160]byte
	return string(f.AppendText(buf[:0]))
}
