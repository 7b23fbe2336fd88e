package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

// inNS runs ip (iproute2's, or rawns's when rawnsIP) inside the named
// namespace ns, entered with iproute2's `ip netns exec`, so that tests do
// not see each other's links.
func inNS(t *testing.T, ns string, rawnsIP bool, args ...string) result {
	t.Helper()
	tool := "/usr/sbin/ip"
	if rawnsIP {
		tool = filepath.Join(toolDir(t), "ip")
	}
	return runCmd(t, nil, "/usr/sbin/ip", append([]string{"netns", "exec", ns, tool}, args...)...)
}

// mustIP runs each line with iproute2 (words split on spaces) and fails
// the test when one fails.
func mustIP(t *testing.T, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if r := realIP(t, strings.Fields(l)...); r.code != 0 {
			t.Fatalf("setup: ip %s = %+v", l, r)
		}
	}
}

// freshNS (re)creates the named namespaces and deletes them at the end of
// the test.
func freshNS(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		realIP(t, "netns", "del", n)
		mustIP(t, "netns add "+n)
		t.Cleanup(func() { realIP(t, "netns", "del", n) })
	}
}

// sysctl writes a value under /proc/sys/net inside namespace ns.
func sysctl(t *testing.T, ns, key, value string) {
	t.Helper()
	r := runCmd(t, nil, "/usr/sbin/ip", "netns", "exec", ns, "sh", "-c", "echo "+value+" > /proc/sys/net/"+key)
	if r.code != 0 {
		t.Fatalf("sysctl %s %s=%s: %+v", ns, key, value, r)
	}
}

// noDAD turns off IPv6 duplicate address detection for new links in the
// namespaces, so that link-local addresses are not "tentative" for a
// moment after a link comes up: effects are then the same whenever they
// are looked at.
func noDAD(t *testing.T, names ...string) {
	t.Helper()
	for _, ns := range names {
		sysctl(t, ns, "ipv6/conf/default/accept_dad", "0")
	}
}

// sameOutput runs args with iproute2 and with rawns in ns and requires the
// same stdout, stderr and status. Lifetimes count down each second, so a
// difference is retried a few times (both runs read the same state, but
// maybe not in the same second).
func sameOutput(t *testing.T, ns string, args ...string) {
	t.Helper()
	var want, got result
	for try := 0; try < 5; try++ {
		want = inNS(t, ns, false, args...)
		got = inNS(t, ns, true, args...)
		if got == want {
			if want.code != 0 {
				t.Errorf("ip %q in %s: the reference failed: %+v", args, ns, want)
			}
			return
		}
	}
	t.Errorf("ip %q in %s:\n--- iproute2 (code %d, stderr %q)\n%s--- rawns (code %d, stderr %q)\n%s",
		args, ns, want.code, want.stderr, want.stdout, got.code, got.stderr, got.stdout)
}

