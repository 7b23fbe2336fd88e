// Package fuzz holds the differential fuzz tests of rawns's decoders and
// builders. It has no code of its own: everything is in its _test files.
//
// # Targets
//
// The netlink targets feed arbitrary bytes to package rtnl's message and
// attribute iterators and its typed link, address and nsid views, and
// compare what they see with github.com/mdlayher/netlink, the independent
// reference decoder (allowed here and in tests only). The builder targets
// encode random field values with rtnl and compare the bytes with what
// mdlayher/netlink's encoder makes of the same layout, then decode them back
// with both decoders. The reply targets feed random reply sequences to
// rtnl's reply validation. The ICMP targets compare package icmp's parser
// with a slow, readable reference parser in the tests. The ip grammar and
// ping's options are fuzzed against the real tools in cmd/rawns/fuzz_test.go,
// and the -batch reader in cmd/rawns/ip/fuzz_test.go, since they are
// internal to those commands.
//
// # Running
//
// Plain `go test ./fuzz/` runs every seed in testdata/fuzz/ (real captured
// kernel replies and iproute2 requests, plus every crasher ever found) and
// the allocation tests over them. `make fuzz FUZZTIME=20s` fuzzes each
// target in turn for FUZZTIME.
//
// # Where rtnl and mdlayher/netlink legitimately differ
//
// The rules are written next to each comparison (compareMessages,
// compareAttrs, and the view rules in views_test.go). In short, rtnl
// follows the kernel where the two differ: it stops with an error at a
// zero-length attribute (nla_ok fails; mdlayher skips it), rejects a
// remnant shorter than a message header at the end of a datagram
// (mdlayher ignores it; iproute2 reports "!!!Remnant"), accepts a final
// message whose padding is missing (as netlink_rcv_skb does; mdlayher
// rejects it), and ends strings at their first NUL (as nla_strscpy does;
// mdlayher trims trailing NULs only).
//
// # Reply validation
//
// rtnl checks replies inside Conn and refuses datagrams from any port but
// the kernel's, so FuzzConnGet fuzzes that validation with real kernel
// replies to arbitrary read-only GET requests, in a sandbox (TestMain).
package fuzz
