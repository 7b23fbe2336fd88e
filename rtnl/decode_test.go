package rtnl_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// readMessage reads a captured message and returns its header and data.
func readMessage(t testing.TB, name string) rtnl.Message {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	it := rtnl.NewMessageIter(b)
	if !it.Next() {
		t.Fatalf("%s: no message: %v", name, it.Err())
	}
	return it.Message()
}

// checkCapturedLink checks the fields of the RTM_NEWLINK of veth0 made by
// TestIntegrationDumpMessages: up, default MTU and queue, a veth.
func checkCapturedLink(t testing.TB, msg []byte) {
	t.Helper()
	it := rtnl.NewMessageIter(msg)
	if !it.Next() {
		t.Fatalf("no message: %v", it.Err())
	}
	m := it.Message()
	if m.Header.Type != unix.RTM_NEWLINK {
		t.Fatalf("type = %d, want RTM_NEWLINK", m.Header.Type)
	}
	l, err := rtnl.ParseLink(m.Data)
	if err != nil {
		t.Fatalf("ParseLink: %v", err)
	}
	mtu, okMTU := l.MTU()
	q, okQ := l.TxQLen()
	op, okOp := l.OperState()
	mode, okMode := l.LinkMode()
	g, okG := l.Group()
	peer, okPeer := l.LinkIndex()
	_, okMaster := l.Master()
	tests := []struct {
		name      string
		got, want any
	}{
		{"Name", string(l.Name()), "veth0"},
		{"Kind", string(l.Kind()), "veth"},
		{"Type", l.Type, uint16(unix.ARPHRD_ETHER)},
		{"UP", l.Flags&unix.IFF_UP != 0, true},
		{"MTU", [2]any{mtu, okMTU}, [2]any{uint32(1500), true}},
		{"TxQLen", [2]any{q, okQ}, [2]any{uint32(1000), true}},
		{"OperState present", okOp, true},
		{"LinkMode", [2]any{mode, okMode}, [2]any{uint8(0), true}},
		{"Group", [2]any{g, okG}, [2]any{uint32(0), true}},
		{"Qdisc", string(l.Qdisc()), "noqueue"},
		{"Address len", len(l.Address()), 6},
		{"Broadcast", string(l.Broadcast()), "\xff\xff\xff\xff\xff\xff"},
		{"LinkIndex present, not self", okPeer && peer != l.Index, true},
		{"Master present", okMaster, false},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("link %s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if op != 2 && op != 3 && op != 6 { // IF_OPER_DOWN, LOWERLAYERDOWN or UP: carrier comes up asynchronously
		t.Errorf("OperState = %d", op)
	}
}

// checkCapturedAddr checks the RTM_NEWADDR of 192.168.1.1/24 brd
// 192.168.1.255 on veth0.
func checkCapturedAddr(t testing.TB, msg []byte) {
	t.Helper()
	it := rtnl.NewMessageIter(msg)
	if !it.Next() {
		t.Fatalf("no message: %v", it.Err())
	}
	a, err := rtnl.ParseAddr(it.Message().Data)
	if err != nil {
		t.Fatalf("ParseAddr: %v", err)
	}
	valid, pref, okCI := a.CacheInfo()
	tests := []struct {
		name      string
		got, want any
	}{
		{"Family", a.Family, uint8(unix.AF_INET)},
		{"Prefix", a.Prefix().String(), "192.168.1.1/24"},
		{"Local", a.Local().String(), "192.168.1.1"},
		{"Address", a.Address().String(), "192.168.1.1"},
		{"Broadcast", a.Broadcast().String(), "192.168.1.255"},
		{"Label", string(a.Label()), "veth0"},
		{"Scope", a.Scope, uint8(unix.RT_SCOPE_UNIVERSE)},
		{"Flags", a.Flags(), uint32(unix.IFA_F_PERMANENT)},
		{"CacheInfo", [3]any{valid, pref, okCI}, [3]any{uint32(0xffffffff), uint32(0xffffffff), true}},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("address %s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseCapturedLink(t *testing.T) {
	b, err := os.ReadFile("testdata/newlink-veth.bin")
	if err != nil {
		t.Fatal(err)
	}
	checkCapturedLink(t, b)
}

func TestParseCapturedAddr(t *testing.T) {
	b, err := os.ReadFile("testdata/newaddr.bin")
	if err != nil {
		t.Fatal(err)
	}
	checkCapturedAddr(t, b)
}

// TestParseTruncated cuts the captured messages at every length: each
// prefix must decode or fail with an error, never panic, and a prefix that
// cuts an attribute must fail.
func TestParseTruncated(t *testing.T) {
	link := readMessage(t, "newlink-veth.bin").Data
	for n := range len(link) {
		if _, err := rtnl.ParseLink(link[:n]); err == nil && !attrBoundary(link[16:], n-16) {
			t.Errorf("ParseLink(first %d of %d bytes) = nil error, want one", n, len(link))
		}
	}
	addr := readMessage(t, "newaddr.bin").Data
	for n := range len(addr) {
		if _, err := rtnl.ParseAddr(addr[:n]); err == nil && !attrBoundary(addr[8:], n-8) {
			t.Errorf("ParseAddr(first %d of %d bytes) = nil error, want one", n, len(addr))
		}
	}
	if _, err := rtnl.ParseLink(link[:15]); err == nil {
		t.Errorf("ParseLink(15 bytes) = nil error")
	}
}

// attrBoundary reports whether n bytes of the attributes in b end after a
// whole attribute (possibly inside its padding, which the last attribute
// may omit), or n is 0.
func attrBoundary(b []byte, n int) bool {
	if n == 0 {
		return true
	}
	for off := 0; off < len(b); {
		l := int(b[off]) | int(b[off+1])<<8
		end := off + (l+3)&^3
		if n >= off+l && n <= end { // the cut falls in the padding
			return true
		}
		if n < end {
			return false
		}
		off = end
	}
	return false
}

func TestParseMalformed(t *testing.T) {
	link := readMessage(t, "newlink-veth.bin").Data
	bad := func(off int, v uint16) []byte {
		b := bytes.Clone(link)
		b[off], b[off+1] = byte(v), byte(v>>8)
		return b
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"attribute length 3", bad(16, 3)},
		{"attribute length past the end", bad(16, 0xfff0)},
		{"MTU of 2 bytes", func() []byte {
			var b []byte
			b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{})
			return rtnl.AppendAttrUint16(b, unix.IFLA_MTU, 1500)
		}()},
		{"nested LINKINFO length past its nest", func() []byte {
			var b []byte
			b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{})
			b, s := rtnl.BeginNest(b, unix.IFLA_LINKINFO)
			b = rtnl.AppendAttrString(b, unix.IFLA_INFO_KIND, "veth")
			b = rtnl.EndNest(b, s)
			b[len(b)-12] = 40 // the KIND length now overruns LINKINFO
			return b
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := rtnl.ParseLink(tc.data); err == nil {
				t.Errorf("ParseLink(%s) = nil error, want one", tc.name)
			} else {
				t.Log(err)
			}
		})
	}
	// IPv4 address attribute of 16 bytes.
	var b []byte
	b = rtnl.AppendIfAddrmsg(b, rtnl.IfAddrmsg{Family: unix.AF_INET})
	b = rtnl.AppendAttr(b, unix.IFA_LOCAL, make([]byte, 16))
	if _, err := rtnl.ParseAddr(b); err == nil {
		t.Errorf("ParseAddr(IPv4 with a 16-byte IFA_LOCAL) = nil error")
	}
}

