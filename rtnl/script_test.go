package rtnl_test

import (
	"encoding/binary"
	"os"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// scriptSocket is an rtnl.Socket answering from a script of datagrams.
// Scripted messages are written relative to the request in flight: when a
// datagram is patched, each well-framed message's nlmsg_seq is added to
// the first sequence number of the last datagram sent (so 0 is the request's
// own, 1 the next one of a batch, 0xffffffff an abandoned earlier one) and
// its nlmsg_pid is XORed with the Conn's port id (so 0 is the right port).
// When the script runs out, Recv returns os.ErrDeadlineExceeded, as the
// poller does when a deadline passes: a request waiting for a reply that
// never comes ends instead of hanging.
type scriptSocket struct {
	pid    uint32
	script []scripted
	base   uint32      // first sequence number of the last datagram sent
	sends  int         // datagrams sent
	got    []delivered // every datagram Recv returned
	ended  int         // Recv calls after the script ran out
	op     int         // index in got of the current request's first datagram
}

type scripted struct {
	d     rtnl.Datagram
	patch bool
}

// delivered is a datagram as the Conn received it.
type delivered struct {
	rtnl.Datagram
	bufLen int // the Conn's receive buffer size at that receive
}

// valid reports whether the Conn may use d: whole, from the kernel, no
// errno.
func (d delivered) valid() bool {
	return d.Errno == 0 && d.Family == unix.AF_NETLINK && d.Pid == 0 &&
		d.AddrLen >= unix.SizeofSockaddrNetlink && len(d.Data) <= d.bufLen
}

func (s *scriptSocket) Send(b []byte) error {
	s.sends++
	s.base = binary.NativeEndian.Uint32(b[8:])
	return nil
}

func (s *scriptSocket) Recv(bufLen int) (rtnl.Datagram, error) {
	if len(s.script) == 0 {
		s.ended++
		return rtnl.Datagram{}, os.ErrDeadlineExceeded
	}
	sc := s.script[0]
	s.script = s.script[1:]
	d := sc.d
	if sc.patch && d.Errno == 0 {
		d.Data = relocate(d.Data, s.base, s.pid)
	}
	s.got = append(s.got, delivered{d, bufLen})
	return d, nil
}

// relocate returns a copy of the messages in b with relative sequence
// numbers and port ids made absolute (see scriptSocket). It stops at the
// first message whose length does not frame.
func relocate(b []byte, base, pid uint32) []byte {
	b = append([]byte(nil), b...)
	for off := 0; off+16 <= len(b); {
		n := int(binary.NativeEndian.Uint32(b[off:]))
		if n < 16 {
			break
		}
		m := b[off:]
		binary.NativeEndian.PutUint32(m[8:], base+binary.NativeEndian.Uint32(m[8:]))
		binary.NativeEndian.PutUint32(m[12:], pid^binary.NativeEndian.Uint32(m[12:]))
		off += (n + 3) &^ 3
	}
	return b
}

// messages calls fn for each well-framed message of every valid datagram
// the Conn received for the current request (since s.op).
func (s *scriptSocket) messages(fn func(h rtnl.Header, data []byte)) {
	for _, d := range s.got[s.op:] {
		if !d.valid() {
			continue
		}
		it := rtnl.NewMessageIter(d.Data)
		for it.Next() {
			m := it.Message()
			fn(m.Header, m.Data)
		}
	}
}

// acked returns the errno of the NLMSG_ERROR the Conn received for seq
// on its port, and whether there was one.
func (s *scriptSocket) acked(seq uint32) (errno unix.Errno, ok bool) {
	s.messages(func(h rtnl.Header, data []byte) {
		if ok || h.Type != unix.NLMSG_ERROR || h.Seq != seq || h.PortID != s.pid || len(data) < 20 {
			return
		}
		errno, ok = unix.Errno(-int32(binary.NativeEndian.Uint32(data))), true
	})
	return errno, ok
}

// The builders of scripted messages. Sequence numbers and port ids are
// relative, as scriptSocket patches them.

// msg returns one netlink message.
func msg(typ, flags uint16, seq, pid uint32, payload ...byte) []byte {
	b := make([]byte, 16, 16+len(payload)+3)
	binary.NativeEndian.PutUint32(b, uint32(16+len(payload)))
	binary.NativeEndian.PutUint16(b[4:], typ)
	binary.NativeEndian.PutUint16(b[6:], flags)
	binary.NativeEndian.PutUint32(b[8:], seq)
	binary.NativeEndian.PutUint32(b[12:], pid)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// nlerr returns the payload of an NLMSG_ERROR as a NETLINK_CAP_ACK socket
// gets it: the negative errno and the request's header (echoed length
// echoLen, type typ), then the extended-ack attributes tlvs.
func nlerr(errno unix.Errno, echoLen uint32, typ uint16, tlvs ...byte) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	b = binary.NativeEndian.AppendUint32(b, echoLen)
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, make([]byte, 10)...)
	return append(b, tlvs...)
}

// ack returns the message acknowledging (errno 0) or refusing request seq.
func ack(seq uint32, errno unix.Errno) []byte {
	return msg(unix.NLMSG_ERROR, unix.NLM_F_CAPPED, seq, 0, nlerr(errno, 32, unix.RTM_NEWLINK)...)
}

// done returns the NLMSG_DONE ending the dump seq, with extra flags.
func done(seq uint32, flags uint16) []byte {
	return msg(unix.NLMSG_DONE, unix.NLM_F_MULTI|flags, seq, 0, 0, 0, 0, 0)
}

// withHeader returns a copy of the whole message m with the given flags
// ORed in, sequence number seq and port id pid.
func withHeader(m []byte, flags uint16, seq, pid uint32) []byte {
	m = append([]byte(nil), m...)
	binary.NativeEndian.PutUint16(m[6:], binary.NativeEndian.Uint16(m[6:])|flags)
	binary.NativeEndian.PutUint32(m[8:], seq)
	binary.NativeEndian.PutUint32(m[12:], pid)
	return m
}

// kernel returns a patched datagram from the kernel holding msgs.
func kernel(msgs ...[]byte) scripted {
	var b []byte
	for _, m := range msgs {
		b = append(b, m...)
	}
	return scripted{rtnl.KernelAddr(rtnl.Datagram{Data: b}), true}
}
