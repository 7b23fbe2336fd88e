package ip

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// labForms are the ip commands of the seed lab (testdata/lab.sh), each
// with the state it runs in (setup) and what puts the sandbox back (undo);
// `ip netns exec test1 ip ...` runs the inner command in another process,
// measured here as the same command in the sandbox's namespace.
var labForms = []struct{ name, setup, cmd, undo string }{
	{"netns_add", "", "netns add test1", "netns delete test1"},
	{"netns_list", "netns add test1", "netns list", "netns delete test1"},
	{"netns_delete", "netns add test1", "netns delete test1", ""},
	{"addr_show", "", "a", ""},
	{"link_show", "", "link", ""},
	{"link_set_lo_up", "", "link set dev lo up", "link set dev lo down"},
	{"link_add_veth", "", "link add veth-a type veth peer name veth-b", "link del veth-a"},
	{"link_set_netns", "netns add test1;link add veth-a type veth peer name veth-b",
		"link set veth-b netns test1", "link del veth-a;netns delete test1"},
	{"addr_add", "link add veth-a type veth peer name veth-b", "addr add 192.168.1.1/24 dev veth-a", "link del veth-a"},
	{"link_set_up", "link add veth-a type veth peer name veth-b", "link set veth-a up", "link del veth-a"},
	{"link_show_lab", "netns add test1;link add veth-a type veth peer name veth-b;link set veth-b netns test1;" +
		"addr add 192.168.1.1/24 dev veth-a;link set veth-a up", "link", "link del veth-a;netns delete test1"},
}

// BenchmarkLabAllocs runs each seed-lab command through Main in this
// process, as the binary would, and reports its allocations (allocs/op):
// only the command is timed, not its setup or undo.
func BenchmarkLabAllocs(b *testing.B) {
	sandbox.Require(b)
	out := bufio.NewWriterSize(io.Discard, 32<<10)
	run := func(b *testing.B, lines string) {
		for _, l := range strings.Split(lines, ";") {
			if l == "" {
				continue
			}
			if code := Main(strings.Fields(l), out, io.Discard); code != 0 {
				b.Fatalf("ip %s: exit %d", l, code)
			}
		}
	}
	for _, f := range labForms {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				run(b, f.setup)
				b.StartTimer()
				code := Main(strings.Fields(f.cmd), out, io.Discard)
				b.StopTimer()
				if code != 0 {
					b.Fatalf("ip %s: exit %d", f.cmd, code)
				}
				out.Flush()
				run(b, f.undo)
				b.StartTimer()
			}
		})
	}
}
