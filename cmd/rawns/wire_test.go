package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

// sentMsg is one netlink message a traced command sent.
type sentMsg struct {
	data []byte
}

// traceSent runs tool with args inside namespace ns under strace and
// returns the netlink messages it sent with sendto and sendmsg, in order.
func traceSent(t *testing.T, ns, tool string, args ...string) []sentMsg {
	t.Helper()
	out := filepath.Join(t.TempDir(), "strace")
	argv := append([]string{"netns", "exec", ns, "strace", "-f", "-qq", "-o", out,
		"-e", "trace=sendmsg,sendto", "-e", "write=all", "-xx", "-s", "65536", tool}, args...)
	runCmd(t, nil, "/usr/sbin/ip", argv...)
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return parseStraceSends(t, string(text))
}

// parseStraceSends reads strace's hex dumps (-e write=all -xx): each buffer
// starts at offset 00000 and holds whole netlink messages, which are cut
// at their nlmsg_len; bytes after the last message are ignored.
func parseStraceSends(t *testing.T, text string) []sentMsg {
	var msgs []sentMsg
	var buf []byte
	flush := func() {
		for len(buf) >= 16 {
			n := int(binary.NativeEndian.Uint32(buf))
			if n < 16 || n > len(buf) {
				break
			}
			msgs = append(msgs, sentMsg{data: buf[:n]})
			buf = buf[(n+3)&^3:]
		}
		buf = nil
	}
	for _, line := range strings.Split(text, "\n") {
		// "PID sendto(3, ..." or "PID sendmsg(3, ..."
		if f := strings.Fields(line); len(f) >= 2 && (strings.HasPrefix(f[1], "sendto(") || strings.HasPrefix(f[1], "sendmsg(")) {
			flush()
			continue
		}
		f := strings.Fields(line)
		i := 0
		for i < len(f) && f[i] != "|" {
			i++
		}
		if i+1 >= len(f) || len(f[i+1]) != 5 {
			continue
		}
		if f[i+1] == "00000" {
			flush()
		}
		for _, h := range f[i+2:] {
			b, err := hex.DecodeString(h)
			if err != nil || len(b) != 1 {
				break
			}
			buf = append(buf, b[0])
		}
	}
	flush()
	return msgs
}

// wireCase is one command form: the words, the setup (iproute2 lines run
// before each side) and the message types compared.
type wireCase struct {
	words string
	setup []string
	types []uint16
}

// masked returns m with the sequence number and port id zeroed, and two
// values that differ from run to run: the NETNSA_FD of an nsid request (a
// descriptor number of the sending process), and the timestamps in the
// IFA_CACHEINFO of a deletion that flush echoes from the dump.
func masked(m []byte) []byte {
	m = bytes.Clone(m)
	clear(m[8:16])
	typ, start := binary.NativeEndian.Uint16(m[4:]), 0
	switch typ {
	case unix.RTM_NEWNSID, unix.RTM_GETNSID:
		start = 20
	case unix.RTM_DELADDR:
		start = 24
	}
	for o := start; start > 0 && o+8 <= len(m); {
		l := int(binary.NativeEndian.Uint16(m[o:]))
		if l < 4 || o+l > len(m) {
			break
		}
		switch at := binary.NativeEndian.Uint16(m[o+2:]); {
		case start == 20 && at == unix.NETNSA_FD:
			clear(m[o+4 : o+8])
		case start == 24 && at == unix.IFA_CACHEINFO && l == 20:
			clear(m[o+12 : o+20])
		}
		o += (l + 3) &^ 3
	}
	return m
}

