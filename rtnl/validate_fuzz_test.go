package rtnl_test

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// The fuzzed script is a sequence of records: a control byte, a
// little-endian uint16 length, and that many bytes of datagram. The control
// byte's bits 0-1 choose the sender (0 the kernel, 1 a user port id, 2 a
// non-netlink family, 3 a short address), bit 2 makes the receive fail
// with an errno instead (bit 3: ENOBUFS or EIO), bit 4 leaves the sequence
// numbers and port ids as written instead of relative (see scriptSocket).
const (
	ctlUser     = 1
	ctlFamily   = 2
	ctlShort    = 3
	ctlErrno    = 1 << 2
	ctlENOBUFS  = 1 << 3
	ctlAbsolute = 1 << 4
)

// decodeScript turns fuzz bytes into a script of at most 64 datagrams.
func decodeScript(b []byte) []scripted {
	var sc []scripted
	for len(b) >= 3 && len(sc) < 64 {
		ctl, n := b[0], min(int(binary.LittleEndian.Uint16(b[1:])), len(b)-3)
		data := b[3 : 3+n]
		b = b[3+n:]
		d := rtnl.KernelAddr(rtnl.Datagram{Data: data})
		switch ctl & 3 {
		case ctlUser:
			d.Pid = 1 + uint32(ctl>>5)
		case ctlFamily:
			d.Family = unix.AF_UNIX
		case ctlShort:
			d.AddrLen = 4
		}
		if ctl&ctlErrno != 0 {
			d.Errno = unix.EIO
			if ctl&ctlENOBUFS != 0 {
				d.Errno = unix.ENOBUFS
			}
		}
		sc = append(sc, scripted{d, ctl&ctlAbsolute == 0})
	}
	return sc
}

// encodeScript is the inverse of decodeScript, for the seeds.
func encodeScript(recs ...record) []byte {
	var b []byte
	for _, r := range recs {
		b = append(b, r.ctl)
		b = binary.LittleEndian.AppendUint16(b, uint16(len(r.data)))
		b = append(b, r.data...)
	}
	return b
}

type record struct {
	ctl  byte
	data []byte
}

// rec returns a record of the messages msgs with control byte ctl.
func rec(ctl byte, msgs ...[]byte) record {
	var b []byte
	for _, m := range msgs {
		b = append(b, m...)
	}
	return record{ctl, b}
}

// The operations a fuzzed op byte selects (bits 0-1), with, in bits 2-3,
// the ACK flag of a Query or the count-1 of a batch's requests.
const (
	opExecute = iota
	opQuery
	opDump
	opBatch
)

// Config bits of the fuzzed cfg byte.
const (
	cfgSmallBuffer = 1 << 0 // 256-byte receive buffer: real links overflow it
	cfgSmallBatch  = 1 << 1 // 64-byte batches: one request per sendmsg
	cfgRetriesMask = 3 << 2 // DumpRetries: 0 (default 5), 1, 2, -1
)

func fuzzConfig(bits uint8) (*rtnl.Config, int) {
	cfg := &rtnl.Config{}
	if bits&cfgSmallBuffer != 0 {
		cfg.BufferSize = 256
	}
	if bits&cfgSmallBatch != 0 {
		cfg.BatchBytes = 64
	}
	cfg.DumpRetries = [...]int{0, 1, 2, -1}[bits&cfgRetriesMask>>2]
	retries := cfg.DumpRetries
	switch {
	case retries == 0:
		retries = 5
	case retries < 0:
		retries = 0
	}
	return cfg, retries
}

// FuzzReplies runs sequences of requests (Execute, Query, Dump,
// ExecuteBatch) on a Conn whose socket answers with fuzzed datagrams, and
// checks the reply validation: no panic; every request ends (the script
// ends with a deadline error, after which no request may wait again); no
// message reaches a callback unless it came whole from the kernel with the
// Conn's port id and the sequence number of the request in flight; no
// success (or kernel error) is reported for a request without the ACK (or
// NLMSG_DONE, or NLMSG_ERROR) that says so.
func FuzzReplies(f *testing.F) {
	for _, s := range replySeeds(f) {
		f.Add(s.cfg, s.seq, s.ops, s.script)
	}
	const pid = 0x4d2
	f.Fuzz(func(t *testing.T, cfgBits uint8, seq0 uint32, ops, script []byte) {
		cfg, retries := fuzzConfig(cfgBits)
		s := &scriptSocket{pid: pid, script: decodeScript(script)}
		c := rtnl.NewInjectedConn(cfg, pid, seq0, s)
		for _, o := range ops[:min(len(ops), 4)] {
			runOp(t, c, s, o, retries)
		}
	})
}

