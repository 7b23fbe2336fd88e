package main

import (
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// The RTM_GETLINK requests of `ip link show DEV` and `ip addr show dev D`,
// whose bytes differ from rtnl.AppendGetLink's (which the name lookups of
// resources.go send as they are).

// appendShowLink appends the RTM_GETLINK that `ip link show DEV` sends
// (iplink_get). Its bytes differ from rtnl.AppendGetLink's: the filter
// family in ifi_family, the name (IFLA_IFNAME, or IFLA_ALT_IFNAME) before
// IFLA_EXT_MASK, and the mask RTEXT_FILTER_VF alone, as iproute2 sends it.
func appendShowLink(b []byte, family uint8, name string) []byte {
	b, msg := rtnl.AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Family: family})
	typ := uint16(unix.IFLA_IFNAME)
	if !validIfname(name) {
		typ = unix.IFLA_ALT_IFNAME
	}
	b = rtnl.AppendAttrString(b, typ, name)
	b = rtnl.AppendAttrUint32(b, unix.IFLA_EXT_MASK, rtnl.ExtFilterVF)
	return rtnl.FinishMessage(b, msg)
}

// appendLinkByIndex appends the RTM_GETLINK that `ip addr show dev D`
// sends (ipaddr_link_get). It is rtnl.AppendGetLink by index except that
// ifi_family carries the filter family (-4, -6), which rtnl.AppendGetLink
// leaves 0.
func appendLinkByIndex(b []byte, family uint8, index int32) []byte {
	if family == unix.AF_UNSPEC {
		return rtnl.AppendGetLink(b, index, "")
	}
	b, msg := rtnl.AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Family: family, Index: index})
	b = rtnl.AppendAttrUint32(b, unix.IFLA_EXT_MASK, rtnl.ExtFilterVF|rtnl.ExtFilterSkipStats)
	return rtnl.FinishMessage(b, msg)
}

// validIfname is iproute2's check_ifname: not empty, shorter than
// IFNAMSIZ, no '/' and no white space.
func validIfname(s string) bool {
	return len(s) < unix.IFNAMSIZ && validAltIfname(s)
}

// validAltIfname is iproute2 6.1's check_altifname: not empty, no '/' and
// no white space.
func validAltIfname(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '/', ' ', '\t', '\n', '\v', '\f', '\r':
			return false
		}
	}
	return true
}
