package bench_test

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// hw renders a hardware address the way `ip link` does; nil is "-".
func hw(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	return net.HardwareAddr(b).String()
}

// TestDecodeAgree checks that the three decoders read the same values
// from the captured link dump, field by field, for the fields each library
// offers: the decode benchmarks then compare the same work.
func TestDecodeAgree(t *testing.T) {
	_, linkDump, addrDump := decodeInputs(t)

	var raw []rawnsLink
	if _, err := rawnsDecodeLinks(linkDump, func(v rawnsLink) { raw = append(raw, v) }); err != nil {
		t.Fatal(err)
	}
	vish, err := vishDecodeLinks(linkDump)
	if err != nil {
		t.Fatal(err)
	}
	jsim, err := jsimDecodeLinks(linkDump)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 3 || len(vish) != len(raw) || len(jsim) != len(raw) {
		t.Fatalf("links decoded: rawns %d, vishvananda %d, jsimonetti %d; want 3 each", len(raw), len(vish), len(jsim))
	}
	for i, r := range raw {
		kind := string(r.Kind)
		if kind == "" {
			kind = "device" // vishvananda's type for a link without IFLA_LINKINFO
		}
		// The fields all three decode.
		want := fmt.Sprintf("%d %s flags=%#x mtu=%d qlen=%d master=%d link=%d oper=%d group=%d addr=%s perm=%s",
			r.Index, r.Name, r.Flags, r.MTU, r.TxQLen, r.Master, r.Link, r.OperState, r.Group, hw(r.Addr), hw(r.Perm))
		a := vish[i].Attrs()
		// vishvananda keeps IFLA_ADDRESS only when it is not all zeros.
		vwant := want
		if !slices.ContainsFunc(r.Addr, func(b byte) bool { return b != 0 }) {
			vwant = strings.Replace(want, "addr="+hw(r.Addr), "addr=-", 1)
		}
		got := fmt.Sprintf("%d %s flags=%#x mtu=%d qlen=%d master=%d link=%d oper=%d group=%d addr=%s perm=%s",
			a.Index, a.Name, a.RawFlags, a.MTU, a.TxQLen, a.MasterIndex, a.ParentIndex, a.OperState, a.Group,
			hw(a.HardwareAddr), hw(a.PermHWAddr))
		if got != vwant {
			t.Errorf("link %d: vishvananda read %q, rawns %q", i, got, vwant)
		}
		if vk := vish[i].Type(); vk != kind {
			t.Errorf("link %d: vishvananda kind %q, rawns %q", i, vk, kind)
		}
		if a.NetNsID != int(r.NetNSID) {
			t.Errorf("link %d: vishvananda netnsid %d, rawns %d", i, a.NetNsID, r.NetNSID)
		}
		j := jsim[i].Attributes
		var master, qlen, group uint32
		var mode uint8
		if j.Master != nil {
			master = *j.Master
		}
		if j.TxQueueLen != nil {
			qlen = *j.TxQueueLen
		}
		if j.NetDevGroup != nil {
			group = *j.NetDevGroup
		}
		if j.LinkMode != nil {
			mode = *j.LinkMode
		}
		var jkind string
		if j.Info != nil {
			jkind = j.Info.Kind
		}
		got = fmt.Sprintf("%d %s flags=%#x mtu=%d qlen=%d master=%d link=%d oper=%d group=%d addr=%s perm=%s",
			jsim[i].Index, j.Name, jsim[i].Flags, j.MTU, qlen, master, j.Type, j.OperationalState, group,
			hw(j.Address), hw(j.PermAddress))
		if got != want {
			t.Errorf("link %d: jsimonetti read %q, rawns %q", i, got, want)
		}
		// The fields only rawns and jsimonetti decode.
		got = fmt.Sprintf("type=%d qdisc=%s brd=%s mode=%d kind=%s", jsim[i].Type, j.QueueDisc, hw(j.Broadcast), mode, jkind)
		want = fmt.Sprintf("type=%d qdisc=%s brd=%s mode=%d kind=%s", r.Type, r.Qdisc, hw(r.Brd), r.LinkMode, r.Kind)
		if got != want {
			t.Errorf("link %d: jsimonetti read %q, rawns %q", i, got, want)
		}
	}
	if n := string(raw[2].Name); n != "veth0" || string(raw[2].Kind) != "veth" || raw[2].Link != raw[1].Index {
		t.Errorf("link 2 = %s kind %s link %d, want veth0 kind veth linked to %d", n, raw[2].Kind, raw[2].Link, raw[1].Index)
	}

	var rawA []rawnsAddr
	if _, err := rawnsDecodeAddrs(addrDump, func(v rawnsAddr) { rawA = append(rawA, v) }); err != nil {
		t.Fatal(err)
	}
	vishA, err := vishDecodeAddrs(addrDump)
	if err != nil {
		t.Fatal(err)
	}
	jsimA, err := jsimDecodeAddrs(addrDump)
	if err != nil {
		t.Fatal(err)
	}
	if len(vishA) != len(rawA) || len(jsimA) != len(rawA) {
		t.Fatalf("addresses decoded: rawns %d, vishvananda %d, jsimonetti %d", len(rawA), len(vishA), len(jsimA))
	}
	var prefixes []string
	for i, r := range rawA {
		ip := r.Local
		if !ip.IsValid() {
			ip = r.Peer
		}
		prefix := netip.PrefixFrom(ip, int(r.PrefixLen)).String()
		prefixes = append(prefixes, prefix)
		brd := "-"
		if r.Brd.IsValid() {
			brd = r.Brd.String()
		}
		want := fmt.Sprintf("%d %s brd=%s scope=%d flags=%#x label=%s valid=%d pref=%d",
			r.Index, prefix, brd, r.Scope, r.Flags, r.Label, r.Valid, r.Preferred)
		v := vishA[i]
		vbrd := "-"
		if v.Broadcast != nil {
			vbrd = v.Broadcast.String()
		}
		ones, _ := v.Mask.Size()
		vip, _ := netip.AddrFromSlice(v.IP)
		got := fmt.Sprintf("%d %s brd=%s scope=%d flags=%#x label=%s valid=%d pref=%d",
			v.LinkIndex, netip.PrefixFrom(vip, ones), vbrd, v.Scope, v.Flags, v.Label, v.ValidLft, v.PreferedLft)
		if got != want {
			t.Errorf("address %d: vishvananda read %q, rawns %q", i, got, want)
		}
		j := jsimA[i]
		jip := j.Attributes.Local
		if jip == nil {
			jip = j.Attributes.Address
		}
		jaddr, _ := netip.AddrFromSlice(jip)
		jbrd := "-"
		if j.Attributes.Broadcast != nil {
			jbrd = j.Attributes.Broadcast.String()
		}
		got = fmt.Sprintf("%d %s brd=%s scope=%d flags=%#x label=%s valid=%d pref=%d",
			j.Index, netip.PrefixFrom(jaddr.Unmap(), int(j.PrefixLength)), jbrd, j.Scope, j.Attributes.Flags,
			j.Attributes.Label, j.Attributes.CacheInfo.Valid, j.Attributes.CacheInfo.Preferred)
		if got != want {
			t.Errorf("address %d: jsimonetti read %q, rawns %q", i, got, want)
		}
	}
	if !slices.Contains(prefixes, "192.168.1.1/24") {
		t.Errorf("address dump prefixes = %q, want one 192.168.1.1/24", prefixes)
	}
}
