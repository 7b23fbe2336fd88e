package rtnl

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mdlayher/socket"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// Defaults for the zero Config fields.
const (
	defaultBufferSize  = 32 << 10 // the kernel caps dump datagrams near 32 KiB
	defaultDumpRetries = 5
	defaultBatchBytes  = 8 << 10
)

// Config holds the options of Dial. The zero value is usable.
type Config struct {
	// NetNS, when non-zero, is a file descriptor of the network namespace
	// to create the socket in. The socket stays bound to that namespace and
	// may then be used from any goroutine. The caller keeps ownership of
	// the descriptor; it may be closed once Dial returns.
	NetNS int
	// NetNSName, when set (and NetNS is 0), names the network namespace as
	// `ip netns` does: a name under /run/netns, a path when it contains
	// '/', or a process id (see nsfs.Dirs.Open, which Dial opens it with).
	// Dial closes it before returning; a failure is an *nsfs.Error.
	NetNSName string
	// ReadBuffer, when positive, sets the socket's receive buffer
	// (SO_RCVBUFFORCE, falling back to SO_RCVBUF) in bytes. Zero keeps the
	// kernel's default.
	ReadBuffer int
	// BufferSize is the size of the Conn's reused receive buffer in bytes;
	// zero or negative means 32 KiB. A datagram larger than it is an error.
	BufferSize int
	// DumpRetries bounds how many times Dump repeats a dump that came back
	// with NLM_F_DUMP_INTR before it returns ErrDumpInterrupted; zero means
	// 5, negative means no retry.
	DumpRetries int
	// BatchBytes bounds the bytes ExecuteBatch puts in one sendto; zero
	// means 8 KiB. A single larger message is sent on its own.
	BatchBytes int
	// RawSyscalls makes sends and receives raw system calls while no
	// deadline has passed and no context has ended (see "System calls" in
	// the package documentation): fewer runtime wake-ups per slow request,
	// but the goroutine keeps its P while the kernel works, so a
	// stop-the-world pause waits for the request. Meant for programs that
	// do little else while they talk to the kernel, such as a command-line
	// tool; false keeps every system call on the runtime's poller.
	RawSyscalls bool
}

// Conn is a NETLINK_ROUTE socket. Its methods may be called from several
// goroutines; requests are serialized. Replies are validated before use:
// the sender must be the kernel (port id 0), and every message must carry
// the Conn's port id and the sequence number of the request in flight;
// replies to requests that were abandoned (after a deadline or a
// cancellation) are recognized by their older sequence number and dropped.
// A Conn that has joined a multicast group (Join) reads notifications
// with Events and sends no requests.
type Conn struct {
	mu   sync.Mutex // serializes requests; guards everything below it
	sc   *socket.Conn
	rc   syscall.RawConn
	pid  uint32
	seq  uint32
	rbuf []byte

	dumpRetries int
	batchBytes  int
	scratch     []byte

	// State of the raw I/O closures, built once in Dial so that a round
	// trip allocates nothing.
	readFn, writeFn       func(fd uintptr) bool
	ctlReadFn, ctlWriteFn func(fd uintptr)
	wbuf                  []byte
	rn                    int
	rerrno, werrno        unix.Errno
	wn                    int
	from                  unix.RawSockaddrNetlink
	fromLen               uint32
	fake                  rawSocket // nil but in tests: see rawSocket

	joined  atomic.Bool // Join was called: requests are refused
	pending MessageIter // Events: the rest of the last datagram

	dmu      sync.Mutex // guards deadline
	deadline time.Time

	// The fast path's view of the deadline, read without dmu: the
	// deadline in Unix nanoseconds (0: none), and whether a context has
	// interrupted the request in flight.
	deadlineNs atomic.Int64
	cancelled  atomic.Bool
	raw        bool // Config.RawSyscalls: the fast path may be taken
}

// Dial opens a NETLINK_ROUTE socket on mdlayher/socket (SOCK_CLOEXEC), in
// the network namespace cfg names, if any (socket.Config.NetNS: the socket
// is created on a locked thread that is restored or dies). It binds with a
// kernel-chosen port id, learns that id with getsockname, and turns on
// NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK and NETLINK_CAP_ACK. A nil cfg
// means the zero Config.
func Dial(cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	nsfd := cfg.NetNS
	if nsfd == 0 && cfg.NetNSName != "" {
		fd, err := nsfs.Dirs{}.Open(cfg.NetNSName)
		if err != nil {
			return nil, err
		}
		defer unix.Close(fd)
		nsfd = fd
	}
	sc, err := socket.Socket(unix.AF_NETLINK, unix.SOCK_RAW, unix.NETLINK_ROUTE, "rtnl", &socket.Config{NetNS: nsfd})
	if err != nil {
		return nil, err // wrapped by socket
	}
	c, err := newConn(sc, cfg)
	if err != nil {
		sc.Close()
		return nil, err
	}
	return c, nil
}

