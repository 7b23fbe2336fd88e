package ip

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// vethDump returns link messages as a dump of n veth pairs sends them,
// each ifindex after the one before: bI first (its peer aI comes next),
// then aI (its peer came before).
func vethDump(n int) [][]byte {
	var msgs [][]byte
	for i := range n {
		b, a := int32(2*i+2), int32(2*i+3)
		for _, l := range []struct {
			index, peer int32
			name        string
		}{{b, a, fmt.Sprintf("b%d", i)}, {a, b, fmt.Sprintf("a%d", i)}} {
			m := rtnl.AppendIfInfomsg(nil, rtnl.IfInfomsg{Type: unix.ARPHRD_ETHER, Index: l.index})
			m = rtnl.AppendAttrString(m, unix.IFLA_IFNAME, l.name)
			m = rtnl.AppendAttrUint32(m, unix.IFLA_TXQLEN, 1000)
			m = rtnl.AppendAttrUint32(m, unix.IFLA_LINK, uint32(l.peer))
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// TestShowStreamHoldsOnlyWaiting feeds a link stream veth pairs as the
// kernel dumps them: a link is held only until its peer arrives (never more
// than one at a time), the output keeps the dump's order, and what stays in
// memory after 20,000 links is the name cache, not the links.
func TestShowStreamHoldsOnlyWaiting(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdout: bufio.NewWriter(&out), stderr: io.Discard}
	f := showFilter{family: unix.AF_PACKET}
	s := newLinkStream(e, newPrinter(e), &f, true)
	for _, m := range vethDump(100) {
		if err := s.link(unix.RTM_NEWLINK, m); err != nil {
			t.Fatal(err)
		}
		if w := len(s.ends) - s.first; w > 1 {
			t.Fatalf("%d links held, want at most 1", w)
		}
	}
	s.finish()
	e.stdout.Flush()
	lines := regexp.MustCompile(`(?m)^(\d+): (\S+):`).FindAllStringSubmatch(out.String(), -1)
	if len(lines) != 200 {
		t.Fatalf("%d links printed, want 200:\n%s", len(lines), out.String())
	}
	for i, l := range lines {
		k := i / 2
		want := fmt.Sprintf("%d: b%d@a%d", i+2, k, k)
		if i%2 == 1 {
			want = fmt.Sprintf("%d: a%d@b%d", i+2, k, k)
		}
		if l[1]+": "+l[2] != want {
			t.Fatalf("link %d printed as %q, want %q", i, l[0], want+":")
		}
	}

	msgs := vethDump(10000)
	e = &env{stdout: bufio.NewWriter(io.Discard), stderr: io.Discard}
	s = newLinkStream(e, newPrinter(e), &f, true)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, m := range msgs {
		s.link(unix.RTM_NEWLINK, m)
	}
	s.finish()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Errorf("20,000 streamed links left the heap %d KiB larger, want under 4 MiB (the name cache)", grew>>10)
	}
	runtime.KeepAlive(msgs)
	runtime.KeepAlive(s)
}

// TestShowStreamRestart: a dump the kernel interrupts is repeated while
// nothing has been printed (what was held is dropped), and stopped once
// links were printed: they stay printed, and iproute2's warning follows.
func TestShowStreamRestart(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdout: bufio.NewWriter(&out), stderr: &errb}
	f := showFilter{family: unix.AF_PACKET}
	s := newLinkStream(e, newPrinter(e), &f, true)
	pair := vethDump(1) // b0 waits for a0
	if err := s.link(unix.RTM_NEWLINK, pair[0]); err != nil || len(s.ends) != 1 {
		t.Fatalf("b0: error %v, %d links held, want nil and 1", err, len(s.ends))
	}
	if err := s.link(rtnl.DumpRestart, nil); err != nil || len(s.ends) != 0 {
		t.Fatalf("restart before printing: error %v, %d links held, want nil and 0", err, len(s.ends))
	}
	for _, m := range pair {
		if err := s.link(unix.RTM_NEWLINK, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.link(rtnl.DumpRestart, nil); err != errStopRestart {
		t.Fatalf("restart after printing: error %v, want errStopRestart", err)
	}
	s.stopped = true // as fetchLinks does
	s.finish()
	if got := strings.Count(out.String(), "link/"); got != 2 {
		t.Errorf("%d links printed, want 2 (b0 once, a0):\n%s", got, out.String())
	}
	if errb.String() != "Dump was interrupted and may be inconsistent.\n" {
		t.Errorf("stderr %q, want iproute2's warning", errb.String())
	}
}
