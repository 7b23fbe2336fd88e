package rtnl_test

import (
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

func BenchmarkBuild(b *testing.B) {
	buf := make([]byte, 0, 512)
	for _, tc := range builderCases() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkBytes = tc.build(buf[:0], 3)
			}
		})
	}
}

// BenchmarkParseLink decodes the captured 1496-byte RTM_NEWLINK of an up
// veth with an address and reads every field `ip link` prints.
func BenchmarkParseLink(b *testing.B) {
	data := readMessage(b, "newlink-veth.bin").Data
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := extractLink(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAddr(b *testing.B) {
	data := readMessage(b, "newaddr.bin").Data
	b.ReportAllocs()
	for b.Loop() {
		if err := extractAddr(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIfFlagsAppendText(b *testing.B) {
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		sinkBytes = rtnl.IfFlags(unix.IFF_UP | unix.IFF_BROADCAST | unix.IFF_MULTICAST | unix.IFF_LOWER_UP | unix.IFF_RUNNING).AppendText(buf[:0])
	}
}

// BenchmarkIntegrationRoundTrip is a warm request→ACK round trip: set a
// veth's MTU, alternating values.
func BenchmarkIntegrationRoundTrip(b *testing.B) {
	sandbox.Require(b)
	c := dial(b, nil)
	addVeth(b, c, "bn0", "bn1")
	idx, err := c.LinkIndex("bn0")
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		i++
		buf = rtnl.AppendSetLink(buf[:0], &rtnl.LinkChange{Index: idx, MTU: 1400 + i%2})
		if err := c.Execute(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntegrationDumpLinks dumps the links of the sandbox (lo and a
// veth pair) and decodes each.
func BenchmarkIntegrationDumpLinks(b *testing.B) {
	sandbox.Require(b)
	c := dial(b, nil)
	addVeth(b, c, "bd0", "bd1")
	buf := make([]byte, 0, 128)
	fn := func(m rtnl.Message) error { return extractLink(m.Data) }
	b.ReportAllocs()
	for b.Loop() {
		buf = rtnl.AppendDumpLinks(buf[:0], unix.AF_UNSPEC)
		if err := c.Dump(buf, fn); err != nil {
			b.Fatal(err)
		}
	}
}
