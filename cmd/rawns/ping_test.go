package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
	"github.com/rawns/rawns/cmd/rawns/ping"
	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

// pingTopo makes, in the sandbox: pva (10.90.0.1, fd90::1) in the test's
// own namespace, joined to namespace pb (10.90.0.2, fd90::2), which routes
// to namespace pc (10.91.0.2) and has a prohibit route for 10.92.0.0/24.
func pingTopo(t *testing.T) {
	t.Helper()
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, l := range []string{
		"ip link set lo up", "ip netns add pb", "ip netns add pc",
		"ip link add pva type veth peer name pvb netns pb",
		"ip addr add 10.90.0.1/24 dev pva", "ip addr add fd90::1/64 dev pva nodad", "ip link set pva up",
		"ip -n pb addr add 10.90.0.2/24 dev pvb", "ip -n pb addr add fd90::2/64 dev pvb nodad",
		"ip -n pb link set pvb up", "ip -n pb link set lo up",
		"ip -n pb link add pvc type veth peer name pvd netns pc",
		"ip -n pb addr add 10.91.0.1/24 dev pvc", "ip -n pb link set pvc up",
		"ip -n pc addr add 10.91.0.2/24 dev pvd", "ip -n pc link set pvd up",
		"ip -n pc route add default via 10.91.0.1",
		"ip -n pb route add prohibit 10.92.0.0/24",
		"ip route add 10.91.0.0/24 via 10.90.0.2", "ip route add 10.92.0.0/24 via 10.90.0.2",
		"ip netns exec pb sysctl -qw net.ipv4.ip_forward=1",
		"ip netns exec pb sysctl -qw net.ipv4.icmp_ratelimit=0",
	} {
		run(strings.Fields(l)...)
	}
	t.Cleanup(func() {
		exec.Command("ip", "netns", "del", "pb").Run()
		exec.Command("ip", "netns", "del", "pc").Run()
		exec.Command("ip", "link", "del", "pva").Run()
	})
}

var (
	pingTimeRe  = regexp.MustCompile(`time=[0-9.]+ ms`)
	pingTotalRe = regexp.MustCompile(`time [0-9]+ms`)
	pingRttRe   = regexp.MustCompile(`= [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms`)
	pingStampRe = regexp.MustCompile(`(?m)^\[[0-9]+\.[0-9]{6}\] `)
	pingIpgRe   = regexp.MustCompile(`ipg/ewma [0-9.]+/[0-9.]+ ms`)
)

// pingMask hides only times: time=, the total time, the rtt figures
// (also those of the SIGQUIT status line), ipg/ewma and -D stamps.
func pingMask(s string) string {
	s = pingTimeRe.ReplaceAllString(s, "time=T ms")
	s = pingIpgRe.ReplaceAllString(s, "ipg/ewma T/T ms")
	s = pingTotalRe.ReplaceAllString(s, "time Tms")
	s = pingStampRe.ReplaceAllString(s, "[S] ")
	return pingRttRe.ReplaceAllString(s, "= T/T/T/T ms")
}

// iputils runs the installed /usr/bin/ping and returns its masked output.
func iputils(t *testing.T, args []string) (string, int) {
	t.Helper()
	cmd := exec.Command("/usr/bin/ping", args...)
	cmd.Args[0] = "ping" // error messages start with argv[0]
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("/usr/bin/ping: %v", err)
	}
	return pingMask(out.String()), code
}

// rawnsPing runs ping.Main in this process and returns its masked output.
func rawnsPing(args []string) (string, int) {
	var out bytes.Buffer
	code := ping.Main(args, &out, &out)
	return pingMask(out.String()), code
}

