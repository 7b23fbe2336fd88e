package lab

import "strings"

// A Step is one command of the lab and what its output must show.
type Step struct {
	// Args is the command line, split on spaces as a shell would.
	Args []string
	// Note says why the step differs from the tutorial, or is "".
	Note string
	// Want are regular expressions that lines of the output must match,
	// one line each, in this order.
	Want []string
	// Absent are regular expressions no line of the output may match.
	Absent []string
	// WaitUp names a link of the runner's network namespace that must be
	// operationally up before the step runs. The kernel sets a veth's
	// operstate, and starts its queue, from its linkwatch work up to a
	// second after the carrier comes; a person typing the tutorial never
	// notices, a script does (the first ping would be dropped).
	WaitUp string
}

// Command returns the command line as typed.
func (s Step) Command() string { return strings.Join(s.Args, " ") }

// Line patterns that recur in Steps.
const (
	loDown     = `^1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000$`
	loUp       = `^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000$`
	loopback   = `^    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00$`
	ether      = `^    link/ether [0-9a-f]{2}(:[0-9a-f]{2}){5} brd ff:ff:ff:ff:ff:ff`
	etherNetns = ether + ` link-netns test1$`
	etherNsid  = ether + ` link-netnsid 0$`
	// A veth's state word depends on when linkwatch ran; the flags do not.
	linkTail = ` mtu 1500 qdisc \S+ state [A-Z]+ mode DEFAULT group default qlen 1000$`
)

// Steps returns the lab, in order.
func Steps() []Step {
	return []Step{
		{Args: words("ip netns add test1")},
		{Args: words("ip netns list"), Want: []string{`^test1( \(id: \d+\))?$`}},
		{Args: words("ip netns delete test1")},
		{Args: words("ip netns list"), Absent: []string{`test1`}},
		{Args: words("ip netns add test1"), Note: "the tutorial deleted test1 and goes on using it: add it again"},
		{Args: words("ip netns exec test1 ip a"), Want: []string{
			`^1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000$`, loopback}},
		{Args: words("ip netns exec test1 ip link"), Want: []string{loDown, loopback}},
		{Args: words("ip netns exec test1 ip link set dev lo up")},
		{Args: words("ip netns exec test1 ip link"), Want: []string{loUp, loopback}},
		{Args: words("ip link add veth-a type veth peer name veth-b")},
		{Args: words("ip link"), Want: []string{loDown, loopback,
			`^\d+: veth-b@veth-a: <BROADCAST,MULTICAST,M-DOWN>` + linkTail, ether + `$`,
			`^\d+: veth-a@veth-b: <BROADCAST,MULTICAST,M-DOWN>` + linkTail, ether + `$`}},
		{Args: words("ip link set veth-b netns test1")},
		{Args: words("ip link"), Want: []string{loDown,
			`^\d+: veth-a@if\d+: <BROADCAST,MULTICAST>` + linkTail, etherNetns},
			Absent: []string{`veth-b`}},
		{Args: words("ip netns exec test1 ip link"), Want: []string{loUp,
			`^\d+: veth-b@if\d+: <BROADCAST,MULTICAST>` + linkTail, etherNsid},
			Absent: []string{`veth-a`}},
		{Args: words("ip addr add 192.168.1.1/24 dev veth-a")},
		{Args: words("ip link set veth-a up")},
		{Args: words("ip link"), Want: []string{
			`^\d+: veth-a@if\d+: <NO-CARRIER,BROADCAST,MULTICAST,UP>` + linkTail, etherNetns}},
		{Args: words("ip netns exec test1 ip addr add 192.168.1.2/24 dev veth-b")},
		{Args: words("ip netns exec test1 ip link set dev veth-b up")},
		{Args: words("ip link"), Want: []string{
			`^\d+: veth-a@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP>` + linkTail, etherNetns}},
		{Args: words("ip netns exec test1 ip link"), Want: []string{loUp,
			`^\d+: veth-b@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP>` + linkTail, etherNsid}},
		{Args: words("ping -c 3 192.168.1.2"), Note: "the tutorial's ping ran until ^C after 3 replies",
			WaitUp: "veth-a", Want: []string{
				`^PING 192\.168\.1\.2 \(192\.168\.1\.2\) 56\(84\) bytes of data\.$`,
				`^64 bytes from 192\.168\.1\.2: icmp_seq=1 ttl=64 time=[0-9.]+ ms$`,
				`^64 bytes from 192\.168\.1\.2: icmp_seq=2 ttl=64 time=[0-9.]+ ms$`,
				`^64 bytes from 192\.168\.1\.2: icmp_seq=3 ttl=64 time=[0-9.]+ ms$`,
				`^--- 192\.168\.1\.2 ping statistics ---$`,
				`^3 packets transmitted, 3 received, 0% packet loss, time \d+ms$`,
				`^rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$`}},
		{Args: words("ip netns list"), Note: "not in the tutorial: test1 now has an nsid",
			Want: []string{`^test1 \(id: 0\)$`}},
		{Args: words("ip a"), Note: "not in the tutorial: show the address set on veth-a", Want: []string{
			`^1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN group default qlen 1000$`,
			`^\d+: veth-a@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc \S+ state UP group default qlen 1000$`,
			etherNetns,
			`^    inet 192\.168\.1\.1/24 scope global veth-a$`,
			`^       valid_lft forever preferred_lft forever$`}},
		{Args: words("ip netns exec test1 ip a"), Note: "not in the tutorial: show the address set on veth-b", Want: []string{
			`^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000$`,
			`^    inet 127\.0\.0\.1/8 scope host lo$`,
			`^\d+: veth-b@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc \S+ state UP group default qlen 1000$`,
			etherNsid,
			`^    inet 192\.168\.1\.2/24 scope global veth-b$`}},
	}
}

// words splits a command line on spaces.
func words(s string) []string { return strings.Fields(s) }
