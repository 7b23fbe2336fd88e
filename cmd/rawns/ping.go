package main

import (
	"bufio"
	"io"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// pingOpts are ping's options, parsed the way iputils' getopt loop does.
type pingOpts struct {
	count            int64         // -c; 0 = unlimited
	interval         time.Duration // -i
	intervalSet      bool
	linger           time.Duration // -W; 0 = infinite
	deadline         time.Duration // -w; 0 = none
	size             int           // -s
	ttl              int           // -t; 0 = default
	iface            string        // -I device
	src              netip.Addr    // -I address
	quiet, numeric   bool          // -q, -n
	flood, timestamp bool          // -f, -D
	preload          int           // -l
	pattern          []byte        // -p
	family           int           // 4, 6 or 0
	target           string
}

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
// optstring "c:i:W:w:s:t:I:qnfl:p:D46".
func parsePingArgs(args []string) (*pingOpts, error) {
	o := &pingOpts{size: 56, interval: time.Second, linger: 10 * time.Second}
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
				return nil, &pingErr{"ping: invalid option -- '" + string(c) + "'" + pingUsage, 2}
			}
			v := a[j+1:]
			if v == "" {
				if i+1 >= len(args) {
					return nil, &pingErr{"ping: option requires an argument -- '" + string(c) + "'" + pingUsage, 2}
				}
				i++
				v = args[i]
			}
			if err := o.set(c, v); err != nil {
				return nil, err
			}
			break
		}
	}
	if len(operands) == 0 {
		return nil, &pingErr{"ping: usage error: Destination address required", 1}
	}
	o.target = operands[len(operands)-1]
	if o.flood {
		o.numeric = true
		if !o.intervalSet {
			o.interval = 0
		}
	}
	return o, nil
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
		return err
	case 's':
		n, err := pingInt(v, 0, 65507)
		o.size = int(n)
		return err
	case 't':
		n, err := pingInt(v, 0, 255)
		o.ttl = int(n)
		return err
	case 'i':
		d, ok := pingSeconds(v)
		if !ok || d < 0 {
			return &pingErr{"ping: bad timing interval: " + v, 2}
		}
		o.interval, o.intervalSet = d, true
	case 'W':
		d, ok := pingSeconds(v)
		if !ok || d < 0 || d > math.MaxInt32*time.Second {
			return &pingErr{"ping: bad linger time: " + v, 2}
		}
		o.linger = d
	case 'w':
		d, ok := pingSeconds(v)
		if !ok || d < 0 || d > math.MaxInt32*time.Second {
			return &pingErr{"ping: bad wait time: " + v, 2}
		}
		o.deadline = d
	case 'I':
		if a, err := netip.ParseAddr(v); err == nil {
			o.src = a
		} else {
			o.iface = v
		}
	case 'p':
		p, err := pingPattern(v)
		if err != nil {
			return err
		}
		o.pattern = p
	}
	return nil
}

// pingInt parses a decimal integer in [lo, hi] with iputils' wording.
func pingInt(v string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, &pingErr{"ping: invalid argument: '" + v + "'", 1}
	}
	if n < lo || n > hi {
		return 0, &pingErr{"ping: invalid argument: '" + v + "': out of range: " +
			strconv.FormatInt(lo, 10) + " <= value <= " + strconv.FormatInt(hi, 10), 1}
	}
	return n, nil
}

// pingSeconds parses seconds as a float, to ms resolution as iputils does.
func pingSeconds(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > math.MaxInt32 {
		return 0, false
	}
	return time.Duration(f*1000) * time.Millisecond, true
}

// pingPattern parses -p as iputils' fill does: every character must be a
// hex digit; up to 16 bytes are read, two digits each (the last may have
// one).
func pingPattern(v string) ([]byte, error) {
	for i := 0; i < len(v); i++ {
		if !isHexDigit(v[i]) {
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

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
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

// pingMain is ping (iputils 20221126 behaviour) for the arguments after the
// program name. It returns the exit status: 0 when replies came, 1 when
// none did (or fewer than -c within -w), 2 on other errors.
func pingMain(args []string, stdout, stderr io.Writer) int {
	o, err := parsePingArgs(args)
	if err != nil {
		e := err.(*pingErr)
		io.WriteString(stderr, e.msg+"\n")
		return e.code
	}
	if len(o.pattern) > 0 && !o.quiet {
		// iputils prints it while filling the packet, before anything
		// else can fail.
		stdout.Write(appendPattern(nil, o.pattern))
	}
	dst, err := netip.ParseAddr(o.target)
	if err != nil || dst.Zone() != "" && dst.Is4() {
		io.WriteString(stderr, "ping: "+o.target+": Name or service not known\n")
		return 2
	}
	dst = dst.Unmap()
	if (o.family == 4 && dst.Is6()) || (o.family == 6 && dst.Is4()) {
		io.WriteString(stderr, "ping: "+o.target+": Address family for hostname not supported\n")
		return 2
	}
	w, ok := stdout.(*bufio.Writer)
	if !ok {
		w = bufio.NewWriterSize(stdout, 16<<10)
	}
	defer w.Flush()
	r := newPingRun(o, dst, w, stderr)
	return r.run()
}

// pingStrerror returns errno text the way glibc's strerror spells it: Go's
// text with its first letter capitalized.
func pingStrerror(err error) string {
	var s string
	if se, ok := err.(*os.SyscallError); ok {
		s = se.Err.Error()
	} else {
		s = err.Error()
	}
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
