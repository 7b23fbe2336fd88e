package fuzz_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/rtnl"
)

// The typed views (rtnl.ParseLink, ParseAddr, ParseNetNSID) are checked
// against a reference table built from mdlayher/netlink's attribute walk,
// by these rules, which are the kernel's nla_parse rules:
//
//  1. The attribute walk must be acceptable by compareAttrs' rules
//     (mdlayher accepts it and it has no zero-length attribute); otherwise
//     the view is an error.
//  2. Types are matched without NLA_F_NESTED and NLA_F_NET_BYTEORDER, and
//     the first occurrence of a type wins.
//  3. Strings end at their first NUL, as the kernel's nla_strscpy and
//     iproute2's rta_getattr_str read them. (mdlayher's String trims only
//     trailing NULs; the views deliberately differ there.)
//  4. A known fixed-size attribute of another size is an error: u32 and u8
//     link attributes (IFLA_PROTO_DOWN and IFLA_NEW_* among them),
//     IFA_FLAGS, IFA_RT_PRIORITY, IFA_CACHEINFO, and IFA_ADDRESS,
//     IFA_LOCAL, IFA_BROADCAST and IFA_ANYCAST whose size does not fit an
//     AF_INET or AF_INET6 family; NETNSA_NSID and NETNSA_CURRENT_NSID.

// refTable is the first occurrence of each attribute type in b, by rules 1
// and 2; ok is false when the walk is not acceptable.
func refTable(b []byte) (first map[uint16][]byte, ok bool) {
	w := refAttrs(b)
	if w.err != nil || w.firstZero() >= 0 {
		return nil, false
	}
	first = make(map[uint16][]byte)
	for _, a := range w.attrs {
		t := a.typ & 0x3fff
		if _, seen := first[t]; !seen {
			first[t] = a.data
		}
	}
	return first, true
}

// cstring returns b up to its first NUL (rule 3).
func cstring(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// sameOpt compares an optional value from a view with the reference.
func sameOpt[T comparable](name string, got T, gotOK bool, want T, wantOK bool) error {
	if got != want || gotOK != wantOK {
		return fmt.Errorf("%s = %v, %t, want %v, %t", name, got, gotOK, want, wantOK)
	}
	return nil
}

// sameBytes compares a byte view with the reference, nil meaning absent.
func sameBytes(name string, got, want []byte) error {
	if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
		return fmt.Errorf("%s = %q (nil %t), want %q (nil %t)", name, got, got == nil, want, want == nil)
	}
	return nil
}

// refU32 reads a reference u32 attribute; ok reports presence.
func refU32(first map[uint16][]byte, typ uint16) (uint32, bool) {
	v, ok := first[typ]
	if !ok || len(v) != 4 {
		return 0, false
	}
	return binary.NativeEndian.Uint32(v), true
}