// TestIntegrationPingGolden compares rawns ping with iputils ping, run one
// after the other in the same topology.
func TestIntegrationPingGolden(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	for _, tc := range []struct {
		name  string
		args  string
		setup string
	}{
		{"clean", "-c 3 -i 0.2 10.90.0.2", ""},
		{"quiet", "-q -c 3 -i 0.2 10.90.0.2", ""},
		{"size8", "-c 2 -i 0.2 -s 8 10.90.0.2", ""},
		{"ttl exceeded", "-c 3 -i 0.2 -t 1 10.91.0.2", ""},
		{"through router", "-c 2 -i 0.2 10.91.0.2", ""},
		{"host unreachable", "-c 3 -i 0.2 10.90.0.9", ""},
		{"packet filtered", "-c 2 -i 0.2 10.92.0.5", ""},
		{"no route", "-c 1 192.0.2.1", ""},
		{"ipv6", "-6 -c 2 -i 0.2 fd90::2", ""},
		{"name", "-c 1 no-such-host.invalid", ""},
		{"bad count", "-c 0 10.90.0.2", ""},
		{"loss", "-c 2 -i 0.2 -W 1 10.90.0.2", "net.ipv4.icmp_echo_ignore_all=1"},
		{"deadline with count", "-c 2 -i 0.4 -w 1 10.90.0.2", "net.ipv4.icmp_echo_ignore_all=1"},
		{"deadline reached count", "-c 2 -i 0.2 -w 5 10.90.0.2", ""},
		{"pattern", "-c 2 -i 0.2 -p abcdef 10.90.0.2", ""},
		{"linger garbage", "-c 1 -W 0.5x 10.90.0.2", ""},
		{"preload", "-c 6 -l 3 -i 0.2 10.90.0.2", ""},
		{"timestamps", "-D -c 2 -i 0.2 10.90.0.2", ""},
		{"short interval", "-q -c 200 -i 0.002 10.90.0.2", ""},
		// -t 0: the kernel refuses an IPv4 TTL of 0 (exit 2, before the
		// header) but takes an IPv6 hop limit of 0.
		{"ttl zero", "-c 2 -i 0.2 -t 0 10.90.0.2", ""},
		{"hop limit zero", "-6 -c 1 -t 0 fd90::2", ""},
		// The largest echo fits 65535 bytes of IP (IPv4: with a 20-byte
		// header; IPv6: as payload). One byte more is a local EMSGSIZE
		// (worded "mtu=" for IPv4, "mtu: " for IPv6); above 65535 ICMP
		// bytes a raw IPv4 send fails with nothing queued, and iputils
		// counts the probe silently.
		{"size max", "-c 1 -s 65507 10.90.0.2", ""},
		{"size too large", "-c 1 -s 65508 10.90.0.2", ""},
		{"size above 64k", "-c 1 -s 70000 10.90.0.2", ""},
		{"ipv6 size max", "-6 -c 1 -s 65527 fd90::2", ""},
		{"ipv6 size too large", "-6 -c 1 -s 65528 fd90::2", ""},
		{"ipv6 size above 64k", "-6 -c 1 -s 70000 fd90::2", ""},
		// -w alone: probes at 0, 0.4 and 0.8 s, then the deadline at 1 s;
		// 0.2 s either side, so a loaded machine sends the same three.
		{"deadline", "-w 1 -i 0.4 10.90.0.2", ""},
		// With -w, the first ICMP error ends the run.
		{"deadline error", "-w 2 -i 0.2 10.92.0.5", ""},
		{"device", "-c 1 -I pva 10.90.0.2", ""},
		{"source", "-c 1 -I 10.90.0.1 10.90.0.2", ""},
		{"flood", "-f -c 5 10.90.0.2", ""},
		{"family 4 of ipv6", "-4 -c 1 fd90::2", ""},
		{"family 6 of ipv4", "-6 -c 1 10.90.0.2", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != "" {
				exec.Command("ip", "netns", "exec", "pb", "sysctl", "-qw", tc.setup).Run()
				defer exec.Command("ip", "netns", "exec", "pb", "sysctl", "-qw", strings.TrimSuffix(tc.setup, "1")+"0").Run()
			}
			args := strings.Fields(tc.args)
			want, wantCode := iputils(t, args)
			got, gotCode := rawnsPing(args)
			if tc.name == "name" {
				// The sandbox has no resolver: iputils may say "Temporary failure
				// in name resolution"; rawns never resolves.
				want = strings.Replace(want, "Temporary failure in name resolution", "Name or service not known", 1)
			}
			if got != want || gotCode != wantCode {
				t.Errorf("ping %s: rawns (exit %d):\n%s\niputils (exit %d):\n%s", tc.args, gotCode, got, wantCode, want)
			}
		})
	}
}

