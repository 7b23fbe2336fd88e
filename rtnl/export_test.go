package rtnl

import (
	"context"

	"golang.org/x/sys/unix"
)

// SendUnread stamps and sends req without reading its replies, leaving
// them queued as a request abandoned after a deadline would.
func (c *Conn) SendUnread(req []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.stamp(req, 0); err != nil {
		return err
	}
	return c.send(req)
}

// ReceiveContext waits for one datagram on c's socket, as a request
// waiting for its reply does, and returns the receive's error (nil when a
// datagram from the kernel came).
func (c *Conn) ReceiveContext(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, fired := c.watch(ctx)
	_, err := c.recv()
	return c.unwatch(ctx, stop, fired, err)
}

// Datagram is what one recvfrom(2) on the socket returns in a test: the
// bytes of a datagram, its sender's address, or an errno.
type Datagram struct {
	Data    []byte     // the whole datagram; the Conn sees at most its buffer's worth
	Family  uint16     // sender's nl_family
	Pid     uint32     // sender's nl_pid: 0 for the kernel
	AddrLen uint32     // the address length recvfrom reports
	Errno   unix.Errno // non-zero: recvfrom fails with it and Data is ignored
}

// Socket stands in for a Conn's socket in tests.
type Socket interface {
	// Send gets each datagram the Conn sends; a non-nil error stands for
	// one from the poller.
	Send(b []byte) error
	// Recv returns the next datagram for a receive buffer of bufLen
	// bytes, or an error as the poller returns it
	// (os.ErrDeadlineExceeded when a real deadline would pass).
	Recv(bufLen int) (Datagram, error)
}

// NewInjectedConn returns a Conn with cfg's limits, port id pid and next
// sequence number seq+1 whose I/O goes to s instead of a socket: Execute,
// Query, Dump and ExecuteBatch run their real validation on the datagrams
// s returns. It has no socket: Close, SetDeadline and the *Context
// methods with a cancellable context must not be used on it.
func NewInjectedConn(cfg *Config, pid, seq uint32, s Socket) *Conn {
	if cfg == nil {
		cfg = &Config{}
	}
	c := newState(cfg, pid)
	c.seq = seq
	c.fake = injected{s}
	return c
}

// injected adapts a Socket to rawSocket.
type injected struct{ s Socket }

func (f injected) sendto(b []byte) (int, unix.Errno, error) {
	if err := f.s.Send(b); err != nil {
		return 0, 0, err
	}
	return len(b), 0, nil
}

func (f injected) recvfrom(b []byte, from *unix.RawSockaddrNetlink, fromLen *uint32) (int, unix.Errno, error) {
	d, err := f.s.Recv(len(b))
	if err != nil {
		return 0, 0, err
	}
	if d.Errno != 0 {
		return -1, d.Errno, nil
	}
	copy(b, d.Data)        // recvfrom with MSG_TRUNC: what fits is copied,
	from.Family = d.Family // the whole length is returned
	from.Pid = d.Pid
	*fromLen = d.AddrLen
	return len(d.Data), 0, nil
}

// KernelAddr fills in d's sender as the kernel's address and returns d.
func KernelAddr(d Datagram) Datagram {
	d.Family, d.Pid, d.AddrLen = unix.AF_NETLINK, 0, unix.SizeofSockaddrNetlink
	return d
}

// MarkJoined makes c an event Conn, as Join does, without a socket.
func (c *Conn) MarkJoined() { c.joined.Store(true) }
