package main

import (
	"encoding/binary"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// vethInfoPeer is VETH_INFO_PEER from include/uapi/linux/veth.h.
const vethInfoPeer = 1

// parseVethPeer is link_veth.c's veth_parse_opt: "peer" and the peer's
// own link arguments (the link grammar again), appended to q.b as
// IFLA_INFO_DATA / VETH_INFO_PEER holding the peer's ifinfomsg and
// attributes. The kernel creates both ends, in their namespaces, in one
// step, or neither.
func parseVethPeer(e *env, a *words, q *linkReq) error {
	if w, _ := a.next(); w != "peer" {
		vethUsage(e)
		return &exitError{code: exitFail}
	}
	b, data := rtnl.BeginNest(q.b, unix.IFLA_INFO_DATA)
	b, peer := rtnl.BeginNest(b, vethInfoPeer)
	ifi := len(b)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{})
	pq := &linkReq{b: b, create: true}
	err := parseLinkArgs(e, a, pq)
	q.b = pq.b
	if err != nil {
		return err
	}
	if pq.typSet {
		return errDupArg("type", pq.typ)
	}
	setIfInfomsg(pq.b[ifi:], pq.index, pq.flags, pq.change)
	b = rtnl.EndNest(pq.b, peer)
	q.b = rtnl.EndNest(b, data)
	return nil
}

// putU32 writes v in host byte order.
func putU32(b []byte, v uint32) { binary.NativeEndian.PutUint32(b, v) }
