package rtnl_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

const testPid = 0x4d2

// injected returns a Conn answering from script, and its socket.
func injected(cfg *rtnl.Config, script ...scripted) (*rtnl.Conn, *scriptSocket) {
	s := &scriptSocket{pid: testPid, script: script}
	return rtnl.NewInjectedConn(cfg, testPid, 100, s), s
}

// dumpLog runs a link dump and returns its error and the callback's view:
// "link"/"addr" per message, "restart" per DumpRestart.
func dumpLog(t *testing.T, c *rtnl.Conn) (string, error) {
	t.Helper()
	var log []string
	err := c.Dump(rtnl.AppendDumpLinks(nil, unix.AF_UNSPEC), func(m rtnl.Message) error {
		switch m.Header.Type {
		case rtnl.DumpRestart:
			log = append(log, "restart")
		case unix.RTM_NEWLINK:
			log = append(log, "link")
		case unix.RTM_NEWADDR:
			log = append(log, "addr")
		default:
			t.Errorf("dump callback got type %d", m.Header.Type)
		}
		return nil
	})
	return strings.Join(log, " "), err
}

func TestInjectedDumpInterrupted(t *testing.T) {
	link := realMessage(t, "newlink-veth.bin", true)
	addr := realMessage(t, "newaddr.bin", true)
	intr := kernel(withHeader(link, unix.NLM_F_DUMP_INTR, 0, 0), done(0, unix.NLM_F_DUMP_INTR))
	intrDone := kernel(link, done(0, unix.NLM_F_DUMP_INTR)) // flagged on NLMSG_DONE only
	whole := kernel(link, addr, done(0, 0))
	tests := []struct {
		name    string
		retries int
		script  []scripted
		wantLog string
		wantErr error
		sends   int
	}{
		{"retried once", 0, []scripted{intr, whole}, "link restart link addr", nil, 2},
		{"retried twice", 2, []scripted{intrDone, intr, whole}, "link restart link restart link addr", nil, 3},
		{"every pass, bound 1", 1, []scripted{intr, intrDone, whole}, "link restart link", rtnl.ErrDumpInterrupted, 2},
		{"every pass, default bound 5", 0, []scripted{intr, intr, intr, intr, intr, intr, whole},
			"link restart link restart link restart link restart link restart link", rtnl.ErrDumpInterrupted, 6},
		{"no retry", -1, []scripted{intrDone, whole}, "link", rtnl.ErrDumpInterrupted, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, s := injected(&rtnl.Config{DumpRetries: tc.retries}, tc.script...)
			log, err := dumpLog(t, c)
			if log != tc.wantLog || !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("Dump = %q, %v; want %q, %v", log, err, tc.wantLog, tc.wantErr)
			}
			if s.sends != tc.sends {
				t.Errorf("Dump sent %d requests, want %d", s.sends, tc.sends)
			}
		})
	}
}

func TestInjectedOverrun(t *testing.T) {
	enobufs := scripted{rtnl.Datagram{Errno: unix.ENOBUFS}, false}
	for _, tc := range requestKinds() {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := injected(nil, enobufs)
			err := tc.run(c)
			var oe *rtnl.OverrunError
			if !errors.As(err, &oe) || !errors.Is(err, rtnl.ErrOverrun) || !errors.Is(err, unix.ENOBUFS) {
				t.Errorf("%s after ENOBUFS = %v, want an *OverrunError (ErrOverrun, ENOBUFS)", tc.name, err)
			}
		})
	}
}

// requestKinds runs one request of each kind on c.
func requestKinds() []struct {
	name string
	run  func(c *rtnl.Conn) error
} {
	nop := func(rtnl.Message) error { return nil }
	return []struct {
		name string
		run  func(c *rtnl.Conn) error
	}{
		{"Execute", func(c *rtnl.Conn) error {
			return c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, MTU: 1400}))
		}},
		{"Query", func(c *rtnl.Conn) error { return c.Query(rtnl.AppendGetLink(nil, 1, ""), nop) }},
		{"Dump", func(c *rtnl.Conn) error { return c.Dump(rtnl.AppendDumpLinks(nil, 0), nop) }},
		{"ExecuteBatch", func(c *rtnl.Conn) error {
			return c.ExecuteBatch(rtnl.AppendDelLink(nil, 1, ""), func(int, error) {})
		}},
	}
}

func TestInjectedTruncated(t *testing.T) {
	link := realMessage(t, "newlink-veth.bin", false)
	c, _ := injected(&rtnl.Config{BufferSize: 256}, kernel(link), kernel(link))
	calls := 0
	fn := func(m rtnl.Message) error { calls++; return nil }
	err := c.Query(rtnl.AppendGetLink(nil, 1, ""), fn)
	want := "rtnl: 1496-byte datagram truncated to the 256-byte receive buffer (Config.BufferSize)"
	if err == nil || err.Error() != want || calls != 0 {
		t.Errorf("Query with a 1496-byte reply in 256 bytes = %v after %d messages, want %q", err, calls, want)
	}
	// The buffer has grown: the same reply now fits.
	if err := c.Query(rtnl.AppendGetLink(nil, 1, ""), fn); err != nil || calls != 1 {
		t.Errorf("Query after the truncation = %v after %d messages, want nil after 1", err, calls)
	}
}