// refU8 reads a reference u8 attribute; ok reports presence.
func refU8(first map[uint16][]byte, typ uint16) (uint8, bool) {
	v, ok := first[typ]
	if !ok || len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

// compareLink checks rtnl.ParseLink(data) against the reference.
func compareLink(data []byte) error {
	l, err := rtnl.ParseLink(data)
	if len(data) < 16 {
		if err == nil {
			return fmt.Errorf("ParseLink accepted %d bytes, shorter than ifinfomsg", len(data))
		}
		return nil
	}
	first, ok := refTable(data[16:])
	why := "malformed attributes (rule 1)"
	if ok {
		for typ, n := range map[uint16]int{
			unix.IFLA_MTU: 4, unix.IFLA_TXQLEN: 4, unix.IFLA_MASTER: 4, unix.IFLA_LINK: 4,
			unix.IFLA_LINK_NETNSID: 4, unix.IFLA_GROUP: 4, unix.IFLA_OPERSTATE: 1, unix.IFLA_LINKMODE: 1,
			unix.IFLA_NEW_NETNSID: 4, unix.IFLA_NEW_IFINDEX: 4, unix.IFLA_PROTO_DOWN: 1,
		} {
			if v, has := first[typ]; has && len(v) != n {
				ok, why = false, fmt.Sprintf("attribute %d has %d bytes, want %d (rule 4)", typ, len(v), n)
			}
		}
	}
	var kind []byte
	if info, has := first[unix.IFLA_LINKINFO]; ok && has {
		inner, iok := refTable(info)
		if !iok {
			ok, why = false, "malformed IFLA_LINKINFO (rule 1)"
		} else if k, has := inner[unix.IFLA_INFO_KIND]; has {
			kind = cstring(k)
		}
	}
	var alts [][]byte
	if props, has := first[unix.IFLA_PROP_LIST]; ok && has {
		w := refAttrs(props)
		if w.err != nil || w.firstZero() >= 0 {
			ok, why = false, "malformed IFLA_PROP_LIST (rule 1)"
		}
		for _, a := range w.attrs {
			alts = append(alts, a.data)
		}
	}
	if ok != (err == nil) {
		return fmt.Errorf("ParseLink error = %v, want error %t (%s)", err, !ok, why)
	}
	if !ok {
		return nil
	}
	if l.Family != data[0] || l.Type != binary.NativeEndian.Uint16(data[2:]) ||
		l.Index != int32(binary.NativeEndian.Uint32(data[4:])) ||
		l.Flags != binary.NativeEndian.Uint32(data[8:]) || l.Change != binary.NativeEndian.Uint32(data[12:]) {
		return fmt.Errorf("ifinfomsg = %+v, want % x", l.IfInfomsg, data[:16])
	}
	_ = rtnl.IfFlags(l.Flags).String()
	for typ := uint16(0); typ <= unix.IFLA_PERM_ADDRESS; typ++ {
		want, has := first[typ]
		if !has {
			want = nil
		}
		if err := sameBytes(fmt.Sprintf("Attr(%d)", typ), l.Attr(typ), want); err != nil {
			return err
		}
	}
	for _, typ := range []uint16{unix.IFLA_PERM_ADDRESS + 1, 100, 0x3fff, 0xffff} {
		if v := l.Attr(typ); v != nil && !bytes.Equal(v, first[typ&0x3fff]) {
			return fmt.Errorf("Attr(%d) = % x, want nil or the first attribute of that type", typ, v)
		}
	}
	for _, c := range []struct {
		name      string
		got, want []byte
	}{
		{"Name()", l.Name(), cstring(first[unix.IFLA_IFNAME])},
		{"Qdisc()", l.Qdisc(), cstring(first[unix.IFLA_QDISC])},
		{"Address()", l.Address(), first[unix.IFLA_ADDRESS]},
		{"Broadcast()", l.Broadcast(), first[unix.IFLA_BROADCAST]},
		{"PermAddr()", l.PermAddr(), first[unix.IFLA_PERM_ADDRESS]},
		{"Kind()", l.Kind(), kind},
		{"IfAlias()", l.IfAlias(), cstring(first[unix.IFLA_IFALIAS])},
	} {
		if !bytes.Equal(c.got, c.want) {
			return fmt.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	u32s := []struct {
		name string
		typ  uint16
		get  func() (uint32, bool)
	}{
		{"MTU()", unix.IFLA_MTU, l.MTU},
		{"TxQLen()", unix.IFLA_TXQLEN, l.TxQLen},
		{"Group()", unix.IFLA_GROUP, l.Group},
		{"Master()", unix.IFLA_MASTER, func() (uint32, bool) { v, ok := l.Master(); return uint32(v), ok }},
		{"LinkIndex()", unix.IFLA_LINK, func() (uint32, bool) { v, ok := l.LinkIndex(); return uint32(v), ok }},
		{"LinkNetNSID()", unix.IFLA_LINK_NETNSID, func() (uint32, bool) { v, ok := l.LinkNetNSID(); return uint32(v), ok }},
		{"NewNetNSID()", unix.IFLA_NEW_NETNSID, func() (uint32, bool) { v, ok := l.NewNetNSID(); return uint32(v), ok }},
		{"NewIfIndex()", unix.IFLA_NEW_IFINDEX, func() (uint32, bool) { v, ok := l.NewIfIndex(); return uint32(v), ok }},
	}
	for _, c := range u32s {
		got, gotOK := c.get()
		want, wantOK := refU32(first, c.typ)
		if err := sameOpt(c.name, got, gotOK, want, wantOK); err != nil {
			return err
		}
	}
	got, gotOK := l.OperState()
	want, wantOK := refU8(first, unix.IFLA_OPERSTATE)
	if err := sameOpt("OperState()", got, gotOK, want, wantOK); err != nil {
		return err
	}
	got, gotOK = l.LinkMode()
	want, wantOK = refU8(first, unix.IFLA_LINKMODE)
	if err := sameOpt("LinkMode()", got, gotOK, want, wantOK); err != nil {
		return err
	}
	pd, _ := refU8(first, unix.IFLA_PROTO_DOWN)
	if l.ProtoDown() != (pd != 0) {
		return fmt.Errorf("ProtoDown() = %t, want %t", l.ProtoDown(), pd != 0)
	}
	it := l.AltNames()
	for i := 0; ; i++ {
		if !it.Next() {
			if it.Err() != nil || i != len(alts) {
				return fmt.Errorf("AltNames() ended after %d attributes (err %v), want %d", i, it.Err(), len(alts))
			}
			return nil
		}
		if i >= len(alts) || !bytes.Equal(it.Data(), alts[i]) {
			return fmt.Errorf("AltNames() attribute %d = %q, want the reference's", i, it.Data())
		}
	}
}

// compareAddr checks rtnl.ParseAddr(data) against the reference.
func compareAddr(data []byte) error {
	a, err := rtnl.ParseAddr(data)
	if len(data) < 8 {
		if err == nil {
			return fmt.Errorf("ParseAddr accepted %d bytes, shorter than ifaddrmsg", len(data))
		}
		return nil
	}
	first, ok := refTable(data[8:])
	why := "malformed attributes (rule 1)"
	alen := map[uint8]int{unix.AF_INET: 4, unix.AF_INET6: 16}[data[0]]
	sizes := map[uint16]int{unix.IFA_FLAGS: 4, unix.IFA_CACHEINFO: 16, unix.IFA_RT_PRIORITY: 4}
	if alen != 0 {
		for _, typ := range []uint16{unix.IFA_ADDRESS, unix.IFA_LOCAL, unix.IFA_BROADCAST, unix.IFA_ANYCAST} {
			sizes[typ] = alen
		}
	}
	for typ, n := range sizes {
		if v, has := first[typ]; ok && has && len(v) != n {
			ok, why = false, fmt.Sprintf("attribute %d has %d bytes, want %d (rule 4)", typ, len(v), n)
		}
	}
	if ok != (err == nil) {
		return fmt.Errorf("ParseAddr error = %v, want error %t (%s)", err, !ok, why)
	}
	if !ok {
		return nil
	}
	if a.Family != data[0] || a.PrefixLen != data[1] || a.IfAddrmsg.Flags != data[2] || a.Scope != data[3] ||
		a.Index != int32(binary.NativeEndian.Uint32(data[4:])) {
		return fmt.Errorf("ifaddrmsg = %+v, want % x", a.IfAddrmsg, data[:8])
	}
	for typ := uint16(0); typ <= 11; typ++ { // through IFA_PROTO (include/uapi/linux/if_addr.h)
		want, has := first[typ]
		if !has {
			want = nil
		}
		if err := sameBytes(fmt.Sprintf("Attr(%d)", typ), a.Attr(typ), want); err != nil {
			return err
		}
	}
	addr := func(typ uint16) netip.Addr {
		ip, _ := netip.AddrFromSlice(first[typ]) // 4 or 16 bytes, else invalid
		return ip
	}
	for _, c := range []struct {
		name      string
		got, want netip.Addr
	}{
		{"Local()", a.Local(), addr(unix.IFA_LOCAL)},
		{"Address()", a.Address(), addr(unix.IFA_ADDRESS)},
		{"Broadcast()", a.Broadcast(), addr(unix.IFA_BROADCAST)},
		{"Anycast()", a.Anycast(), addr(unix.IFA_ANYCAST)},
	} {
		if c.got != c.want {
			return fmt.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	ip := addr(unix.IFA_LOCAL)
	if !ip.IsValid() {
		ip = addr(unix.IFA_ADDRESS)
	}
	if got, want := a.Prefix(), netip.PrefixFrom(ip, int(data[1])); got != want {
		return fmt.Errorf("Prefix() = %v, want %v", got, want)
	}
	prio, prioOK := a.RtPriority()
	wantPrio, wantPrioOK := refU32(first, unix.IFA_RT_PRIORITY)
	if err := sameOpt("RtPriority()", prio, prioOK, wantPrio, wantPrioOK); err != nil {
		return err
	}
	if got := a.Label(); !bytes.Equal(got, cstring(first[unix.IFA_LABEL])) {
		return fmt.Errorf("Label() = %q, want %q", got, cstring(first[unix.IFA_LABEL]))
	}
	flags, has := refU32(first, unix.IFA_FLAGS)
	if !has {
		flags = uint32(data[2])
	}
	if got := a.Flags(); got != flags {
		return fmt.Errorf("Flags() = %#x, want %#x", got, flags)
	}
	valid, preferred, ok := a.CacheInfo()
	ci, has := first[unix.IFA_CACHEINFO]
	var wv, wp uint32
	if has { // struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp
		wp, wv = binary.NativeEndian.Uint32(ci[0:]), binary.NativeEndian.Uint32(ci[4:])
	}
	if valid != wv || preferred != wp || ok != has {
		return fmt.Errorf("CacheInfo() = %d, %d, %t, want %d, %d, %t", valid, preferred, ok, wv, wp, has)
	}
	return nil
}

// compareNSID checks rtnl.ParseNetNSID(data) against the reference: an
// rtgenmsg padded to 4 bytes, then NETNSA_* attributes of which
// NETNSA_NSID and NETNSA_CURRENT_NSID, when present, are 4 bytes.
func compareNSID(data []byte) error {
	n, err := rtnl.ParseNetNSID(data)
	if len(data) < 4 {
		if err == nil {
			return fmt.Errorf("ParseNetNSID accepted %d bytes, shorter than rtgenmsg", len(data))
		}
		return nil
	}
	first, ok := refTable(data[4:])
	v, wantHas := first[unix.NETNSA_NSID]
	if ok && wantHas && len(v) != 4 {
		ok = false
	}
	if c, has := first[unix.NETNSA_CURRENT_NSID]; ok && has && len(c) != 4 {
		ok = false
	}
	if ok != (err == nil) {
		return fmt.Errorf("ParseNetNSID error = %v, want error %t", err, !ok)
	}
	if !ok {
		return nil
	}
	want, _ := refU32(first, unix.NETNSA_NSID)
	nsid, has := n.NSID()
	if err := sameOpt("NSID()", nsid, has, int32(want), wantHas); err != nil {
		return err
	}
	cur, curOK := n.CurrentNSID()
	wantCur, wantCurOK := refU32(first, unix.NETNSA_CURRENT_NSID)
	return sameOpt("CurrentNSID()", cur, curOK, int32(wantCur), wantCurOK)
}

// viewAllocs fails when a view of well-formed data allocates.
func viewAllocs(t *testing.T, name string, parse func() error) {
	t.Helper()
	if parse() != nil {
		return
	}
	noAllocs(t, name, func() { _ = parse() })
}

// FuzzLink feeds arbitrary bytes to rtnl.ParseLink as an RTM_NEWLINK
// payload and compares every accessor with the reference (compareLink).
func FuzzLink(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 16))
	f.Add(append(make([]byte, 16), 0x08, 0x00, 0x04, 0x00, 0xdc, 0x05, 0x00, 0x00))                     // IFLA_MTU 1500
	f.Add(append(make([]byte, 16), 0x05, 0x00, 0x04, 0x00, 0xdc))                                       // IFLA_MTU of 1 byte
	f.Add(append(make([]byte, 16), 0x0c, 0x00, 0x12, 0x80, 0x09, 0x00, 0x01, 0x00, 'v', 'e', 't', 'h')) // KIND cut short
	var n int
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := compareLink(data); err != nil {
			t.Fatalf("ParseLink(% x): %v", data, err)
		}
		if n++; n%64 == 1 {
			viewAllocs(t, "ParseLink", func() error { _, err := rtnl.ParseLink(data); return err })
		}
	})
}

// FuzzAddr feeds arbitrary bytes to rtnl.ParseAddr as an RTM_NEWADDR
// payload and compares every accessor with the reference (compareAddr).
func FuzzAddr(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 24, 0, 0, 3, 0, 0, 0, 8, 0, 2, 0, 10, 9, 0, 1, 8, 0, 1, 0, 10, 9, 0, 1})
	f.Add([]byte{10, 64, 0, 0, 3, 0, 0, 0, 8, 0, 2, 0, 10, 9, 0, 1})   // IPv4 size in an AF_INET6 message
	f.Add([]byte{2, 24, 0x80, 0, 3, 0, 0, 0, 8, 0, 8, 0, 0, 1, 0, 0})  // IFA_FLAGS overrides ifa_flags
	f.Add([]byte{2, 24, 0, 0, 3, 0, 0, 0, 8, 0, 3, 0, 'a', 0, 'b', 0}) // IFA_LABEL with an inner NUL
	var n int
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := compareAddr(data); err != nil {
			t.Fatalf("ParseAddr(% x): %v", data, err)
		}
		if n++; n%64 == 1 {
			viewAllocs(t, "ParseAddr", func() error { _, err := rtnl.ParseAddr(data); return err })
		}
	})
}

// FuzzNSID feeds arbitrary bytes to rtnl.ParseNetNSID as an RTM_NEWNSID
// payload and compares the result with the reference (compareNSID).
func FuzzNSID(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 8, 0, 1, 0, 5, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 6, 0, 1, 0, 5, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := compareNSID(data); err != nil {
			t.Fatalf("ParseNetNSID(% x): %v", data, err)
		}
		viewAllocs(t, "ParseNetNSID", func() error { _, err := rtnl.ParseNetNSID(data); return err })
	})
}