// wireSelect keeps the messages of the given types but for the lookups
// of names (ll_name_to_index's GETLINK) and of the index of w0's peer
// (peer), which ip makes through its ll_map cache and rawns through the
// answers it has seen, so that they need not come in the same numbers.
// The messages are grouped by type, in the order of types: ip and rawns
// need not interleave the requests of a show the same way.
func wireSelect(msgs []sentMsg, types []uint16, peer int32) [][]byte {
	var out [][]byte
	for _, typ := range types {
		for _, m := range msgs {
			if binary.NativeEndian.Uint16(m.data[4:]) != typ {
				continue
			}
			if typ == unix.RTM_GETLINK && isLookup(m.data, peer) {
				continue
			}
			out = append(out, masked(m.data))
		}
	}
	return out
}

func containsU16(s []uint16, v uint16) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// isLookup reports whether a GETLINK request is a name lookup
// (IFLA_EXT_MASK first, then the name, as ll_link_get sends it; iplink_get
// sends the name first) or a query for the index peer.
func isLookup(m []byte, peer int32) bool {
	if binary.NativeEndian.Uint16(m[6:])&unix.NLM_F_DUMP != 0 || len(m) < 40 {
		return false
	}
	if int32(binary.NativeEndian.Uint32(m[20:])) == peer {
		return true
	}
	return binary.NativeEndian.Uint16(m[34:]) == unix.IFLA_EXT_MASK && len(m) > 40
}

// addrWireCases are the address, show and nsid command forms rawns
// supports, run in namespace w1 on the veth pair w0 (index 2 there... see
// the test) and w9.
func addrWireCases() []wireCase {
	add, del := []uint16{unix.RTM_NEWADDR}, []uint16{unix.RTM_DELADDR}
	show := []uint16{unix.RTM_GETADDR, unix.RTM_GETLINK}
	flush := []uint16{unix.RTM_GETADDR, unix.RTM_DELADDR}
	nsid := []uint16{unix.RTM_GETNSID, unix.RTM_NEWNSID}
	has := []string{"addr add 10.9.0.1/24 dev w0", "addr add 10.9.0.2/24 dev w0", "addr add fd99::1/64 nodad dev w0"}
	return []wireCase{
		{"addr add 10.9.0.1/24 dev w0", nil, add},
		{"addr add 10.9.1.1/30 broadcast 10.9.1.3 dev w0", nil, add},
		{"addr add 10.9.1.5/30 brd + dev w0", nil, add},
		{"addr add 10.9.1.9/30 brd - dev w0", nil, add},
		{"addr add 10.9.2.1/24 peer 10.9.2.2 label w0:x scope link valid_lft 100 preferred_lft 50 dev w0", nil, add},
		{"addr add peer 10.9.6.2/24 local 10.9.6.1 dev w0", nil, add},
		{"addr add fd99::1/64 dev w0", nil, add},
		{"addr add fd99::2/64 nodad noprefixroute dev w0", nil, add},
		{"-6 addr add fd98::1/64 anycast fd98::5 dev w0 home mngtmpaddr", nil, add},
		{"addr add 10.9.3.1/24 metric 50 dev w0", nil, add},
		{"addr add 127.0.0.2/8 dev w0", nil, add},
		{"addr add 10.9.5.1/24 label w0:y metric 5 brd + valid_lft forever preferred_lft 30 noprefixroute dev w0", nil, add},
		{"addr add 10.9.7.1/24 label  dev w0", nil, add},
		{"addr add 224.0.0.9/32 autojoin dev w0", nil, add},
		{"addr replace 10.9.0.1/24 dev w0", has, add},
		{"addr change 10.9.0.1/24 dev w0 valid_lft 300 preferred_lft 100", has, add},
		{"addr del 10.9.0.1/24 dev w0", has, del},
		{"addr del 10.9.0.1 dev w0", has, del},
		{"addr del fd99::1/64 dev w0", has, del},
		{"addr flush dev w0", has, flush},
		{"-4 addr flush dev w0", has, flush},
		{"addr flush dev w0 scope global", has, flush},
		{"addr show", has, show},
		{"addr show dev w0", has, show},
		{"-4 addr show", has, show},
		{"-6 addr show dev w0", has, show},
		{"addr show up", has, show},
		{"-br addr", has, show},
		{"link show", has, show},
		{"link show w0", has, show},
		{"-o link show dev w0", has, show},
		{"netns set w2 7", nil, nsid},
		{"netns set w2 auto", nil, nsid},
		{"netns list-id", []string{"netns set w2 5"}, nsid},
		{"netns list-id nsid 5", []string{"netns set w2 5"}, nsid},
		{"netns list-id target-nsid 5", []string{"netns set w2 5"}, nsid},
		{"netns list-id target-nsid 5 nsid 5", []string{"netns set w2 5"}, nsid},
	}
}

