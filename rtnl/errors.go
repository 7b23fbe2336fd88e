package rtnl

import (
	"encoding/binary"
	"errors"

	"golang.org/x/sys/unix"
)

// Error is a request's failure as the kernel reported it in NLMSG_ERROR
// (or in the NLMSG_DONE that ends a dump). It wraps the errno, so
// errors.Is(err, unix.EEXIST) and errors.Is(err, unix.ENODEV) work.
type Error struct {
	// Errno is the kernel's error number.
	Errno unix.Errno
	// Msg is the extended-ack message (NLMSGERR_ATTR_MSG), without its
	// NUL, or "" when the kernel gave none. iproute2 prints it as
	// "Error: Msg." and otherwise "RTNETLINK answers: <strerror>".
	Msg string
	// Offset is the extended-ack offset (NLMSGERR_ATTR_OFFS): the byte
	// offset, from the start of the request's header, of the attribute
	// that was rejected. It is 0 when the kernel gave none.
	Offset uint32
	// Type is the nlmsg_type of the request that failed.
	Type uint16
	// Seq is the sequence number of the request that failed.
	Seq uint32
}

// Error returns "rtnl: <strerror>" with the extended-ack message, if any,
// after a colon.
func (e *Error) Error() string {
	s := "rtnl: " + e.Errno.Error()
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns e.Errno.
func (e *Error) Unwrap() error { return e.Errno }

// ErrDumpInterrupted is returned by Conn.Dump when every attempt at a dump
// came back with NLM_F_DUMP_INTR: the kernel's table kept changing while it
// was dumped. Retrying later may succeed.
var ErrDumpInterrupted = errors.New("rtnl: dump interrupted (NLM_F_DUMP_INTR) on every retry: the table kept changing")

// ErrOverrun matches (with errors.Is) every *OverrunError.
var ErrOverrun = errors.New("rtnl: receive buffer overrun")

// OverrunError reports that the socket's receive buffer overflowed
// (recvfrom failed with ENOBUFS) and the kernel dropped messages. After a
// request, the Conn cannot tell which replies were lost: close it and
// retry on a new Conn with a larger Config.ReadBuffer. From Events,
// notifications were lost: dump the tables again and go on reading (see
// Events). errors.Is(err, ErrOverrun) and errors.Is(err, unix.ENOBUFS)
// both hold.
type OverrunError struct {
	// Err is the recvfrom error, an *os.SyscallError wrapping unix.ENOBUFS.
	Err error
}

// Error explains the overrun and what to do about it.
func (e *OverrunError) Error() string {
	return e.Err.Error() + ": messages were lost (receive buffer overrun; see Config.ReadBuffer)"
}

// Unwrap returns e.Err.
func (e *OverrunError) Unwrap() error { return e.Err }

// Is reports whether target is ErrOverrun.
func (e *OverrunError) Is(target error) bool { return target == ErrOverrun }

// errProtocol is a reply that breaks the netlink rules, or a request the
// Conn refuses to send; it wraps nothing.
type errProtocol string

func (e errProtocol) Error() string { return "rtnl: " + string(e) }

// parseErrno reads the int32 error at the start of an NLMSG_ERROR or
// NLMSG_DONE payload and returns it as a positive errno.
func parseErrno(data []byte) (unix.Errno, error) {
	if len(data) < 4 {
		return 0, errProtocol("truncated NLMSG_ERROR/NLMSG_DONE payload")
	}
	v := int32(binary.NativeEndian.Uint32(data))
	if v > 0 {
		return 0, errProtocol("positive error number in NLMSG_ERROR/NLMSG_DONE")
	}
	return unix.Errno(-v), nil
}

// parseNlmsgerr reads the errno of an NLMSG_ERROR payload, a struct
// nlmsgerr: the errno and the request's header, which the kernel always
// echoes (netlink_ack). A payload too short to hold both is refused.
func parseNlmsgerr(data []byte) (unix.Errno, error) {
	if len(data) < 4+sizeofHeader {
		return 0, errProtocol("truncated NLMSG_ERROR payload")
	}
	return parseErrno(data)
}

// kernelError builds the *Error for a failed request from the payload of
// its NLMSG_ERROR (done false) or NLMSG_DONE (done true), whose header
// flags are flags.
func kernelError(errno unix.Errno, data []byte, flags uint16, done bool, typ uint16, seq uint32) *Error {
	e := &Error{Errno: errno, Type: typ, Seq: seq}
	tlvs := 4
	if !done {
		// struct nlmsgerr: error, then the request's header, and, unless
		// the reply is capped, the rest of the request.
		tlvs += sizeofHeader
		if flags&unix.NLM_F_CAPPED == 0 && len(data) >= 4+sizeofHeader {
			// The echoed nlmsg_len must cover its own header and fit in
			// the payload; otherwise where the attributes start is
			// unknown, and they are ignored.
			n := binary.NativeEndian.Uint32(data[4:])
			if n < sizeofHeader || uint64(n) > uint64(len(data)-4) {
				return e
			}
			tlvs = 4 + align4(int(n))
		}
	}
	if flags&unix.NLM_F_ACK_TLVS == 0 || tlvs > len(data) {
		return e
	}
	it := NewAttrIter(data[tlvs:])
	for it.Next() {
		switch it.Type() {
		case unix.NLMSGERR_ATTR_MSG:
			e.Msg = string(trimNUL(it.Data()))
		case unix.NLMSGERR_ATTR_OFFS:
			if len(it.Data()) == 4 {
				e.Offset = binary.NativeEndian.Uint32(it.Data())
			}
		}
	}
	return e
}