// TestIntegrationShowGolden builds, with iproute2, a state covering what
// the printers must render (loopback up and down, a veth pair in one
// namespace, pairs split across namespaces with named and unnamed peers,
// IPv4 with and without broadcast, a label, a peer address, a secondary,
// IPv6 global, link-local, nodad, tentative and deprecated, finite
// lifetimes), then compares every show form of rawns with iproute2's byte
// for byte.
func TestIntegrationShowGolden(t *testing.T) {
	sandbox.Require(t)
	freshNS(t, "gold", "gpeer", "gtmp")
	// An unnamed namespace: gtmp bound elsewhere, then its name deleted.
	hold := filepath.Join(t.TempDir(), "unnamed")
	if err := os.WriteFile(hold, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("/run/netns/gtmp", hold, "none", unix.MS_BIND, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Unmount(hold, unix.MNT_DETACH) })
	mustIP(t,
		"-n gold link set lo up",
		"-n gold link add va type veth peer name vb",
		"-n gold link add vc type veth peer name vd netns gpeer",
		"-n gold link add ve type veth peer name vf",
		"-n gold link add vg type veth peer name vh",
		"-n gold link set dev vf netns "+hold,
		"netns del gtmp",
	)
	sysctl(t, "gold", "ipv6/conf/va/accept_dad", "0")
	sysctl(t, "gold", "ipv6/conf/vb/accept_dad", "0")
	mustIP(t,
		"-n gold link set va up",
		"-n gold link set vb up",
		"-n gold link set vc up",
		"-n gold link set vg up",
		"-n gold addr add 10.1.0.1/24 dev va",
		"-n gold addr add 10.1.0.2/24 dev va",
		"-n gold addr add 10.1.1.1/24 brd + dev va",
		"-n gold addr add 10.1.2.1/24 dev va label va:x",
		"-n gold addr add 127.5.0.1/8 dev va",
		"-n gold addr add fd00::1/64 dev va nodad",
		"-n gold addr add fd00:3::1/64 dev va nodad valid_lft 900 preferred_lft 0",
		"-n gold addr add 10.7.0.9 peer 10.7.0.10 dev vb",
		"-n gold addr add 10.9.0.1/24 dev vb valid_lft 1000 preferred_lft 500",
		"-n gold addr add fd00:2::1/64 dev vb nodad valid_lft 2000 preferred_lft 1000",
		"-n gold addr add fd00:1::1/64 dev vc",
		"-n gold link set ve mtu 1400",
	)
	forms := [][]string{
		{"link"}, {"address"}, {"a"}, {"link", "show"}, {"addr", "show"}, {"a", "list"},
		{"-br", "link"}, {"-br", "a"}, {"-o", "link"}, {"-o", "a"},
		{"-j", "link"}, {"-j", "a"}, {"-j", "-p", "link"}, {"-j", "-p", "a"},
		{"-j", "-br", "link"}, {"-j", "-br", "a"}, {"-j", "-p", "-br", "a"},
		{"-4", "a"}, {"-6", "a"}, {"-4", "-o", "a"}, {"-6", "-br", "a"}, {"-0", "a"}, {"-4", "link"},
		{"link", "show", "dev", "va"}, {"link", "show", "vc"}, {"-j", "link", "show", "ve"},
		{"a", "show", "dev", "vb"}, {"-o", "a", "show", "va"}, {"-j", "a", "show", "dev", "va"},
		{"link", "show", "up"}, {"-j", "link", "show", "up"}, {"a", "show", "up"}, {"-br", "a", "show", "up"},
		{"a", "show", "scope", "link"}, {"a", "show", "dynamic"}, {"a", "show", "-deprecated"},
	}
	for _, f := range forms {
		t.Run("gold/"+strings.Join(f, "_"), func(t *testing.T) { sameOutput(t, "gold", f...) })
	}
	for _, f := range forms[:23] {
		t.Run("gpeer/"+strings.Join(f, "_"), func(t *testing.T) { sameOutput(t, "gpeer", f...) })
	}
	// The printers were really given the promised state.
	out := inNS(t, "gold", true, "a").stdout + inNS(t, "gold", true, "link").stdout
	for _, want := range []string{"@if", "link-netns gpeer", "link-netnsid ", "M-DOWN", "brd 10.1.1.255",
		"va:x", "peer 10.7.0.10/32", "secondary", "nodad", "tentative", "deprecated", "dynamic",
		"sec preferred_lft 0sec", "scope link", "scope host", "1: lo: <LOOPBACK,UP"} {
		if !strings.Contains(out, want) {
			t.Errorf("rawns ip a / ip link in gold lack %q:\n%s", want, out)
		}
	}
	if peer := inNS(t, "gpeer", true, "link").stdout; !strings.Contains(peer, "1: lo: <LOOPBACK> ") {
		t.Errorf("rawns ip link in gpeer lacks a down loopback:\n%s", peer)
	}
}

// masks hide what differs between two runs of the same commands: random
// MAC addresses and the link-local addresses made from them.
var (
	macRE  = regexp.MustCompile(`[0-9a-f]{2}(:[0-9a-f]{2}){5}`)
	llRE   = regexp.MustCompile(`fe80::[0-9a-f:]+`)
	operRE = regexp.MustCompile(`state (UNKNOWN|DOWN|LOWERLAYERDOWN|UP)`)
	lftRE  = regexp.MustCompile(`(_lft )[0-9]+sec`)
)