func TestInjectedShortError(t *testing.T) {
	tlv := extAck("bad", 16)
	uncapped := func(echoLen uint32) []byte {
		return msg(unix.NLMSG_ERROR, unix.NLM_F_ACK_TLVS, 0, 0, append(nlerr(unix.EINVAL, echoLen, unix.RTM_NEWLINK, 1, 2, 3, 4, 5, 6, 7, 8), tlv...)...)
	}
	tests := []struct {
		name    string
		reply   []byte
		wantErr string // "" for an *Error
		wantMsg string
	}{
		{"2 bytes", msg(unix.NLMSG_ERROR, 0, 0, 0, 0xea, 0xff), "rtnl: truncated NLMSG_ERROR payload", ""},
		{"errno only", msg(unix.NLMSG_ERROR, 0, 0, 0, 0xea, 0xff, 0xff, 0xff), "rtnl: truncated NLMSG_ERROR payload", ""},
		{"half a header", msg(unix.NLMSG_ERROR, 0, 0, 0, nlerr(unix.EINVAL, 24, 0)[:12]...), "rtnl: truncated NLMSG_ERROR payload", ""},
		{"positive errno", msg(unix.NLMSG_ERROR, 0, 0, 0, append([]byte{22, 0, 0, 0}, nlerr(0, 24, 0)[4:]...)...), "rtnl: positive error number in NLMSG_ERROR/NLMSG_DONE", ""},
		{"echoed length 24", uncapped(24), "", "bad"},
		{"echoed length 8", uncapped(8), "", ""},
		{"echoed length 0", uncapped(0), "", ""},
		// With the echoed length 8, attributes would start at the echoed
		// nlmsg_seq, made here to look like an NLMSGERR_ATTR_MSG "x".
		{"echoed length 8, attribute-shaped", func() []byte {
			m := uncapped(8)
			copy(m[16+12:], []byte{8, 0, unix.NLMSGERR_ATTR_MSG, 0, 'x', 0, 0, 0})
			return m
		}(), "", ""},
		{"echoed length past the end", uncapped(0xffffffff), "", ""},
		{"echoed length just past the end", uncapped(4 + 16 + 8 + uint32(len(tlv)) + 4), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := injected(nil, kernel(tc.reply))
			err := c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, MTU: 1400}))
			var kerr *rtnl.Error
			switch {
			case err == nil:
				t.Errorf("Execute = nil, want an error")
			case tc.wantErr != "":
				if errors.As(err, &kerr) || err.Error() != tc.wantErr {
					t.Errorf("Execute = %v, want %q", err, tc.wantErr)
				}
			case !errors.As(err, &kerr) || kerr.Errno != unix.EINVAL || kerr.Msg != tc.wantMsg:
				t.Errorf("Execute = %#v, want an *Error EINVAL with Msg %q", err, tc.wantMsg)
			}
		})
	}
}

func TestInjectedRefusedReplies(t *testing.T) {
	ackOK := ack(0, 0)
	link := realMessage(t, "newlink-veth.bin", false)
	tests := []struct {
		name   string
		script []scripted
	}{
		{"sender not the kernel", []scripted{{rtnl.Datagram{Data: ackOK, Family: unix.AF_NETLINK, Pid: 77, AddrLen: 12}, true}}},
		{"not netlink", []scripted{{rtnl.Datagram{Data: ackOK, Family: unix.AF_UNIX, AddrLen: 12}, true}}},
		{"short address", []scripted{{rtnl.Datagram{Data: ackOK, Family: unix.AF_NETLINK, AddrLen: 4}, true}}},
		{"wrong port", []scripted{kernel(withHeader(ackOK, 0, 0, 1))}},
		{"future sequence", []scripted{kernel(ack(1, 0))}},
		{"multipart reply", []scripted{kernel(withHeader(link, unix.NLM_F_MULTI, 0, 0), ackOK)}},
		{"NLMSG_NOOP", []scripted{kernel(msg(unix.NLMSG_NOOP, 0, 0, 0), ackOK)}},
		{"NLMSG_OVERRUN", []scripted{kernel(msg(unix.NLMSG_OVERRUN, 0, 0, 0), ackOK)}},
		{"NLMSG_DONE", []scripted{kernel(done(0, 0))}},
		{"broken framing", []scripted{kernel(ackOK[:30])}},
		{"no answer", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := injected(nil, tc.script...)
			req := rtnl.AppendGetLink(nil, 1, "")
			binary.NativeEndian.PutUint16(req[6:], binary.NativeEndian.Uint16(req[6:])|unix.NLM_F_ACK)
			calls := 0
			err := c.Query(req, func(rtnl.Message) error { calls++; return nil })
			if err == nil || calls != 0 {
				t.Errorf("Query = %v after %d messages, want an error after 0", err, calls)
			}
		})
	}
}

