package rtnl_test

import (
	"net/netip"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// linkWith returns an RTM_NEWLINK payload for index 3 with the attributes
// add appends.
func linkWith(add func(b []byte) []byte) []byte {
	b := rtnl.AppendIfInfomsg(nil, rtnl.IfInfomsg{Index: 3})
	return add(b)
}

// TestLinkMoveAndAliasAccessors checks the accessors `ip link` needs for
// alias, protodown, moved links and alternative names, on a message laid
// out as the kernel sends them (rtnl_fill_ifinfo, rtnl_fill_prop_list).
func TestLinkMoveAndAliasAccessors(t *testing.T) {
	data := linkWith(func(b []byte) []byte {
		b = rtnl.AppendAttrString(b, unix.IFLA_IFNAME, "v0")
		b = rtnl.AppendAttrString(b, unix.IFLA_IFALIAS, "uplink")
		b = rtnl.AppendAttrUint8(b, unix.IFLA_PROTO_DOWN, 1)
		b = rtnl.AppendAttrInt32(b, unix.IFLA_NEW_NETNSID, 5)
		b = rtnl.AppendAttrInt32(b, unix.IFLA_NEW_IFINDEX, 42)
		b, s := rtnl.BeginNest(b, unix.IFLA_PROP_LIST|unix.NLA_F_NESTED)
		b = rtnl.AppendAttrString(b, unix.IFLA_ALT_IFNAME, "first-alt")
		b = rtnl.AppendAttrString(b, unix.IFLA_ALT_IFNAME, "second-alt")
		return rtnl.EndNest(b, s)
	})
	l, err := rtnl.ParseLink(data)
	if err != nil {
		t.Fatalf("ParseLink: %v", err)
	}
	nsid, okNS := l.NewNetNSID()
	idx, okIdx := l.NewIfIndex()
	var alts []string
	it := l.AltNames()
	for it.Next() {
		if it.Type() == unix.IFLA_ALT_IFNAME {
			alts = append(alts, string(it.Data()[:len(it.Data())-1]))
		}
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"IfAlias", string(l.IfAlias()), "uplink"},
		{"ProtoDown", l.ProtoDown(), true},
		{"NewNetNSID", [2]any{nsid, okNS}, [2]any{int32(5), true}},
		{"NewIfIndex", [2]any{idx, okIdx}, [2]any{int32(42), true}},
		{"AltNames", fmtList(alts), "first-alt,second-alt"},
		{"AltNames.Err", it.Err(), nil},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}

	// Absent, and protodown off.
	l, err = rtnl.ParseLink(linkWith(func(b []byte) []byte {
		return rtnl.AppendAttrUint8(b, unix.IFLA_PROTO_DOWN, 0)
	}))
	if err != nil {
		t.Fatalf("ParseLink: %v", err)
	}
	_, okNS = l.NewNetNSID()
	_, okIdx = l.NewIfIndex()
	it = l.AltNames()
	if l.ProtoDown() || okNS || okIdx || l.IfAlias() != nil || it.Next() {
		t.Errorf("empty link: ProtoDown %t, NewNetNSID %t, NewIfIndex %t, IfAlias %q, AltNames not empty %t",
			l.ProtoDown(), okNS, okIdx, l.IfAlias(), it.Next())
	}
}

