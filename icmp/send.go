package icmp

import (
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// txState is the send side of a Prober, built once in Open.
type txState struct {
	sa4   unix.RawSockaddrInet4
	sa6   unix.RawSockaddrInet6
	sa    unsafe.Pointer
	salen uintptr
	errno unix.Errno
	fn    func(fd uintptr) bool
}

func (p *Prober) initTx() {
	t := &p.tx
	if p.v6 {
		t.sa6.Family = unix.AF_INET6
		t.sa6.Addr = p.dst.As16()
		t.sa, t.salen = unsafe.Pointer(&t.sa6), unix.SizeofSockaddrInet6
	} else {
		t.sa4.Family = unix.AF_INET
		t.sa4.Addr = p.dst.As4()
		t.sa, t.salen = unsafe.Pointer(&t.sa4), unix.SizeofSockaddrInet4
	}
	t.fn = p.sendto
}

// sendto runs sendto(2) on fd once; EAGAIN is reported, not waited for.
func (p *Prober) sendto(fd uintptr) bool {
	for {
		_, _, e := unix.Syscall6(unix.SYS_SENDTO, fd, uintptr(unsafe.Pointer(&p.pkt[0])), uintptr(len(p.pkt)),
			0, uintptr(p.tx.sa), p.tx.salen)
		if e == unix.EINTR {
			continue
		}
		p.tx.errno = e
		return true
	}
}

// Send sends the echo request with sequence seq, its payload stamped with
// the wall-clock time taken just before sendto(2), which it returns in
// nanoseconds since the Unix epoch. A full socket buffer is reported as
// EAGAIN rather than waited for. It does not allocate unless it fails.
func (p *Prober) Send(seq uint16) (int64, error) {
	SetSeq(p.pkt, seq)
	ns := time.Now().UnixNano()
	Stamp(p.pkt, ns)
	if err := p.rc.Write(p.tx.fn); err != nil {
		return ns, err
	}
	if p.tx.errno != 0 {
		return ns, os.NewSyscallError("sendto", p.tx.errno)
	}
	return ns, nil
}
