package main

import (
	"bufio"
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rawns/rawns/cmd/rawns/ip"
	"github.com/rawns/rawns/cmd/rawns/ping"
	"github.com/rawns/rawns/internal/sandbox"
)

// fuzzSafe reports whether argv may run in the test's sandbox: nothing
// that reaches another network namespace (the netns object, `netns` and
// `link-netns` arguments, -n, -all), runs a program (netns exec) or reads
// a batch file. The sandbox's network namespace can see the host's
// through /proc/1/ns/net, so these are left out rather than trusted.
func fuzzSafe(argv []string) bool {
	for _, w := range argv {
		if strings.Contains(w, "netns") || isPrefix(w, "netns") {
			return false
		}
		if opt := strings.TrimPrefix(w, "-"); len(w) > 1 && w[0] == '-' {
			opt = "-" + strings.TrimPrefix(opt, "-")
			if isPrefix(opt, "-batch") || isPrefix(opt, "-netns") || isPrefix(opt, "-all") {
				return false
			}
		}
	}
	return true
}

// FuzzIPArgs runs the ip grammar (Main) on arbitrary words, in the test's
// sandbox network namespace, and checks that it never panics, exits with
// one of iproute2's statuses, and explains every refusal: a non-zero exit
// prints a message (or, as iproute2 sometimes does, usage on stdout) that
// ends in a newline and shows no formatting or runtime failure. Words are the input split on spaces; inputs that could
// leave the sandbox (see fuzzSafe) are skipped.
func FuzzIPArgs(f *testing.F) {
	for _, s := range []string{
		"link",
		"link show dev lo",
		"-o -4 address show",
		"-j -p link show",
		"link add v0 type veth peer name v1",
		"link add v0 type veth peer v1 mtu 1400 address 02:00:00:00:00:01",
		"link set lo up",
		"link set dev lo mtu 70000",
		"link set lo address zz:00",
		"link del nodev",
		"address add 10.9.0.1/24 brd + dev lo label lo:x",
		"address add 10.9.0.1/33 dev lo",
		"address add fd99::1/64 dev lo valid_lft 100 preferred_lft 50",
		"address add 10.9.0.1/24 brd - scope link dev",
		"address del 10.9.0.1/24 dev lo",
		"address flush dev lo",
		"a",
		"l h",
		"link help veth",
		"-family inet6 addr show",
		"-f bogus link",
		"-V",
		"help",
		"link add name a dev b type veth",
		"link add x type veth type veth",
		"",
		" ",
		"link add  type",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, " ")
		if s == "" {
			argv = nil
		}
		if !fuzzSafe(argv) {
			t.Skip("could reach outside the sandbox")
		}
		sandbox.Require(t)
		var stderr, out bytes.Buffer
		stdout := bufio.NewWriter(&out)
		code := ip.Main(argv, stdout, &stderr)
		stdout.Flush()
		msg := stderr.String()
		switch code {
		case 0, 1, 2, 255: // success, exitFail, exitKernel, exitUsage
		default:
			t.Fatalf("ip %q: exit %d, not one of iproute2's 0, 1, 2, 255; stderr %q", argv, code, msg)
		}
		// A refusal is explained on stderr, or, as iproute2 does for the
		// veth usage (`link add X type veth type veth`), by usage on stdout.
		if code != 0 && strings.TrimSpace(msg) == "" && !strings.HasPrefix(out.String(), "Usage:") {
			t.Fatalf("ip %q: exit %d with nothing on stderr and no usage on stdout %q", argv, code, out.String())
		}
		if msg != "" && !strings.HasSuffix(msg, "\n") {
			t.Fatalf("ip %q: stderr %q does not end in a newline", argv, msg)
		}
		for _, bad := range []string{"%!", "runtime error", "<nil>", "goroutine "} {
			if strings.Contains(msg, bad) && !strings.Contains(s, bad) {
				t.Fatalf("ip %q: stderr %q shows %q", argv, msg, bad)
			}
		}
	})
}

// isPrefix reports whether w abbreviates keyword as iproute2's matches()
// accepts it: a non-empty prefix.
func isPrefix(w, keyword string) bool { return w != "" && strings.HasPrefix(keyword, w) }

