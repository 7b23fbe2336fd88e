package icmp

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Config describes a Prober. The zero value of each field means the
// default stated on it.
type Config struct {
	// Dst is the address to probe; its family selects ICMP or ICMPv6.
	// An IPv4-mapped IPv6 address is probed over ICMPv6, as iputils does
	// (Linux answers no such echo). An IPv6 address may
	// carry a scope as a decimal zone, the interface index (fe80::1%3);
	// other zones are refused.
	Dst netip.Addr
	// Src, when valid, is bound as the source address; it may carry a
	// scope as Dst does. When it is (and is not the unspecified address),
	// Open makes no probe connect (see Open).
	Src netip.Addr
	// BindSource, without Src, binds the socket to the source address
	// that the probe found, as iputils does when its -I address is of the
	// other family than Dst's.
	BindSource bool
	// Device, when set, binds the socket to that interface
	// (SO_BINDTODEVICE).
	Device string
	// Size is the number of payload bytes after the 8-byte echo header
	// (iputils' -s). Zero means 56; use a negative value for none.
	Size int
	// Pattern fills the payload (iputils' -p); empty means byte i = i.
	Pattern []byte
	// TTL sets the unicast and multicast TTL (hop limit); 0 keeps the
	// kernel's default unless SetTTL is true.
	TTL int
	// SetTTL sets TTL even when it is 0, as iputils' -t 0 does: the kernel
	// refuses an IPv4 TTL of 0 (a *TTLError) but takes a hop limit of 0.
	SetTTL bool
	// RcvBuf, when positive, is the receive buffer size to ask for
	// (SO_RCVBUF: the kernel caps the request at net.core.rmem_max and
	// doubles it); zero keeps the kernel's default. See Prober.RcvBuf.
	RcvBuf int
	// Raw forces a raw socket even where a datagram socket is allowed.
	Raw bool
	// ID is the echo identifier on a raw socket; 0 means the low 16 bits
	// of the process ID. A datagram socket always uses the port the kernel
	// assigns.
	ID uint16
	// RawFD, when positive, is a raw socket of Dst's family (ICMP or
	// ICMPv6) that the caller opened while it still had CAP_NET_RAW (a
	// setuid or file-capability program that has since dropped it). Open
	// uses a duplicate of it wherever it would create a raw socket; the
	// caller keeps RawFD and closes it.
	RawFD int
	// NetNS, when non-zero, is a file descriptor of a network namespace in
	// which the sockets are created. Zero means the namespace of the
	// calling thread (which may have been switched with setns(2) by a
	// goroutine that locked its thread).
	NetNS int
}

// A Prober sends ICMP echo requests to one destination and receives the
// replies and errors meant for them. Send and the receive methods may be
// called from different goroutines, but none concurrently with itself; Wake
// and SetDeadline may be called from any goroutine.
type Prober struct {
	fd      int // the ICMP socket, non-blocking, not in the Go netpoller
	wake    int // an eventfd that interrupts Poll
	v6, raw bool
	id      uint16
	dst     netip.Addr // without its zone
	scope   uint32     // dst's zone: an interface index, or 0
	src     netip.Addr
	size    int
	pkt     []byte
	tx      txState
	rx      rxState
}

// Open creates the socket for cfg, in cfg.NetNS when set. It first connects
// a UDP socket to cfg.Dst, as iputils does, to learn the source address and
// to fail early (for example with ENETUNREACH when there is no route);
// not when cfg.Src is given, nor for a link-local IPv6 destination (see
// probeSource).
func Open(cfg Config) (*Prober, error) {
	dst := cfg.Dst
	if dst.Is4() {
		cfg.Src = cfg.Src.Unmap() // an IPv4-mapped source of an IPv4 socket
	}
	if !dst.IsValid() {
		return nil, errors.New("icmp: no destination address")
	}
	scope, err := scopeOf(dst)
	if err != nil {
		return nil, err
	}
	if _, err := scopeOf(cfg.Src); err != nil {
		return nil, err
	}
	p := &Prober{fd: -1, wake: -1, dst: dst.WithZone(""), scope: scope, v6: dst.Is6(), size: cfg.Size}
	if p.size == 0 {
		p.size = 56
	} else if p.size < 0 {
		p.size = 0
	}
	src, err := probeSource(dst, cfg)
	if err != nil {
		return nil, err
	}
	p.src = src
	if cfg.BindSource && !cfg.Src.IsValid() {
		cfg.Src = src
	}
	if err := p.open(cfg); err != nil {
		return nil, err
	}
	if err := p.setup(cfg); err != nil {
		p.Close()
		return nil, err
	}
	data := make([]byte, p.size)
	FillPayload(data, cfg.Pattern)
	p.pkt = AppendEcho(make([]byte, 0, headerLen+p.size), p.v6, p.id, 0, data)
	p.initTx()
	p.initRx()
	return p, nil
}

