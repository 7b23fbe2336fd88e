package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
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
