package bench_test

import "testing"

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