// snapshot is the state of the namespaces, as iproute2 shows it.
func snapshot(t *testing.T, names ...string) string {
	t.Helper()
	var b strings.Builder
	for _, ns := range names {
		for _, args := range [][]string{{"-o", "link"}, {"-o", "addr"}} {
			r := realIP(t, append([]string{"-n", ns}, args...)...)
			if r.code != 0 {
				t.Fatalf("ip -n %s %q = %+v", ns, args, r)
			}
			b.WriteString("## " + ns + " " + strings.Join(args, " ") + "\n" + r.stdout)
		}
	}
	s := macRE.ReplaceAllStringFunc(b.String(), func(m string) string {
		if m == "ff:ff:ff:ff:ff:ff" || m == "00:00:00:00:00:00" || strings.HasPrefix(m, "02:00:00") {
			return m
		}
		return "MAC"
	})
	s = llRE.ReplaceAllString(s, "LINKLOCAL")
	// Carrier (RUNNING, shown as NO-CARRIER) and the operational state of a
	// link just created or set up settle asynchronously (linkwatch), so
	// they are not compared; the flags that requests set are.
	s = strings.ReplaceAll(s, "NO-CARRIER,", "")
	s = operRE.ReplaceAllString(s, "state X")
	// Finite lifetimes count down while the other tool runs.
	return lftRE.ReplaceAllString(s, "${1}Nsec")
}

// TestIntegrationModifyEffects runs each scenario of modifying commands
// twice from the same fresh namespaces, once with iproute2 and once with
// rawns, and compares every command's output and status and the state left
// (ip -o link and ip -o addr, with random MACs masked).
func TestIntegrationModifyEffects(t *testing.T) {
	sandbox.Require(t)
	tests := []struct {
		name  string
		cmds  []string // run in namespace e1; e1p is the other namespace
		setup []string // iproute2 commands run in e1 first
	}{
		{"seed lab", []string{
			"link add veth-a type veth peer name veth-b",
			"link set veth-b netns e1p",
			"addr add 192.168.1.1/24 dev veth-a",
			"link set veth-a up",
			"link set dev lo up",
		}, nil},
		{"link set forms", []string{
			"link add va type veth peer name vb",
			"link set va up",
			"link set dev vb up",
			"link set va mtu 1400",
			"link set vb name vbb",
			"link set va address 02:00:00:00:00:01",
			"link set va txqueuelen 500",
			"link set dev va down",
			"link set vbb multicast off arp off",
			"link set vbb alias hello",
			"link set vbb up down",
			"l s va up",
			"link set if3 mtu 1450",
		}, nil},
		{"veth peer options", []string{
			"link add va mtu 1300 txqueuelen 77 address 02:00:00:00:00:02 up type veth peer vb mtu 1200 address 02:00:00:00:00:03 netns e1p",
			"link add vc type veth peer name vd",
			"link set vd up",
			"link add name ve type veth",
			"link add vg type veth peer netns e1p",
		}, nil},
		{"move by path", []string{
			"link add va type veth peer name vb",
			"link set dev vb netns /run/netns/e1p",
			"link set va netns e1p",
		}, nil},
		{"delete", []string{
			"link add va type veth peer name vb",
			"link add vc type veth peer name vd",
			"link delete va",
			"link del dev vc type veth",
		}, nil},
		{"addresses", []string{
			"link add va type veth peer name vb",
			"addr add 10.0.0.1/24 dev va",
			"addr add 10.0.0.2/24 dev va",
			"addr add 10.0.1.1/24 brd + dev va label va:1",
			"addr add 10.0.2.1/24 broadcast 10.0.2.7 dev va",
			"addr add 10.0.3.1/30 brd - dev va",
			"addr add 10.8/16 dev va",
			"addr add 10.9.0.1/255.255.255.0 dev va",
			"addr add 127.5.0.1/8 dev va",
			"addr add 10.7.0.9 peer 10.7.0.10/32 dev va",
			"addr add 10.6.0.1/24 dev va scope link",
			"addr add 10.5.0.1/24 dev va metric 7",
			"addr add fd00::1/64 dev va nodad",
			"addr add fd00:1::1/64 dev va noprefixroute",
			"addr add local fd00:2::1/64 dev va valid_lft forever preferred_lft forever",
			"addr add 10.0.9.1/24 dev vb valid_lft 5000 preferred_lft 4000",
			"addr del 10.0.0.1/24 dev va",
			"addr del fd00::1/64 dev va",
			"a d 10.8.0.0/16 dev va",
		}, nil},
		{"flush", []string{
			"link add va type veth peer name vb",
			"addr add 10.0.0.1/24 dev va",
			"addr add 10.0.0.2/24 dev va",
			"addr add 10.0.1.1/24 dev va",
			"addr add fd00::1/64 dev va nodad",
			"addr add 10.0.2.1/24 dev vb",
			"link set va up",
			"addr flush dev va",
			"addr flush dev vb",
		}, nil},
		// ll_name_to_index's last resort, if_nametoindex, ignores a
		// ":label" suffix: these act on va.
		{"label suffix", []string{
			"link add va type veth peer name vb",
			"addr add 10.0.0.1/24 dev va label va:1",
			"link set va:1 mtu 1400",
			"link set dev va:x up",
			"addr add 10.0.1.1/24 dev va:1",
			"addr flush dev va:1",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var outs [2][]result
			var states [2]string
			for i, useRawns := range []bool{false, true} {
				freshNS(t, "e1", "e1p")
				noDAD(t, "e1", "e1p")
				for _, c := range tt.cmds {
					outs[i] = append(outs[i], inNS(t, "e1", useRawns, strings.Fields(c)...))
				}
				states[i] = snapshot(t, "e1", "e1p")
			}
			for j, c := range tt.cmds {
				if outs[1][j] != outs[0][j] {
					t.Errorf("ip %s: rawns = %+v, iproute2 = %+v", c, outs[1][j], outs[0][j])
				}
				if outs[0][j].code != 0 {
					t.Errorf("ip %s: the reference failed: %+v", c, outs[0][j])
				}
			}
			if states[1] != states[0] {
				t.Errorf("state after rawns differs from iproute2's:\n%s", diffLines(states[1], states[0]))
			}
		})
	}
}

