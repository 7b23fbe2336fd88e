package icmp

import (
	"encoding/binary"
	"net/netip"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A Kind says what a Reply reports.
type Kind uint8

// Kinds of Reply.
const (
	// KindEchoReply is an echo reply to one of our requests.
	KindEchoReply Kind = iota + 1
	// KindICMPError is an ICMP error (destination unreachable, time
	// exceeded, ...) about one of our requests, read from the error queue.
	KindICMPError
	// KindLocalError is an error the local stack raised about a request
	// (for example EMSGSIZE), read from the error queue.
	KindLocalError
)

// String returns the kind's name, or its number in hex when unknown.
func (k Kind) String() string {
	switch k {
	case KindEchoReply:
		return "echo-reply"
	case KindICMPError:
		return "icmp-error"
	case KindLocalError:
		return "local-error"
	}
	const hex = "0123456789abcdef"
	return "kind(0x" + string([]byte{hex[k>>4], hex[k&15]}) + ")"
}

// A Reply is what Receive reports: an echo reply or an error about one of
// the Prober's requests. Data aliases the Prober's receive buffer and is
// valid only until the next Receive.
type Reply struct {
	// Kind says whether this is an echo reply, an ICMP error or a local
	// error; the fields below that apply to it are set.
	Kind Kind
	// From is the replying host, or the host that sent the ICMP error.
	From netip.Addr
	// Scope is the interface index the kernel gave with an IPv6 From (its
	// sin6_scope_id, set for link-local addresses), or 0. Like every
	// interface index in rawns's libraries it is an int32, the kernel's
	// ifindex type.
	Scope int32
	// ID and Seq are the echo identifier and sequence (of the request, for
	// an error).
	ID, Seq uint16
	// TTL is the IPv4 TTL or IPv6 hop limit of the reply; -1 if unknown.
	TTL int
	// Len is the length of the ICMP message (iputils' cc).
	Len int
	// ChecksumOK reports whether the ICMP checksum verified (always true
	// where the kernel verifies it: datagram sockets and IPv6).
	ChecksumOK bool
	// Timed reports whether RTT is known: the payload holds a send stamp.
	Timed bool
	// RTT is the kernel receive time minus the send stamp in the payload.
	RTT time.Duration
	// Type, Code and Info describe an error: the ICMP type and code (or
	// 0, 0 for a local error) and sock_extended_err's ee_info (an MTU).
	Type, Code uint8
	Info       uint32
	// Errno is the error number a local error (or an ICMP error) carries.
	Errno unix.Errno
	// Data is the echo payload after the 8-byte header.
	Data []byte
}

// rxState is the receive side of a Prober, built once in Open.
type rxState struct {
	buf      []byte
	oob      []byte
	name     unix.RawSockaddrInet6 // large enough for sockaddr_in too
	iov      unix.Iovec
	msg      unix.Msghdr
	n        int
	pollErr  bool // the last Poll saw POLLERR: the error queue may hold a message
	pfd      [2]unix.PollFd
	ts       unix.Timespec
	drain    [8]byte
	one      [8]byte // the eventfd increment Wake writes; never modified after Open
	deadline atomic.Int64
	m        Message
}

func (p *Prober) initRx() {
	r := &p.rx
	n := p.size + headerLen + 60 + 576
	r.buf = make([]byte, n)
	r.oob = make([]byte, 512)
	r.iov.Base = &r.buf[0]
	r.iov.SetLen(len(r.buf))
	r.msg.Name = (*byte)(unsafe.Pointer(&r.name))
	r.msg.Iov = &r.iov
	r.msg.SetIovlen(1)
	r.msg.Control = &r.oob[0]
	r.pfd = [2]unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}, {Fd: int32(p.wake), Events: unix.POLLIN}}
	binary.NativeEndian.PutUint64(r.one[:], 1)
}

// recvmsg runs recvmsg(2) once, without waiting, with the prebuilt header,
// and returns the errno (0 on success; the length is in p.rx.n).
func (p *Prober) recvmsg(flags int) unix.Errno {
	r := &p.rx
	for {
		r.msg.Namelen = unix.SizeofSockaddrInet6
		r.msg.SetControllen(len(r.oob))
		r.msg.Flags = 0
		// Non-blocking, so a raw syscall (see Send).
		n, _, e := unix.RawSyscall(unix.SYS_RECVMSG, uintptr(p.fd), uintptr(unsafe.Pointer(&r.msg)),
			uintptr(flags|unix.MSG_DONTWAIT))
		if e == unix.EINTR {
			continue
		}
		r.n = int(n)
		return e
	}
}