// ipVocab is the vocabulary of FuzzIPWords: global options, the link and
// address objects and their keywords, names of links that exist in the
// twin baseline and of ones that do not, hostile names (empty, 15 and 16
// bytes, '/', space, ".."), addresses, MACs and numbers of every size.
// It holds no word that reaches another namespace or runs anything
// (netns, -n, -batch, exec, monitor), and no single letter that abbreviates
// an object beyond link, address and help.
var ipVocab = []string{
	"-4", "-6", "-o", "-j", "-p", "-br", "-h", "-0", "-r",
	"link", "address", "addr", "a", "l", "help", "h",
	"show", "list", "add", "set", "del", "delete", "flush", "change", "replace",
	"dev", "name", "type", "veth", "peer", "up", "down", "mtu", "txqlen", "txqueuelen", "alias",
	"group", "master", "nomaster", "arp", "multicast", "allmulticast", "promisc", "dynamic", "on", "off",
	"label", "brd", "broadcast", "+", "-", "scope", "host", "global", "local", "valid_lft",
	"preferred_lft", "forever", "noprefixroute", "nodad", "home", "permanent", "primary", "secondary",
	"to", "default", "all",
	"lo", "tv0", "tv1", "tv2", "tv3", "", "0123456789abcde", "0123456789abcdef", "a/b", "a b", "..",
	"tv0:1", "tv0:long-label-16", "%",
	"10.9.0.1/24", "10.9.0.2", "10.9.0.5/32", "10.9.0.1/33", "10.9.0.255", "127.0.0.2/8", "1.2.3",
	"256.1.1.1", "0.0.0.0/0", "fd99::1/64", "fd99::2", "fd99::2/129", "::", "fe80::1/64", "10.9.0.2/24",
	"02:00:00:00:00:01", "02:00:00:00:00:01:07", "02:00", "zz:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
	"00:00:00:00:00:00",
	"0", "1", "67", "68", "1280", "1400", "9000", "65535", "65536", "-1", "4294967295", "4294967296",
	"0x10", "010", "100",
}

