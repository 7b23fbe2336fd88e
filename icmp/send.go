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
}

func (p *Prober) initTx() {
	t := &p.tx
	if p.v6 {
		t.sa6.Family = unix.AF_INET6
		t.sa6.Addr = p.dst.As16()
		t.sa6.Scope_id = p.scope
		t.sa, t.salen = unsafe.Pointer(&t.sa6), unix.SizeofSockaddrInet6
	} else {
		t.sa4.Family = unix.AF_INET
		t.sa4.Addr = p.dst.As4()
		t.sa, t.salen = unsafe.Pointer(&t.sa4), unix.SizeofSockaddrInet4
	}
}

// Send sends the echo request with sequence seq, its payload stamped with
// the wall-clock time taken just before sendto(2); it returns that time
// (with its monotonic reading, for scheduling). A full socket buffer is
// reported as EAGAIN rather than waited for. It does not allocate unless it
// fails.
func (p *Prober) Send(seq uint16) (time.Time, error) {
	SetSeq(p.pkt, seq)
	now := time.Now()
	Stamp(p.pkt, now.UnixNano())
	for {
		// The socket is non-blocking: a raw syscall keeps the runtime's
		// syscall bookkeeping (and sysmon's P hand-offs) off the path.
		_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(p.fd), uintptr(unsafe.Pointer(&p.pkt[0])),
			uintptr(len(p.pkt)), 0, uintptr(p.tx.sa), p.tx.salen)
		switch e {
		case 0:
			return now, nil
		case unix.EINTR:
			continue
		}
		return now, os.NewSyscallError("sendto", e)
	}
}