// injector answers every echo request seen in namespace pb with forged
// replies made by fn, from a raw socket in pb. It stops with the test.
func injector(t *testing.T, fn func(req []byte) [][]byte) {
	t.Helper()
	var stop atomic.Bool
	ready := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The thread enters pb and never leaves: it stays locked and dies
		// with this goroutine (poisoned).
		runtime.LockOSThread()
		ns, err := unix.Open("/run/netns/pb", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			err = unix.Setns(ns, unix.CLONE_NEWNET)
			unix.Close(ns)
		}
		var fd int
		if err == nil {
			fd, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
		}
		if err == nil {
			err = unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Usec: 50000})
		}
		ready <- err
		if err != nil {
			return
		}
		defer unix.Close(fd)
		buf := make([]byte, 2048)
		for !stop.Load() {
			n, from, err := unix.Recvfrom(fd, buf, 0)
			if err != nil || n < 28 {
				continue
			}
			ihl := int(buf[0]&15) * 4
			if n < ihl+8 || buf[ihl] != 8 {
				continue
			}
			for _, r := range fn(buf[ihl:n]) {
				unix.Sendto(fd, r, 0, from)
			}
		}
	}()
	if err := <-ready; err != nil {
		t.Fatalf("injector: %v", err)
	}
	t.Cleanup(func() { stop.Store(true); <-done })
}