func fmtList(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

// TestLinkNewAttrsMalformed: the attributes the new accessors read are
// checked by ParseLink like the others.
func TestLinkNewAttrsMalformed(t *testing.T) {
	tests := []struct {
		name string
		add  func(b []byte) []byte
	}{
		{"PROTO_DOWN of 4 bytes", func(b []byte) []byte { return rtnl.AppendAttrUint32(b, unix.IFLA_PROTO_DOWN, 1) }},
		{"NEW_NETNSID of 2 bytes", func(b []byte) []byte { return rtnl.AppendAttrUint16(b, unix.IFLA_NEW_NETNSID, 1) }},
		{"NEW_IFINDEX of 1 byte", func(b []byte) []byte { return rtnl.AppendAttrUint8(b, unix.IFLA_NEW_IFINDEX, 1) }},
		{"PROP_LIST with a bad length", func(b []byte) []byte {
			b, s := rtnl.BeginNest(b, unix.IFLA_PROP_LIST)
			b = rtnl.AppendAttrString(b, unix.IFLA_ALT_IFNAME, "alt")
			b = rtnl.EndNest(b, s)
			b[len(b)-8] = 60 // the ALT_IFNAME length now overruns PROP_LIST
			return b
		}},
	}
	for _, tc := range tests {
		if _, err := rtnl.ParseLink(linkWith(tc.add)); err == nil {
			t.Errorf("ParseLink(%s) = nil error, want one", tc.name)
		} else {
			t.Logf("%s: %v", tc.name, err)
		}
	}
}

// nsidMsg returns an RTM_NEWNSID payload with the attributes add appends.
func nsidMsg(add func(b []byte) []byte) []byte {
	return add(rtnl.AppendRtgenmsg(nil, unix.AF_UNSPEC))
}

// TestParseNetNSID checks both ids of an answer relative to a target
// namespace, as `ip netns list-id target-nsid N` gets it, and a plain one.
func TestParseNetNSID(t *testing.T) {
	n, err := rtnl.ParseNetNSID(nsidMsg(func(b []byte) []byte {
		b = rtnl.AppendAttrInt32(b, unix.NETNSA_NSID, 2)
		return rtnl.AppendAttrInt32(b, unix.NETNSA_CURRENT_NSID, -1)
	}))
	if err != nil {
		t.Fatalf("ParseNetNSID: %v", err)
	}
	id, okID := n.NSID()
	cur, okCur := n.CurrentNSID()
	if id != 2 || !okID || cur != -1 || !okCur {
		t.Errorf("NSID, CurrentNSID = %d %t, %d %t; want 2 true, -1 true", id, okID, cur, okCur)
	}
	n, err = rtnl.ParseNetNSID(nsidMsg(func(b []byte) []byte {
		return rtnl.AppendAttrInt32(b, unix.NETNSA_NSID, 7)
	}))
	id, okID = n.NSID()
	_, okCur = n.CurrentNSID()
	if err != nil || id != 7 || !okID || okCur {
		t.Errorf("plain answer: NSID %d %t, CurrentNSID present %t, err %v; want 7 true, false, nil", id, okID, okCur, err)
	}
	msg := nsidMsg(func(b []byte) []byte { return rtnl.AppendAttrInt32(b, unix.NETNSA_CURRENT_NSID, 1) })
	if n := testing.AllocsPerRun(100, func() {
		v, _ := rtnl.ParseNetNSID(msg)
		c, _ := v.CurrentNSID()
		sinkU32 = uint32(c)
	}); n != 0 {
		t.Errorf("ParseNetNSID allocates %v times per run, want 0", n)
	}
	for name, data := range map[string][]byte{
		"short":                   {0, 0},
		"CURRENT_NSID of 2 bytes": nsidMsg(func(b []byte) []byte { return rtnl.AppendAttrUint16(b, unix.NETNSA_CURRENT_NSID, 1) }),
		"NSID of 8 bytes":         nsidMsg(func(b []byte) []byte { return rtnl.AppendAttr(b, unix.NETNSA_NSID, make([]byte, 8)) }),
	} {
		if _, err := rtnl.ParseNetNSID(data); err == nil {
			t.Errorf("ParseNetNSID(%s) = nil error, want one", name)
		}
	}
}

// TestAddressAnycastAndPriority checks IFA_ANYCAST and IFA_RT_PRIORITY
// (`ip addr` prints "any A" and "metric N"), and their size checks.
func TestAddressAnycastAndPriority(t *testing.T) {
	b := rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET6, PrefixLen: 64, Index: 2})
	b = rtnl.AppendAttrAddr(b, unix.IFA_ADDRESS, netip.MustParseAddr("2001:db8::1"))
	b = rtnl.AppendAttrAddr(b, unix.IFA_ANYCAST, netip.MustParseAddr("2001:db8::"))
	b = rtnl.AppendAttrUint32(b, unix.IFA_RT_PRIORITY, 300)
	a, err := rtnl.ParseAddr(b)
	if err != nil {
		t.Fatalf("ParseAddr: %v", err)
	}
	prio, ok := a.RtPriority()
	if got := a.Anycast().String(); got != "2001:db8::" || prio != 300 || !ok {
		t.Errorf("Anycast, RtPriority = %s, %d %t; want 2001:db8::, 300 true", got, prio, ok)
	}
	a, err = rtnl.ParseAddr(rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET}))
	if _, ok := a.RtPriority(); err != nil || ok || a.Anycast().IsValid() {
		t.Errorf("bare message: RtPriority present %t, Anycast %v, err %v", ok, a.Anycast(), err)
	}
	for name, add := range map[string]func([]byte) []byte{
		"IPv4 ANYCAST of 16 bytes": func(b []byte) []byte { return rtnl.AppendAttr(b, unix.IFA_ANYCAST, make([]byte, 16)) },
		"RT_PRIORITY of 2 bytes":   func(b []byte) []byte { return rtnl.AppendAttrUint16(b, unix.IFA_RT_PRIORITY, 1) },
	} {
		if _, err := rtnl.ParseAddr(add(rtnl.AppendIfAddrmsg(nil, rtnl.IfAddrmsg{Family: unix.AF_INET}))); err == nil {
			t.Errorf("ParseAddr(%s) = nil error, want one", name)
		}
	}
}
