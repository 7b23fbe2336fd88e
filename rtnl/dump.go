package rtnl

import "golang.org/x/sys/unix"

// AppendDumpLinksOf appends the RTM_GETLINK dump request (flags
// REQUEST|DUMP) that `ip [-f FAMILY] address|link show` sends for a
// family: AppendDumpLinks for AF_UNSPEC and AF_PACKET; for any other
// family (`ip -4 addr`, `ip -6 addr`) the ifinfomsg alone, without
// IFLA_EXT_MASK, which the IPv6 dump handler refuses under strict
// checking. It does not allocate when b has room.
func AppendDumpLinksOf(b []byte, family uint8) []byte {
	if family == unix.AF_UNSPEC || family == unix.AF_PACKET {
		return AppendDumpLinks(b, family)
	}
	b, msg := AppendHeader(b, unix.RTM_GETLINK, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendIfInfomsg(b, IfInfomsg{Family: family})
	return FinishMessage(b, msg)
}
