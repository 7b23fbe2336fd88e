package rtnl

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The raw I/O below runs inside syscall.RawConn.Read and Write with
// closures built once in Dial, so a send or a receive allocates nothing and
// still honours the poller's deadlines (socket.Conn's own Sendmsg and
// Recvmsg allocate on every call).

// doRead is the RawConn.Read callback: one recvfrom(2) into c.rbuf, with
// MSG_TRUNC so that an oversized datagram is detected.
func (c *Conn) doRead(fd uintptr) bool {
	for {
		c.fromLen = unix.SizeofSockaddrNetlink
		n, _, e := unix.Syscall6(unix.SYS_RECVFROM, fd,
			uintptr(unsafe.Pointer(&c.rbuf[0])), uintptr(len(c.rbuf)), unix.MSG_TRUNC,
			uintptr(unsafe.Pointer(&c.from)), uintptr(unsafe.Pointer(&c.fromLen)))
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false // wait for the poller
		}
		c.rn, c.rerrno = int(n), e
		return true
	}
}

// doWrite is the RawConn.Write callback: one sendto(2) of c.wbuf to the
// kernel (the socket's default destination).
func (c *Conn) doWrite(fd uintptr) bool {
	for {
		n, _, e := unix.Syscall6(unix.SYS_SENDTO, fd,
			uintptr(unsafe.Pointer(&c.wbuf[0])), uintptr(len(c.wbuf)), 0, 0, 0)
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		c.wn, c.werrno = int(n), e
		return true
	}
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
	c.wbuf = b
	var err error
	if c.fake != nil {
		c.wn, c.werrno, err = c.fake.sendto(b)
	} else {
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