// forge returns an echo reply for the request req, with the identifier
// moved by dID and the checksum spoilt when bad.
func forge(req []byte, dID uint16, bad bool) []byte {
	r := append([]byte(nil), req...)
	r[0] = 0
	binary.BigEndian.PutUint16(r[4:], binary.BigEndian.Uint16(r[4:])+dID)
	r[2], r[3] = 0, 0
	var s uint32
	for i := 0; i+1 < len(r); i += 2 {
		s += uint32(binary.BigEndian.Uint16(r[i:]))
	}
	if len(r)%2 == 1 {
		s += uint32(r[len(r)-1]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	c := ^uint16(s)
	if bad {
		c ^= 0x5a5a
	}
	binary.BigEndian.PutUint16(r[2:], c)
	return r
}

// TestIntegrationPingDuplicates has pb answer twice (the kernel and a raw
// socket), and compares with iputils: duplicates are counted, shown and
// included in the rtt figures.
func TestIntegrationPingDuplicates(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	injector(t, func(req []byte) [][]byte { return [][]byte{forge(req, 0, false)} })
	args := strings.Fields("-c 3 -i 0.2 10.90.0.2")
	want, wantCode := iputils(t, args)
	got, gotCode := rawnsPing(args)
	if got != want || gotCode != wantCode {
		t.Errorf("rawns (exit %d):\n%s\niputils (exit %d):\n%s", gotCode, got, wantCode, want)
	}
	if !strings.Contains(got, "(DUP!)") || !strings.Contains(got, "+2 duplicates") {
		t.Errorf("rawns output lacks (DUP!) and +2 duplicates (the run ends at the third reply):\n%s", got)
	}
}

// TestIntegrationPingForged injects, for every request, a reply with a bad
// checksum and one with a foreign identifier. Current iputils (since commit
// bacf1b7, tag 20240905) counts the first as "+N corrupted" and prints
// "(BAD CHECKSUM!)"; the installed 20221126 shows it as "(DUP!)" instead
// (its csfailed is always 0). The foreign reply is ignored by both.
func TestIntegrationPingForged(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	injector(t, func(req []byte) [][]byte {
		return [][]byte{forge(req, 0, true), forge(req, 1, false)}
	})
	args := strings.Fields("-c 3 -i 0.2 10.90.0.2")
	old, oldCode := iputils(t, args)
	got, gotCode := rawnsPing(args)
	// Turn 20221126's output into upstream's: its (DUP!) lines are the
	// corrupted replies, its +N duplicates are +N corrupted.
	want := strings.ReplaceAll(old, " (DUP!)", " (BAD CHECKSUM!)")
	want = strings.Replace(want, "duplicates", "corrupted", 1)
	if got != want || gotCode != oldCode {
		t.Errorf("rawns (exit %d):\n%s\nupstream iputils, from 20221126 (exit %d):\n%s\ninstalled:\n%s", gotCode, got, oldCode, want, old)
	}
	if !strings.Contains(got, "3 received, +2 corrupted, 0% packet loss") {
		t.Errorf("summary lacks 3 received, +2 corrupted:\n%s", got)
	}
}

// TestIntegrationPingSIGINT interrupts a run after two replies, as the seed
// lab's ^C does, and compares with iputils interrupted the same way.
func TestIntegrationPingSIGINT(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	args := strings.Fields("-i 0.2 10.90.0.2")
	// iputils: line-buffered through stdbuf so replies can be counted.
	cmd := exec.Command("stdbuf", append([]string{"-oL", "/usr/bin/ping"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := readInterrupted(t, stdout, func() { cmd.Process.Signal(os.Interrupt) })
	err = cmd.Wait()
	wantCode := 0
	if ee, ok := err.(*exec.ExitError); ok {
		wantCode = ee.ExitCode()
	}

	pr, pw := io.Pipe()
	codec := make(chan int, 1)
	go func() {
		codec <- ping.Main(args, pw, pw)
		pw.Close()
	}()
	got := readInterrupted(t, pr, func() { syscall.Kill(os.Getpid(), syscall.SIGINT) })
	gotCode := <-codec
	if got != want || gotCode != wantCode {
		t.Errorf("rawns (exit %d):\n%s\niputils (exit %d):\n%s", gotCode, got, wantCode, want)
	}
	if !strings.Contains(got, "2 packets transmitted, 2 received") {
		t.Errorf("rawns summary after SIGINT:\n%s", got)
	}
}

// readInterrupted reads ping output, calls interrupt after the second
// reply line, and returns the masked output up to EOF.
func readInterrupted(t *testing.T, r io.Reader, interrupt func()) string {
	t.Helper()
	var b strings.Builder
	sc := bufio.NewScanner(r)
	replies := 0
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), " bytes from ") {
			if replies++; replies == 2 {
				interrupt()
			}
		}
	}
	return pingMask(b.String())
}

// TestIntegrationPingOptionErrors compares rawns ping's messages and exit
// codes for bad command lines with the installed iputils ping. Every case
// fails before a socket is opened, so nothing is sent.
func TestIntegrationPingOptionErrors(t *testing.T) {
	sandbox.Require(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"count zero", []string{"-c", "0", "10.90.0.2"}},
		{"count word", []string{"-c", "abc", "10.90.0.2"}},
		{"count negative", []string{"-c", "-1", "10.90.0.2"}},
		{"count overflow", []string{"-c", "99999999999999999999", "10.90.0.2"}},
		{"interval infinite", []string{"-i", "1e999", "10.90.0.2"}},
		{"interval huge", []string{"-i", "3000000", "10.90.0.2"}},
		{"linger negative", []string{"-W", "-1", "10.90.0.2"}},
		{"linger nan", []string{"-W", "nan", "10.90.0.2"}},
		{"deadline negative", []string{"-w", "-1", "10.90.0.2"}},
		{"deadline fraction", []string{"-w", "1.5", "10.90.0.2"}},
		{"size negative", []string{"-s", "-1", "10.90.0.2"}},
		{"size word", []string{"-s", "abc", "10.90.0.2"}},
		{"ttl 256", []string{"-t", "256", "10.90.0.2"}},
		{"preload zero", []string{"-l", "0", "10.90.0.2"}},
		{"preload huge", []string{"-l", "70000", "10.90.0.2"}},
		{"pattern zz", []string{"-p", "zz", "10.90.0.2"}},
		{"pattern 1g", []string{"-p", "1g", "10.90.0.2"}},
		{"no host", nil},
		{"missing argument", []string{"-c"}},
		{"unknown option", []string{"-Z", "10.90.0.2"}},
		{"both families", []string{"-4", "-6", "10.90.0.2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("/usr/bin/ping", tc.args...)
			cmd.Args[0] = "ping"
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			wantCode := 0
			if ee, ok := err.(*exec.ExitError); ok {
				wantCode = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("/usr/bin/ping: %v", err)
			}
			var got bytes.Buffer
			gotCode := ping.Main(tc.args, &got, &got)
			// rawns's usage text lists only the options it implements:
			// compare up to the "Usage" heading.
			want, _, _ := strings.Cut(out.String(), "Usage\n")
			have, _, _ := strings.Cut(got.String(), "Usage\n")
			if have != want || gotCode != wantCode {
				t.Errorf("ping %q: rawns (exit %d):\n%s\niputils (exit %d):\n%s", tc.args, gotCode, got.String(), wantCode, out.String())
			}
		})
	}
}

// TestIntegrationPingWrongData has pb add, to every request, a reply whose
// payload has one byte changed (and a correct checksum), and compares the
// "wrong data byte" report with iputils'.
func TestIntegrationPingWrongData(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	exec.Command("ip", "netns", "exec", "pb", "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1").Run()
	injector(t, func(req []byte) [][]byte {
		r := append([]byte(nil), req...)
		r[8+40] ^= 0xff // payload byte #40
		return [][]byte{forge(r, 0, false)}
	})
	args := strings.Fields("-c 2 -i 0.2 10.90.0.2")
	want, wantCode := iputils(t, args)
	got, gotCode := rawnsPing(args)
	if got != want || gotCode != wantCode {
		t.Errorf("rawns (exit %d):\n%s\niputils (exit %d):\n%s", gotCode, got, wantCode, want)
	}
	if !strings.Contains(got, "wrong data byte #40 should be 0x28 but was 0xd7") {
		t.Errorf("rawns output lacks the wrong data byte report:\n%s", got)
	}
}

// TestIntegrationPingSIGQUIT sends SIGQUIT after the second reply of a
// four-probe run: iputils writes a one-line status ("\rR/T packets, L%
// loss, min/avg/ewma/max = ...") to stderr and carries on. Both streams
// are compared with iputils', times masked.
func TestIntegrationPingSIGQUIT(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	args := strings.Fields("-c 4 -i 0.3 10.90.0.2")
	cmd := exec.Command("stdbuf", append([]string{"-oL", "/usr/bin/ping"}, args...)...)
	var wantErr bytes.Buffer
	cmd.Stderr = &wantErr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := readInterrupted(t, stdout, func() { cmd.Process.Signal(syscall.SIGQUIT) })
	err = cmd.Wait()
	wantCode := 0
	if ee, ok := err.(*exec.ExitError); ok {
		wantCode = ee.ExitCode()
	}

	pr, pw := io.Pipe()
	var gotErr bytes.Buffer
	codec := make(chan int, 1)
	go func() {
		codec <- ping.Main(args, pw, &gotErr)
		pw.Close()
	}()
	got := readInterrupted(t, pr, func() { syscall.Kill(os.Getpid(), syscall.SIGQUIT) })
	gotCode := <-codec
	if got != want || gotCode != wantCode {
		t.Errorf("stdout: rawns (exit %d):\n%s\niputils (exit %d):\n%s", gotCode, got, wantCode, want)
	}
	if g, w := pingMask(gotErr.String()), pingMask(wantErr.String()); g != w {
		t.Errorf("stderr: rawns %q, iputils %q", g, w)
	}
	if g := gotErr.String(); !strings.HasPrefix(g, "\r2/2 packets, 0% loss, min/avg/ewma/max = ") {
		t.Errorf("rawns status line %q, want 2/2 packets and the rtt figures", g)
	}
	if !strings.Contains(got, "4 packets transmitted, 4 received") {
		t.Errorf("rawns did not carry on after SIGQUIT:\n%s", got)
	}
}

// TestIntegrationPingSIGTERM kills a run with SIGTERM after the second
// reply. iputils does not handle SIGTERM: it dies of the signal without a
// summary (143 from a shell). rawns, run as ping in a process of its own,
// must do the same.
func TestIntegrationPingSIGTERM(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	args := strings.Fields("-i 0.2 10.90.0.2")
	run := func(name string, argv ...string) (string, *os.ProcessState) {
		t.Helper()
		cmd := exec.Command(name, argv...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out := readInterrupted(t, stdout, func() { cmd.Process.Signal(syscall.SIGTERM) })
		cmd.Wait()
		return out, cmd.ProcessState
	}
	want, wantSt := run("stdbuf", append([]string{"-oL", "/usr/bin/ping"}, args...)...)
	got, gotSt := run(filepath.Join(toolDir(t), "ping"), args...)
	for _, r := range []struct {
		who string
		st  *os.ProcessState
	}{{"iputils", wantSt}, {"rawns", gotSt}} {
		ws := r.st.Sys().(syscall.WaitStatus)
		if !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Errorf("%s ended with %v, want killed by SIGTERM", r.who, r.st)
		}
	}
	if got != want {
		t.Errorf("rawns:\n%s\niputils:\n%s", got, want)
	}
	if strings.Contains(got, "statistics") {
		t.Errorf("rawns printed a summary on SIGTERM:\n%s", got)
	}
}

// TestIntegrationPingNames compares how rawns and iputils resolve the
// operand: IPv4 in every form inet_aton reads, names from /etc/hosts (the
// sandbox's overlay, so the test may write it) with the canonical name in
// the header and reverse lookups in the replies, and the refusals. The
// sandbox has no DNS: where iputils tries it and says "Temporary failure
// in name resolution", rawns, which has none, says "Name or service not
// known" as glibc does without DNS.
func TestIntegrationPingNames(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	old, err := os.ReadFile("/etc/hosts")
	if err != nil {
		t.Fatal(err)
	}
	hosts := string(old) + "# rawns test\n10.90.0.2 peer peeralias\nfd90::2 peer6 peer\n" +
		"10.91.0.2\tfar # behind pb\nnot-an-address bogus\n"
	if err := os.WriteFile("/etc/hosts", []byte(hosts), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile("/etc/hosts", old, 0o644) })
	for _, args := range [][]string{
		{"-c", "1", "localhost"},
		{"-c", "1", "LOCALHOST"},
		{"-c", "1", "-n", "localhost"},
		{"-c", "1", "127.1"},
		{"-c", "1", "127.0.1"},
		{"-c", "1", "0x7f000001"},
		{"-c", "1", "0X7F.1"},
		{"-c", "1", "2130706433"},
		{"-c", "1", "017700000001"},
		{"-c", "1", "0177.0.0.01"},
		{"-c", "1", "127.0.0.256"},
		{"-c", "1", "4294967296"},
		{"-c", "1", "08"},
		{"-c", "1", "0x"},
		{"-c", "1", "1.2.3.4.5"},
		{"-c", "1", "127.0.0.1 "},
		{"-c", "1", ""},
		{"-c", "1", "nosuch"},
		{"-c", "1", "bogus"},
		{"-c", "1", "-6", "localhost"},
		{"-c", "1", "-6", "127.1"},
		{"-c", "1", "peer"},
		{"-c", "1", "-4", "peer"},
		{"-c", "1", "-6", "peer"},
		{"-c", "1", "peeralias"},
		{"-c", "1", "PEER6"},
		{"-c", "1", "-4", "peer6"},
		{"-c", "2", "-i", "0.2", "-t", "1", "far"},
		{"-c", "2", "-i", "0.2", "-t", "1", "-n", "far"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want, wantCode := iputils(t, args)
			got, gotCode := rawnsPing(args)
			want = strings.Replace(want, "Temporary failure in name resolution", "Name or service not known", 1)
			if got != want || gotCode != wantCode {
				t.Errorf("ping %q: rawns (exit %d):\n%s\niputils (exit %d):\n%s", args, gotCode, got, wantCode, want)
			}
		})
	}
}

