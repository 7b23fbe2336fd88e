package rtnl

import (
	"context"
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// DumpRestart is the Header.Type of the marker message Dump passes to its
// callback before it repeats an interrupted dump (NLM_F_DUMP_INTR): what
// the callback kept from the earlier pass is inconsistent and should be
// discarded. Its value is NLMSG_NOOP, which the kernel never sends.
const DumpRestart = unix.NLMSG_NOOP

// stamp checks that req holds exactly one message, gives it the next
// sequence number, ORs in extra flags and returns the header.
func (c *Conn) stamp(req []byte, extra uint16) (Header, error) {
	if len(req) < sizeofHeader {
		return Header{}, fmt.Errorf("rtnl: request of %d bytes is shorter than a header", len(req))
	}
	n := binary.NativeEndian.Uint32(req)
	if n < sizeofHeader || align4(int(n)) != align4(len(req)) {
		return Header{}, fmt.Errorf("rtnl: request nlmsg_len %d does not match its %d bytes", n, len(req))
	}
	return c.stampAt(req, extra), nil
}

// stampAt writes the next sequence number and extra flags into the header
// at the start of m and returns it.
func (c *Conn) stampAt(m []byte, extra uint16) Header {
	c.seq++
	flags := binary.NativeEndian.Uint16(m[6:]) | extra
	binary.NativeEndian.PutUint16(m[6:], flags)
	binary.NativeEndian.PutUint32(m[8:], c.seq)
	binary.NativeEndian.PutUint32(m[12:], 0)
	return Header{
		Len:   binary.NativeEndian.Uint32(m),
		Type:  binary.NativeEndian.Uint16(m[4:]),
		Flags: flags,
		Seq:   c.seq,
	}
}

// isGet reports whether h is an rtnetlink RTM_GET* request, which is
// answered by data.
func isGet(h Header) bool { return h.Type >= unix.RTM_BASE && h.Type%4 == 2 }

// isDump reports whether h is a dump request. Like the kernel
// (rtnetlink_rcv_msg), either of NLM_F_DUMP's two bits (ROOT, MATCH) makes
// a GET a dump. The same bits mean REPLACE and EXCL on NEW requests, so
// only GET requests can be dumps.
func isDump(h Header) bool {
	return isGet(h) && h.Flags&unix.NLM_F_DUMP != 0
}

// answered reports whether the kernel answers the request h at all.
// netlink_rcv_skb acknowledges a message only when it asks (NLM_F_ACK) or
// fails, and hands rtnetlink only messages with NLM_F_REQUEST, which
// rtnetlink_rcv_msg ignores (returns 0 for) when their payload is empty;
// a GET with a payload is answered by data or an error, any other request
// that succeeds by nothing.
func answered(h Header) bool {
	return h.Flags&unix.NLM_F_ACK != 0 ||
		h.Flags&unix.NLM_F_REQUEST != 0 && isGet(h) && h.Len > sizeofHeader
}

// errNoAnswer refuses a request answered by nothing, for which Query or
// Dump would wait forever (or until a deadline).
const errNoAnswer = errProtocol("request the kernel would not answer (no NLM_F_ACK, and not a GET request with a payload): not sent")

// errControl returns the error for a reply of a netlink control type
// other than NLMSG_ERROR and NLMSG_DONE (NLMSG_NOOP, NLMSG_OVERRUN,
// reserved), which the kernel does not send and callbacks must not see.
func errControl(typ uint16) error {
	return fmt.Errorf("rtnl: unexpected netlink control message of type %d", typ)
}

// check validates a reply header against the requests in flight, whose
// sequence numbers run from first to last. stale reports a reply to an
// earlier, abandoned request, which the caller drops.
func (c *Conn) check(h Header, first, last uint32) (stale bool, err error) {
	if h.PortID != c.pid {
		return false, fmt.Errorf("rtnl: reply for port id %d on port id %d", h.PortID, c.pid)
	}
	if int32(h.Seq-first) < 0 {
		return true, nil
	}
	if int32(h.Seq-last) > 0 {
		return false, fmt.Errorf("rtnl: reply with sequence %d, want %d..%d", h.Seq, first, last)
	}
	return false, nil
}

// Execute sends req, one whole message from an Append* builder, and waits
// for its acknowledgement. It stamps the sequence number into req and sets
// NLM_F_ACK. A kernel refusal is returned as an *Error. Execute is meant
// for requests answered only by an ACK (NEW*, DEL*, SET*); a data reply is
// an error, after the ACK has been consumed.
//
// On a warm Conn it does not allocate.
func (c *Conn) Execute(req []byte) error {
	return c.ExecuteContext(context.Background(), req)
}

// ExecuteContext is Execute, interrupted when ctx is done (then it returns
// ctx.Err()). A ctx that is done before the call sends nothing; one that
// ends while the kernel works on a sent request cannot take it back, so
// the request may have taken effect.
func (c *Conn) ExecuteContext(ctx context.Context, req []byte) error {
	if err := ctx.Err(); err != nil {
		return err // done already: send nothing
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, fired := c.watch(ctx)
	err := c.query(req, unix.NLM_F_ACK, nil)
	return c.unwatch(ctx, stop, fired, err)
}

// Query sends req, one whole request answered by one message (such as
// AppendGetLink or AppendGetNSID), and passes that message to fn. When req
// asks for an ACK (NLM_F_ACK) Query also consumes it; the kernel may then
// acknowledge without a reply (a GET of a built-in qdisc, which it does
// not report), and Query returns nil without calling fn. A kernel refusal is
// returned as an *Error (for example wrapping unix.ENODEV for an unknown
// link); an error from fn is returned after the reply is consumed.
//
// Query refuses, before sending anything, a request the kernel would not
// answer at all: one without NLM_F_ACK that is not an RTM_GET* request
// with NLM_F_REQUEST and a payload (a successful SET without NLM_F_ACK, an
// empty GET). Waiting for such a reply would block until a deadline, or
// forever. Every answered request ends with a reply the kernel sends
// before the request's system call returns, so no default deadline is
// needed; SetDeadline and the *Context variants bound the wait for a
// kernel that misbehaves. A few GET handlers (tc's, for a built-in qdisc)
// succeed without any reply; such a request must ask for an ACK, or it
// waits for its deadline.
//
// m.Data aliases the receive buffer: it is valid only until fn returns.
// On a warm Conn Query does not allocate.
func (c *Conn) Query(req []byte, fn func(m Message) error) error {
	return c.QueryContext(context.Background(), req, fn)
}

// QueryContext is Query, interrupted when ctx is done.
func (c *Conn) QueryContext(ctx context.Context, req []byte, fn func(m Message) error) error {
	if err := ctx.Err(); err != nil {
		return err // done already: send nothing
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, fired := c.watch(ctx)
	err := c.query(req, 0, fn)
	return c.unwatch(ctx, stop, fired, err)
}

// start stamps req with the next sequence number and extra flags, checks
// that it is a dump exactly when dump is set and that the kernel answers
// it at all, and sends it.
func (c *Conn) start(req []byte, extra uint16, dump bool) (Header, error) {
	h, err := c.stamp(req, extra)
	if err != nil {
		return h, err
	}
	switch {
	case dump && !isDump(h):
		return h, errProtocol("request given to Dump is not a GET with NLM_F_DUMP")
	case !dump && isDump(h):
		return h, errProtocol("dump request given to Execute or Query; use Dump")
	case !answered(h):
		return h, errNoAnswer
	}
	return h, c.send(req)
}

// replies is the one reply loop of every request: it receives datagrams
// (recv checks that each came whole from the kernel) and passes each
// message that answers a request in flight, sequence first to last, to
// handle, until handle reports done or an error. check refuses a foreign
// port id or a sequence number ahead of last, and drops replies to
// earlier, abandoned requests; a control message other than NLMSG_ERROR
// and NLMSG_DONE is refused before handle sees it.
func (c *Conn) replies(first, last uint32, handle func(m Message) (done bool, err error)) error {
	for {
		b, err := c.recv()
		if err != nil {
			return err
		}
		it := NewMessageIter(b)
		for it.Next() {
			m := it.Message()
			stale, err := c.check(m.Header, first, last)
			if err != nil {
				return err
			}
			if stale {
				continue
			}
			if t := m.Header.Type; t < unix.NLMSG_MIN_TYPE && t != unix.NLMSG_ERROR && t != unix.NLMSG_DONE {
				return errControl(t)
			}
			if done, err := handle(m); done || err != nil {
				if err == nil {
					err = c.rest(&it, first, last)
				}
				return err
			}
		}
		if err := it.Err(); err != nil {
			return err
		}
	}
}

// rest checks the messages left in a datagram after the one that ended
// the requests first to last. The kernel queues nothing behind a final
// ACK or NLMSG_DONE, so only a reply to an earlier, abandoned request may
// follow; anything else would be taken for the next request's answer and
// is refused.
func (c *Conn) rest(it *MessageIter, first, last uint32) error {
	for it.Next() {
		stale, err := c.check(it.Message().Header, first, last)
		if err != nil {
			return err
		}
		if !stale {
			return errProtocol("message after the end of the reply")
		}
	}
	return it.Err()
}

// ack reads the NLMSG_ERROR m: kerr is nil for an acknowledgement and
// the kernel's *Error for a refusal of the request of type typ; err is a
// malformed payload.
func ack(m Message, typ uint16) (kerr, err error) {
	errno, err := parseNlmsgerr(m.Data)
	if err != nil || errno == 0 {
		return nil, err
	}
	return kernelError(errno, m.Data, m.Header.Flags, false, typ, m.Header.Seq), nil
}

// query runs one request: with fn nil it expects only an ACK, otherwise
// one data reply and, when the request asks for one, an ACK.
func (c *Conn) query(req []byte, extra uint16, fn func(m Message) error) error {
	h, err := c.start(req, extra, false)
	if err != nil {
		return err
	}
	wantAck := h.Flags&unix.NLM_F_ACK != 0
	gotReply := false
	var ferr error
	return c.replies(h.Seq, h.Seq, func(m Message) (bool, error) {
		switch m.Header.Type {
		case unix.NLMSG_ERROR:
			kerr, err := ack(m, h.Type)
			if err != nil {
				return true, err
			}
			if kerr != nil {
				return true, kerr
			}
			if fn != nil && !gotReply && !wantAck {
				// netlink_rcv_skb acknowledges success only when asked.
				return true, errProtocol("acknowledgement of a request that did not ask for one")
			}
			return true, ferr
		case unix.NLMSG_DONE:
			return true, errProtocol("NLMSG_DONE in reply to a request that is not a dump")
		}
		if m.Header.Flags&unix.NLM_F_MULTI != 0 {
			return true, errProtocol("multipart (NLM_F_MULTI) reply to a request that is not a dump")
		}
		switch {
		case fn == nil:
			ferr = fmt.Errorf("rtnl: unexpected reply of type %d to a request answered by an ACK", m.Header.Type)
		case gotReply:
			ferr = errProtocol("more than one reply to a request that is not a dump")
		default:
			gotReply = true
			ferr = fn(m)
		}
		if wantAck {
			return false, nil // ferr waits for the ACK
		}
		return true, ferr
	})
}

// Dump sends req, a dump request (NLM_F_DUMP, such as AppendDumpLinks),
// and passes each reply message to fn until NLMSG_DONE. It always reads
// the dump to its end, even after fn fails, and then returns fn's first
// error. A kernel refusal is returned as an *Error.
//
// When the kernel marks the dump inconsistent (NLM_F_DUMP_INTR), Dump runs
// it again, up to Config.DumpRetries times, first passing fn a message of
// type DumpRestart; when every attempt is interrupted it returns
// ErrDumpInterrupted. An *OverrunError means replies were lost. Like
// Query, Dump refuses a request the kernel would not answer (one with an
// empty payload or without NLM_F_REQUEST, and without NLM_F_ACK).
//
// m.Data aliases the receive buffer: it is valid only until fn returns.
// On a warm Conn Dump does not allocate.
func (c *Conn) Dump(req []byte, fn func(m Message) error) error {
	return c.DumpContext(context.Background(), req, fn)
}

// DumpContext is Dump, interrupted when ctx is done.
func (c *Conn) DumpContext(ctx context.Context, req []byte, fn func(m Message) error) error {
	if err := ctx.Err(); err != nil {
		return err // done already: send nothing
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, fired := c.watch(ctx)
	err := c.dump(req, fn)
	return c.unwatch(ctx, stop, fired, err)
}

func (c *Conn) dump(req []byte, fn func(m Message) error) error {
	for attempt := 0; ; attempt++ {
		intr, err := c.dumpOnce(req, fn)
		if err != nil || !intr {
			return err
		}
		if attempt >= c.dumpRetries {
			return ErrDumpInterrupted
		}
		if err := fn(Message{Header: Header{Type: DumpRestart}}); err != nil {
			return err
		}
	}
}

// dumpOnce runs one pass of a dump and reports whether the kernel flagged
// it NLM_F_DUMP_INTR.
func (c *Conn) dumpOnce(req []byte, fn func(m Message) error) (intr bool, err error) {
	h, err := c.start(req, 0, true)
	if err != nil {
		return false, err
	}
	var ferr error
	err = c.replies(h.Seq, h.Seq, func(m Message) (bool, error) {
		intr = intr || m.Header.Flags&unix.NLM_F_DUMP_INTR != 0
		switch m.Header.Type {
		case unix.NLMSG_ERROR:
			kerr, err := ack(m, h.Type)
			if err == nil && kerr == nil {
				err = errProtocol("acknowledgement in the middle of a dump")
			}
			if err != nil {
				return true, err
			}
			return true, kerr
		case unix.NLMSG_DONE:
			return true, dumpDone(m, h)
		}
		if m.Header.Flags&unix.NLM_F_MULTI == 0 {
			return true, errProtocol("dump reply without NLM_F_MULTI")
		}
		if ferr == nil {
			ferr = fn(m)
		}
		return false, nil
	})
	if err != nil {
		return false, err
	}
	return intr, ferr
}

// dumpDone checks the NLMSG_DONE m that ends the dump h: nil, or the
// kernel's *Error when the dump failed part way.
func dumpDone(m Message, h Header) error {
	if m.Header.Flags&unix.NLM_F_MULTI == 0 {
		return errProtocol("NLMSG_DONE without NLM_F_MULTI")
	}
	errno, err := parseErrno(m.Data)
	if err != nil {
		return err
	}
	if errno != 0 {
		return kernelError(errno, m.Data, m.Header.Flags, true, h.Type, h.Seq)
	}
	return nil
}

// ExecuteBatch sends the requests in reqs, whole messages appended one
// after another by the Append* builders, with as few sendto calls as
// Config.BatchBytes allows, and reads every acknowledgement, matching each
// to its request by sequence number. It stamps sequence numbers into reqs
// and sets NLM_F_ACK on each message. fn is called once per request, in
// order, with its index in reqs (0 for the first message) and nil or the
// kernel's *Error; a failed request does not stop the ones after it.
// ExecuteBatch returns an error only when the batch itself fails (bad
// framing, I/O, a broken reply); then requests not yet reported may or may
// not have been applied. Requests answered by data (GET, dumps) are
// refused before anything is sent.
//
// On a warm Conn it does not allocate, apart from the *Error values of
// failed requests.
func (c *Conn) ExecuteBatch(reqs []byte, fn func(i int, err error)) error {
	return c.ExecuteBatchContext(context.Background(), reqs, fn)
}

// ExecuteBatchContext is ExecuteBatch, interrupted when ctx is done.
func (c *Conn) ExecuteBatchContext(ctx context.Context, reqs []byte, fn func(i int, err error)) error {
	if err := ctx.Err(); err != nil {
		return err // done already: send nothing
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := checkBatch(reqs); err != nil {
		return err
	}
	stop, fired := c.watch(ctx)
	err := c.batch(reqs, fn)
	return c.unwatch(ctx, stop, fired, err)
}

// checkBatch validates the framing of reqs and refuses requests answered
// by data.
func checkBatch(reqs []byte) error {
	it := NewMessageIter(reqs)
	for i := 0; it.Next(); i++ {
		h := it.Message().Header
		if isGet(h) {
			return fmt.Errorf("rtnl: batch request %d (type %d) is answered by data; use Query or Dump", i, h.Type)
		}
	}
	return it.Err()
}

func (c *Conn) batch(reqs []byte, fn func(i int, err error)) error {
	base := 0
	for off := 0; off < len(reqs); {
		// Stamp as many whole messages as fit in one datagram.
		start, first, n := off, c.seq+1, 0
		for off < len(reqs) {
			l := align4(int(binary.NativeEndian.Uint32(reqs[off:])))
			if n > 0 && off+l-start > c.batchBytes {
				break
			}
			c.stampAt(reqs[off:], unix.NLM_F_ACK)
			off = min(off+l, len(reqs))
			n++
		}
		if err := c.send(reqs[start:off]); err != nil {
			return err
		}
		if err := c.batchAcks(first, first+uint32(n)-1, base, fn); err != nil {
			return err
		}
		base += n
	}
	return nil
}

// batchAcks reads the acknowledgements of one datagram of a batch, the
// requests with sequence numbers first to last, and reports each to fn
// with its index (base for first). The kernel handles a datagram's
// messages in order and acknowledges each as it goes (netlink_rcv_skb):
// the ACKs come in order, one each. Anything else (a duplicate, a gap) is
// refused, so no request is reported twice or never.
func (c *Conn) batchAcks(first, last uint32, base int, fn func(i int, err error)) error {
	next := first
	return c.replies(first, last, func(m Message) (bool, error) {
		if m.Header.Type != unix.NLMSG_ERROR {
			return true, fmt.Errorf("rtnl: unexpected reply of type %d in a batch", m.Header.Type)
		}
		if m.Header.Seq != next {
			return true, fmt.Errorf("rtnl: batch acknowledgement for sequence %d, want %d", m.Header.Seq, next)
		}
		typ := uint16(0)
		if len(m.Data) >= 4+sizeofHeader {
			typ = binary.NativeEndian.Uint16(m.Data[8:]) // from the echoed request header
		}
		kerr, err := ack(m, typ)
		if err != nil {
			return true, err
		}
		fn(base+int(next-first), kerr)
		next++
		return next == last+1, nil
	})
}

// LinkIndex returns the index of the link named name, asked with an
// RTM_GETLINK by name (AppendGetLink, as iproute2's ll_name_to_index does).
// For a name no link has, the error is an *Error wrapping unix.ENODEV.
// On a warm Conn it does not allocate.
func (c *Conn) LinkIndex(name string) (int32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scratch = AppendGetLink(c.scratch[:0], 0, name)
	var index int32
	err := c.query(c.scratch, 0, func(m Message) error {
		if m.Header.Type != unix.RTM_NEWLINK || len(m.Data) < sizeofIfInfomsg {
			return fmt.Errorf("rtnl: unexpected reply of type %d to RTM_GETLINK", m.Header.Type)
		}
		index = int32(binary.NativeEndian.Uint32(m.Data[4:]))
		return nil
	})
	return index, err
}
