package rtnl_test

import (
	"os"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// replySeed is one FuzzReplies input.
type replySeed struct {
	cfg      uint8
	seq      uint32
	ops      []byte
	script   []byte
	scenario string
}

// realMessage reads a reply the kernel sent (testdata, captured by
// TestIntegrationDumpMessages -rtnl.capture) and makes its sequence number
// and port id relative, for scriptSocket. multi false clears NLM_F_MULTI,
// making it the answer to a non-dump GET.
func realMessage(tb testing.TB, name string, multi bool) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	b = withHeader(b, 0, 0, 0)
	if !multi {
		b[6] &^= unix.NLM_F_MULTI
	}
	return b
}

// extAck returns the extended-ack attributes: a message and an offset.
func extAck(text string, offs uint32) []byte {
	b := rtnl.AppendAttrString(nil, unix.NLMSGERR_ATTR_MSG, text)
	return rtnl.AppendAttrUint32(b, unix.NLMSGERR_ATTR_OFFS, offs)
}

// replySeeds are the FuzzReplies seeds: real captured replies, and the
// crafted misbehaviours the validation must catch.
func replySeeds(tb testing.TB) []replySeed {
	link := realMessage(tb, "newlink-veth.bin", true)
	addr := realMessage(tb, "newaddr.bin", true)
	link1 := realMessage(tb, "newlink-veth.bin", false)
	const stale, future = 0xffffffff, 7
	ackOK := ack(0, 0)
	op := func(kind, arg byte) byte { return kind | arg<<2 }
	ex, qry, qryAck, dmp := op(opExecute, 0), op(opQuery, 0), op(opQuery, 1), op(opDump, 0)
	batch3 := op(opBatch, 2)
	return []replySeed{
		{scenario: "ack", ops: []byte{ex}, script: encodeScript(rec(0, ackOK))},
		{scenario: "stale ack then ack", ops: []byte{ex}, script: encodeScript(rec(0, ack(stale, 0)), rec(0, ackOK))},
		{scenario: "stale and own in one datagram", ops: []byte{ex}, script: encodeScript(rec(0, ack(stale, unix.EEXIST), ackOK))},
		{scenario: "future seq", ops: []byte{ex}, script: encodeScript(rec(0, ack(future, 0)))},
		{scenario: "wrong port", ops: []byte{ex}, script: encodeScript(rec(0, withHeader(ackOK, 0, 0, 1)))},
		{scenario: "sender not kernel", ops: []byte{ex}, script: encodeScript(rec(ctlUser, ackOK))},
		{scenario: "not netlink", ops: []byte{ex}, script: encodeScript(rec(ctlFamily, ackOK))},
		{scenario: "short address", ops: []byte{ex}, script: encodeScript(rec(ctlShort, ackOK))},
		{scenario: "absolute numbers", ops: []byte{ex}, script: encodeScript(rec(ctlAbsolute, ackOK))},
		{scenario: "refusal with ext ack", ops: []byte{ex}, script: encodeScript(rec(0,
			msg(unix.NLMSG_ERROR, unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, 0, 0, nlerr(unix.EEXIST, 32, unix.RTM_NEWLINK, extAck("File exists", 20)...)...)))},
		{scenario: "uncapped refusal", ops: []byte{ex}, script: encodeScript(rec(0,
			msg(unix.NLMSG_ERROR, unix.NLM_F_ACK_TLVS, 0, 0, append(nlerr(unix.EINVAL, 24, unix.RTM_NEWLINK, 1, 2, 3, 4, 5, 6, 7, 8), extAck("bad", 16)...)...)))},
		{scenario: "truncated error", ops: []byte{ex}, script: encodeScript(rec(0, msg(unix.NLMSG_ERROR, 0, 0, 0, 0xea, 0xff)))},
		{scenario: "errno only", ops: []byte{ex}, script: encodeScript(rec(0, msg(unix.NLMSG_ERROR, 0, 0, 0, 0xea, 0xff, 0xff, 0xff)))},
		{scenario: "short echoed header", ops: []byte{ex}, script: encodeScript(rec(0,
			msg(unix.NLMSG_ERROR, unix.NLM_F_ACK_TLVS, 0, 0, append(nlerr(unix.EINVAL, 8, unix.RTM_NEWLINK), extAck("x", 4)...)...)))},
		{scenario: "data then ack", ops: []byte{ex}, script: encodeScript(rec(0, link1), rec(0, ackOK))},
		{scenario: "ENOBUFS", ops: []byte{ex, ex}, script: encodeScript(rec(ctlErrno|ctlENOBUFS), rec(0, ackOK))},
		{scenario: "EIO", ops: []byte{ex}, script: encodeScript(rec(ctlErrno))},
		{scenario: "no answer", ops: []byte{ex, qry, dmp, batch3}},
		{scenario: "get", ops: []byte{qry}, script: encodeScript(rec(0, link1))},
		{scenario: "get with ack", ops: []byte{qryAck}, script: encodeScript(rec(0, link1, ackOK))},
		{scenario: "get ack apart", ops: []byte{qryAck}, script: encodeScript(rec(0, link1), rec(0, ackOK))},
		{scenario: "get, ack only", ops: []byte{qryAck}, script: encodeScript(rec(0, ackOK))},
		{scenario: "get, multi", ops: []byte{qry}, script: encodeScript(rec(0, link))},
		{scenario: "get, two replies", ops: []byte{qryAck}, script: encodeScript(rec(0, link1, link1, ackOK))},
		{scenario: "get, ENODEV", ops: []byte{qry}, script: encodeScript(rec(0, ack(0, unix.ENODEV)))},
		{scenario: "get, noop", ops: []byte{qry}, script: encodeScript(rec(0, msg(unix.NLMSG_NOOP, 0, 0, 0)))},
		{scenario: "oversized", cfg: cfgSmallBuffer, ops: []byte{qry, qry}, script: encodeScript(rec(0, link1), rec(0, link1))},
		{scenario: "dump", ops: []byte{dmp}, script: encodeScript(rec(0, link, addr, done(0, 0)))},
		{scenario: "dump apart", ops: []byte{dmp}, script: encodeScript(rec(0, link), rec(0, addr), rec(0, done(0, 0)))},
		{scenario: "dump, noop restart forged", ops: []byte{dmp}, script: encodeScript(rec(0, msg(unix.NLMSG_NOOP, unix.NLM_F_MULTI, 0, 0), link, done(0, 0)))},
		{scenario: "multi without done", ops: []byte{dmp, ex}, script: encodeScript(rec(0, link), rec(0, link))},
		{scenario: "done without multi", ops: []byte{dmp}, script: encodeScript(rec(0, link, msg(unix.NLMSG_DONE, 0, 0, 0, 0, 0, 0, 0)))},
		{scenario: "dump error in done", ops: []byte{dmp}, script: encodeScript(rec(0, link, msg(unix.NLMSG_DONE, unix.NLM_F_MULTI|unix.NLM_F_ACK_TLVS, 0, 0, append([]byte{0xf9, 0xff, 0xff, 0xff}, extAck("too big", 0)...)...)))},
		{scenario: "dump refused", ops: []byte{dmp}, script: encodeScript(rec(0, ack(0, unix.EINVAL)))},
		{scenario: "dump ack in middle", ops: []byte{dmp}, script: encodeScript(rec(0, link, ackOK))},
		{scenario: "dump interrupted once", cfg: 1 << 2, ops: []byte{dmp}, script: encodeScript(
			rec(0, withHeader(link, unix.NLM_F_DUMP_INTR, 0, 0), done(0, unix.NLM_F_DUMP_INTR)),
			rec(0, link, addr, done(0, 0)))},
		{scenario: "dump interrupted always", cfg: 1 << 2, ops: []byte{dmp, dmp}, script: encodeScript(
			rec(0, link, done(0, unix.NLM_F_DUMP_INTR)),
			rec(0, link, done(0, unix.NLM_F_DUMP_INTR)),
			rec(0, link, done(0, 0)))},
		{scenario: "dump stale pass", ops: []byte{dmp}, script: encodeScript(rec(0, withHeader(link, 0, stale, 0), done(stale, 0)), rec(0, link, done(0, 0)))},
		{scenario: "dump oversized", cfg: cfgSmallBuffer, ops: []byte{dmp, dmp}, script: encodeScript(rec(0, link, done(0, 0)), rec(0, link, done(0, 0)))},
		{scenario: "batch", ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0), ack(1, 0), ack(2, 0)))},
		{scenario: "batch one fails", ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0), ack(1, unix.EEXIST)), rec(0, ack(2, 0)))},
		{scenario: "batch duplicate ack", ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0), ack(0, 0), ack(2, 0)))},
		{scenario: "batch out of order", ops: []byte{batch3}, script: encodeScript(rec(0, ack(1, 0), ack(0, 0), ack(2, 0)))},
		{scenario: "batch data", ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0), link1))},
		{scenario: "batch split", cfg: cfgSmallBatch, ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0)), rec(0, ack(0, 0)), rec(0, ack(0, 0)))},
		{scenario: "batch split stale", cfg: cfgSmallBatch, ops: []byte{batch3}, script: encodeScript(rec(0, ack(0, 0)), rec(0, ack(stale, 0), ack(0, 0)), rec(0, ack(0, 0)))},
		{scenario: "sequence wraps", seq: 0xfffffffe, ops: []byte{ex, batch3, ex}, script: encodeScript(
			rec(0, ackOK), rec(0, ack(0, 0), ack(1, 0), ack(2, 0)), rec(0, ack(stale, 0), ackOK))},
	}
}
