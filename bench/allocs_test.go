package bench_test

import (
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestNoAllocs proves the 0 allocs/op the benchmarks report for every
// rawns build and decode, exactly.
func TestNoAllocs(t *testing.T) {
	newLink, linkDump, addrDump := decodeInputs(t)
	var buf [256]byte
	tests := []struct {
		name string
		fn   func()
	}{
		{"DecodeNewLink", func() {
			v, _ := rawnsReadLink(newLink)
			sinkInt += rawnsTouchLink(v)
		}},
		{"DecodeLinkDump", func() {
			n, _ := rawnsDecodeLinks(linkDump, func(v rawnsLink) { sinkInt += rawnsTouchLink(v) })
			sinkInt += n
		}},
		{"DecodeAddrDump", func() {
			n, _ := rawnsDecodeAddrs(addrDump, func(v rawnsAddr) { sinkInt += rawnsTouchAddr(v) })
			sinkInt += n
		}},
	}
	for _, c := range buildCases() {
		build := c.builders[0].build
		tests = append(tests, struct {
			name string
			fn   func()
		}{c.name, func() { sinkBytes = build(buf[:]) }})
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, tt.fn); got != 0 {
			t.Errorf("%s: AllocsPerRun = %v, want 0", tt.name, got)
		}
	}
}

// TestIntegrationKernelNoAllocs proves the 0 allocs/op of the rawns kernel
// benchmarks that are quick enough to repeat: address add+delete and a
// link dump with decoding, on a warm Conn.
func TestIntegrationKernelNoAllocs(t *testing.T) {
	sandbox.Require(t)
	c := dialRawns(t)
	if err := c.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: "na0", PeerName: "na1"})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Execute(rtnl.AppendDelLink(nil, 0, "na0")) })
	idx := linkIndex(t, c, "na0")
	var buf [128]byte
	var runErr error
	addrAddDel := func() {
		a := rtnl.Addr{Family: unix.AF_INET, PrefixLen: 24, Index: idx, Local: addrLocal, Broadcast: addrBrd}
		if err := c.Execute(rtnl.AppendNewAddr(buf[:0], &a)); err != nil && runErr == nil {
			runErr = err
		}
		if err := c.Execute(rtnl.AppendDelAddr(buf[:0], &a)); err != nil && runErr == nil {
			runErr = err
		}
	}
	links := 0
	fn := func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		v, err := rawnsReadLink(m.Data)
		sinkInt += rawnsTouchLink(v)
		links++
		return err
	}
	dump := func() {
		links = 0
		if err := c.Dump(rtnl.AppendDumpLinks(buf[:0], unix.AF_PACKET), fn); err != nil && runErr == nil {
			runErr = err
		}
	}
	dump()
	want := links
	tests := []struct {
		name string
		fn   func()
	}{
		{"address add+delete", addrAddDel},
		{"link dump", dump},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(50, tt.fn); got != 0 {
			t.Errorf("%s: AllocsPerRun = %v, want 0", tt.name, got)
		}
		if runErr != nil {
			t.Fatalf("%s: %v", tt.name, runErr)
		}
	}
	if links != want || links < 3 {
		t.Errorf("link dump decoded %d links, want %d (at least lo, na1, na0)", links, want)
	}
}