func TestFirstOccurrenceWins(t *testing.T) {
	var b []byte
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Index: 7})
	b = rtnl.AppendAttrString(b, unix.IFLA_IFNAME, "first")
	b = rtnl.AppendAttrString(b, unix.IFLA_IFNAME, "second")
	b = rtnl.AppendAttrUint32(b, 999, 1) // unknown: skipped
	l, err := rtnl.ParseLink(b)
	if err != nil || string(l.Name()) != "first" || l.Index != 7 {
		t.Errorf("ParseLink = %q, %d, %v; want first, 7, nil", l.Name(), l.Index, err)
	}
}

func TestMessageIterMalformed(t *testing.T) {
	msg := rtnl.AppendDumpLinks(nil, 0)
	tests := []struct {
		name string
		b    []byte
	}{
		{"short header", msg[:10]},
		{"length below header", append([]byte{8, 0, 0, 0}, msg[4:]...)},
		{"length past the end", append([]byte{200, 0, 0, 0}, msg[4:]...)},
	}
	for _, tc := range tests {
		it := rtnl.NewMessageIter(tc.b)
		for it.Next() {
		}
		if it.Err() == nil {
			t.Errorf("MessageIter(%s) Err = nil, want an error", tc.name)
		}
	}
	it := rtnl.NewMessageIter(append(bytes.Clone(msg), msg...))
	n := 0
	for it.Next() {
		n++
	}
	if n != 2 || it.Err() != nil {
		t.Errorf("MessageIter(two messages) = %d, %v; want 2, nil", n, it.Err())
	}
}

// TestIfFlagsString checks the kernel's names, each bit at its x/sys/unix
// value, in bit order, and unnamed bits in hex.
func TestIfFlagsString(t *testing.T) {
	tests := []struct {
		f    rtnl.IfFlags
		want string
	}{
		{unix.IFF_UP | unix.IFF_LOOPBACK | unix.IFF_RUNNING | unix.IFF_LOWER_UP, "UP|LOOPBACK|RUNNING|LOWER_UP"},
		{unix.IFF_BROADCAST | unix.IFF_MULTICAST | unix.IFF_UP, "UP|BROADCAST|MULTICAST"},
		{unix.IFF_POINTOPOINT | unix.IFF_NOARP | 0x80000 | 0x100000, "POINTOPOINT|NOARP|0x180000"},
		{unix.IFF_DEBUG | unix.IFF_NOTRAILERS | unix.IFF_PROMISC | unix.IFF_ALLMULTI | unix.IFF_MASTER | unix.IFF_SLAVE, "DEBUG|NOTRAILERS|PROMISC|ALLMULTI|MASTER|SLAVE"},
		{unix.IFF_PORTSEL | unix.IFF_AUTOMEDIA | unix.IFF_DYNAMIC | unix.IFF_DORMANT | unix.IFF_ECHO, "PORTSEL|AUTOMEDIA|DYNAMIC|DORMANT|ECHO"},
		{0x80000, "0x80000"},
		{0, ""},
	}
	for _, tc := range tests {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("IfFlags(%#x).String() = %q, want %q", uint32(tc.f), got, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readMessage(f, "newlink-veth.bin").Data)
	f.Add(readMessage(f, "newaddr.bin").Data)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		if l, err := rtnl.ParseLink(b); err == nil {
			l.Name()
			l.MTU()
			l.Kind()
		}
		if a, err := rtnl.ParseAddr(b); err == nil {
			a.Prefix()
			a.CacheInfo()
			a.Flags()
		}
		if n, err := rtnl.ParseNetNSID(b); err == nil {
			n.NSID()
		}
		it := rtnl.NewMessageIter(b)
		for it.Next() {
		}
	})
}
