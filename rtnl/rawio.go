package rtnl

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The raw I/O below allocates nothing: its callbacks are closures built
// once in Dial (socket.Conn's own Sendmsg and Recvmsg allocate on every
// call). It has two paths, which make the same two system calls
// (sysSendto, sysRecvfrom).
//
// The poller path: the system calls inside syscall.RawConn.Read and
// Write, which wait in the poller and honour deadlines, cancellation (a
// deadline in the past) and Close.
//
// The fast path, taken only with Config.RawSyscalls and while no deadline
// has passed and no context has cancelled the request (Conn.direct): one
// sendto(2) or one MSG_DONTWAIT recvfrom(2) made with RawSyscall6 inside
// RawConn.Control. Control only holds a reference on the fd, so a
// concurrent Close cannot hand its number to another file before the call
// returns; the poller is not involved. A netlink request to the kernel is
// handled inside sendto, and its replies are queued before sendto returns,
// so the receive that follows finds them at once; only when nothing is
// queued (EAGAIN) does recv fall back to the poller path. RawSyscall6
// rather than Syscall6: the rtnetlink handlers run for hundreds of
// microseconds (creating a veth runs synchronize_rcu), and a goroutine
// that spends that long in a Syscall6 has its P handed off by sysmon and
// must win one back on return: in a batch of 1000 veth pairs that cost 800
// to 1800 futex and 1400 to 2400 nanosleep calls (about 90 and 120 with
// RawSyscall6) and a measurable share of the CPU. The price: while the
// kernel handles one datagram (bounded for ExecuteBatch by
// Config.BatchBytes, plus any wait for the rtnl lock) the goroutine keeps
// its P, so a stop-the-world pause waits for it. Receives never block.

// sysRecvfrom is one recvfrom(2) into c.rbuf with MSG_TRUNC (so that an
// oversized datagram is detected) and flags, retried on EINTR, made with
// RawSyscall6 when raw. It sets c.rn and returns the errno.
// The calls are direct (no function value) so that the unsafe.Pointer
// conversions in their arguments keep their referents alive, as the
// unsafe rules require.
func (c *Conn) sysRecvfrom(fd, flags uintptr, raw bool) unix.Errno {
	for {
		c.fromLen = unix.SizeofSockaddrNetlink
		var n uintptr
		var e unix.Errno
		if raw {
			n, _, e = unix.RawSyscall6(unix.SYS_RECVFROM, fd,
				uintptr(unsafe.Pointer(&c.rbuf[0])), uintptr(len(c.rbuf)), unix.MSG_TRUNC|flags,
				uintptr(unsafe.Pointer(&c.from)), uintptr(unsafe.Pointer(&c.fromLen)))
		} else {
			n, _, e = unix.Syscall6(unix.SYS_RECVFROM, fd,
				uintptr(unsafe.Pointer(&c.rbuf[0])), uintptr(len(c.rbuf)), unix.MSG_TRUNC|flags,
				uintptr(unsafe.Pointer(&c.from)), uintptr(unsafe.Pointer(&c.fromLen)))
		}
		if e != unix.EINTR {
			c.rn = int(n)
			return e
		}
	}
}

// sysSendto is one sendto(2) of c.wbuf to the kernel (the socket's default
// destination) with flags, retried on EINTR, made with RawSyscall6 when
// raw. It sets c.wn and returns the errno.
func (c *Conn) sysSendto(fd, flags uintptr, raw bool) unix.Errno {
	for {
		var n uintptr
		var e unix.Errno
		if raw {
			n, _, e = unix.RawSyscall6(unix.SYS_SENDTO, fd,
				uintptr(unsafe.Pointer(&c.wbuf[0])), uintptr(len(c.wbuf)), flags, 0, 0)
		} else {
			n, _, e = unix.Syscall6(unix.SYS_SENDTO, fd,
				uintptr(unsafe.Pointer(&c.wbuf[0])), uintptr(len(c.wbuf)), flags, 0, 0)
		}
		if e != unix.EINTR {
			c.wn = int(n)
			return e
		}
	}
}