// TestIntegrationWireGolden runs each address, show and nsid command form
// with iproute2 and with rawns under strace, from the same state, and
// compares the requests they send, field by field, masking sequence
// numbers, port ids and descriptor numbers. Known differences: rawns's
// flush deletions ask for an ACK (NLM_F_ACK), to match each answer.
func TestIntegrationWireGolden(t *testing.T) {
	sandbox.Require(t)
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
	for _, tc := range addrWireCases() {
		t.Run(tc.words, func(t *testing.T) {
			want := runWireSide(t, tc, "/usr/sbin/ip")
			got := runWireSide(t, tc, filepath.Join(toolDir(t), "ip"))
			if tc.types[len(tc.types)-1] == unix.RTM_DELADDR && len(tc.types) > 1 {
				for _, m := range want {
					if binary.NativeEndian.Uint16(m[4:]) == unix.RTM_DELADDR {
						binary.NativeEndian.PutUint16(m[6:], binary.NativeEndian.Uint16(m[6:])|unix.NLM_F_ACK)
					}
				}
			}
			if len(want) == 0 {
				t.Fatalf("ip sent no message of types %v", tc.types)
			}
			compareWire(t, got, want)
		})
	}
}

// runWireSide sets up namespaces w1 (holding the veth pair w0, w9) and
// w2, runs the case's setup and words with tool in w1 under strace, and
// returns the selected requests.
func runWireSide(t *testing.T, tc wireCase, tool string) [][]byte {
	t.Helper()
	freshNS(t, "w1", "w2")
	inNS(t, "w1", false, "link", "add", "w0", "type", "veth", "peer", "name", "w9")
	inNS(t, "w1", false, "link", "set", "w0", "up")
	for _, l := range tc.setup {
		if r := inNS(t, "w1", false, strings.Fields(l)...); r.code != 0 {
			t.Fatalf("setup ip %s: %+v", l, r)
		}
	}
	words := strings.Split(tc.words, " ")
	if tc.words == "addr add 10.9.7.1/24 label  dev w0" {
		words = []string{"addr", "add", "10.9.7.1/24", "label", "", "dev", "w0"}
	}
	var peer int32
	if r := inNS(t, "w1", false, "-o", "link", "show", "w9"); r.code == 0 {
		fmt.Sscanf(r.stdout, "%d:", &peer)
	}
	return wireSelect(traceSent(t, "w1", tool, words...), tc.types, peer)
}

// compareWire compares the requests message by message and, within one,
// header field by field, then the rest byte by byte.
func compareWire(t *testing.T, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("rawns sent %d messages, ip %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		for _, f := range []struct {
			name     string
			off, len int
		}{{"nlmsg_len", 0, 4}, {"nlmsg_type", 4, 2}, {"nlmsg_flags", 6, 2}} {
			if !bytes.Equal(g[f.off:f.off+f.len], w[f.off:f.off+f.len]) {
				t.Errorf("message %d: %s = %x, ip sends %x", i, f.name, g[f.off:f.off+f.len], w[f.off:f.off+f.len])
			}
		}
		if !bytes.Equal(g[16:], w[16:]) {
			t.Errorf("message %d body:\n rawns %s\n ip    %s", i, spaced(g[16:]), spaced(w[16:]))
		}
	}
}

func spaced(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte(' ')
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}
