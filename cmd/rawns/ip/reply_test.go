package ip

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestUndecodableReply feeds the show stream replies rtnl refuses, as a
// broken kernel could send them: each is a *replyError, which reports a
// clear message and exits 1, and nothing is kept or printed.
func TestUndecodableReply(t *testing.T) {
	link := rtnl.AppendIfInfomsg(nil, rtnl.IfInfomsg{Index: 3})
	link = rtnl.AppendAttrString(link, unix.IFLA_IFNAME, "v0")
	link = rtnl.AppendAttrUint16(link, unix.IFLA_MTU, 1500) // 2 bytes: wrong size
	addr := rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET, Index: 3})
	addr = rtnl.AppendAttr(addr, unix.IFA_LOCAL, make([]byte, 16)) // IPv6 size in an IPv4 message
	var out bytes.Buffer
	se := &env{stdout: bufio.NewWriter(&out), stderr: &bytes.Buffer{}}
	f := showFilter{}
	got := newLinkStream(se, newPrinter(se), &f, false)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"link with a 2-byte IFLA_MTU", got.link(unix.RTM_NEWLINK, link)},
		{"short link", got.link(unix.RTM_NEWLINK, link[:10])},
		{"IPv4 address of 16 bytes", got.addrs.take(unix.RTM_NEWADDR, addr)},
	} {
		var re *replyError
		if !errors.As(tc.err, &re) {
			t.Errorf("%s: error %v, want a *replyError", tc.name, tc.err)
			continue
		}
		var errb bytes.Buffer
		e := &env{stdout: bufio.NewWriter(&bytes.Buffer{}), stderr: &errb}
		if code := report(e, tc.err); code != exitFail || !strings.HasPrefix(errb.String(), "rawns: cannot decode the kernel's reply: rtnl: ") {
			t.Errorf("%s: report printed %q, exit %d", tc.name, errb.String(), code)
		}
	}
	got.finish()
	se.stdout.Flush()
	if len(got.ends) != 0 || len(got.addrs.ents) != 0 || len(se.res.byIndex) != 0 || out.Len() != 0 {
		t.Errorf("kept %d links, %d addresses, %d cached names from undecodable replies, printed %q",
			len(got.ends), len(got.addrs.ents), len(se.res.byIndex), out.String())
	}
}

// TestLookupReplyErrorFailsCommand: an undecodable reply met by a lookup
// that cannot return an error (indexToName while printing) fails the
// command that made it, once.
func TestLookupReplyErrorFailsCommand(t *testing.T) {
	e := &env{stdout: bufio.NewWriter(&bytes.Buffer{}), stderr: &bytes.Buffer{}}
	bad := badReply(errors.New("rtnl: link 7: truncated"))
	if err := e.res.noteBad(bad); err != bad {
		t.Fatalf("noteBad returned %v, want its argument", err)
	}
	e.res.noteBad(badReply(errors.New("second"))) // the first one is kept
	e.res.noteBad(errors.New("not a reply error"))
	if err := doCmd(e, []string{"netns", "list"}); err != bad {
		t.Errorf("doCmd = %v, want the undecodable reply %v", err, bad)
	}
	if e.res.bad != nil {
		t.Errorf("bad = %v after doCmd, want it cleared", e.res.bad)
	}
}