// ctlRead is the RawConn.Control callback of the fast path.
func (c *Conn) ctlRead(fd uintptr) { c.rerrno = c.sysRecvfrom(fd, unix.MSG_DONTWAIT, true) }

// ctlWrite is the RawConn.Control callback of the fast path.
func (c *Conn) ctlWrite(fd uintptr) { c.werrno = c.sysSendto(fd, unix.MSG_DONTWAIT, true) }

// doRead is the RawConn.Read callback: false (wait in the poller) on
// EAGAIN.
func (c *Conn) doRead(fd uintptr) bool {
	c.rerrno = c.sysRecvfrom(fd, 0, false)
	return c.rerrno != unix.EAGAIN
}

// doWrite is the RawConn.Write callback: false (wait in the poller) on
// EAGAIN.
func (c *Conn) doWrite(fd uintptr) bool {
	c.werrno = c.sysSendto(fd, 0, false)
	return c.werrno != unix.EAGAIN
}

// rawSocket stands in for the socket's raw I/O in tests (export_test.go
// sets Conn.fake): each method is one sendto(2) or recvfrom(2) as doWrite
// and doRead make it, returning the syscall's count and errno, or err as
// the poller would (a deadline). Production Conns leave fake nil, so send
// and recv pay one nil check and nothing else.
type rawSocket interface {
	sendto(b []byte) (n int, errno unix.Errno, err error)
	recvfrom(b []byte, from *unix.RawSockaddrNetlink, fromLen *uint32) (n int, errno unix.Errno, err error)
}

// send writes b as one datagram.
func (c *Conn) send(b []byte) error {
	if c.joined.Load() {
		return ErrEventConn
	}
	c.wbuf = b
	var err error
	switch {
	case c.fake != nil:
		c.wn, c.werrno, err = c.fake.sendto(b)
	case c.direct():
		err = c.rc.Control(c.ctlWriteFn)
		if err == nil && c.werrno == unix.EAGAIN {
			err = c.rc.Write(c.writeFn)
		}
	default:
		err = c.rc.Write(c.writeFn)
	}
	c.wbuf = nil
	if err != nil {
		return err // from the poller (deadline, closed): not a syscall error
	}
	if c.werrno != 0 {
		return os.NewSyscallError("sendto", c.werrno)
	}
	if c.wn != len(b) {
		return fmt.Errorf("rtnl: sendto wrote %d of %d bytes", c.wn, len(b))
	}
	return nil
}

// recv reads one datagram into c.rbuf and returns it after checking that
// it came whole from the kernel.
func (c *Conn) recv() ([]byte, error) {
	var err error
	if c.fake != nil {
		c.fromLen = unix.SizeofSockaddrNetlink
		c.rn, c.rerrno, err = c.fake.recvfrom(c.rbuf, &c.from, &c.fromLen)
	} else if c.direct() {
		err = c.rc.Control(c.ctlReadFn)
		if err == nil && c.rerrno == unix.EAGAIN {
			err = c.rc.Read(c.readFn)
		}
	} else {
		err = c.rc.Read(c.readFn)
	}
	if err != nil {
		return nil, err // from the poller (deadline, closed): not a syscall error
	}
	if c.rerrno != 0 {
		err := os.NewSyscallError("recvfrom", c.rerrno)
		if c.rerrno == unix.ENOBUFS {
			return nil, &OverrunError{Err: err}
		}
		return nil, err
	}
	if c.rn > len(c.rbuf) {
		n := len(c.rbuf)
		c.rbuf = make([]byte, 2*c.rn) // the datagram is lost; the next one fits
		return nil, fmt.Errorf("rtnl: %d-byte datagram truncated to the %d-byte receive buffer (Config.BufferSize)", c.rn, n)
	}
	if c.fromLen < unix.SizeofSockaddrNetlink || c.from.Family != unix.AF_NETLINK || c.from.Pid != 0 {
		return nil, fmt.Errorf("rtnl: datagram from port id %d, not from the kernel", c.from.Pid)
	}
	return c.rbuf[:c.rn], nil
}