// FuzzIPWords runs argument vectors built from ipVocab through rawns's ip
// and through iproute2's, each in a fresh namespace of its own laid out
// the same (see runTwins), and checks that both succeed or both fail, that
// both leave the same links and addresses, that a refusal changes nothing
// that iproute2's same refusal does not change, that the host side (named
// namespaces, mounts) is untouched, and that a success prints what
// iproute2 prints (MACs, link-local addresses, operational states and
// lifetimes masked).
func FuzzIPWords(f *testing.F) {
	for _, s := range []string{
		"link show", "-o addr show dev tv0", "link set tv0 down", "link set tv1 mtu 1400",
		"link set tv0 address 02:00:00:00:00:01", "link set tv0 address 02:00:00:00:00:01:07",
		"link set tv0 address 02:00", "link add tv2 type veth peer name tv3", "link del tv1",
		"address add 10.9.0.5/32 dev lo", "address add 10.9.0.2/24 brd + dev tv0 label tv0:1",
		"address del 10.9.0.1/24 dev tv0", "address flush dev tv0", "address flush dev ",
		"link show ", "link show 0123456789abcdef", "address add fd99::2/129 dev tv0",
		"link set tv0 name tv2", "link set dev tv0 alias a/b", "-j -p link show dev lo",
		"link set tv0:1 down", "- 1 link show", "-r addr show dev lo", // known differences (twinKnown)
	} {
		f.Add(bytesOf(ipVocab, strings.Split(s, " ")...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		argv := wordsOf(data, ipVocab, 12)
		if !fuzzSafe(argv) {
			t.Fatalf("vocabulary word reaches outside the namespaces: %q", argv)
		}
		sandbox.Require(t)
		p, err := runTwins(func(stdout *bufio.Writer, stderr *bytes.Buffer) int {
			return ip.Main(argv, stdout, stderr)
		}, "/usr/sbin/ip", argv)
		if err != nil {
			t.Fatalf("ip %q: %v", argv, err)
		}
		checkTwins(t, "ip", argv, p)
		if p.rawns.code == 0 && maskTwinOut(p.rawns.stdout) != maskTwinOut(p.real.stdout) {
			t.Fatalf("ip %q: stdout differs from iproute2's:\n%s", argv,
				diffLines(maskTwinOut(p.rawns.stdout), maskTwinOut(p.real.stdout)))
		}
	})
}

// checkTwins holds the properties every word fuzzer checks: the same exit
// class as the real tool and the same state after it, no change on a
// refusal that the real tool's refusal does not make too, and nothing
// changed outside the namespaces.
func checkTwins(t *testing.T, tool string, argv []string, p *twinPair) {
	t.Helper()
	r, w := p.rawns, p.real
	if r.before != w.before {
		t.Fatalf("%s %q: the twins started apart:\n%s", tool, argv, diffLines(r.before, w.before))
	}
	if p.hostBefore != p.hostAft {
		t.Fatalf("%s %q: named namespaces or mounts changed:\n%s", tool, argv, diffLines(p.hostBefore, p.hostAft))
	}
	if r.code != 0 && twinLimitRE.MatchString(r.stderr) {
		if r.after != r.before {
			t.Fatalf("%s %q: refused as unsupported but changed the namespace:\n%s",
				tool, argv, diffLines(r.before, r.after))
		}
		return // a documented limit: no twin to compare with
	}
	if why := twinKnown(tool, argv); why != "" {
		t.Skip("known difference: " + why)
	}
	if exitClass(r.code) != exitClass(w.code) {
		t.Fatalf("%s %q: rawns exit %d (%s), real %s exit %d (%s)\nrawns stderr %q\nreal stderr %q",
			tool, argv, r.code, exitClass(r.code), tool, w.code, exitClass(w.code), r.stderr, w.stderr)
	}
	if r.code != 0 && r.after != r.before && w.after == w.before {
		t.Fatalf("%s %q: refused (exit %d, %q) but changed the namespace:\n%s",
			tool, argv, r.code, r.stderr, diffLines(r.before, r.after))
	}
	if r.after != w.after {
		t.Fatalf("%s %q: state after rawns (got) and real %s (want) differ:\n%s",
			tool, argv, tool, diffLines(r.after, w.after))
	}
}

// Carrier flags and operational states settle asynchronously after a link
// is made or set up (linkwatch), in the text and JSON outputs alike.
var (
	twinCarrierRE = regexp.MustCompile(`"?(NO-CARRIER|LOWER_UP)"?,?`)
	twinOperRE    = regexp.MustCompile(`("operstate": ?"|state )[A-Z]+`)
	// twinLimitRE is how rawns refuses what iproute2 has and it does not.
	twinLimitRE = regexp.MustCompile(` is not (supported|implemented) by rawns`)
)

// maskTwinOut hides in ip's output what differs between two twins: random
// MACs, operational states and lifetimes (the masks of snapshot), and the
// tentative flag of an IPv6 address added before the link's carrier came
// (it goes when linkwatch reports the carrier, up to a second later).
func maskTwinOut(s string) string {
	s = twinCarrierRE.ReplaceAllString(s, "")
	s = twinOperRE.ReplaceAllString(s, "${1}X")
	s = strings.NewReplacer(" tentative", "", `"tentative": true,`, "", `"tentative":true,`, "").Replace(s)
	s = macRE.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "02:00:00") || m == "ff:ff:ff:ff:ff:ff" || m == "00:00:00:00:00:00" {
			return m
		}
		return "MAC"
	})
	return lftRE.ReplaceAllString(s, "${1}Nsec")
}

// twinKnown names the known difference from the real tool that argv
// meets, or returns "". Such inputs still must not panic or touch the host,
// but are not compared. Each entry goes when its difference is fixed; the
// seeds marked "known differences" then check it.
func twinKnown(tool string, argv []string) string {
	if tool == "ip" {
		return ipKnown(argv)
	}
	return pingKnown(argv)
}

// ipKnown is twinKnown for ip.
func ipKnown(argv []string) string {
	for i, w := range argv {
		switch {
		case i == 0 && w == "-":
			return `ip reads "-" as a prefix of -loops`
		case w == "-r":
			return "ip -r resolves addresses too (localhost for 127.0.0.1)"
		}
	}
	return ""
}

// pingKnown is twinKnown for ping: no known difference is left.
func pingKnown([]string) string { return "" }

// pingUnpaced reports whether argv makes ping send without pause until
// its -w 1 deadline: a negative -i interval, or a preload (-l) beyond what
// the receive buffer holds. Such runs send and receive as many probes as
// the machine allows in that second, so only their shape is compared (see
// pingRunawayMask).
func pingUnpaced(argv []string) bool {
	for i := 0; i+1 < len(argv); i++ {
		v, err := strconv.ParseFloat(argv[i+1], 64)
		switch {
		case argv[i] == "-i" && strings.HasPrefix(argv[i+1], "-"):
			return true
		case argv[i] == "-l" && err == nil && v > 16:
			return true
		}
	}
	return false
}

