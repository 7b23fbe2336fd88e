package ip

import (
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// The RTM_GETLINK requests of `ip link show DEV` and `ip addr show dev D`,
// whose bytes differ from rtnl.AppendGetLink's (which the name lookups of
// resources.go send as they are).

// appendShowLink appends the RTM_GETLINK that `ip link show DEV` sends
// (iplink_get): the filter family in ifi_family, the name (IFLA_IFNAME,
// or IFLA_ALT_IFNAME when it is no valid ifname) before IFLA_EXT_MASK,
// and the mask RTEXT_FILTER_VF alone.
func appendShowLink(b []byte, family uint8, name string) []byte {
	return rtnl.AppendLinkQuery(b, &rtnl.LinkQuery{Family: family, Name: name,
		AltName: !validIfname(name), ExtMask: rtnl.ExtFilterVF, NameFirst: true})
}

// appendLinkByIndex appends the RTM_GETLINK that `ip addr show dev D`
// sends (ipaddr_link_get): the link by index, the filter family (-4, -6)
// in ifi_family, IFLA_EXT_MASK RTEXT_FILTER_VF|RTEXT_FILTER_SKIP_STATS.
func appendLinkByIndex(b []byte, family uint8, index int32) []byte {
	return rtnl.AppendLinkQuery(b, &rtnl.LinkQuery{Family: family, Index: index,
		ExtMask: rtnl.ExtFilterVF | rtnl.ExtFilterSkipStats})
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