func newConn(sc *socket.Conn, cfg *Config) (*Conn, error) {
	// Errors from socket.Conn methods are already *os.SyscallError.
	if err := sc.Bind(&unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, err
	}
	sa, err := sc.Getsockname()
	if err != nil {
		return nil, err
	}
	nl, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		return nil, errProtocol("getsockname returned a non-netlink address")
	}
	for _, opt := range [...]int{unix.NETLINK_EXT_ACK, unix.NETLINK_GET_STRICT_CHK, unix.NETLINK_CAP_ACK} {
		if err := sc.SetsockoptInt(unix.SOL_NETLINK, opt, 1); err != nil {
			return nil, err
		}
	}
	if cfg.ReadBuffer > 0 {
		if err := sc.SetReadBuffer(cfg.ReadBuffer); err != nil {
			return nil, err
		}
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	c := newState(cfg, nl.Pid)
	c.sc, c.rc = sc, rc
	return c, nil
}

// newState returns a Conn with cfg's buffers and limits and port id pid,
// but no socket yet.
func newState(cfg *Config, pid uint32) *Conn {
	c := &Conn{
		pid:         pid,
		seq:         uint32(time.Now().Unix()),
		rbuf:        make([]byte, orDefault(max(cfg.BufferSize, 0), defaultBufferSize)),
		dumpRetries: orDefault(cfg.DumpRetries, defaultDumpRetries),
		batchBytes:  orDefault(cfg.BatchBytes, defaultBatchBytes),
		raw:         cfg.RawSyscalls,
		scratch:     make([]byte, 0, 128),
	}
	c.readFn = c.doRead
	c.writeFn = c.doWrite
	c.ctlReadFn = c.ctlRead
	c.ctlWriteFn = c.ctlWrite
	return c
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Close closes the socket. A request blocked in another goroutine returns
// with an error.
func (c *Conn) Close() error { return c.sc.Close() }

// PortID returns the socket's netlink port id, chosen by the kernel at
// bind time.
func (c *Conn) PortID() uint32 { return c.pid }

// SetDeadline sets the deadline for every request's sends and receives; a
// request still waiting at t returns an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds. The zero Time means no
// deadline. It may be called while a request is in flight, from another
// goroutine. Replies that arrive for an abandoned request are dropped by
// the next one.
func (c *Conn) SetDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.deadline = t
	if t.IsZero() {
		c.deadlineNs.Store(0)
	} else {
		c.deadlineNs.Store(max(t.UnixNano(), 1))
	}
	return c.sc.SetDeadline(t)
}

// watch arranges for ctx's cancellation to interrupt the socket. It
// returns nil (and costs nothing) for a context that cannot be cancelled.
func (c *Conn) watch(ctx context.Context) (stop func() bool, fired <-chan struct{}) {
	if ctx.Done() == nil {
		return nil, nil
	}
	done := make(chan struct{})
	stop = context.AfterFunc(ctx, func() {
		c.dmu.Lock()
		c.cancelled.Store(true)
		c.sc.SetDeadline(time.Unix(1, 0)) // in the past: wakes the poller
		c.dmu.Unlock()
		close(done)
	})
	return stop, done
}

// unwatch undoes watch. When ctx was cancelled during the request, it
// restores the deadline set with SetDeadline and returns ctx's error in
// place of the interrupted I/O error.
func (c *Conn) unwatch(ctx context.Context, stop func() bool, fired <-chan struct{}, err error) error {
	if stop == nil || stop() {
		return err
	}
	<-fired
	c.dmu.Lock()
	c.cancelled.Store(false)
	c.sc.SetDeadline(c.deadline)
	c.dmu.Unlock()
	if err != nil {
		return ctx.Err()
	}
	return nil
}

// direct reports whether send and recv may take the fast path: no context
// has cancelled the request and no deadline has passed.
func (c *Conn) direct() bool {
	if !c.raw || c.cancelled.Load() {
		return false
	}
	d := c.deadlineNs.Load()
	return d == 0 || time.Now().UnixNano() < d
}
