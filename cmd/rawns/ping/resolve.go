package ping

import (
	"bufio"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
	"golang.org/x/sys/unix"
)

// pingHost is the destination iputils makes of the operand: getaddrinfo's
// first answer of the family asked for.
type pingHost struct {
	addr netip.Addr // an IPv6 scope is a decimal zone (fe80::1%3)
	// name is iputils' rts->hostname, shown in the header and summary:
	// the operand, or for an IPv4 name the canonical name.
	name string
	// numeric is iputils' opt_numeric for a numeric operand (an IPv4
	// address as inet_aton reads it, or anything with a ':'): no reverse
	// lookups in the output.
	numeric bool
}

// hostsEntry is a line of /etc/hosts: an address and its names, the
// canonical one first.
type hostsEntry struct {
	addr  netip.Addr
	names []string
}

// Resolver errors, in glibc's gai_strerror wording.
const (
	eaiNoName     = "Name or service not known"
	eaiAddrFamily = "Address family for hostname not supported"
)

// resolvePing resolves target as iputils' ping does with getaddrinfo
// (AF_UNSPEC, then the answers of the family asked for by -4 or -6, 0 for
// any), without DNS and without cgo: an IPv4 address in any form inet_aton
// reads exactly (127.1, 0x7f000001, 2130706433), an IPv6 address with an
// optional %ifname or %index scope, or a name from hosts.
func resolvePing(target string, family int, hosts []hostsEntry) (pingHost, error) {
	fail := func(why string) (pingHost, error) {
		return pingHost{}, &pingErr{"ping: " + target + ": " + why, 2}
	}
	var cands []netip.Addr
	canon := ""
	if a, ok := inetAton(target); ok {
		cands = []netip.Addr{a}
	} else if a, ok := parseScoped(target); ok {
		cands = []netip.Addr{a}
	} else {
		for _, e := range hosts {
			for _, n := range e.names {
				if strings.EqualFold(n, target) {
					if len(cands) == 0 {
						canon = e.names[0]
					}
					cands = append(cands, e.addr)
					break
				}
			}
		}
		cands = sortAddrs(cands)
	}
	if len(cands) == 0 {
		return fail(eaiNoName)
	}
	for i, a := range cands {
		if family == 4 && !a.Is4() || family == 6 && !a.Is6() {
			continue
		}
		h := pingHost{addr: a, name: target, numeric: strings.Contains(target, ":")}
		if a.Is4() {
			if _, ok := inetAton(target); ok {
				h.numeric = true
			} else if h.name = ""; i == 0 {
				// glibc puts the canonical name on the first answer
				// only: iputils shows "" when -4 skipped an IPv6 one.
				h.name = canon
			}
		}
		return h, nil
	}
	return fail(eaiAddrFamily)
}

// inetAton parses s as glibc's inet_aton with nothing after it: one to
// four parts separated by dots, each decimal, octal (leading 0) or hex
// (0x), the last filling the remaining bytes.
func inetAton(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var v [4]uint64
	for i, p := range parts {
		if p == "" || p[0] < '0' || p[0] > '9' {
			return netip.Addr{}, false
		}
		base, digits := 10, p
		if len(p) > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') {
			base, digits = 16, p[2:]
		} else if len(p) > 1 && p[0] == '0' {
			base, digits = 8, p[1:]
		}
		n, err := strconv.ParseUint(digits, base, 32) // "0x" alone fails, as in strtoul
		if err != nil {
			return netip.Addr{}, false
		}
		v[i] = n
	}
	last := len(parts) - 1
	if v[last] > 0xffffffff>>(8*last) {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i := 0; i < last; i++ {
		if v[i] > 0xff {
			return netip.Addr{}, false
		}
		b[i] = byte(v[i])
	}
	for i := 3; i >= last; i-- {
		b[i] = byte(v[last] >> (8 * (3 - i)))
	}
	return netip.AddrFrom4(b), true
}

// parseScoped parses an IPv6 address with an optional scope as glibc's
// getaddrinfo does: after '%', an interface name (for a link-local or
// interface-local address) or a decimal index. The scope becomes a decimal
// zone.
func parseScoped(s string) (netip.Addr, bool) {
	a, scope, hasScope := strings.Cut(s, "%")
	addr, err := netip.ParseAddr(a)
	if err != nil || !addr.Is6() || addr.Zone() != "" {
		return netip.Addr{}, false
	}
	if !hasScope {
		return addr, true
	}
	if addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() || addr.IsInterfaceLocalMulticast() {
		if i, err := ifreq.NameToIndex(scope); err == nil {
			return addr.WithZone(strconv.FormatUint(uint64(i), 10)), true
		}
	}
	if scope == "" || scope[0] < '0' || scope[0] > '9' {
		return netip.Addr{}, false
	}
	n, err := strconv.ParseUint(scope, 10, 32)
	if err != nil {
		return netip.Addr{}, false
	}
	if n == 0 {
		return addr, true
	}
	return addr.WithZone(strconv.FormatUint(n, 10)), true
}

// sortAddrs orders a name's addresses as glibc's getaddrinfo does, by the
// rules of RFC 3484 that tell them apart in a hosts file: usable ones
// (those the kernel has a route for) first, then by precedence (glibc's
// default table: ::1 50, other IPv6 40, IPv4 10), keeping the file's
// order otherwise.
func sortAddrs(as []netip.Addr) []netip.Addr {
	type ranked struct {
		a          netip.Addr
		usable     bool
		precedence int
	}
	rs := make([]ranked, len(as))
	for i, a := range as {
		p := 10
		if a.Is6() && !a.Is4In6() {
			p = 40
			if a == netip.IPv6Loopback() {
				p = 50
			}
		}
		rs[i] = ranked{a, routable(a), p}
	}
	out := as[:0]
	for _, usable := range []bool{true, false} {
		for _, p := range []int{50, 40, 10} {
			for _, r := range rs {
				if r.usable == usable && r.precedence == p {
					out = append(out, r.a)
				}
			}
		}
	}
	return out
}

// routable reports whether a UDP socket can be connected to a: whether
// the kernel has a route (glibc's test for a usable destination).
func routable(a netip.Addr) bool {
	domain := unix.AF_INET6
	var sa unix.Sockaddr = &unix.SockaddrInet6{Addr: a.As16()}
	if a.Is4() {
		domain, sa = unix.AF_INET, &unix.SockaddrInet4{Addr: a.As4()}
	}
	fd, err := unix.Socket(domain, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return unix.Connect(fd, sa) == nil
}

// readHosts reads /etc/hosts as glibc's files backend does: '#' starts a
// comment, a line is an address and its names, lines whose address does
// not parse are skipped. A missing file is an empty one.
func readHosts() []hostsEntry {
	f, err := os.Open("/etc/hosts")
	if err != nil {
		return nil
	}
	defer f.Close()
	var hs []hostsEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fs := strings.Fields(line)
		if len(fs) < 2 {
			continue
		}
		a, err := netip.ParseAddr(fs[0])
		if err != nil || a.Zone() != "" {
			continue
		}
		hs = append(hs, hostsEntry{a, fs[1:]})
	}
	return hs
}

// hostsName returns the canonical name of the first hosts line with
// address a (gethostbyaddr from files), or "".
func hostsName(hosts []hostsEntry, a netip.Addr) string {
	for _, e := range hosts {
		if e.addr == a {
			return e.names[0]
		}
	}
	return ""
}
