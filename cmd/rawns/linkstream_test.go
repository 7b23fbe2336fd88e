package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestIntegrationShowStreamed compares, byte for byte with iproute2, the
// show forms over a few hundred links whose printing needs names that come
// later in the dump (veth peers, a master made after its ports) and netns
// names (a peer in another namespace), with addresses on some links, alone
// and as lines of one batch.
func TestIntegrationShowStreamed(t *testing.T) {
	sandbox.Require(t)
	freshNS(t, "many", "mpeer")
	noDAD(t, "many")
	const pairs = 150
	var setup []string
	for i := range pairs {
		setup = append(setup, fmt.Sprintf("link add sa%d type veth peer name sb%d", i, i))
	}
	setup = append(setup, "link add br0 type bridge", "link add sc type veth peer name sd netns mpeer",
		"link set lo up", "link set br0 up")
	for i := range 30 {
		setup = append(setup, fmt.Sprintf("link set sa%d up", i))
		if i < 10 {
			setup = append(setup, fmt.Sprintf("link set sa%d master br0", i))
		}
		if i < 20 {
			setup = append(setup, fmt.Sprintf("addr add 10.20.%d.1/24 dev sa%d", i, i),
				fmt.Sprintf("addr add fd00:20::%x/64 dev sa%d nodad", i+1, i))
		}
	}
	file := writeBatch(t, t.TempDir(), "setup", setup)
	mustIP(t, "-n many -batch "+file)
	forms := [][]string{
		{"link"}, {"-j", "link"}, {"-o", "link"}, {"-br", "link"}, {"-j", "-p", "link"},
		{"a"}, {"-o", "a"}, {"-br", "a"}, {"-j", "a"}, {"-4", "a"}, {"-6", "a"}, {"-br", "-j", "a"},
		{"link", "show", "up"}, {"a", "show", "up"},
	}
	for _, f := range forms {
		t.Run(strings.Join(f, "_"), func(t *testing.T) { sameOutput(t, "many", f...) })
	}
	shows := writeBatch(t, t.TempDir(), "shows", []string{"addr show", "link show", "link show up", "link show"})
	t.Run("batch", func(t *testing.T) { sameOutput(t, "many", "-batch", shows) })
	// The state is what the test means: forward masters, M-DOWN peers and
	// a link-netns name.
	out := inNS(t, "many", true, "link").stdout
	for _, want := range []string{"master br0", "sa0@sb0: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN>",
		"link-netns mpeer", fmt.Sprintf("sb%d@sa%d", pairs-1, pairs-1)} {
		if !strings.Contains(out, want) {
			t.Errorf("rawns ip link in many lacks %q", want)
		}
	}
}

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

// TestIntegrationBatchLinkShowSticks: in iproute2 a link show sets the
// global do_link and nothing clears it, so the later address shows of a
// batch print mode and alias, and `addr show dev D` prints the link alone
// (iplink_get). Each option set prints the same bytes as ip.
func TestIntegrationBatchLinkShowSticks(t *testing.T) {
	sandbox.Require(t)
	freshNS(t, "sticky")
	mustIP(t, "-n sticky link set lo up", "-n sticky link set lo alias foo",
		"-n sticky link add va type veth peer name vb", "-n sticky link set va alias bar",
		"-n sticky addr add 10.30.0.1/24 dev va")
	file := writeBatch(t, t.TempDir(), "shows", []string{"addr show", "link show", "addr show dev lo",
		"addr show", "addr show up", "addr show dev va"})
	for _, opts := range [][]string{nil, {"-br"}, {"-o"}, {"-j"}, {"-4"}, {"-j", "-p"}} {
		args := append(opts, "-batch", file)
		name := strings.Join(opts, "_")
		if name == "" {
			name = "plain"
		}
		t.Run(name, func(t *testing.T) { sameOutput(t, "sticky", args...) })
	}
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
