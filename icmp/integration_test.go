package icmp_test

import (
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rawns/rawns/icmp"
	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	sandbox.Main(m)
}

// sh runs an ip/sysctl command line inside the sandbox and fails t on error.
func sh(t testing.TB, line string) {
	t.Helper()
	f := strings.Fields(line)
	if out, err := exec.Command(f[0], f[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// pair makes namespaces a and b joined by veth: 10.77.0.1/fd77::1 in a,
// 10.77.0.2/fd77::2 in b. It returns an fd of a, closed with the test.
func pair(t testing.TB) int {
	t.Helper()
	for _, l := range []string{
		"ip netns add a", "ip netns add b",
		"ip -n a link add va type veth peer name vb netns b",
		"ip -n a addr add 10.77.0.1/24 dev va", "ip -n a addr add fd77::1/64 dev va nodad",
		"ip -n b addr add 10.77.0.2/24 dev vb", "ip -n b addr add fd77::2/64 dev vb nodad",
		"ip -n a link set lo up", "ip -n b link set lo up",
		"ip -n a link set va up", "ip -n b link set vb up",
	} {
		sh(t, l)
	}
	t.Cleanup(func() {
		exec.Command("ip", "netns", "del", "a").Run()
		exec.Command("ip", "netns", "del", "b").Run()
	})
	fd, err := unix.Open("/run/netns/a", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return fd
}

// echo sends seq and waits up to 5 s for its reply.
func echo(t testing.TB, p *icmp.Prober, seq uint16, rep *icmp.Reply) {
	if _, err := p.Send(seq); err != nil {
		t.Fatalf("Send(%d) = %v", seq, err)
	}
	p.SetDeadline(time.Now().Add(5 * time.Second))
	if err := p.Receive(rep); err != nil {
		t.Fatalf("Receive after Send(%d) = %v", seq, err)
	}
}

// TestIntegrationEcho pings b from a through a socket created in a by fd,
// over raw and (with ping_group_range opened) datagram sockets, IPv4 and
// IPv6, and checks replies, TTL, timing and 0 allocations per echo.
func TestIntegrationEcho(t *testing.T) {
	sandbox.Require(t)
	ns := pair(t)
	if out, err := exec.Command("ip", "netns", "exec", "a", "sysctl", "-qw",
		"net.ipv4.ping_group_range=0 2147483647").CombinedOutput(); err != nil {
		t.Fatalf("sysctl ping_group_range: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		name string
		dst  string
		raw  bool
	}{
		{"raw4", "10.77.0.2", true},
		{"dgram4", "10.77.0.2", false},
		{"raw6", "fd77::2", true},
		{"dgram6", "fd77::2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := netip.MustParseAddr(tc.dst)
			p, err := icmp.Open(icmp.Config{Dst: dst, Raw: tc.raw, NetNS: ns})
			if err != nil {
				t.Fatalf("Open = %v", err)
			}
			defer p.Close()
			if p.Raw() != tc.raw {
				t.Fatalf("Raw() = %v, want %v", p.Raw(), tc.raw)
			}
			var rep icmp.Reply
			for seq := uint16(1); seq <= 3; seq++ {
				echo(t, p, seq, &rep)
				if rep.Kind != icmp.KindEchoReply || rep.From != dst || rep.Seq != seq || rep.Len != 64 ||
					rep.TTL != 64 || !rep.Timed || rep.RTT <= 0 || !rep.ChecksumOK || rep.ID != p.ID() {
					t.Fatalf("reply %d = %+v, want echo reply from %v seq %d len 64 ttl 64 timed", seq, rep, dst, seq)
				}
			}
			seq := uint16(10)
			n := testing.AllocsPerRun(200, func() {
				seq++
				echo(t, p, seq, &rep)
			})
			if n != 0 {
				t.Errorf("AllocsPerRun(Send+Receive) = %v, want 0", n)
			}
		})
	}
}

// TestIntegrationCallingThreadNS opens a prober with NetNS 0 from a thread
// switched into namespace a, as rawns -n a ping does.
func TestIntegrationCallingThreadNS(t *testing.T) {
	sandbox.Require(t)
	ns := pair(t)
	errc := make(chan error, 1)
	var p *icmp.Prober
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine (poisoned)
		if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		var err error
		p, err = icmp.Open(icmp.Config{Dst: netip.MustParseAddr("10.77.0.2")})
		errc <- err
	}()
	if err := <-errc; err != nil {
		t.Fatalf("Open in namespace a = %v", err)
	}
	defer p.Close()
	var rep icmp.Reply
	echo(t, p, 1, &rep)
	if rep.Kind != icmp.KindEchoReply || rep.Seq != 1 {
		t.Errorf("reply = %+v, want echo reply seq 1", rep)
	}
}

// TestIntegrationErrors checks ICMP errors from the error queue (TTL 1
// through a router), the no-route failure at Open, and a deadline.
func TestIntegrationErrors(t *testing.T) {
	sandbox.Require(t)
	ns := pair(t)
	for _, l := range []string{
		"ip netns add c",
		"ip -n b link add vc type veth peer name vd netns c",
		"ip -n b addr add 10.78.0.1/24 dev vc", "ip -n b link set vc up",
		"ip -n c addr add 10.78.0.2/24 dev vd", "ip -n c link set vd up",
		"ip -n c route add default via 10.78.0.1",
		"ip -n a route add 10.78.0.0/24 via 10.77.0.2",
		"ip netns exec b sysctl -qw net.ipv4.ip_forward=1",
		"ip netns exec b sysctl -qw net.ipv4.icmp_ratelimit=0",
	} {
		sh(t, l)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", "c").Run() })

	p, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr("10.78.0.2"), TTL: 1, NetNS: ns})
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	defer p.Close()
	var rep icmp.Reply
	echo(t, p, 7, &rep)
	if rep.Kind != icmp.KindICMPError || rep.Type != 11 || rep.Code != 0 || rep.Seq != 7 ||
		rep.From != netip.MustParseAddr("10.77.0.2") {
		t.Errorf("reply = %+v, want time exceeded for seq 7 from 10.77.0.2", rep)
	}

	_, err = icmp.Open(icmp.Config{Dst: netip.MustParseAddr("192.0.2.1"), NetNS: ns})
	if !errors.Is(err, unix.ENETUNREACH) {
		t.Errorf("Open(no route) = %v, want ENETUNREACH", err)
	}

	sh(t, "ip netns exec b sysctl -qw net.ipv4.icmp_echo_ignore_all=1")
	p2, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr("10.77.0.2"), NetNS: ns})
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	p2.Send(1)
	p2.SetDeadline(time.Now().Add(100 * time.Millisecond))
	if err := p2.Receive(&rep); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Receive with peer ignoring echoes = %v, want deadline exceeded", err)
	}
}