// runOp runs one request on c and checks it against what s delivered.
func runOp(t *testing.T, c *rtnl.Conn, s *scriptSocket, o byte, retries int) {
	s.ended, s.sends, s.op = 0, 0, len(s.got)
	restarts, calls := 0, 0
	kind, arg := o&3, int(o>>2&3)
	var (
		req []byte
		err error
	)
	// check validates a message given to a callback.
	check := func(m rtnl.Message, dump bool) error {
		calls++
		if dump && m.Header == (rtnl.Header{Type: rtnl.DumpRestart}) && m.Data == nil {
			restarts++
			intr, finished := false, false
			s.messages(func(h rtnl.Header, data []byte) {
				if h.Seq == s.base && h.PortID == s.pid {
					intr = intr || h.Flags&unix.NLM_F_DUMP_INTR != 0
					finished = finished || h.Type == unix.NLMSG_DONE
				}
			})
			if !intr || !finished || restarts > retries {
				t.Fatalf("DumpRestart %d (retries %d) after a pass with DUMP_INTR %t, NLMSG_DONE %t", restarts, retries, intr, finished)
			}
			return nil
		}
		last := s.got[len(s.got)-1]
		switch h := m.Header; {
		case !last.valid():
			t.Fatalf("message %+v from an invalid datagram (errno %d, family %d, pid %d, addrlen %d, %d bytes in %d)",
				h, last.Errno, last.Family, last.Pid, last.AddrLen, len(last.Data), last.bufLen)
		case h.Seq != s.base || h.PortID != s.pid:
			t.Fatalf("message %+v delivered, want seq %d port id %d", h, s.base, s.pid)
		case h.Type < unix.NLMSG_MIN_TYPE:
			t.Fatalf("control message %+v delivered as data", h)
		case dump != (h.Flags&unix.NLM_F_MULTI != 0):
			t.Fatalf("message %+v delivered by dump %t", h, dump)
		case !dump && calls > 1:
			t.Fatalf("message %+v is reply %d to a Query", h, calls)
		}
		return nil
	}
	sendBound := 1
	switch kind {
	case opExecute:
		req = rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 5, MTU: 1400})
		err = c.Execute(req)
	case opQuery:
		req = rtnl.AppendGetLink(nil, 0, "eth0")
		if arg&1 != 0 {
			binary.NativeEndian.PutUint16(req[6:], binary.NativeEndian.Uint16(req[6:])|unix.NLM_F_ACK)
		}
		err = c.Query(req, func(m rtnl.Message) error { return check(m, false) })
	case opDump:
		req = rtnl.AppendDumpLinks(nil, unix.AF_UNSPEC)
		err = c.Dump(req, func(m rtnl.Message) error { return check(m, true) })
		sendBound = retries + 1
	case opBatch:
		for i := range arg + 1 {
			req = rtnl.AppendSetLink(req, &rtnl.LinkChange{Index: int32(i + 1), MTU: 1300})
		}
		sendBound = arg + 1
		err = runBatch(t, c, s, req, arg+1)
	}
	if s.ended > 1 {
		t.Fatalf("op %#x: %d receives after the deadline error", o, s.ended)
	}
	if s.sends > sendBound {
		t.Fatalf("op %#x: %d datagrams sent, want at most %d", o, s.sends, sendBound)
	}
	if err == nil {
		for _, d := range s.got[s.op:] {
			if !d.valid() {
				t.Fatalf("op %#x succeeded after an invalid datagram (errno %d, family %d, pid %d, addrlen %d, %d bytes in %d)",
					o, d.Errno, d.Family, d.Pid, d.AddrLen, len(d.Data), d.bufLen)
			}
		}
	}
	seq := binary.NativeEndian.Uint32(req[8:])
	wantAck := kind == opExecute || kind == opQuery && arg&1 != 0
	var kerr *rtnl.Error
	switch {
	case kind == opBatch: // checked by runBatch
	case err == nil && kind == opDump:
		errno, ok := doneFor(s, seq)
		if !ok || errno != 0 {
			t.Fatalf("Dump succeeded with NLMSG_DONE %t errno %d for seq %d", ok, errno, seq)
		}
	case err == nil:
		if kind == opQuery && (calls > 1 || calls == 0 && !wantAck) {
			t.Fatalf("Query (ACK %t) succeeded with %d replies", wantAck, calls)
		}
		if errno, ok := s.acked(seq); wantAck && (!ok || errno != 0) {
			t.Fatalf("op %#x succeeded with ACK %t errno %d for seq %d", o, ok, errno, seq)
		}
	case errors.As(err, &kerr):
		errno, ok := s.acked(seq)
		if kind == opDump && (!ok || errno != kerr.Errno) {
			errno, ok = doneFor(s, seq)
		}
		if !ok || errno != kerr.Errno || kerr.Seq != seq {
			t.Fatalf("op %#x: %v (seq %d) without the kernel's error for seq %d (found %t, errno %d)", o, err, kerr.Seq, seq, ok, errno)
		}
	case errors.Is(err, rtnl.ErrDumpInterrupted):
		if kind != opDump || s.sends != retries+1 || restarts != retries {
			t.Fatalf("op %#x: ErrDumpInterrupted after %d passes and %d restarts, retries %d", o, s.sends, restarts, retries)
		}
	case errors.Is(err, rtnl.ErrOverrun):
		if d := s.got[len(s.got)-1]; d.Errno != unix.ENOBUFS {
			t.Fatalf("op %#x: %v after a receive with errno %d", o, err, d.Errno)
		}
	case errors.Is(err, os.ErrDeadlineExceeded):
		if s.ended != 1 {
			t.Fatalf("op %#x: %v with the script not ended", o, err)
		}
	}
}

