package rtnl

import "golang.org/x/sys/unix"

// AppendNewNSID appends one whole RTM_NEWNSID request (flags REQUEST|ACK)
// that assigns nsid to the network namespace open at fd, as `ip netns set
// NAME NSID` sends it: rtgenmsg, NETNSA_FD, NETNSA_NSID. An nsid of -1 asks
// the kernel to choose one (`ip netns set NAME auto`). It does not allocate
// when b has room.
func AppendNewNSID(b []byte, fd, nsid int32) []byte {
	b, msg := AppendHeader(b, unix.RTM_NEWNSID, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	b = AppendAttrInt32(b, unix.NETNSA_FD, fd)
	b = AppendAttrInt32(b, unix.NETNSA_NSID, nsid)
	return FinishMessage(b, msg)
}

// AppendGetNSID appends one whole RTM_GETNSID request (flags REQUEST; one
// RTM_NEWNSID answer comes back, see Conn.Query and ParseNetNSID) for the
// network namespace open at fd, as iproute2's get_netnsid_from_name sends
// it. It does not allocate when b has room.
func AppendGetNSID(b []byte, fd int32) []byte {
	b, msg := AppendHeader(b, unix.RTM_GETNSID, unix.NLM_F_REQUEST)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	b = AppendAttrInt32(b, unix.NETNSA_FD, fd)
	return FinishMessage(b, msg)
}

// NSIDQuery is what `ip netns list-id [target-nsid T] [nsid N]` asks for:
// every nsid, or with HasNSID the one peer with id NSID; with HasTarget,
// as seen from the namespace with id TargetNSID (the answers then carry
// NETNSA_CURRENT_NSID too). The zero value asks for every nsid of the
// asking namespace.
type NSIDQuery struct {
	NSID       int32 // NETNSA_NSID, sent when HasNSID
	HasNSID    bool  // ask for NSID alone, not for a dump
	TargetNSID int32 // NETNSA_TARGET_NSID, sent when HasTarget
	HasTarget  bool  // ask as seen from TargetNSID
}

// AppendListNSIDs appends one whole RTM_GETNSID request for q, as `ip
// netns list-id` sends it: a dump (flags REQUEST|DUMP) without q.HasNSID,
// else one request (flags REQUEST, answered by one RTM_NEWNSID); rtgenmsg,
// [NETNSA_NSID], [NETNSA_TARGET_NSID]. It does not allocate when b has
// room.
func AppendListNSIDs(b []byte, q *NSIDQuery) []byte {
	flags := uint16(unix.NLM_F_REQUEST | unix.NLM_F_DUMP)
	if q.HasNSID {
		flags = unix.NLM_F_REQUEST
	}
	b, msg := AppendHeader(b, unix.RTM_GETNSID, flags)
	b = AppendRtgenmsg(b, unix.AF_UNSPEC)
	if q.HasNSID {
		b = AppendAttrInt32(b, unix.NETNSA_NSID, q.NSID)
	}
	if q.HasTarget {
		b = AppendAttrInt32(b, unix.NETNSA_TARGET_NSID, q.TargetNSID)
	}
	return FinishMessage(b, msg)
}
