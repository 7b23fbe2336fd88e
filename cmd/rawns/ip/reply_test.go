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
	if len(got.ends) != 0 || len(got.addrs.keys) != 0 || len(se.res.byIndex) != 0 || out.Len() != 0 {
		t.Errorf("kept %d links, %d addresses, %d cached names from undecodable replies, printed %q",
			len(got.ends), len(got.addrs.keys), len(se.res.byIndex), out.String())
	}
}

// TestNSIDMapReturnsLookupError: an undecodable reply met by a lookup
// made while printing (netns_map_init's RTM_GETNSID per name, which link
// shows use for link-netns) is returned and ends the map; names without an
// id are left out and the first name of an id wins.
func TestNSIDMapReturnsLookupError(t *testing.T) {
	bad := badReply(errors.New("rtnl: nsid: truncated"))
	var asked []string
	m, err := nsidMap([]string{"a", "b", "c"}, func(name string) (int32, error) {
		asked = append(asked, name)
		if name == "b" {
			return -1, bad
		}
		return 1, nil
	})
	if err != bad || m != nil || strings.Join(asked, ",") != "a,b" {
		t.Errorf("nsidMap = %v, %v after asking %q; want nil, %v after a,b", m, err, asked, bad)
	}
	ids := map[string]int32{"a": -1, "b": 3, "c": 3, "d": 0}
	m, err = nsidMap([]string{"a", "b", "c", "d"}, func(name string) (int32, error) { return ids[name], nil })
	if err != nil || len(m) != 2 || m[3] != "b" || m[0] != "d" {
		t.Errorf("nsidMap = %v, %v; want map[0:d 3:b]", m, err)
	}
}