// doneFor returns the errno of the NLMSG_DONE (with NLM_F_MULTI) the Conn
// received for seq.
func doneFor(s *scriptSocket, seq uint32) (errno unix.Errno, ok bool) {
	s.messages(func(h rtnl.Header, data []byte) {
		if !ok && h.Type == unix.NLMSG_DONE && h.Flags&unix.NLM_F_MULTI != 0 && h.Seq == seq && h.PortID == s.pid && len(data) >= 4 {
			errno, ok = unix.Errno(-int32(binary.NativeEndian.Uint32(data))), true
		}
	})
	return errno, ok
}

// runBatch runs ExecuteBatch on the n requests in reqs and checks each
// report against the ACKs received: in order, at most once each (exactly
// once on success), and each one matching its request's NLMSG_ERROR.
func runBatch(t *testing.T, c *rtnl.Conn, s *scriptSocket, reqs []byte, n int) error {
	next := 0
	var reports []error
	err := c.ExecuteBatch(reqs, func(i int, err error) {
		if i != next {
			t.Fatalf("batch report for request %d, want %d", i, next)
		}
		next++
		reports = append(reports, err)
	})
	if err == nil && next != n {
		t.Fatalf("ExecuteBatch succeeded with %d of %d requests reported", next, n)
	}
	seqs := make([]uint32, 0, n)
	it := rtnl.NewMessageIter(reqs)
	for it.Next() {
		seqs = append(seqs, it.Message().Header.Seq)
	}
	for i, rerr := range reports {
		errno, ok := s.acked(seqs[i])
		var kerr *rtnl.Error
		switch {
		case !ok:
			t.Fatalf("batch request %d (seq %d) reported %v without an ACK", i, seqs[i], rerr)
		case rerr == nil && errno != 0:
			t.Fatalf("batch request %d (seq %d) reported success, ACK errno %d", i, seqs[i], errno)
		case rerr != nil && (!errors.As(rerr, &kerr) || kerr.Errno != errno || kerr.Seq != seqs[i]):
			t.Fatalf("batch request %d (seq %d) reported %v, ACK errno %d", i, seqs[i], rerr, errno)
		}
	}
	return err
}