// probeSource connects a UDP socket to dst and returns the local address
// the kernel chose, as iputils does before it sends anything.
//
// As iputils, it makes no probe when a source address is given (other
// than the unspecified one): that address is the source, and a destination
// without a route, or a broadcast one, fails no connect; the sends fail
// or go unanswered instead. For a link-local IPv6 destination, iputils
// 20221126 connects with sin6_family 0, which only disconnects: no route
// is checked and the source reads "::". So does this.
func probeSource(dst netip.Addr, cfg Config) (netip.Addr, error) {
	if cfg.Src.IsValid() && !cfg.Src.IsUnspecified() {
		return cfg.Src.WithZone(""), nil
	}
	if dst.Is6() && (dst.IsLinkLocalUnicast() || dst.IsLinkLocalMulticast()) {
		return netip.IPv6Unspecified(), nil
	}
	domain := unix.AF_INET
	if dst.Is6() {
		domain = unix.AF_INET6
	}
	fd, err := socketIn(cfg.NetNS, domain, unix.SOCK_DGRAM, 0)
	if err != nil {
		return netip.Addr{}, err
	}
	defer unix.Close(fd)
	if cfg.Device != "" {
		if err := bindToDevice(fd, cfg.Device); err != nil {
			return netip.Addr{}, err
		}
	}
	if cfg.Src.IsValid() {
		if err := bind(fd, sockaddr(cfg.Src, 0)); err != nil {
			return netip.Addr{}, err
		}
	}
	// A UDP connect(2) only picks a route: it never returns EINPROGRESS.
	if err := unix.Connect(fd, sockaddr(dst, 1025)); err != nil {
		return netip.Addr{}, os.NewSyscallError("connect", err)
	}
	a, _, err := getsockname(fd)
	return a, err
}

// open creates the datagram socket, or the raw one when that is refused or
// asked for, and the eventfd that wakes Poll.
func (p *Prober) open(cfg Config) error {
	domain, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if p.v6 {
		domain, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	fd, err := -1, error(nil)
	if !cfg.Raw {
		fd, err = socketIn(cfg.NetNS, domain, unix.SOCK_DGRAM, proto)
		if err != nil && !errors.Is(err, unix.EACCES) && !errors.Is(err, unix.EPROTONOSUPPORT) &&
			!errors.Is(err, unix.EAFNOSUPPORT) {
			return err
		}
	}
	if fd < 0 && cfg.RawFD > 0 {
		fd, err = unix.FcntlInt(uintptr(cfg.RawFD), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return os.NewSyscallError("fcntl", err)
		}
		p.raw = true
	} else if fd < 0 {
		fd, err = socketIn(cfg.NetNS, domain, unix.SOCK_RAW, proto)
		if errors.Is(err, unix.EPERM) {
			return fmt.Errorf("icmp: raw socket needs CAP_NET_RAW: %w", err)
		}
		if err != nil {
			return err
		}
		p.raw = true
	}
	p.fd = fd
	w, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return os.NewSyscallError("eventfd", err)
	}
	p.wake = w
	return nil
}

