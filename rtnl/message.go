package rtnl

import "encoding/binary"

// Header is struct nlmsghdr.
type Header struct {
	Len    uint32 // nlmsg_len: the message length, header included
	Type   uint16 // nlmsg_type: RTM_*, NLMSG_ERROR, NLMSG_DONE
	Flags  uint16 // nlmsg_flags: NLM_F_*
	Seq    uint32 // nlmsg_seq
	PortID uint32 // nlmsg_pid
}

// Message is one netlink message: its header and the payload after it.
//
// Data aliases the Conn's receive buffer (or the buffer given to
// NewMessageIter): it is valid only until the next call on the Conn, or
// until the callback that received it returns. Copy what must outlive it.
type Message struct {
	Header Header
	Data   []byte
}

// MessageIter walks the netlink messages of one datagram in place.
// The zero value holds no messages.
//
//	it := rtnl.NewMessageIter(b)
//	for it.Next() {
//		m := it.Message()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
type MessageIter struct {
	b   []byte
	cur []byte // the current message, header included
	bad []byte // where the iteration stopped: empty at a clean end
}

// NewMessageIter returns an iterator over the messages in b. The messages
// alias b. It does not allocate.
func NewMessageIter(b []byte) MessageIter { return MessageIter{b: b} }

// Next advances to the next message and reports whether there is one. It
// returns false at the end of the buffer or at the first malformed header,
// which Err then reports (ErrMsgHeader, ErrMsgShort or ErrMsgOverrun). It
// does not allocate, never panics, and is small enough to be inlined.
func (it *MessageIter) Next() bool {
	b := it.b
	if len(b) >= sizeofHeader {
		if n := int(binary.NativeEndian.Uint32(b)); n >= sizeofHeader && n <= len(b) {
			it.cur = b[:n:n]
			it.b = b[min(align4(n), len(b)):]
			return true
		}
	}
	if len(b) != 0 {
		it.bad, it.b = b, nil
	}
	return false
}

// Message returns the current message. Its Data aliases the iterated
// buffer.
func (it *MessageIter) Message() Message {
	m := it.cur
	if len(m) < sizeofHeader {
		return Message{}
	}
	return Message{Header: Header{
		Len:    binary.NativeEndian.Uint32(m[0:]),
		Type:   binary.NativeEndian.Uint16(m[4:]),
		Flags:  binary.NativeEndian.Uint16(m[6:]),
		Seq:    binary.NativeEndian.Uint32(m[8:]),
		PortID: binary.NativeEndian.Uint32(m[12:]),
	}, Data: m[sizeofHeader:]}
}

// Err returns the error that stopped the iteration, or nil at a clean end
// (or before the end).
func (it *MessageIter) Err() error {
	switch b := it.bad; {
	case len(b) == 0:
		return nil
	case len(b) < sizeofHeader:
		return ErrMsgHeader
	case binary.NativeEndian.Uint32(b) < sizeofHeader:
		return ErrMsgShort
	}
	return ErrMsgOverrun
}
