package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
)

var (
	pingDigitsRe = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)
	pingPipeRe   = regexp.MustCompile(`, pipe N|, \+N duplicates`)
	pingFloodRe  = regexp.MustCompile("[.\b E]{2,}")
)

// pingRunawayMask hides what differs between two runs that send without
// pause: every number (counts, loss, times), the pipe figure (printed only
// when replies overlapped), duplicates (replies to a sequence number
// reused once more than 65535 were sent, which a fast enough machine
// does in that time), flood marks, and repeats of the same line.
func pingRunawayMask(s string) string {
	s = pingFloodRe.ReplaceAllString(s, "<flood>")
	s = pingDigitsRe.ReplaceAllString(s, "N")
	s = pingPipeRe.ReplaceAllString(s, "")
	var b strings.Builder
	prev := ""
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != prev {
			b.WriteString(l)
		}
		prev = l
	}
	return b.String()
}

var pingReceivedRe = regexp.MustCompile(`, ([0-9]+) received`)

// pingReceived returns the received count of ping's summary, or -1.
func pingReceived(out string) int {
	m := pingReceivedRe.FindStringSubmatch(out)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// runPingGuarded runs ping (path) with args in a process of its own,
// killed after 5 s, and returns its output, exit status and run time.
func runPingGuarded(t *testing.T, path string, args []string) (string, int, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Args[0] = "ping"
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out.String(), code, took
}

// TestIntegrationPingRunaway sends without pause to lo (a negative -i,
// which iputils 20221126 accepts, or a preload that in_flight never
// reaches) and checks that the -w deadline ends the run as in iputils: the
// old rawns checked the deadline only between sends and flooded lo until
// killed. Each run is killed after 5 s; rawns must end near its 1 s
// deadline with iputils' output (numbers masked) and exit status.
func TestIntegrationPingRunaway(t *testing.T) {
	sandbox.Require(t)
	if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v\n%s", err, out)
	}
	rawns := filepath.Join(toolDir(t), "ping")
	for _, a := range []string{
		"-c 1 -w 1 -i -4 127.0.0.1",
		"-q -c 1 -w 1 -i -4 127.0.0.1",
		"-q -f -l 65507 -w 1 127.0.0.1",
		"-f -l 65507 -w 1 ::1",
		"-q -w 1 -i -0.5 ::1",
	} {
		t.Run(a, func(t *testing.T) {
			args := strings.Fields(a)
			want, wantCode, _ := runPingGuarded(t, "/usr/bin/ping", args)
			got, gotCode, took := runPingGuarded(t, rawns, args)
			if took < 900*time.Millisecond || took > 3*time.Second {
				t.Errorf("ping %s: rawns ran %v, want about 1 s (-w 1)", a, took)
			}
			if pingRunawayMask(got) != pingRunawayMask(want) || gotCode != wantCode {
				t.Errorf("ping %s: rawns (exit %d):\n%s\niputils (exit %d):\n%s", a, gotCode,
					pingRunawayMask(got), wantCode, pingRunawayMask(want))
			}
			// When the run ends, iputils reads the replies queued while it
			// sent: more than one, since more than 32767 were in flight.
			if pingReceived(want) > 1 && pingReceived(got) <= 1 {
				t.Errorf("ping %s: rawns received %d, iputils %d", a, pingReceived(got), pingReceived(want))
			}
		})
	}
}

// pingGolden runs each argument vector through iputils and rawns (in this
// process) and compares their output (times masked) and exit status.
func pingGolden(t *testing.T, cases [][]string) {
	t.Helper()
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want, wantCode := iputils(t, args)
			got, gotCode := rawnsPing(args)
			if got != want || gotCode != wantCode {
				t.Errorf("ping %q: rawns (exit %d):\n%s\niputils (exit %d):\n%s", args, gotCode, got, wantCode, want)
			}
		})
	}
}

// TestIntegrationPingUnspecified pings the unspecified address in its
// forms. iputils pings, shows and checks the source the kernel picks for
// 0.0.0.0 (127.0.0.1, or the -I address), so replies are not flagged
// "(DIFFERENT ADDRESS!)"; for "::" it keeps "::" but takes it, as any
// address whose last 64 bits are zero, for a Subnet-Router anycast address
// whose replies may come from anywhere (here ::1).
func TestIntegrationPingUnspecified(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "0"},
		{"-c", "1", "0.0.0.0"},
		{"-c", "1", "00"},
		{"-c", "1", "0x0"},
		{"-c", "1", "-I", "lo", "0"},
		{"-c", "1", "-I", "10.90.0.1", "0"},
		{"-c", "1", "-I", "pva", "0"},
		{"-c", "1", "::"},
		{"-c", "1", "-6", "0::0"},
		{"-c", "1", "-I", "lo", "::"},
		{"-c", "1", "-I", "fd90::1", "::"},
		{"-c", "1", "-6", "0"},
		{"-c", "1", "-4", "::"},
	})
}

