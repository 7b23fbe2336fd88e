package rtnl_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// asIs is a datagram delivered as scripted: absolute sequence numbers and
// port ids, as notifications carry them.
func asIs(d rtnl.Datagram) scripted { return scripted{d, false} }

// event returns a datagram from the kernel holding msgs unpatched.
func event(msgs ...[]byte) scripted {
	return asIs(rtnl.KernelAddr(rtnl.Datagram{Data: rec(0, msgs...).data}))
}

// eventLog runs Events on c, stopping (StopEvents) after stop messages when
// stop > 0, and returns the types it saw and its error.
func eventLog(c *rtnl.Conn, stop int) (string, error) {
	var log []string
	err := c.Events(func(m rtnl.Message) error {
		log = append(log, map[uint16]string{unix.RTM_NEWLINK: "link", unix.RTM_NEWADDR: "addr"}[m.Header.Type])
		if len(log) == stop {
			return rtnl.StopEvents
		}
		return nil
	})
	return strings.Join(log, " "), err
}

func TestInjectedEvents(t *testing.T) {
	link := realMessage(t, "newlink-veth.bin", false)
	addr := realMessage(t, "newaddr.bin", false)
	staleAck := withHeader(ack(0, 0), 0, 99, testPid) // to a request made before Join
	c, _ := injected(nil,
		event(link, addr, link), // read in two calls: stop after the first
		event(staleAck, addr),
		asIs(rtnl.Datagram{Errno: unix.ENOBUFS}),
		event(link),
		asIs(rtnl.Datagram{Data: link, Family: unix.AF_NETLINK, Pid: 77, AddrLen: unix.SizeofSockaddrNetlink}),
		event(done(5, 0)),
		event(link[:20]),
	)
	steps := []struct {
		stop    int
		wantLog string
		wantErr func(error) bool
	}{
		{1, "link", func(err error) bool { return err == nil }},
		{3, "addr link addr", func(err error) bool { return err == nil }},
		{0, "", func(err error) bool {
			var oe *rtnl.OverrunError
			return errors.As(err, &oe) && errors.Is(err, unix.ENOBUFS)
		}},
		{0, "link", func(err error) bool { return err != nil && strings.Contains(err.Error(), "port id 77") }},
		{0, "", func(err error) bool { return err != nil && strings.Contains(err.Error(), "control message") }},
		{0, "", func(err error) bool { return err != nil && strings.Contains(err.Error(), "exceeds") }},
		{0, "", func(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }},
	}
	for i, st := range steps {
		log, err := eventLog(c, st.stop)
		if log != st.wantLog || !st.wantErr(err) {
			t.Errorf("Events call %d = %q, %v; want %q", i, log, err, st.wantLog)
		}
	}
}

func TestInjectedEventConnRefusesRequests(t *testing.T) {
	c, s := injected(nil)
	c.MarkJoined()
	for _, tc := range requestKinds() {
		if err := tc.run(c); !errors.Is(err, rtnl.ErrEventConn) {
			t.Errorf("%s on an event Conn = %v, want ErrEventConn", tc.name, err)
		}
	}
	if _, err := c.LinkIndex("lo"); !errors.Is(err, rtnl.ErrEventConn) {
		t.Errorf("LinkIndex on an event Conn = %v, want ErrEventConn", err)
	}
	if s.sends != 0 {
		t.Errorf("an event Conn sent %d requests, want 0", s.sends)
	}
}

// FuzzEvents reads fuzzed datagrams (see decodeScript; none is patched)
// with Events and checks that only notifications reach the callback: whole
// messages of whole datagrams from the kernel, of a data type, not
// carrying the Conn's port id; and that every call ends (the script ends
// with a deadline error, after which Events must not wait again).
func FuzzEvents(f *testing.F) {
	link, addr := realMessage(f, "newlink-veth.bin", false), realMessage(f, "newaddr.bin", false)
	f.Add(uint8(1), encodeScript(rec(0, link, addr), rec(ctlErrno|ctlENOBUFS), rec(0, link)))
	f.Add(uint8(0), encodeScript(rec(0, withHeader(ack(0, 0), 0, 1, testPid), addr), rec(ctlUser, link)))
	f.Add(uint8(2), encodeScript(rec(0, done(1, 0)), rec(0, link[:20]), rec(ctlShort, link)))
	f.Fuzz(func(t *testing.T, stop uint8, script []byte) {
		sc := decodeScript(script)
		for i := range sc {
			sc[i].patch = false
		}
		c, s := injected(&rtnl.Config{BufferSize: 256}, sc...)
		for call := 0; call <= len(sc); call++ {
			n := 0
			err := c.Events(func(m rtnl.Message) error {
				n++
				last := s.got[len(s.got)-1]
				switch h := m.Header; {
				case !last.valid():
					t.Fatalf("event %+v from an invalid datagram (errno %d, pid %d, family %d, addrlen %d)", h, last.Errno, last.Pid, last.Family, last.AddrLen)
				case h.Type < unix.NLMSG_MIN_TYPE:
					t.Fatalf("control message %+v delivered as an event", h)
				case h.PortID == testPid:
					t.Fatalf("reply %+v delivered as an event", h)
				}
				if n == int(stop) {
					return rtnl.StopEvents
				}
				return nil
			})
			if s.ended > 1 {
				t.Fatalf("%d receives after the deadline error", s.ended)
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
		}
	})
}