// BenchmarkIntegrationRoundTrip measures one echo over veth between two
// namespaces, send to receive.
func BenchmarkIntegrationRoundTrip(b *testing.B) {
	sandbox.Require(b)
	ns := pair(b)
	for _, dst := range []string{"10.77.0.2", "fd77::2"} {
		b.Run(dst, func(b *testing.B) {
			p, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr(dst), NetNS: ns})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			var rep icmp.Reply
			var rtt time.Duration
			// The first echo over a fresh veth waits for neighbour
			// resolution (about 1 s for IPv6, whose first solicitation
			// goes out before the link is ready); keep it out of the
			// measurement.
			echo(b, p, 0, &rep)
			b.ReportAllocs()
			seq := uint16(0)
			for b.Loop() {
				seq++
				echo(b, p, seq, &rep)
				rtt += rep.RTT
			}
			b.ReportMetric(float64(rtt.Nanoseconds())/float64(b.N)/1000, "kernel-rtt-µs")
		})
	}
}

// TestIntegrationTTLZero asks for a TTL of 0 (iputils' -t 0): the kernel
// refuses it for IPv4 (a *TTLError for the unicast TTL, EINVAL, after the
// multicast one was taken, and no descriptor is left open), and takes a
// hop limit of 0 for IPv6, whose echo is still answered by the neighbour.
func TestIntegrationTTLZero(t *testing.T) {
	sandbox.Require(t)
	ns := pair(t)
	fds, _ := os.ReadDir("/proc/self/fd")
	_, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr("10.77.0.2"), NetNS: ns, SetTTL: true})
	var te *icmp.TTLError
	if !errors.As(err, &te) || te.Multicast || te.IPv6 || !errors.Is(err, unix.EINVAL) {
		t.Errorf("Open with IPv4 TTL 0 = %v, want a unicast *TTLError with EINVAL", err)
	}
	if after, _ := os.ReadDir("/proc/self/fd"); len(after) != len(fds) {
		t.Errorf("open fds: %d before, %d after a failed Open", len(fds), len(after))
	}
	p, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr("fd77::2"), NetNS: ns, SetTTL: true})
	if err != nil {
		t.Fatalf("Open with IPv6 hop limit 0 = %v", err)
	}
	defer p.Close()
	var rep icmp.Reply
	echo(t, p, 1, &rep)
	if rep.Kind != icmp.KindEchoReply || rep.Seq != 1 || rep.From != netip.MustParseAddr("fd77::2") {
		t.Errorf("reply to a hop limit 0 echo = %+v", rep)
	}
}
