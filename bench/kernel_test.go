package bench_test

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/jsimonetti/rtnetlink/v2/driver"
	"github.com/mdlayher/netlink"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	vnl "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Names used by the kernel benchmarks inside the sandbox.
const (
	kVeth, kPeer = "kb0", "kb1" // the pair created and deleted per op
	kAddrLink    = "ka0"        // the link that addresses are added to
	kIndex       = 900          // the index jsimonetti asks for (to delete by index)
	dumpLinks    = 100          // links in the sandbox during the dump benchmark
)

// ip runs iproute2 for the benchmarks' fixtures (not timed).
func ip(tb testing.TB, args ...string) {
	tb.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		tb.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func dialRawns(tb testing.TB) *rtnl.Conn {
	tb.Helper()
	c, err := rtnl.Dial(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func dialVish(tb testing.TB) *vnl.Handle {
	tb.Helper()
	h, err := vnl.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(h.Close)
	return h
}

func dialJsim(tb testing.TB) *rtnetlink.Conn {
	tb.Helper()
	c, err := rtnetlink.Dial(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// linkIndex looks a link up by name with rawns (fixture, not timed).
func linkIndex(tb testing.TB, c *rtnl.Conn, name string) int32 {
	tb.Helper()
	var idx int32
	err := c.Query(rtnl.AppendGetLink(nil, 0, name), func(m rtnl.Message) error {
		l, err := rtnl.ParseLink(m.Data)
		idx = l.Index
		return err
	})
	if err != nil {
		tb.Fatalf("get link %s: %v", name, err)
	}
	return idx
}

// BenchmarkKernelVeth creates and deletes a veth pair per op.
func BenchmarkKernelVeth(b *testing.B) {
	sandbox.Require(b)
	b.Run("rawns", func(b *testing.B) {
		c := dialRawns(b)
		var buf [256]byte
		clk := startCPU(b)
		for b.Loop() {
			v := rtnl.Veth{Name: kVeth, PeerName: kPeer}
			if err := c.Execute(rtnl.AppendNewVeth(buf[:0], &v)); err != nil {
				b.Fatal(err)
			}
			if err := c.Execute(rtnl.AppendDelLink(buf[:0], 0, kVeth)); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
	b.Run("vishvananda", func(b *testing.B) {
		h := dialVish(b)
		clk := startCPU(b)
		for b.Loop() {
			v := vnl.NewVeth(vnl.LinkAttrs{Name: kVeth, TxQLen: -1})
			v.PeerName = kPeer
			if err := h.LinkAdd(v); err != nil {
				b.Fatal(err)
			}
			if err := h.LinkDel(v); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
	b.Run("jsimonetti", func(b *testing.B) {
		c := dialJsim(b)
		clk := startCPU(b)
		for b.Loop() {
			peer := &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{Name: kPeer}}
			err := c.Link.New(&rtnetlink.LinkMessage{Index: kIndex, Attributes: &rtnetlink.LinkAttributes{
				Name: kVeth,
				Info: &rtnetlink.LinkInfo{Kind: "veth", Data: &driver.Veth{PeerInfo: peer}},
			}})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Link.Delete(kIndex); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
}

// BenchmarkKernelAddr adds and deletes 192.168.1.1/24 per op.
func BenchmarkKernelAddr(b *testing.B) {
	sandbox.Require(b)
	rc := dialRawns(b)
	if err := rc.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: kAddrLink, PeerName: kAddrLink + "p"})); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rc.Execute(rtnl.AppendDelLink(nil, 0, kAddrLink)) })
	idx := linkIndex(b, rc, kAddrLink)

	b.Run("rawns", func(b *testing.B) {
		c := dialRawns(b)
		var buf [128]byte
		clk := startCPU(b)
		for b.Loop() {
			a := rtnl.Addr{Family: unix.AF_INET, PrefixLen: 24, Index: idx, Local: addrLocal, Broadcast: addrBrd}
			if err := c.Execute(rtnl.AppendNewAddr(buf[:0], &a)); err != nil {
				b.Fatal(err)
			}
			if err := c.Execute(rtnl.AppendDelAddr(buf[:0], &a)); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
	b.Run("vishvananda", func(b *testing.B) {
		h := dialVish(b)
		link, err := h.LinkByIndex(int(idx))
		if err != nil {
			b.Fatal(err)
		}
		clk := startCPU(b)
		for b.Loop() {
			a := &vnl.Addr{IPNet: &net.IPNet{IP: addrIP, Mask: addrMask}}
			if err := h.AddrAdd(link, a); err != nil {
				b.Fatal(err)
			}
			if err := h.AddrDel(link, a); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
	b.Run("jsimonetti", func(b *testing.B) {
		c := dialJsim(b)
		clk := startCPU(b)
		for b.Loop() {
			m := &rtnetlink.AddressMessage{Family: unix.AF_INET, PrefixLength: 24, Index: uint32(idx),
				Attributes: &rtnetlink.AddressAttributes{Address: addrIP, Local: addrIP, Broadcast: addrBrdIP}}
			if err := c.Address.New(m); err != nil {
				b.Fatal(err)
			}
			if err := c.Address.Delete(m); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
	})
}

// makeDumpLinks fills the sandbox up to dumpLinks links: lo, 49 veth pairs
// and a bridge.
func makeDumpLinks(b *testing.B) {
	b.Helper()
	var batch strings.Builder
	for i := range (dumpLinks - 2) / 2 {
		fmt.Fprintf(&batch, "link add dv%d type veth peer name dp%d\n", i, i)
	}
	batch.WriteString("link add dbr type bridge\n")
	cmd := exec.Command("ip", "-batch", "-")
	cmd.Stdin = strings.NewReader(batch.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("ip -batch: %v: %s", err, out)
	}
	b.Cleanup(func() {
		var del strings.Builder
		for i := range (dumpLinks - 2) / 2 {
			fmt.Fprintf(&del, "link del dv%d\n", i)
		}
		del.WriteString("link del dbr\n")
		cmd := exec.Command("ip", "-batch", "-")
		cmd.Stdin = strings.NewReader(del.String())
		cmd.Run()
	})
}

// BenchmarkKernelLinkDump dumps 100 links per op and decodes them.
func BenchmarkKernelLinkDump(b *testing.B) {
	sandbox.Require(b)
	makeDumpLinks(b)
	check := func(b *testing.B, n int) {
		if n != dumpLinks {
			b.Fatalf("dump returned %d links, want %d", n, dumpLinks)
		}
	}
	b.Run("rawns", func(b *testing.B) {
		c := dialRawns(b)
		var buf [64]byte
		n := 0
		fn := func(m rtnl.Message) error {
			if m.Header.Type != unix.RTM_NEWLINK {
				return nil
			}
			v, err := rawnsReadLink(m.Data)
			sinkInt += rawnsTouchLink(v)
			n++
			return err
		}
		clk := startCPU(b)
		for b.Loop() {
			n = 0
			if err := c.Dump(rtnl.AppendDumpLinks(buf[:0], unix.AF_PACKET), fn); err != nil {
				b.Fatal(err)
			}
		}
		clk.stop(b)
		check(b, n)
	})
	b.Run("vishvananda", func(b *testing.B) {
		h := dialVish(b)
		var n int
		clk := startCPU(b)
		for b.Loop() {
			ls, err := h.LinkList()
			if err != nil {
				b.Fatal(err)
			}
			for _, l := range ls {
				sinkInt += vishTouchLink(l)
			}
			n = len(ls)
		}
		clk.stop(b)
		check(b, n)
	})
	b.Run("jsimonetti", func(b *testing.B) {
		c := dialJsim(b)
		var n int
		clk := startCPU(b)
		for b.Loop() {
			ls, err := c.Link.List()
			if err != nil {
				b.Fatal(err)
			}
			for i := range ls {
				sinkInt += jsimTouchLink(&ls[i])
			}
			n = len(ls)
		}
		clk.stop(b)
		check(b, n)
	})
	// mdlayher/netlink is the I/O layer under jsimonetti: the raw dump,
	// messages split but not decoded.
	b.Run("mdlayher", func(b *testing.B) {
		c, err := netlink.Dial(unix.NETLINK_ROUTE, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := make([]byte, unix.SizeofIfInfomsg)
		req[0] = unix.AF_PACKET
		var n int
		clk := startCPU(b)
		for b.Loop() {
			msgs, err := c.Execute(netlink.Message{
				Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Dump},
				Data:   req,
			})
			if err != nil {
				b.Fatal(err)
			}
			n = len(msgs)
		}
		clk.stop(b)
		check(b, n)
	})
}
