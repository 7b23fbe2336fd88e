package ip

import (
	"net/netip"
	"strconv"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// printAddr prints one address as iproute2 6.1's print_addrinfo does. The
// error is an undecodable answer to the lookup of its device (-o).
func printAddr(e *env, p *printer, m *rtnl.AddrMessage) error {
	brief := e.opts.brief
	flags := m.Flags()
	local, address := m.Local(), m.Address()
	if !local.IsValid() {
		local = address
	}
	if !address.IsValid() {
		address = local
	}
	if !brief {
		if e.opts.oneline {
			if err := printAddrDev(e, p, m); err != nil {
				return err
			}
		}
		if n := familyName(m.Family); n != "" {
			p.str("family", "    ", n, " ")
		} else {
			p.int("family_index", "    family ", int64(m.Family), " ")
		}
	}
	if local.IsValid() {
		p.str("local", "", inetNtop(local), "")
		if address != local {
			p.text(" peer ")
			p.str("address", "", inetNtop(address), "")
		}
		p.int("prefixlen", "/", int64(m.PrefixLen), " ")
		if v, ok := m.RtPriority(); ok {
			p.uint("metric", "metric ", uint64(v), " ")
		}
	}
	if brief {
		return nil
	}
	if b := m.Broadcast(); b.IsValid() {
		p.text("brd ")
		p.str("broadcast", "", inetNtop(b), " ")
	}
	if b := m.Anycast(); b.IsValid() {
		p.text("any ")
		p.str("anycast", "", inetNtop(b), " ")
	}
	p.str("scope", "scope ", scopeName(m.Scope), " ")
	printAddrFlags(p, m.Family, flags)
	if l := m.Label(); l != nil {
		p.str("label", "", string(l), "")
	}
	if valid, preferred, ok := m.CacheInfo(); ok {
		printLifetimes(p, valid, preferred, flags)
	}
	p.text("\n")
	return nil
}

// printAddrDev prints the index and device that begin an address line of
// -o. The error is an undecodable answer to the device lookup.
func printAddrDev(e *env, p *printer, m *rtnl.AddrMessage) error {
	dev, _, _, err := e.res.indexToName(int32(m.Index))
	if err != nil {
		return err
	}
	if p.json() {
		p.j.int("index", int64(int32(m.Index)))
		p.j.str("dev", dev)
	} else {
		p.text(strconv.FormatUint(uint64(uint32(m.Index)), 10) + ": " + dev)
	}
	return nil
}

// printLifetimes is print_addrinfo's "valid_lft ... preferred_lft ..."
// line.
func printLifetimes(p *printer, valid, preferred, flags uint32) {
	p.nl()
	p.text("       valid_lft ")
	if valid == 0xffffffff {
		if p.json() {
			p.j.uint("valid_life_time", 0xffffffff)
		}
		p.text("forever")
	} else {
		p.uint("valid_life_time", "", uint64(valid), "sec")
	}
	p.text(" preferred_lft ")
	switch {
	case preferred == 0xffffffff:
		if p.json() {
			p.j.uint("preferred_life_time", 0xffffffff)
		}
		p.text("forever")
	case flags&unix.IFA_F_DEPRECATED != 0:
		p.int("preferred_life_time", "", int64(int32(preferred)), "sec")
	default:
		p.uint("preferred_life_time", "", uint64(preferred), "sec")
	}
}

// printAddrFlags is print_ifa_flags.
func printAddrFlags(p *printer, family uint8, flags uint32) {
	names := [...]struct {
		bit  uint32
		name string
	}{
		{unix.IFA_F_SECONDARY, "secondary"},
		{unix.IFA_F_NODAD, "nodad"},
		{unix.IFA_F_OPTIMISTIC, "optimistic"},
		{unix.IFA_F_DADFAILED, "dadfailed"},
		{unix.IFA_F_HOMEADDRESS, "home"},
		{unix.IFA_F_DEPRECATED, "deprecated"},
		{unix.IFA_F_TENTATIVE, "tentative"},
		{unix.IFA_F_PERMANENT, "permanent"},
		{unix.IFA_F_MANAGETEMPADDR, "mngtmpaddr"},
		{unix.IFA_F_NOPREFIXROUTE, "noprefixroute"},
		{unix.IFA_F_MCAUTOJOIN, "autojoin"},
		{unix.IFA_F_STABLE_PRIVACY, "stable-privacy"},
	}
	for _, f := range names {
		switch {
		case f.bit == unix.IFA_F_PERMANENT:
			if flags&f.bit == 0 {
				printBool(p, "dynamic")
			}
		case flags&f.bit == 0:
		case f.bit == unix.IFA_F_SECONDARY && family == unix.AF_INET6:
			printBool(p, "temporary")
		default:
			printBool(p, f.name)
		}
		flags &^= f.bit
	}
	if flags != 0 {
		h := strconv.FormatUint(uint64(flags), 16)
		if len(h) < 2 {
			h = "0" + h
		}
		if p.json() {
			p.j.str("ifa_flags", h)
		} else {
			p.text("flags " + h + " ")
		}
	}
}

// printBool prints a flag word: "name " in text, "name":true in JSON.
func printBool(p *printer, name string) {
	if p.json() {
		p.j.bool(name, true)
	} else {
		p.text(name + " ")
	}
}

// familyName is iproute2's family_name, "" for the unknown ones.
func familyName(f uint8) string {
	switch f {
	case unix.AF_INET:
		return "inet"
	case unix.AF_INET6:
		return "inet6"
	case unix.AF_PACKET:
		return "link"
	case unix.AF_MPLS:
		return "mpls"
	case unix.AF_BRIDGE:
		return "bridge"
	}
	return ""
}

// rtScopes is iproute2's stock rtnl_rtscope_tab (and /etc/iproute2/rt_scopes).
var rtScopes = [...]struct {
	n    uint8
	name string
}{
	{unix.RT_SCOPE_UNIVERSE, "global"},
	{unix.RT_SCOPE_NOWHERE, "nowhere"},
	{unix.RT_SCOPE_HOST, "host"},
	{unix.RT_SCOPE_LINK, "link"},
	{unix.RT_SCOPE_SITE, "site"},
}

// scopeName is rtnl_rtscope_n2a with the stock table.
func scopeName(s uint8) string {
	for _, e := range rtScopes {
		if e.n == s {
			return e.name
		}
	}
	return strconv.Itoa(int(s))
}

// inetNtop is glibc's inet_ntop, as iproute2 prints addresses: netip's
// text, which is the same but for the deprecated IPv4-compatible IPv6
// addresses (the first 96 bits zero, the next 16 not), which glibc writes
// as "::a.b.c.d".
func inetNtop(a netip.Addr) string {
	if a.Is6() {
		b := a.As16()
		if [12]byte(b[:12]) == [12]byte{} && (b[12] != 0 || b[13] != 0) {
			return "::" + netip.AddrFrom4([4]byte(b[12:])).String()
		}
	}
	return a.String()
}