// pingLinkLocal adds fe80::1 to pva and fe80::2 to pvb (see pingTopo),
// usable at once (nodad).
func pingLinkLocal(t *testing.T) {
	t.Helper()
	for _, l := range []string{"ip addr add fe80::1/64 dev pva nodad", "ip -n pb addr add fe80::2/64 dev pvb nodad"} {
		if out, err := exec.Command("sh", "-c", l).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", l, err, out)
		}
	}
}

// TestIntegrationPingScope pings the peer's link-local address across the
// veth pair, with the scope given as %ifname, as %index and through -I,
// and compares the output (times masked) and the refusals of bad scopes
// and -I values, "" included, with iputils.
func TestIntegrationPingScope(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingLinkLocal(t)
	index, err := ifreq.NameToIndex("pva")
	if err != nil {
		t.Fatal(err)
	}
	idx := strconv.FormatUint(uint64(index), 10)
	for _, args := range [][]string{
		{"-c", "1", "fe80::2%pva"},
		{"-c", "1", "fe80::2%" + idx},
		{"-c", "1", "-I", "pva", "fe80::2"},
		{"-c", "1", "-I", "fe80::1%pva", "fe80::2"},
		{"-c", "1", "-I", "fe80::1%pva", "fe80::2%pva"},
		{"-c", "1", "fe80::2"},
		{"-c", "1", "-n", "fe80::2%pva"},
		{"-c", "1", "fe80::2%nosuch"},
		{"-c", "1", "fe80::2%"},
		{"-c", "1", "fe80::2%99999999999"},
		{"-c", "1", "fd90::2%pva"},
		{"-c", "1", "fd90::2%" + idx},
		{"-c", "1", "10.90.0.2%pva"},
		{"-c", "1", "-I", "", "10.90.0.2"},
		{"-c", "1", "-I", "", "fd90::2"},
		{"-c", "1", "-I", "nosuch", "10.90.0.2"},
		{"-c", "1", "-I", "nosuch", "fd90::2"},
		{"-c", "1", "-I", "pva", "fd90::2"},
		{"-c", "1", "-I", "fd90::1", "fd90::2"},
		{"-c", "1", "-I", "fe80::zz", "fe80::2"},
		{"-c", "1", "-I", "fe80::1%", "fd90::2"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want, wantCode := iputils(t, args)
			got, gotCode := rawnsPing(args)
			want = strings.Replace(want, "Temporary failure in name resolution", "Name or service not known", 1)
			if got != want || gotCode != wantCode {
				t.Errorf("ping %q: rawns (exit %d):\n%s\niputils (exit %d):\n%s", args, gotCode, got, wantCode, want)
			}
		})
	}
}