// pingVocab is the vocabulary of FuzzPingWords: the iputils options rawns
// has (others it refuses as iputils refuses an unknown one) and their
// values, interfaces of the twin baseline, and destinations that answer at
// once (lo, tv0's addresses) or fail at once (no route). Every run gets
// "-c 1 -w 1" first, and the vocabulary holds no -c, -w or -W, so each run
// sends at most what one second allows, inside its own namespace.
var pingVocab = []string{
	"-4", "-6", "-n", "-q", "-D", "-f", "-i", "-l", "-s", "-t", "-p", "-I", "-Z", "--", "-",
	"0", "1", "2", "3", "4", "8", "16", "56", "255", "256", "65507", "65508", "-1", "0.001", "0.2", "1e3",
	"ff", "abcd", "zz", "0x10", "lo", "tv0", "tv1", "", "no0",
	"127.0.0.1", "::1", "10.9.0.1", "fd99::1", "192.0.2.1", "2001:db8::1", "10.9.0.255",
	"::ffff:127.0.0.1", "1.2.3.4.5", "256.0.0.1",
}

// pingBound goes before the fuzzed words of every FuzzPingWords run.
var pingBound = []string{"-c", "1", "-w", "1"}

// FuzzPingWords runs argument vectors built from pingVocab through rawns's
// ping and iputils' ping, in twin namespaces (see runTwins), and checks the
// properties of checkTwins (ping changes no state at all), the exact exit
// status (0 replies, 1 none, 2 error), and on success the same output with
// times masked.
func FuzzPingWords(f *testing.F) {
	for _, s := range []string{
		"127.0.0.1", "-6 ::1", "-s 8 10.9.0.1", "-I lo 127.0.0.1", "-I lo fd99::1", "192.0.2.1",
		"-4 ::1", "-t 0 127.0.0.1", "-p ff -s 16 127.0.0.1", "-s 65507 127.0.0.1", "-s 65508 ::1",
		"-f -l 3 127.0.0.1", "-i 0.2 10.9.0.1", "10.9.0.255", "-D -n 127.0.0.1", "-I no0 127.0.0.1",
		"-Z 127.0.0.1", "-q -- ::1", "-i -1 127.0.0.1", "-q -f -l 65507 ::1",
		"0", "-I lo 0", "-6 0", "-p zz", "-p  ::1", "-p zz -p ff 127.0.0.1", "-p zz -s 1e3 ::1",
		"127.0.0.1 127.0.0.1", "127.0.0.1 ::1", "::1 127.0.0.1", "1 2 3 4 8 16 -- 256.0.0.1 127.0.0.1",
		"-I ::1 127.0.0.1", "-I 127.0.0.1 ::1", "-I ::ffff:127.0.0.1 127.0.0.1",
		// once known differences (issue 12), now compared
		"::ffff:127.0.0.1", "-I ::1 ::ffff:127.0.0.1", "-I 127.0.0.1 ::ffff:127.0.0.1",
		"-I 127.0.0.1 192.0.2.1", "-I  127.0.0.1", "-I 10.9.0.1 10.9.0.255", "-I ::1 2001:db8::1",
		"-l 65507 -i 1e3 127.0.0.1", "-q -l 256 -s 65507 ::1",
	} {
		f.Add(bytesOf(pingVocab, strings.Split(s, " ")...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		argv := append(slices.Clip(pingBound), wordsOf(data, pingVocab, 8)...)
		sandbox.Require(t)
		p, err := runTwins(func(stdout *bufio.Writer, stderr *bytes.Buffer) int {
			return ping.Main(argv, stdout, stderr)
		}, "/usr/bin/ping", argv)
		if err != nil {
			t.Fatalf("ping %q: %v", argv, err)
		}
		checkTwins(t, "ping", argv, p)
		r, w := p.rawns, p.real
		if r.code != w.code {
			t.Fatalf("ping %q: rawns exit %d, iputils %d\nrawns stderr %q\niputils stderr %q",
				argv, r.code, w.code, r.stderr, w.stderr)
		}
		mask := pingMask
		if pingUnpaced(argv) {
			mask = pingRunawayMask
		}
		if r.code == 0 && mask(r.stdout) != mask(w.stdout) {
			t.Fatalf("ping %q: stdout differs from iputils':\n%s", argv, diffLines(mask(r.stdout), mask(w.stdout)))
		}
	})
}
