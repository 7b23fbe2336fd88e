package main

import (
	"encoding/binary"
	"strconv"

	"golang.org/x/sys/unix"
)

// addrAttrMax bounds the IFA_* types an addrMsg keeps: one past IFA_PROTO
// (11) from include/uapi/linux/if_addr.h.
const addrAttrMax = 12

// addrMsg is a decoded RTM_NEWADDR: the ifaddrmsg fields and a table of
// attribute payloads indexed by type. The payloads alias the message.
type addrMsg struct {
	family, prefixLen, flags8, scope uint8
	index                            int32
	a                                [addrAttrMax][]byte
}

// parseAddr decodes data (ifaddrmsg + attributes).
func parseAddr(data []byte) (m addrMsg, ok bool) {
	if len(data) < unix.SizeofIfAddrmsg {
		return m, false
	}
	m.family, m.prefixLen, m.flags8, m.scope = data[0], data[1], data[2], data[3]
	m.index = int32(binary.NativeEndian.Uint32(data[4:]))
	parseAttrs(data[unix.SizeofIfAddrmsg:], m.a[:])
	return m, true
}

// flags returns IFA_FLAGS when present, else ifa_flags.
func (m *addrMsg) flags() uint32 {
	if v, ok := attrU32(m.a[unix.IFA_FLAGS]); ok {
		return v
	}
	return uint32(m.flags8)
}

// printAddr prints one address as iproute2 6.1's print_addrinfo does.
func printAddr(e *env, p *printer, m *addrMsg) {
	brief := e.opts.brief
	flags := m.flags()
	local, address := m.a[unix.IFA_LOCAL], m.a[unix.IFA_ADDRESS]
	if local == nil {
		local = address
	}
	if address == nil {
		address = local
	}
	if !brief {
		if e.opts.oneline {
			dev, _, _ := e.res.indexToName(m.index)
			if p.json() {
				p.j.int("index", int64(m.index))
				p.j.str("dev", dev)
			} else {
				p.text(strconv.FormatUint(uint64(uint32(m.index)), 10) + ": " + dev)
			}
		}
		if n := familyName(m.family); n != "" {
			p.str("family", "    ", n, " ")
		} else {
			p.int("family_index", "    family ", int64(m.family), " ")
		}
	}
	if local != nil {
		p.str("local", "", ipString(local), "")
		n := 16
		if m.family == unix.AF_INET {
			n = 4
		}
		if address != nil && !prefixEqual(address, local, n) {
			p.text(" peer ")
			p.str("address", "", ipString(address), "")
		}
		p.int("prefixlen", "/", int64(m.prefixLen), " ")
		if v, ok := attrU32(m.a[unix.IFA_RT_PRIORITY]); ok {
			p.uint("metric", "metric ", uint64(v), " ")
		}
	}
	if brief {
		return
	}
	if b := m.a[unix.IFA_BROADCAST]; b != nil {
		p.text("brd ")
		p.str("broadcast", "", ipString(b), " ")
	}
	if b := m.a[unix.IFA_ANYCAST]; b != nil {
		p.text("any ")
		p.str("anycast", "", ipString(b), " ")
	}
	p.str("scope", "scope ", scopeName(m.scope), " ")
	printAddrFlags(p, m.family, flags)
	if l := m.a[unix.IFA_LABEL]; l != nil {
		p.str("label", "", cstr(l), "")
	}
	if ci := m.a[unix.IFA_CACHEINFO]; len(ci) >= 8 {
		preferred := binary.NativeEndian.Uint32(ci[0:])
		valid := binary.NativeEndian.Uint32(ci[4:])
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
	p.text("\n")
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

func prefixEqual(a, b []byte, n int) bool {
	if len(a) < n || len(b) < n {
		return string(a) == string(b)
	}
	return string(a[:n]) == string(b[:n])
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

// scopeName is rtnl_rtscope_n2a with the stock table.
func scopeName(s uint8) string {
	switch s {
	case unix.RT_SCOPE_UNIVERSE:
		return "global"
	case unix.RT_SCOPE_NOWHERE:
		return "nowhere"
	case unix.RT_SCOPE_HOST:
		return "host"
	case unix.RT_SCOPE_LINK:
		return "link"
	case unix.RT_SCOPE_SITE:
		return "site"
	}
	return strconv.Itoa(int(s))
}

// ipString formats a 4- or 16-byte address as glibc's inet_ntop does
// (including its "::a.b.c.d" forms); other lengths as hex bytes.
func ipString(a []byte) string {
	switch len(a) {
	case 4:
		return ip4String(a)
	case 16:
		return ip6String(a)
	}
	return llAddr(a, 0)
}

func ip4String(a []byte) string {
	b := make([]byte, 0, 15)
	for i := 0; i < 4; i++ {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a[i]), 10)
	}
	return string(b)
}

// ip6String is glibc's inet_ntop6.
func ip6String(a []byte) string {
	var w [8]uint16
	for i := range w {
		w[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if w[i] == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
		} else if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	b := make([]byte, 0, 46)
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				b = append(b, ':')
			}
			continue
		}
		if i != 0 {
			b = append(b, ':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)) {
			b = append(b, ip4String(a[12:])...)
			return string(b)
		}
		b = strconv.AppendUint(b, uint64(w[i]), 16)
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		b = append(b, ':')
	}
	return string(b)
}
