package ip

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestAppendLinkFlags checks print_link_flags' rules: NO-CARRIER, RUNNING
// hidden, iproute2's order, unknown bits in bare hex.
func TestAppendLinkFlags(t *testing.T) {
	for _, c := range []struct {
		f    uint32
		want string
	}{
		{unix.IFF_UP | unix.IFF_LOOPBACK | unix.IFF_RUNNING | unix.IFF_LOWER_UP, "LOOPBACK,UP,LOWER_UP"},
		{unix.IFF_BROADCAST | unix.IFF_MULTICAST | unix.IFF_UP, "NO-CARRIER,BROADCAST,MULTICAST,UP"},
		{unix.IFF_BROADCAST | unix.IFF_MULTICAST, "BROADCAST,MULTICAST"},
		{unix.IFF_POINTOPOINT | unix.IFF_NOARP | 0x80000, "POINTOPOINT,NOARP,80000"},
		{unix.IFF_ECHO | unix.IFF_DORMANT | unix.IFF_DEBUG | unix.IFF_SLAVE | unix.IFF_MASTER, "MASTER,SLAVE,DEBUG,DORMANT,ECHO"},
		{unix.IFF_RUNNING, ""},
		{0, ""},
	} {
		if got := string(appendLinkFlags(nil, c.f)); got != c.want {
			t.Errorf("appendLinkFlags(%#x) = %q, want %q", c.f, got, c.want)
		}
	}
	var buf [160]byte
	if n := testing.AllocsPerRun(100, func() { appendLinkFlags(buf[:0], unix.IFF_UP|unix.IFF_BROADCAST|0x80000) }); n != 0 {
		t.Errorf("appendLinkFlags allocates %v times, want 0", n)
	}
}