// TryReceive reads what is queued on the socket, without waiting, until it
// finds an echo reply or an error about our requests, which it stores in
// rep; it reports false when nothing of ours is queued. Everything else
// (other identifiers, other destinations, our own requests, malformed
// packets) is skipped. It does not allocate.
func (p *Prober) TryReceive(rep *Reply) (bool, error) {
	r := &p.rx
	for {
		e := p.recvmsg(0)
		if e == 0 {
			if p.parseReply(rep) {
				return true, nil
			}
			continue
		}
		if e == unix.EAGAIN && !r.pollErr {
			return false, nil
		}
		// A pending socket error, or POLLERR: the error queue holds its
		// message.
		r.pollErr = false
		switch ee := p.recvmsg(unix.MSG_ERRQUEUE); {
		case ee == unix.EAGAIN && e == unix.EAGAIN:
			return false, nil
		case ee == unix.EAGAIN:
			continue // a socket error without a queued message
		case ee != 0:
			return false, os.NewSyscallError("recvmsg", ee)
		}
		if p.parseError(rep) {
			return true, nil
		}
	}
}

// ReceiveError reads one message from the socket's error queue, without
// waiting, and reports whether it is an error about our requests, which it
// stores in rep (iputils' receive_error_msg, used after a failed send). It
// does not allocate.
func (p *Prober) ReceiveError(rep *Reply) (bool, error) {
	switch e := p.recvmsg(unix.MSG_ERRQUEUE); {
	case e == unix.EAGAIN:
		return false, nil
	case e != 0:
		return false, os.NewSyscallError("recvmsg", e)
	}
	return p.parseError(rep), nil
}

// Poll waits with ppoll(2) until the socket is readable (or has an error
// queued), Wake is called, or timeout passes; a negative timeout means no
// limit. It reports whether the socket is readable. An interrupted wait
// returns false and no error. It does not allocate.
func (p *Prober) Poll(timeout time.Duration) (bool, error) {
	r := &p.rx
	r.pfd[0].Revents, r.pfd[1].Revents = 0, 0
	var e unix.Errno
	if timeout < 0 {
		_, _, e = unix.Syscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&r.pfd[0])), 2, 0, 0, 0, 0)
	} else {
		r.ts = unix.NsecToTimespec(int64(timeout))
		_, _, e = unix.Syscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&r.pfd[0])), 2,
			uintptr(unsafe.Pointer(&r.ts)), 0, 0, 0)
	}
	switch e {
	case 0:
	case unix.EINTR:
		return false, nil
	default:
		return false, os.NewSyscallError("ppoll", e)
	}
	if r.pfd[1].Revents != 0 {
		unix.RawSyscall(unix.SYS_READ, uintptr(p.wake), uintptr(unsafe.Pointer(&r.drain[0])), 8)
	}
	re := r.pfd[0].Revents
	if re&unix.POLLERR != 0 {
		r.pollErr = true
	}
	return re&(unix.POLLIN|unix.POLLERR) != 0, nil
}

// Wake makes a Poll in progress (or the next one) return at once. It may
// be called from any goroutine. It does not allocate.
func (p *Prober) Wake() {
	unix.RawSyscall(unix.SYS_WRITE, uintptr(p.wake), uintptr(unsafe.Pointer(&p.rx.one[0])), 8)
}

// SetDeadline sets the time after which a blocked Receive returns
// os.ErrDeadlineExceeded; the zero time means none. It may be called from
// another goroutine to wake a Receive.
func (p *Prober) SetDeadline(t time.Time) error {
	var ns int64
	if !t.IsZero() {
		ns = t.UnixNano()
	}
	p.rx.deadline.Store(ns)
	p.Wake()
	return nil
}

// Receive waits for the next echo reply or error about our requests and
// stores it in rep, as TryReceive, waiting in Poll while nothing of ours is
// queued. It returns os.ErrDeadlineExceeded when the deadline set by
// SetDeadline passes. It does not allocate.
func (p *Prober) Receive(rep *Reply) error {
	for {
		ok, err := p.TryReceive(rep)
		if ok || err != nil {
			return err
		}
		wait := time.Duration(-1)
		if dl := p.rx.deadline.Load(); dl != 0 {
			if wait = time.Duration(dl - time.Now().UnixNano()); wait <= 0 {
				return os.ErrDeadlineExceeded
			}
		}
		if _, err := p.Poll(wait); err != nil {
			return err
		}
	}
}