// TestIntegrationSetNetnsPID moves a link into the namespace of a process
// given by pid, with each tool, and compares the outcome.
func TestIntegrationSetNetnsPID(t *testing.T) {
	sandbox.Require(t)
	var states [2]string
	for i, useRawns := range []bool{false, true} {
		freshNS(t, "e1", "e1p")
		noDAD(t, "e1", "e1p")
		mustIP(t, "-n e1 link add va type veth peer name vb")
		// The child says when it runs in e1p, then becomes sleep (same pid).
		cmd := exec.Command("/usr/sbin/ip", "netns", "exec", "e1p", "sh", "-c", "echo ready; exec sleep 600")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
			t.Fatalf("child in e1p: %q, %v", line, err)
		}
		r := inNS(t, "e1", useRawns, "link", "set", "vb", "netns", strconv.Itoa(cmd.Process.Pid))
		cmd.Process.Kill()
		cmd.Wait()
		if r.code != 0 {
			t.Fatalf("rawns=%v: ip link set vb netns PID = %+v", useRawns, r)
		}
		states[i] = snapshot(t, "e1", "e1p")
	}
	if states[1] != states[0] {
		t.Errorf("state after rawns differs from iproute2's:\n%s", diffLines(states[1], states[0]))
	}
	if !strings.Contains(states[1], "vb@if3") {
		t.Errorf("vb did not move to e1p:\n%s", states[1])
	}
}