// TestIntegrationPingPattern compares -p with iputils where the old rawns
// differed: an empty pattern is a pattern ("PATTERN: 0x", the payload left
// unfilled), and the last -p is read only after every other option and the
// destination check, so an earlier bad -p is no error and other errors
// come first.
func TestIntegrationPingPattern(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "-p", "", "10.90.0.2"},
		{"-c", "1", "-q", "-p", "", "10.90.0.2"},
		{"-c", "1", "-p", "", "-s", "20", "-6", "fd90::2"},
		{"-c", "1", "-p", "zz", "-p", "ff", "10.90.0.2"},
		{"-c", "1", "-p", "ff", "-p", "zz", "10.90.0.2"},
		{"-c", "1", "-p", "zz"},
		{"-p", "zz", "-c", "0", "10.90.0.2"},
		{"-p", "zz", "-W", "-1", "10.90.0.2"},
		{"-p", "a b", "-i", "1x", "10.90.0.2"},
		{"-c", "1", "-p", "zz", "no-such-host.invalid"},
		{"-c", "1", "-p", "abc", "-s", "20", "10.90.0.2"},
	})
}

// TestIntegrationPingHops gives ping several operands. iputils takes those
// before an IPv4 destination as loose source route hops (at most nine,
// each IPv4) and refuses any with an IPv6 destination with its usage; the
// old rawns pinged the last operand and ignored the rest. rawns must make
// iputils' refusals with its first lines and exit status, and refuse
// valid hops as a limit of its own (iputils, unable to set the route here,
// exits 2 too).
func TestIntegrationPingHops(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	for _, tc := range []struct {
		args  string
		limit bool // rawns refuses as unsupported
	}{
		{"-c 1 127.0.0.1 127.0.0.1", true},
		{"-c 1 10.90.0.2 1 2 3 4 5 6 7 8 127.0.0.1", true},
		{"-c 1 1 2 3 4 5 6 7 8 9 10 127.0.0.1", false},
		{"-c 1 ::1 127.0.0.1", false},
		{"-c 1 127.0.0.1 ::1", false},
		{"-c 1 -6 127.0.0.1 ::1", false},
		{"-c 1 127.0.0.1 ::ffff:127.0.0.1", false},
		{"-c 1 -4 127.0.0.1 ::1", false},
		{"-c 1 127.0.0.1 no-such-host.invalid", false},
		{"-c 1 no-such-host.invalid 127.0.0.1", false},
	} {
		t.Run(tc.args, func(t *testing.T) {
			args := strings.Fields(tc.args)
			want, wantCode := iputils(t, args)
			got, gotCode := rawnsPing(args)
			want = strings.Replace(want, "Temporary failure in name resolution", "Name or service not known", 1)
			first := func(s string) string { return strings.Join(strings.SplitN(s, "\n", 3)[:2], "\n") }
			if tc.limit {
				want = "ping: source routing (several destinations) is not supported by rawns\n"
			}
			if first(got) != first(want) || gotCode != wantCode {
				t.Errorf("ping %s: rawns (exit %d):\n%s\niputils (exit %d):\n%s", tc.args, gotCode, got, wantCode, want)
			}
		})
	}
}

// TestIntegrationPingSourceFamily gives -I an address of the other family
// than the destination's. iputils keeps an IPv4 and an IPv6 source apart
// and ignores the one that does not fit (an IPv4-mapped address counts as
// IPv6), yet says "from" the kernel's choice; the old rawns bound it and
// failed.
func TestIntegrationPingSourceFamily(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "-I", "::1", "127.0.0.1"},
		{"-c", "1", "-I", "fd90::1", "10.90.0.2"},
		{"-c", "1", "-I", "::ffff:10.90.0.1", "10.90.0.2"},
		{"-c", "1", "-I", "::1%lo", "127.0.0.1"},
		{"-c", "1", "-I", "127.0.0.1", "::1"},
		{"-c", "1", "-I", "10.90.0.1", "fd90::2"},
		{"-c", "1", "-I", "10.90.0.1", "10.90.0.2"},
		// A source that is not ours: "bind" for IPv4, "bind icmp socket"
		// for IPv6.
		{"-c", "1", "-I", "10.90.0.9", "10.90.0.2"},
		{"-c", "1", "-I", "fd90::9", "fd90::2"},
		{"-c", "1", "-I", "fd90::9", "::"},
	})
}

// TestIntegrationPingSourceNoProbe gives -I an address with a destination
// that has no route, or a broadcast one. iputils makes no probe connect
// when a source address is given: it binds it, sends and waits (exit 1);
// the old rawns connected anyway and failed (exit 2). The unspecified
// address is no source: iputils probes then.
func TestIntegrationPingSourceNoProbe(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "-w", "1", "-I", "10.90.0.1", "192.0.2.1"},
		{"-c", "1", "-w", "1", "-I", "10.90.0.1", "10.90.0.255"},
		{"-c", "1", "-w", "1", "-I", "127.0.0.1", "255.255.255.255"},
		{"-c", "2", "-w", "1", "-I", "fd90::1", "2001:db8::1"},
		{"-c", "1", "-w", "1", "-I", "0.0.0.0", "192.0.2.1"},
		{"-c", "1", "-w", "1", "-I", "::", "2001:db8::1"},
	})
}

