package main

import (
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// The RTM_GETLINK requests the CLI sends. Where iproute2's bytes are the
// ones rtnl.AppendGetLink writes, the CLI calls it; the builders here exist
// only for the requests whose bytes differ.

// appendGetLink appends the lookup of one link, as iproute2 HEAD's
// ll_link_get sends it: rtnl.AppendGetLink by index or by a valid ifname.
// A name that is not a valid ifname (too long, say) is looked up as an
// alternative name: the same request with IFLA_ALT_IFNAME for
// IFLA_IFNAME, which rtnl.AppendGetLink does not send.
func appendGetLink(b []byte, index int32, name string) []byte {
	if index != 0 || validIfname(name) {
		return rtnl.AppendGetLink(b, index, name)
	}
	b, msg := rtnl.AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{})
	b = rtnl.AppendAttrUint32(b, unix.IFLA_EXT_MASK, rtextFilterVF|rtextFilterSkipStats|rtextFilterNameOnly)
	b = rtnl.AppendAttrString(b, unix.IFLA_ALT_IFNAME, name)
	return rtnl.FinishMessage(b, msg)
}

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
	b = rtnl.AppendAttrUint32(b, unix.IFLA_EXT_MASK, rtextFilterVF)
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
	b = rtnl.AppendAttrUint32(b, unix.IFLA_EXT_MASK, rtextFilterVF|rtextFilterSkipStats)
	return rtnl.FinishMessage(b, msg)
}

// RTEXT_FILTER_* from include/uapi/linux/rtnetlink.h (x/sys/unix lacks
// them).
const (
	rtextFilterVF        = 1 << 0
	rtextFilterSkipStats = 1 << 3
	rtextFilterNameOnly  = 1 << 8
)

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
