package rtnl

import (
	"encoding/binary"
	"fmt"
)

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
	m   Message
	err error
}

// NewMessageIter returns an iterator over the messages in b. The messages
// alias b. It does not allocate.
func NewMessageIter(b []byte) MessageIter { return MessageIter{b: b} }

// Next advances to the next message and reports whether there is one. It
// returns false at the end of the buffer or at the first malformed header,
// which Err then describes. It does not allocate on well-formed input and
// never panics.
func (it *MessageIter) Next() bool {
	if it.err != nil || len(it.b) == 0 {
		return false
	}
	b := it.b
	if len(b) < sizeofHeader {
		it.err = fmt.Errorf("rtnl: truncated message header: %d bytes left, want %d", len(b), sizeofHeader)
		return false
	}
	h := Header{
		Len:    binary.NativeEndian.Uint32(b[0:]),
		Type:   binary.NativeEndian.Uint16(b[4:]),
		Flags:  binary.NativeEndian.Uint16(b[6:]),
		Seq:    binary.NativeEndian.Uint32(b[8:]),
		PortID: binary.NativeEndian.Uint32(b[12:]),
	}
	switch {
	case h.Len < sizeofHeader:
		it.err = fmt.Errorf("rtnl: message length %d is shorter than its header", h.Len)
		return false
	case uint64(h.Len) > uint64(len(b)):
		it.err = fmt.Errorf("rtnl: message length %d exceeds the %d bytes left", h.Len, len(b))
		return false
	}
	it.m = Message{Header: h, Data: b[sizeofHeader:h.Len:h.Len]}
	next := min(align4(int(h.Len)), len(b))
	it.b = b[next:]
	return true
}

// Message returns the current message. Its Data aliases the iterated
// buffer.
func (it *MessageIter) Message() Message { return it.m }

// Err returns the error that stopped the iteration, or nil at a clean end.
func (it *MessageIter) Err() error { return it.err }