// TestIntegrationPingMapped pings IPv4-mapped IPv6 addresses. iputils
// pings them over ICMPv6 (header in the IPv6 form; Linux answers no such
// echo, so exit 1) and binds an IPv4 -I address's probed source, which an
// ICMPv6 socket refuses; the old rawns unmapped them and pinged over IPv4.
func TestIntegrationPingMapped(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "-w", "1", "::ffff:127.0.0.1"},
		{"-c", "1", "-w", "1", "-6", "::ffff:10.90.0.2"},
		{"-c", "1", "-w", "1", "-I", "lo", "::ffff:127.0.0.1"},
		{"-c", "1", "-w", "1", "-I", "::1", "::ffff:127.0.0.1"},
		{"-c", "1", "-w", "1", "-I", "127.0.0.1", "::ffff:127.0.0.1"},
		{"-c", "1", "-w", "1", "-I", "::ffff:127.0.0.1", "::ffff:127.0.0.1"},
		{"-c", "1", "-w", "1", "-I", "::ffff:127.0.0.1", "127.0.0.1"},
		{"-c", "1", "-w", "1", "::ffff:192.0.2.1"},
	})
}

// TestIntegrationPingPreloadBuf gives a preload (-l) of large probes.
// iputils sizes the receive buffer for the preload (at least 64 KiB),
// warns "rcvbuf is not enough" when the kernel grants less, and refuses
// after its header an interval whose product with the preload overflows
// an int; the old rawns kept the default buffer (so dropped most replies
// of such a burst), never warned and sent. The warning about the -I
// device's source comes before, from iputils' probe; a refused -t after.
func TestIntegrationPingPreloadBuf(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-q", "-c", "1", "-w", "1", "-l", "100", "-s", "65000", "127.0.0.1"},
		{"-q", "-c", "1", "-w", "1", "-l", "100", "-s", "65000", "::1"},
		{"-c", "1", "-w", "1", "-l", "65507", "-i", "1e3", "127.0.0.1"},
		{"-c", "1", "-w", "1", "-l", "2", "-i", "1e3", "::1"},
		// The probe's warning about the -I device comes first.
		{"-q", "-c", "1", "-w", "1", "-I", "lo", "-l", "100", "-s", "65000", "192.0.2.1"},
		// -t is set after the buffers: a refused TTL comes after the warning.
		{"-c", "1", "-w", "1", "-t", "0", "-l", "100", "-s", "65000", "127.0.0.1"},
	})
}

// TestIntegrationPingBroadcast pings pva's broadcast address. iputils'
// probe connect is refused (EACCES) and, without -b, it asks "Do you want
// to ping broadcast?"; the old rawns said "connect: Permission denied".
func TestIntegrationPingBroadcast(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingGolden(t, [][]string{
		{"-c", "1", "10.90.0.255"},
		{"-c", "1", "255.255.255.255"},
		{"-c", "1", "-I", "pva", "10.90.0.255"},
	})
}

// TestIntegrationPingRunawaySIGINT interrupts runs that send without pause
// and have no deadline: SIGINT must end them at once with iputils'
// summary, whatever the send rate. Each run is killed after 5 s. (The old
// rawns already honoured SIGINT here; this keeps it so beside -w.)
func TestIntegrationPingRunawaySIGINT(t *testing.T) {
	sandbox.Require(t)
	if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v\n%s", err, out)
	}
	rawns := filepath.Join(toolDir(t), "ping")
	run := func(path string, args []string) (string, int, time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, path, args...)
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(500*time.Millisecond, func() { cmd.Process.Signal(os.Interrupt) })
		start := time.Now()
		cmd.Wait()
		return out.String(), cmd.ProcessState.ExitCode(), time.Since(start)
	}
	for _, a := range []string{"-q -i -1 127.0.0.1", "-q -f -l 65507 ::1"} {
		t.Run(a, func(t *testing.T) {
			args := strings.Fields(a)
			want, wantCode, _ := run("/usr/bin/ping", args)
			got, gotCode, took := run(rawns, args)
			if took > 2*time.Second {
				t.Errorf("ping %s: rawns ran %v after SIGINT at 0.5 s", a, took)
			}
			if pingRunawayMask(got) != pingRunawayMask(want) || gotCode != wantCode {
				t.Errorf("ping %s: rawns (exit %d):\n%s\niputils (exit %d):\n%s", a, gotCode,
					pingRunawayMask(got), wantCode, pingRunawayMask(want))
			}
		})
	}
}
