// Package ping is rawns's ping applet: iputils 20221126's ping for one
// target, over ICMP datagram sockets (or raw ones when privileged) from the
// icmp package, with iputils' options, messages, output and exit statuses.
// Main is its entry point.
package ping

import (
	"bufio"
	"errors"
	"io"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
	"github.com/rawns/rawns/icmp"
	"github.com/rawns/rawns/internal/ipmsg"
	"golang.org/x/sys/unix"
)

// pingOpts are ping's options, parsed the way iputils' getopt loop does.
type pingOpts struct {
	count            int64         // -c; 0 = unlimited
	interval         time.Duration // -i
	intervalSet      bool
	linger           time.Duration // -W; 0 = infinite
	deadline         time.Duration // -w; 0 = none
	size             int           // -s
	ttl              int           // -t
	ttlSet           bool          // -t given (even -t 0)
	iface            string        // -I device (may be "")
	ifaceSet         bool          // -I named a device, even ""
	src              netip.Addr    // -I address
	strictSource     bool          // -I named an address (opt_strictsource), even of the other family
	quiet, numeric   bool          // -q, -n
	flood, timestamp bool          // -f, -D
	preload          int           // -l
	pattern          []byte        // -p, parsed once the options are
	patternText      string        // the last -p, read after all options
	patternSet       bool          // -p given, even ""
	warnings         []string      // ping_strtod's complaints, printed first
	family           int           // 4, 6 or 0
	target           string
	hops             []string // operands before the target (-R route hops)
	// user is iputils' rts.uid != 0: the real user is not root. Such a
	// user may not preload more than 3 probes, send more often than every
	// 2 ms, or ping a multicast address more often than every second,
	// whatever capabilities the binary was installed with.
	user bool
}

// minUserInterval is iputils' MINUSERINTERVAL: the shortest interval (ms)
// allowed to a user other than root.
const minUserInterval = 2

// pingUsage is the error for a bad command line (exit 2).
const pingUsage = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -c <count>         stop after <count> replies
  -D                 print timestamps
  -f                 flood ping
  -i <interval>      seconds between sending each packet
  -I <interface>     either interface name or address
  -l <preload>       send <preload> number of packages while waiting replies
  -n                 no dns name resolution
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -s <size>          use <size> as number of data bytes to be sent
  -t <ttl>           define time to live
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4

IPv6 options:
  -6                 use IPv6
