package rtnl

import "golang.org/x/sys/unix"

// AppendNewNSID appends one whole RTM_NEWNSID request (flags REQUEST|ACK)
// that assigns nsid to the network namespace open at fd, as `ip netns set
// NAME NSID` sends it: rtgenmsg, NETNSA_FD, NETNSA_NSID. An nsid of -1 asks
// the kernel to choose one. It does not allocate when b has room.
func AppendNewNSID(b []byte, fd, nsid int32) []byte {
	b, msg := AppendHeader(b, unix.RTM_NEWNSID, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	b = AppendAttrInt32(b, unix.NETNSA_FD, fd)
	b = AppendAttrInt32(b, unix.NETNSA_NSID, nsid)
	return FinishMessage(b, msg)
}

// AppendGetNSID appends one whole RTM_GETNSID request (flags REQUEST; one
// RTM_NEWNSID answer comes back, see Conn.Query and ParseNetNSID) for the
// network namespace open at fd. It does not allocate when b has room.
func AppendGetNSID(b []byte, fd int32) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETNSID, unix.NLM_F_REQUEST)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	b = AppendAttrInt32(b, unix.NETNSA_FD, fd)
	return FinishMessage(b, msg)
}

// AppendDumpNSIDs appends one whole RTM_GETNSID dump request (flags
// REQUEST|DUMP), as `ip netns list-id` sends it.
// It does not allocate when b has room.
func AppendDumpNSIDs(b []byte) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETNSID, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	return FinishMessage(b, msg)
}
