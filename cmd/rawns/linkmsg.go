package main

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// linkAttrMax bounds the IFLA_* types a linkMsg keeps: one past
// IFLA_PERM_ADDRESS (54) from include/uapi/linux/if_link.h, enough for
// everything the printers read.
const linkAttrMax = unix.IFLA_PERM_ADDRESS + 1

// linkMsg is a decoded RTM_NEWLINK: the ifinfomsg fields and a table of
// attribute payloads indexed by type. The payloads alias the message.
type linkMsg struct {
	family uint8
	typ    uint16
	index  int32
	flags  uint32
	a      [linkAttrMax][]byte
}

// parseLink decodes data (ifinfomsg + attributes). ok is false when data
// is too short for the ifinfomsg.
func parseLink(data []byte) (l linkMsg, ok bool) {
	if len(data) < unix.SizeofIfInfomsg {
		return l, false
	}
	l.family = data[0]
	l.typ = binary.NativeEndian.Uint16(data[2:])
	l.index = int32(binary.NativeEndian.Uint32(data[4:]))
	l.flags = binary.NativeEndian.Uint32(data[8:])
	parseAttrs(data[unix.SizeofIfInfomsg:], l.a[:])
	return l, true
}

// name returns IFLA_IFNAME.
func (l *linkMsg) name() string { return cstr(l.a[unix.IFLA_IFNAME]) }

// appendGetLink appends an RTM_GETLINK request for one link: by name, the
// lookup iproute2 HEAD's ll_link_get sends (IFLA_EXT_MASK
// VF|SKIP_STATS|NAME_ONLY, then IFLA_IFNAME, or IFLA_ALT_IFNAME for a name
// that is not a valid ifname); by index, the full link (VF|SKIP_STATS).
func appendGetLink(b []byte, index int32, name string) []byte {
	b, msg := rtnlHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnlIfInfomsg(b, 0, index, 0, 0)
	if index == 0 {
		b = rtnlAttrU32(b, unix.IFLA_EXT_MASK, 1|1<<3|1<<8)
		typ := uint16(unix.IFLA_IFNAME)
		if !validIfname(name) {
			typ = unix.IFLA_ALT_IFNAME
		}
		b = rtnlAttrString(b, typ, name)
	} else {
		b = rtnlAttrU32(b, unix.IFLA_EXT_MASK, 1|1<<3)
	}
	return rtnlFinish(b, msg)
}

// appendShowLink appends the RTM_GETLINK that `ip link show DEV` sends
// (iplink_get): family, the name (IFLA_IFNAME or IFLA_ALT_IFNAME), then
// IFLA_EXT_MASK RTEXT_FILTER_VF.
func appendShowLink(b []byte, family uint8, name string) []byte {
	b, msg := rtnlHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnlIfInfomsg(b, family, 0, 0, 0)
	typ := uint16(unix.IFLA_IFNAME)
	if !validIfname(name) {
		typ = unix.IFLA_ALT_IFNAME
	}
	b = rtnlAttrString(b, typ, name)
	b = rtnlAttrU32(b, unix.IFLA_EXT_MASK, 1)
	return rtnlFinish(b, msg)
}

// appendLinkByIndex appends the RTM_GETLINK that `ip addr show dev D`
// sends (ipaddr_link_get): family and index, IFLA_EXT_MASK VF|SKIP_STATS.
func appendLinkByIndex(b []byte, family uint8, index int32) []byte {
	b, msg := rtnlHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST)
	b = rtnlIfInfomsg(b, family, index, 0, 0)
	b = rtnlAttrU32(b, unix.IFLA_EXT_MASK, 1|1<<3)
	return rtnlFinish(b, msg)
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