`

// pingErr is a message for stderr and the exit status to go with it.
type pingErr struct {
	msg  string
	code int
}

func (e *pingErr) Error() string { return e.msg }

// parsePingArgs parses args (without the program name) like getopt with
// optstring "c:i:W:w:s:t:I:qnfl:p:D46". user tells whether the real user
// is not root (see pingOpts.user).
func parsePingArgs(args []string, user bool) (*pingOpts, error) {
	o := &pingOpts{size: 56, interval: time.Second, linger: 10 * time.Second, user: user}
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			operands = append(operands, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'q':
				o.quiet = true
				continue
			case 'n':
				o.numeric = true
				continue
			case 'f':
				o.flood = true
				continue
			case 'D':
				o.timestamp = true
				continue
			case '4', '6':
				if o.family != 0 && o.family != int(c-'0') {
					return nil, &pingErr{"ping: only one -4 or -6 option may be specified", 2}
				}
				o.family = int(c - '0')
				continue
			case 'c', 'i', 'W', 'w', 's', 't', 'I', 'l', 'p':
			default:
				return nil, &pingErr{"ping: invalid option -- '" + string(c) + "'\n" + pingUsage, 2}
			}
			v := a[j+1:]
			if v == "" {
				if i+1 >= len(args) {
					return nil, &pingErr{"ping: option requires an argument -- '" + string(c) + "'\n" + pingUsage, 2}
				}
				i++
				v = args[i]
			}
			if err := o.set(c, v); err != nil {
				return o, err // o carries the warnings printed before err
			}
			break
		}
	}
	if len(operands) == 0 {
		return nil, &pingErr{"ping: usage error: Destination address required", 1}
	}
	o.target = operands[len(operands)-1]
	o.hops = operands[:len(operands)-1]
	if o.flood {
		o.numeric = true
		if !o.intervalSet {
			o.interval = 0
		}
	}
	return o, o.readPattern()
}

// readPattern reads the last -p as iputils does only now, after every
// other option and the destination check (its fill, before any lookup).
func (o *pingOpts) readPattern() error {
	if !o.patternSet {
		return nil
	}
	p, err := pingPattern(o.patternText)
	o.pattern = p
	return err
}

// set applies option c with value v.
func (o *pingOpts) set(c byte, v string) error {
	switch c {
	case 'c':
		n, err := pingInt(v, 1, math.MaxInt64)
		o.count = n
		return err
	case 'l':
		n, err := pingInt(v, 1, 65536)
		o.preload = int(n)
		if err == nil && o.user && n > 3 {
			return &pingErr{"ping: cannot set preload to value greater than 3: " + strconv.FormatInt(n, 10), 2}
		}
		return err
	case 's':
		n, err := pingInt(v, 0, math.MaxInt32)
		o.size = int(n)
		return err
	case 't':
		n, err := pingInt(v, 0, 255)
		o.ttl, o.ttlSet = int(n), true
		return err
	case 'i':
		f, err := o.strtod(v, "bad timing interval")
		if err != nil {
			return err
		}
		if f > math.MaxInt32/1000 {
			return &pingErr{"ping: bad timing interval: " + v, 2}
		}
		// 20221126 accepts a negative interval (iputils#465).
		o.interval, o.intervalSet = time.Duration(int64(f*1000))*time.Millisecond, true
	case 'W':
		f, err := o.strtod(v, "bad linger time")
		if err != nil {
			return err
		}
		if f < 0 || f > math.MaxInt32/1000 {
			return &pingErr{"ping: bad linger time: " + v, 2}
		}
		o.linger = time.Duration(int64(f*1000)) * time.Millisecond
	case 'w':
		n, err := pingInt(v, 0, math.MaxInt32)
		o.deadline = time.Duration(n) * time.Second
		return err
	case 'I':
		return o.setInterface(v)
	case 'p':
		o.patternText, o.patternSet = v, true
	}
	return nil
}

// setInterface applies -I as iputils does: with a ':' it is an IPv6
// source address, optionally with "%device"; else an IPv4 address (as
// inet_pton reads it) or a device name, "" included.
func (o *pingOpts) setInterface(v string) error {
	if strings.Contains(v, ":") {
		a, dev, ok := strings.Cut(v, "%")
		addr, err := netip.ParseAddr(a)
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return &pingErr{"ping: invalid source address: " + v, 2}
		}
		o.src, o.strictSource = addr, true
		if ok {
			o.iface, o.ifaceSet = dev, true
		}
		return nil
	}
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		o.src, o.strictSource = a, true
		return nil
	}
	o.iface, o.ifaceSet = v, true
	return nil
}

// pingInt parses a decimal integer in [lo, hi] as iputils' strtol_or_err:
// leading white space and a sign are allowed, nothing after the digits;
// errors exit 1.
func pingInt(v string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimLeft(v, " \t\n\v\f\r"), 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, &pingErr{"ping: invalid argument: '" + v + "': Numerical result out of range", 1}
	}
	if err != nil || v == "" {
		return 0, &pingErr{"ping: invalid argument: '" + v + "'", 1}
	}
	if n < lo || n > hi {
		return 0, &pingErr{"ping: invalid argument: '" + v + "': out of range: " +
			strconv.FormatInt(lo, 10) + " <= value <= " + strconv.FormatInt(hi, 10), 1}
	}
	return n, nil
}

// strtod parses a number of seconds as iputils' ping_strtod: the longest
// prefix that is a number counts, trailing garbage only draws a warning
// (kept in o.warnings), and an infinite, not-a-number or denormal value is
// an error (exit 2).
func (o *pingOpts) strtod(v, what string) (float64, error) {
	if v == "" {
		return 0, &pingErr{"ping: " + what + ": ", 2}
	}
	t := strings.TrimLeft(v, " \t\n\v\f\r")
	var f float64
	end, rangeErr := len(v), false
	for n := len(t); n >= 0; n-- {
		if n == 0 {
			end = 0 // strtod's end == str: no number at all
			break
		}
		g, err := strconv.ParseFloat(t[:n], 64)
		if err == nil || errors.Is(err, strconv.ErrRange) {
			f, rangeErr = g, err != nil
			end = len(v) - len(t) + n
			break
		}
	}
	if rangeErr || end < len(v) {
		rest := v[end:]
		if rangeErr {
			rest = ""
		}
		o.warnings = append(o.warnings, "ping: option argument contains garbage: "+rest,
			"ping: this will become fatal error in the future")
	}
	if math.IsInf(f, 0) || math.IsNaN(f) || (f != 0 && math.Abs(f) < 0x1p-1022) {
		return 0, &pingErr{"ping: " + what + ": " + v + ": Numerical result out of range", 2}
	}
	return f, nil
}

// pingPattern parses -p as iputils' fill does: every character must be a
// hex digit; up to 16 bytes are read, two digits each (the last may have
// one).
func pingPattern(v string) ([]byte, error) {
	for i := 0; i < len(v); i++ {
		if strings.IndexByte("0123456789abcdefABCDEF", v[i]) < 0 { // isxdigit
			return nil, &pingErr{"ping: patterns must be specified as hex digits: " + v[i:], 2}
		}
	}
	var p []byte
	for i := 0; i < len(v) && len(p) < 16; i += 2 {
		n, _ := strconv.ParseUint(v[i:min(i+2, len(v))], 16, 8)
		p = append(p, byte(n))
	}
	return p, nil
}

// fill returns the pattern the payload is filled with: -p's, or nil for
// iputils' default (byte i holds i). An empty -p fills nothing in iputils,
// which leaves its freshly allocated buffer as it is: zeros.
func (o *pingOpts) fill() []byte {
	if o.patternSet && len(o.pattern) == 0 {
		return []byte{0}
	}
	return o.pattern
}

// appendPattern appends iputils' "PATTERN: 0x..." line for -p.
func appendPattern(b, p []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, "PATTERN: 0x"...)
	for _, c := range p {
		b = append(b, hex[c>>4], hex[c&15])
	}
	return append(b, '\n')
}

// Main is ping (iputils 20221126 behaviour) for the arguments after the
// program name. It returns the exit status: 0 when replies came, 1 when
// none did (or fewer than -c within -w), 2 on other errors.
func Main(args []string, stdout, stderr io.Writer) int {
	socks, err := dropPrivileges()
	if err != nil {
		io.WriteString(stderr, "ping: "+err.Error()+"\n")
		return 2
	}
	defer socks.close()
	o, err := parsePingArgs(args, os.Getuid() != 0)
	if o != nil {
		for _, w := range o.warnings {
			io.WriteString(stderr, w+"\n")
		}
	}
	if err != nil {
		e := err.(*pingErr)
		io.WriteString(stderr, e.msg+"\n")
		return e.code
	}
	if o.patternSet && !o.quiet {
		// iputils prints it while filling the packet, before anything
		// else can fail.
		stdout.Write(appendPattern(nil, o.pattern))
	}
	if o.family != 4 && !strings.Contains(o.target, "%") && icmp.DatagramAllowed(true) {
		if a, err := netip.ParseAddr(o.target); err == nil && a.Is6() && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
			io.WriteString(stderr, "ping: Warning: IPv6 link-local address on ICMP datagram socket may "+
				"require ifname or scope-id => use: address%<ifname|scope-id>\n")
		}
	}
	hosts := readHosts()
	h, err := resolvePing(o.target, o.family, hosts)
	if err != nil {
		io.WriteString(stderr, err.Error()+"\n")
		return 2
	}
	if err := checkHops(o, h, hosts); err != nil {
		io.WriteString(stderr, err.Error()+"\n")
		return err.(*pingErr).code
	}
	o.numeric = o.numeric || h.numeric
	o.fitSource(h.addr)
	var index uint32
	if h.addr.Is6() && o.ifaceSet && (!o.src.IsValid() || o.src.IsLinkLocalUnicast()) {
		// ping6_run's if_name2index.
		if index, err = ifreq.NameToIndex(o.iface); err != nil {
			io.WriteString(stderr, "ping: unknown iface: "+o.iface+"\n")
			return 2
		}
	}
	w, ok := stdout.(*bufio.Writer)
	if !ok {
		w = bufio.NewWriterSize(stdout, 16<<10)
	}
	defer w.Flush()
	r := newPingRun(o, h, w, stderr)
	r.hosts, r.index = hosts, index
	r.rawFD = socks.rawFD(r.dst.Is6())
	return r.run()
}

// fitSource drops a -I address of the other family than dst's: iputils
// keeps an IPv4 and an IPv6 source apart and uses the one of the
// destination's family (IPv4-mapped is IPv6).
func (o *pingOpts) fitSource(dst netip.Addr) {
	if o.src.IsValid() && o.src.Is4() != dst.Is4() {
		o.src = netip.Addr{}
	}
}

// checkHops refuses operands before the destination as iputils does:
// ping6_run takes none, ping4_run at most nine, each an IPv4 address or
// name (the hops of a loose source route). rawns sends no source route, so
// valid hops are refused as a limit of rawns.
func checkHops(o *pingOpts, h pingHost, hosts []hostsEntry) error {
	if len(o.hops) == 0 {
		return nil
	}
	if h.addr.Is6() || len(o.hops) > 9 {
		return &pingErr{pingUsage, 2} // iputils' usage()
	}
	for _, hop := range o.hops {
		if _, err := resolvePing(hop, 4, hosts); err != nil {
			return err
		}
	}
	return &pingErr{"ping: source routing (several destinations) is not supported by rawns", 2}
}

// pingStrerror returns the text iputils prints for err: strerror for an
// errno (bare or in an *os.SyscallError), else err's text capitalised.
func pingStrerror(err error) string {
	if se, ok := err.(*os.SyscallError); ok {
		err = se.Err
	}
	if errno, ok := err.(unix.Errno); ok {
		return ipmsg.Strerror(errno)
	}
	return ipmsg.Capitalize(err.Error())
}