// TestIntegrationBadInput runs malformed commands with both tools from the
// same state and requires the same output and status, and no change to the
// state.
func TestIntegrationBadInput(t *testing.T) {
	sandbox.Require(t)
	freshNS(t, "bad", "badp")
	mustIP(t,
		"-n bad link add va type veth peer name vb",
		"-n bad link add vz type veth peer name vy netns badp",
		"-n bad addr add 10.0.0.1/24 dev va",
	)
	pidHolder := strconv.Itoa(1 << 22)
	tests := [][]string{
		{"bogus"},
		{"-x", "link"},
		{"link", "bogus"},
		{"addr", "bogus"},
		{"link", "help"},
		{"addr", "help"},
		{"link", "add", "help"},
		{"link", "help", "veth"},
		{"addr", "add", "10.0.0.9/24"},
		{"addr", "add", "10.0.0.9/33", "dev", "va"},
		{"addr", "add", "300.1.1.1/24", "dev", "va"},
		{"addr", "add", "10.0.0.9/255.0.255.0", "dev", "va"},
		{"addr", "add", "-99999999999999999999/8", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "metric", "-18446744073709551616"},
		{"addr", "add", "fd00::1/129", "dev", "va"},
		{"addr", "add", "fe80::1%va/64", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "dev", "nodev"},
		{"addr", "add", "10.0.0.1/24", "dev", "va"},
		{"addr", "del", "10.99.0.1/24", "dev", "va"},
		{"addr", "add", "fd00::9/64", "brd", "+", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "valid_lft", "0"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "valid_lft", "10", "preferred_lft", "20"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "scope", "bogus"},
		{"addr", "add", "10.0.0.9/24", "10.0.0.8/24", "dev", "va"},
		{"-6", "addr", "add", "10.0.0.9/24", "dev", "va"},
		{"addr", "flush"},
		{"addr", "show", "dev", "nodev"},
		{"link", "show", "nodev"},
		{"link", "show", "if99"},
		{"-j", "link", "show", "dev", "if99"},
		{"link", "set", "nodev", "up"},
		{"link", "set", "dev", "nodev", "up"},
		{"link", "set"},
		{"link", "set", "va", "up", "dev", "vb"},
		{"link", "set", "va", "mtu", "abc"},
		{"link", "set", "va", "mtu", "--1500"},
		{"link", "add", "vq", "index", "9223372036854775807", "type", "veth"},
		{"link", "set", "va", "mtu", "1400", "mtu", "1500"},
		{"link", "set", "va", "netns"},
		{"link", "set", "va", "netns", "nosuchns"},
		{"link", "set", "va", "netns", "a/b"},
		{"link", "set", "va", "netns", pidHolder},
		{"link", "set", "va", "name", "abcdefghijklmnop"},
		{"link", "set", "va", "address", "zz:00"},
		{"link", "add", "abcdefghijklmnop", "type", "veth"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "abcdefghijklmnop"},
		{"link", "add", "va", "type", "veth", "peer", "name", "vx"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vb"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "netns", "nosuchns"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vy", "netns", "badp"},
		{"link", "add", "vq"},
		{"link", "add", "vq", "type", "veth", "foo"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "type", "veth"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "up"},
		{"link", "add", "name", "vq", "dev", "vr", "type", "veth"},
		{"link", "delete", "nodev"},
		{"link", "delete"},

		// An empty word names a device, a type, a file or a namespace
		// that does not exist; it never means "none given" (a flush of
		// every address, a list of every link).
		{"addr", "flush", "dev", ""},
		{"addr", "flush", ""},
		{"-4", "addr", "flush", "dev", ""},
		{"addr", "flush", "dev", "", "scope", "global"},
		{"addr", "show", "dev", ""},
		{"addr", "show", ""},
		{"addr", "show", "dev", "", "up"},
		{"-j", "addr", "show", "dev", ""},
		{"link", "show", ""},
		{"link", "show", "dev", ""},
		{"-j", "link", "show", ""},
		{"-br", "link", "show", ""},
		{"link", "show", "", ""},
		{"link", "show", "va", ""},
		{"addr", "add", "10.0.0.9/24", "dev", ""},
		{"addr", "del", "10.0.0.1/24", "dev", ""},
		{"addr", "add", "", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "peer", "", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "brd", "", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "valid_lft", ""},
		{"link", "set", "va", "up", "type", ""},
		{"link", "add", "vq", "type", ""},
		{"link", "add", "vq", "type", "", "peer", "name", "vr"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "type", ""},
		{"link", "set", "dev", "", "up"},
		{"link", "set", "", "up"},
		{"link", "set", "va", "mtu", "1400", "dev", ""},
		{"link", "set", "va", "master", ""},
		{"link", "set", "va", "netns", ""},
		{"link", "set", "va", "name", ""},
		{"link", "set", "va", "mtu", ""},
		{"link", "set", "va", "txqueuelen", ""},
		{"link", "set", "va", "index", ""},
		{"link", "add", "", "type", "veth"},
		{"link", "add", "name", "", "type", "veth"},
		{"link", "add", "vq", "type", "veth", "peer", "name", ""},
		{"link", "add", "vq", "type", "veth", "peer", ""},
		{"link", "delete", ""},
		{"link", "delete", "dev", ""},
		{"-batch", ""},
		{"-force", "-batch", ""},
		{"-b", "", "link"},
		{"-n", "", "link"},
		{"-n", "", "-batch", ""},
		{"-f", "", "link"},

		// A link-layer address of the wrong length: refused before the
		// kernel for a change (never cut to 6 bytes), by the kernel for a
		// new link or a broadcast address; more than 32 bytes are 33.
		{"link", "set", "va", "address", "02:00:00:00:01"},
		{"link", "set", "va", "address", "02:00:00:00:00:01:07"},
		{"link", "set", "dev", "va", "address", "02"},
		{"link", "set", "va", "address", lladdr(20)},
		{"link", "set", "va", "address", lladdr(32)},
		{"link", "set", "va", "address", lladdr(33)},
		{"link", "set", "va", "address", "10.1.2.3"},
		{"link", "set", "va", "address", "02:00:00:00:00:01:07", "name", "vv"},
		{"link", "set", "va", "address", "02:00:00:00:00:1ff"},
		{"link", "set", "va", "address", "02::00:00:00:01"},
		{"link", "set", "va", "address", "02:00:00:00:00:01:"},
		{"link", "set", "va", "address", "%"},
		{"link", "set", "nodev", "address", "02:00:00:00:00:01:07"},
		{"link", "set", "va", "broadcast", "02:00:00:00:01"},
		{"link", "set", "va", "broadcast", lladdr(33)},
		{"link", "add", "vq", "address", "02:00:00:00:00:01:07", "type", "veth"},
		{"link", "add", "vq", "address", lladdr(33), "type", "veth"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "address", "02:00:00:00:01"},
		{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "address", lladdr(7)},
	}
	// Every word that names something, with each kind of bad name: too
	// long for an ifname, far too long, white space, '/', dots, '%'.
	long := strings.Repeat("x", 300)
	for _, name := range []string{"abcdefghijklmnop", long, "a b", "va\tx", "a/b", "..", ".", "%", "va%", "if0"} {
		tests = append(tests,
			[]string{"link", "set", "dev", name, "up"},
			[]string{"link", "show", name},
			[]string{"-j", "link", "show", "dev", name},
			[]string{"addr", "show", "dev", name},
			[]string{"addr", "flush", "dev", name},
			[]string{"addr", "add", "10.0.0.9/24", "dev", name},
			[]string{"link", "delete", name},
			[]string{"link", "set", "va", "master", name},
		)
		if name != "%" && name != "va%" && name != "if0" { // valid new names
			tests = append(tests,
				[]string{"link", "set", "va", "name", name},
				[]string{"link", "add", name, "type", "veth"},
				[]string{"link", "add", "vq", "type", "veth", "peer", "name", name},
			)
		}
	}
	// Namespace words: odd names, paths that are no namespace, numbers
	// that are no process (never a small one: ip 6.1 would move the link
	// into that process's namespace, maybe the host's).
	for _, ns := range []string{"a b", "%", "../x", "/", "/run/netns", "/run/netns/", "-1", "0",
		"0x400000", " 4194304", "4194304abc", "99999999999", long} {
		tests = append(tests,
			[]string{"link", "set", "va", "netns", ns},
			[]string{"link", "add", "vq", "type", "veth", "peer", "name", "vr", "netns", ns},
		)
		if ns != "0" && ns != "-1" {
			tests = append(tests, []string{"-n", ns, "link", "show", "lo"})
		}
	}
	tests = append(tests, [][]string{
		// Numbers out of range, signed, with spaces, in other bases.
		{"link", "set", "va", "mtu", "4294967296"},
		{"link", "set", "va", "mtu", "-1"},
		{"link", "set", "va", "mtu", " 1500 "},
		{"link", "set", "va", "mtu", "0x"},
		{"link", "set", "va", "txqueuelen", "2147483648"},
		{"link", "add", "vq", "index", "0", "type", "veth"},
		{"link", "add", "vq", "index", "-1", "type", "veth"},
		{"link", "add", "vq", "index", "2147483648", "type", "veth"},
		{"link", "set", "va", "alias", strings.Repeat("a", 256)},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "metric", "4294967296"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "valid_lft", "4294967296"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "preferred_lft", "-1"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "scope", "256"},
		{"addr", "show", "dev", "va", "scope", "300"},
		{"addr", "add", "10.0.0.9/24", "dev", "va", "label", strings.Repeat("l", 20)},
		// Addresses: malformed, and of the wrong family.
		{"addr", "add", "10.0.0.9/-1", "dev", "va"},
		{"addr", "add", "10.0.0.9/24/24", "dev", "va"},
		{"addr", "add", "10.0.0.9%va/24", "dev", "va"},
		{"addr", "add", "1.2.3.4.5/24", "dev", "va"},
		{"addr", "add", "fd00:::1/64", "dev", "va"},
		{"addr", "add", "fd00::1/64%va", "dev", "va"},
		{"addr", "add", "../24", "dev", "va"},
		{"-4", "addr", "add", "fd00::1/64", "dev", "va"},
		{"-0", "addr", "add", "10.0.0.9/24", "dev", "va"},
		{"-f", "link", "addr", "add", "10.0.0.9/24", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "peer", "fd00::1", "dev", "va"},
		{"addr", "add", "fd00::9/64", "brd", "10.0.0.255", "dev", "va"},
		{"addr", "add", "10.0.0.9/24", "anycast", "fd00::1", "dev", "va"},
		{"-0", "addr", "flush", "dev", "va"},
		{"link", "set", "va", "address", "fd00::1"},
		{"-f", "inet7", "link"},
		// Files.
		{"-batch", "/nonexistent"},
		{"-batch", "a b"},
		{"-batch", "%"},
		{"-batch", "../x"},
	}...)
	// The same words in batch lines, and options where a line has none.
	badBatch := writeBatch(t, t.TempDir(), "bad", []string{
		`addr flush dev ""`,
		`link show ''`,
		`addr add 10.0.0.9/24 dev ""`,
		"link set va address 02:00:00:00:00:01:07",
		"link set va netns 0x400000",
		`link set "a b" up`,
		"-n badp link",
		"-batch /nonexistent",
		`link set va up type ""`,
	})
	tests = append(tests, []string{"-batch", badBatch}, []string{"-force", "-batch", badBatch})
	for _, args := range tests {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			before := snapshot(t, "bad", "badp")
			want := inNS(t, "bad", false, args...)
			if after := snapshot(t, "bad", "badp"); after != before {
				t.Fatalf("iproute2 changed the state; not a bad-input case:\n%s", after)
			}
			got := inNS(t, "bad", true, args...)
			if got != want {
				t.Errorf("ip %q: rawns = %+v\n iproute2 = %+v", args, got, want)
			}
			if want.code == 0 && args[len(args)-1] != "veth" {
				t.Errorf("ip %q: iproute2 succeeded; not a bad-input case", args)
			}
			if after := snapshot(t, "bad", "badp"); after != before {
				t.Errorf("ip %q: rawns changed the state:\n%s\nwas:\n%s", args, after, before)
			}
		})
	}
}

// lladdr returns a link-layer address of n bytes, 02:01:02:...
func lladdr(n int) string {
	parts := []string{"02"}
	for i := 1; i < n; i++ {
		parts = append(parts, fmt.Sprintf("%02x", i))
	}
	return strings.Join(parts, ":")
}

// diffLines returns the lines of got and want that differ (at most 10),
// for readable failures on long outputs.
func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  -want " + wl + "\n  +got  " + gl + "\n")
			if n++; n == 10 {
				break
			}
		}
	}
	return b.String()
}