// setup sets the socket options, binds, learns the identifier and installs
// the filters.
func (p *Prober) setup(cfg Config) error {
	type opt struct{ level, name, v int }
	opts := []opt{{unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1}}
	if cfg.RcvBuf > 0 {
		opts = append(opts, opt{unix.SOL_SOCKET, unix.SO_RCVBUF, cfg.RcvBuf})
	}
	if p.v6 {
		opts = append(opts, opt{unix.SOL_IPV6, unix.IPV6_RECVERR, 1}, opt{unix.SOL_IPV6, unix.IPV6_RECVHOPLIMIT, 1})
	} else {
		opts = append(opts, opt{unix.SOL_IP, unix.IP_RECVERR, 1})
		if !p.raw {
			opts = append(opts, opt{unix.SOL_IP, unix.IP_RECVTTL, 1})
		}
	}
	for _, o := range opts {
		if err := setsockoptInt(p.fd, o.level, o.name, o.v); err != nil {
			return err
		}
	}
	if cfg.TTL > 0 || cfg.SetTTL {
		if err := p.SetTTL(cfg.TTL); err != nil {
			return err
		}
	}
	if cfg.Device != "" {
		if err := bindToDevice(p.fd, cfg.Device); err != nil {
			return err
		}
	}
	if !p.raw {
		// Bind with port 0: the kernel picks the echo identifier.
		any := netip.IPv4Unspecified()
		if p.v6 {
			any = netip.IPv6Unspecified()
		}
		if cfg.Src.IsValid() {
			any = cfg.Src
		}
		if err := bind(p.fd, sockaddr(any, 0)); err != nil {
			return err
		}
		_, port, err := getsockname(p.fd)
		p.id = uint16(port)
		return err
	}
	if cfg.Src.IsValid() {
		if err := bind(p.fd, sockaddr(cfg.Src, 0)); err != nil {
			return err
		}
	}
	p.id = cfg.ID
	if p.id == 0 {
		p.id = uint16(os.Getpid())
	}
	return p.setFilters()
}

// scopeOf returns the interface index that a's zone holds: 0 for none.
func scopeOf(a netip.Addr) (uint32, error) {
	if a.Zone() == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(a.Zone(), 10, 32)
	if err != nil {
		return 0, errors.New("icmp: zone of " + a.String() + " is not an interface index")
	}
	return uint32(n), nil
}

// sockaddr returns a unix.Sockaddr for a and port, with a's scope (see
// Config.Dst); an invalid a gives the IPv4 unspecified address.
func sockaddr(a netip.Addr, port int) unix.Sockaddr {
	if a.Is6() {
		scope, _ := scopeOf(a) // checked in Open
		return &unix.SockaddrInet6{Port: port, Addr: a.As16(), ZoneId: scope}
	}
	if a.Is4() {
		return &unix.SockaddrInet4{Port: port, Addr: a.As4()}
	}
	return &unix.SockaddrInet4{Port: port}
}

// DatagramAllowed reports whether the calling process may open an ICMP
// datagram ("ping") socket, ICMPv6 when v6: whether Open uses one rather
// than a raw socket. It opens one and closes it.
func DatagramAllowed(v6 bool) bool {
	domain, proto := unix.AF_INET, unix.IPPROTO_ICMP
	if v6 {
		domain, proto = unix.AF_INET6, unix.IPPROTO_ICMPV6
	}
	fd, err := socket(domain, unix.SOCK_DGRAM, proto)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// Close closes the socket. It must not run concurrently with the other
// methods, except Wake.
func (p *Prober) Close() error {
	var err error
	if p.fd >= 0 {
		if e := unix.Close(p.fd); e != nil {
			err = os.NewSyscallError("close", e)
		}
		p.fd = -1
	}
	if p.wake >= 0 {
		unix.Close(p.wake)
		p.wake = -1
	}
	return err
}

// RcvBuf returns the size of the socket's receive buffer as the kernel
// reports it (getsockopt SO_RCVBUF: twice what it granted of the request).
func (p *Prober) RcvBuf() (int, error) {
	n, err := unix.GetsockoptInt(p.fd, unix.SOL_SOCKET, unix.SO_RCVBUF)
	if err != nil {
		return 0, os.NewSyscallError("getsockopt", err)
	}
	return n, nil
}

// Raw reports whether the Prober uses a raw socket (rather than a datagram
// "ping" socket).
func (p *Prober) Raw() bool { return p.raw }

// IPv6 reports whether the Prober speaks ICMPv6.
func (p *Prober) IPv6() bool { return p.v6 }

// ID returns the echo identifier: the one chosen for a raw socket, or the
// port the kernel bound a datagram socket to.
func (p *Prober) ID() uint16 { return p.id }

// Dst returns the destination address, without its zone.
func (p *Prober) Dst() netip.Addr { return p.dst }

// Src returns Config.Src when given, else the source address the kernel
// chose for the destination (:: for a link-local IPv6 one, see Open).
func (p *Prober) Src() netip.Addr { return p.src }

// Size returns the number of payload bytes after the echo header.
func (p *Prober) Size() int { return p.size }