func TestInjectedUnansweredRefused(t *testing.T) {
	withFlags := func(b []byte, set, clear uint16) []byte {
		f := binary.NativeEndian.Uint16(b[6:])
		binary.NativeEndian.PutUint16(b[6:], f&^clear|set)
		return b
	}
	emptyGet, start := rtnl.AppendHeader(nil, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	emptyGet = rtnl.FinishMessage(emptyGet, start)
	emptyDump, start := rtnl.AppendHeader(nil, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	emptyDump = rtnl.FinishMessage(emptyDump, start)
	nop := func(rtnl.Message) error { return nil }
	tests := []struct {
		name string
		run  func(c *rtnl.Conn) error
		sent bool
	}{
		{"SET without ACK", func(c *rtnl.Conn) error {
			return c.Query(withFlags(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, MTU: 1400}), 0, unix.NLM_F_ACK), nop)
		}, false},
		{"GET without payload", func(c *rtnl.Conn) error { return c.Query(emptyGet, nop) }, false},
		{"GET without NLM_F_REQUEST", func(c *rtnl.Conn) error {
			return c.Query(withFlags(rtnl.AppendGetLink(nil, 1, ""), 0, unix.NLM_F_REQUEST), nop)
		}, false},
		{"dump without payload", func(c *rtnl.Conn) error { return c.Dump(emptyDump, nop) }, false},
		{"GET without payload, ACK", func(c *rtnl.Conn) error {
			return c.Query(withFlags(append([]byte(nil), emptyGet...), unix.NLM_F_ACK, 0), nop)
		}, true},
		{"SET with ACK", func(c *rtnl.Conn) error {
			return c.Query(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, MTU: 1400}), nop)
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, s := injected(nil) // no answer: a sent request ends at the "deadline"
			err := tc.run(c)
			if err == nil || (s.sends == 1) != tc.sent {
				t.Errorf("%s = %v after %d sends, want an error, sent %t", tc.name, err, s.sends, tc.sent)
			}
		})
	}
}

func TestInjectedBatchAcks(t *testing.T) {
	tests := []struct {
		name    string
		acks    [][]byte
		wantErr bool
		want    string // the reports, "ok" or the errno, in order
	}{
		{"in order", [][]byte{ack(0, 0), ack(1, unix.EEXIST), ack(2, 0)}, false, "ok file exists ok"},
		{"stale first", [][]byte{ack(0xffffffff, 0), ack(0, 0), ack(1, 0), ack(2, 0)}, false, "ok ok ok"},
		{"duplicate", [][]byte{ack(0, 0), ack(0, 0), ack(2, 0)}, true, "ok"},
		{"out of order", [][]byte{ack(1, 0), ack(0, 0), ack(2, 0)}, true, ""},
		{"gap", [][]byte{ack(0, 0), ack(2, 0)}, true, "ok"},
		{"missing last", [][]byte{ack(0, 0), ack(1, 0)}, true, "ok ok"},
		// Found by FuzzReplies: messages behind the last ACK in its
		// datagram were never looked at.
		{"after the last", [][]byte{ack(0, 0), ack(1, 0), ack(2, 0), ack(3, unix.EPERM)}, true, "ok ok ok"},
		{"last twice", [][]byte{ack(0, 0), ack(1, 0), ack(2, 0), ack(2, unix.EPERM)}, true, "ok ok ok"},
		{"stale after the last", [][]byte{ack(0, 0), ack(1, 0), ack(2, 0), ack(0xffffffff, 0)}, false, "ok ok ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := injected(nil, kernel(tc.acks...))
			var reqs []byte
			for i := range 3 {
				reqs = rtnl.AppendDelLink(reqs, int32(i+1), "")
			}
			var got []string
			err := c.ExecuteBatch(reqs, func(i int, err error) {
				if i != len(got) {
					t.Errorf("report for request %d, want %d", i, len(got))
				}
				if err == nil {
					got = append(got, "ok")
				} else {
					got = append(got, errors.Unwrap(err).Error())
				}
			})
			if (err != nil) != tc.wantErr || strings.Join(got, " ") != tc.want {
				t.Errorf("ExecuteBatch = %v, reports %q; want error %t, reports %q", err, got, tc.wantErr, tc.want)
			}
		})
	}
}

// TestInjectedQueryAckOnly: a GET asking for an ACK may be acknowledged
// without a reply (the kernel's tc_get_qdisc does so for a built-in qdisc;
// found by FuzzConnGet), which Query accepts without calling fn. An ACK
// the request did not ask for is still refused.
func TestInjectedQueryAckOnly(t *testing.T) {
	for _, withAck := range []bool{true, false} {
		c, _ := injected(nil, kernel(ack(0, 0)))
		req := rtnl.AppendGetLink(nil, 1, "")
		if withAck {
			binary.NativeEndian.PutUint16(req[6:], binary.NativeEndian.Uint16(req[6:])|unix.NLM_F_ACK)
		}
		calls := 0
		err := c.Query(req, func(rtnl.Message) error { calls++; return nil })
		if (err == nil) != withAck || calls != 0 {
			t.Errorf("Query (NLM_F_ACK %t) answered by an ACK alone = %v after %d messages", withAck, err, calls)
		}
	}
}
