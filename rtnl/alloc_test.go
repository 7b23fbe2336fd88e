package rtnl_test

import (
	"net/netip"
	"os"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// Sinks keep results alive so the compiler cannot drop the work.
var (
	sinkBytes []byte
	sinkU32   uint32
	sinkInt   int
	sinkAddr  netip.Addr
)

func TestNoAllocsBuilders(t *testing.T) {
	buf := make([]byte, 0, 512)
	for _, tc := range builderCases() {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, func() { sinkBytes = tc.build(buf[:0], 3) }); n != 0 {
				t.Errorf("%s builder allocates %v times per run, want 0", tc.name, n)
			}
		})
	}
	if n := testing.AllocsPerRun(100, func() {
		sinkBytes = rtnl.IfFlags(unix.IFF_UP | unix.IFF_BROADCAST | 0x80000).AppendText(buf[:0])
	}); n != 0 {
		t.Errorf("IfFlags.AppendText allocates %v times per run, want 0", n)
	}
}

// extractLink reads every field `ip link` prints from a link message.
func extractLink(data []byte) error {
	l, err := rtnl.ParseLink(data)
	if err != nil {
		return err
	}
	mtu, _ := l.MTU()
	q, _ := l.TxQLen()
	g, _ := l.Group()
	m, _ := l.Master()
	op, _ := l.OperState()
	mode, _ := l.LinkMode()
	li, _ := l.LinkIndex()
	ns, _ := l.LinkNetNSID()
	sinkU32 = mtu + q + g + uint32(m) + uint32(op) + uint32(mode) + uint32(li) + uint32(ns) +
		uint32(l.Index) + l.Flags + uint32(l.Type)
	sinkInt = len(l.Name()) + len(l.Qdisc()) + len(l.Address()) + len(l.Broadcast()) +
		len(l.PermAddr()) + len(l.Kind())
	return nil
}

// extractAddr reads every field `ip addr` prints from an address message.
func extractAddr(data []byte) error {
	a, err := rtnl.ParseAddr(data)
	if err != nil {
		return err
	}
	valid, pref, _ := a.CacheInfo()
	sinkAddr = a.Local()
	sinkAddr = a.Address()
	sinkAddr = a.Broadcast()
	sinkU32 = a.Flags() + valid + pref + uint32(a.Scope) + uint32(a.PrefixLen) + uint32(a.Index) + uint32(a.Family)
	sinkInt = len(a.Label())
	return nil
}

func TestNoAllocsDecoders(t *testing.T) {
	link := readMessage(t, "newlink-veth.bin").Data
	addr := readMessage(t, "newaddr.bin").Data
	raw, err := os.ReadFile("testdata/newlink-veth.bin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"ParseLink+fields", func() { extractLink(link) }},
		{"ParseAddr+fields", func() { extractAddr(addr) }},
		{"MessageIter+AttrIter", func() {
			it := rtnl.NewMessageIter(raw)
			for it.Next() {
				ai := rtnl.NewAttrIter(it.Message().Data[16:])
				for ai.Next() {
					sinkInt += len(ai.Data())
				}
			}
		}},
	}
	for _, tc := range tests {
		if n := testing.AllocsPerRun(100, tc.fn); n != 0 {
			t.Errorf("%s allocates %v times per run, want 0", tc.name, n)
		}
	}
}

// TestIntegrationNoAllocs proves warm round trips allocate nothing, on the
// poller path (the default) and on the raw system-call path.
func TestIntegrationNoAllocs(t *testing.T) {
	sandbox.Require(t)
	t.Run("poller", func(t *testing.T) { testNoAllocs(t, nil, "al") })
	t.Run("RawSyscalls", func(t *testing.T) { testNoAllocs(t, &rtnl.Config{RawSyscalls: true}, "ar") })
}

func testNoAllocs(t *testing.T, cfg *rtnl.Config, prefix string) {
	c := dial(t, cfg)
	addVeth(t, c, prefix+"0", prefix+"1")
	idx, err := c.LinkIndex(prefix + "0")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 512)
	up := true
	fnLink := func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		return extractLink(m.Data)
	}
	fnAddr := func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWADDR {
			return nil
		}
		return extractAddr(m.Data)
	}
	execute(t, c, "addr", rtnl.AppendNewAddr(nil, &rtnl.Addr{Index: idx, PrefixLen: 24, Local: netip.MustParseAddr("10.6.0.1")}))
	var failed error
	tests := []struct {
		name string
		fn   func()
	}{
		{"Execute set up/down", func() {
			var ch rtnl.LinkChange
			ch.Index, ch.Change = idx, unix.IFF_UP
			if up {
				ch.Flags = unix.IFF_UP
			}
			up = !up
			buf = rtnl.AppendSetLink(buf[:0], &ch)
			if err := c.Execute(buf); err != nil {
				failed = err
			}
		}},
		{"LinkIndex", func() {
			if _, err := c.LinkIndex(prefix + "1"); err != nil {
				failed = err
			}
		}},
		{"Dump links", func() {
			buf = rtnl.AppendDumpLinks(buf[:0], unix.AF_UNSPEC)
			if err := c.Dump(buf, fnLink); err != nil {
				failed = err
			}
		}},
		{"Dump addrs", func() {
			buf = rtnl.AppendDumpAddrs(buf[:0], unix.AF_UNSPEC, 0)
			if err := c.Dump(buf, fnAddr); err != nil {
				failed = err
			}
		}},
		{"ExecuteBatch 4", func() {
			buf = buf[:0]
			for range 2 {
				buf = rtnl.AppendSetLink(buf, &rtnl.LinkChange{Index: idx, MTU: 1400})
				buf = rtnl.AppendSetLink(buf, &rtnl.LinkChange{Index: idx, MTU: 1500})
			}
			if err := c.ExecuteBatch(buf, func(i int, err error) {
				if err != nil {
					failed = err
				}
			}); err != nil {
				failed = err
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn() // warm
			if n := testing.AllocsPerRun(50, tc.fn); n != 0 {
				t.Errorf("%s allocates %v times per run, want 0", tc.name, n)
			}
			if failed != nil {
				t.Fatal(failed)
			}
		})
	}
}