// control walks the control messages of the last read, returning the
// receive timestamp (0 if none), the TTL or hop limit (-1 if none) and the
// extended error with its offender address (nil if none).
func (p *Prober) control() (ts int64, ttl int, ee []byte) {
	r := &p.rx
	ttl = -1
	b := r.oob[:r.msg.Controllen]
	for len(b) > 0 {
		h, data, rest, err := unix.ParseOneSocketControlMessage(b)
		if err != nil {
			break
		}
		b = rest
		switch {
		case h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && len(data) >= sizeofTimespec:
			ts = int64(binary.NativeEndian.Uint64(data))*1e9 + int64(binary.NativeEndian.Uint64(data[8:]))
		case h.Level == unix.SOL_IP && h.Type == unix.IP_TTL && len(data) >= 4,
			h.Level == unix.SOL_IPV6 && h.Type == unix.IPV6_HOPLIMIT && len(data) >= 4:
			ttl = int(int32(binary.NativeEndian.Uint32(data)))
		case h.Level == unix.SOL_IP && h.Type == unix.IP_RECVERR && len(data) >= sizeofSockExtErr,
			h.Level == unix.SOL_IPV6 && h.Type == unix.IPV6_RECVERR && len(data) >= sizeofSockExtErr:
			ee = data
		}
	}
	return ts, ttl, ee
}

// nameAddr returns the address in the last read's msg_name.
func (p *Prober) nameAddr() netip.Addr {
	r := &p.rx
	if r.msg.Namelen == 0 {
		return netip.Addr{}
	}
	switch r.name.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.name))
		return netip.AddrFrom4(sa.Addr)
	case unix.AF_INET6:
		return netip.AddrFrom16(r.name.Addr)
	}
	return netip.Addr{}
}

// parseReply decodes a normal read and reports whether it is an echo reply
// for us.
func (p *Prober) parseReply(rep *Reply) bool {
	r := &p.rx
	pkt := r.buf[:min(r.n, len(r.buf))]
	m := &r.m
	var err error
	if p.raw && !p.v6 {
		err = ParseIPv4(pkt, m)
	} else {
		err = Parse(pkt, p.v6, m)
	}
	if err != nil {
		return false
	}
	want := uint8(typeEchoReply)
	if p.v6 {
		want = type6EchoReply
	}
	if m.Type != want || (p.raw && m.ID != p.id) {
		return false
	}
	ts, ttl, _ := p.control()
	if ts == 0 {
		ts = time.Now().UnixNano()
	}
	*rep = Reply{
		Kind:       KindEchoReply,
		From:       m.Src,
		ID:         m.ID,
		Seq:        m.Seq,
		TTL:        m.TTL,
		Len:        m.Len,
		ChecksumOK: m.ChecksumOK,
		Data:       m.Data,
	}
	if !rep.From.IsValid() {
		rep.From = p.nameAddr()
	}
	if p.v6 && r.msg.Namelen >= unix.SizeofSockaddrInet6 {
		rep.Scope = int32(r.name.Scope_id)
	}
	if rep.TTL < 0 {
		rep.TTL = ttl
	}
	if p.size >= stampLen {
		if sent, ok := StampOf(m.Data); ok {
			rep.Timed, rep.RTT = true, time.Duration(ts-sent)
		}
	}
	return true
}

// parseError decodes a read from the error queue and reports whether it is
// an error about one of our requests.
func (p *Prober) parseError(rep *Reply) bool {
	r := &p.rx
	_, _, ee := p.control()
	if ee == nil {
		return false
	}
	*rep = Reply{
		TTL:   -1,
		Errno: unix.Errno(binary.NativeEndian.Uint32(ee[0:])),
		Type:  ee[5],
		Code:  ee[6],
		Info:  binary.NativeEndian.Uint32(ee[8:]),
	}
	switch ee[4] {
	case unix.SO_EE_ORIGIN_LOCAL:
		rep.Kind, rep.Type, rep.Code = KindLocalError, 0, 0
		rep.From = p.src
		return true
	case unix.SO_EE_ORIGIN_ICMP, unix.SO_EE_ORIGIN_ICMP6:
	default:
		return false
	}
	// The returned payload is our request's ICMP header; msg_name is its
	// destination; the offender's address follows the extended error.
	pkt := r.buf[:min(r.n, len(r.buf))]
	echo := uint8(typeEcho)
	if p.v6 {
		echo = type6EchoRequest
	}
	if len(pkt) < headerLen || pkt[0] != echo || p.nameAddr() != p.dst {
		return false
	}
	id := binary.BigEndian.Uint16(pkt[4:])
	if p.raw && id != p.id {
		return false
	}
	rep.Kind = KindICMPError
	rep.ID, rep.Seq = id, binary.BigEndian.Uint16(pkt[6:])
	off := ee[sizeofSockExtErr:]
	switch {
	case len(off) >= unix.SizeofSockaddrInet4 && binary.NativeEndian.Uint16(off) == unix.AF_INET:
		rep.From = netip.AddrFrom4([4]byte(off[4:8]))
	case len(off) >= unix.SizeofSockaddrInet6 && binary.NativeEndian.Uint16(off) == unix.AF_INET6:
		rep.From = netip.AddrFrom16([16]byte(off[8:24]))
		rep.Scope = int32(binary.NativeEndian.Uint32(off[24:]))
	}
	return true
}
