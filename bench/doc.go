// Package bench compares rawns with its Go peers and with the tools it
// replaces. It is a separate module (github.com/rawns/rawns/bench), so the
// peers it measures against never enter the main module's go.mod.
//
// # Library benchmarks
//
// The _test.go files of this package hold `go test -bench` benchmarks that do
// the same work through each library's idiomatic API:
//
//   - Build*: build one request (veth pair with and without a peer
//     IFLA_NET_NS_FD, RTM_NEWADDR 192.168.1.1/24, link up, netns move) with
//     rawns/rtnl, vishvananda/netlink's nl package and jsimonetti/rtnetlink
//     (the wire bytes, as netlink.Conn.Send writes them). Nothing is sent.
//   - Decode*: decode a captured RTM_NEWLINK and a captured link and address
//     dump (testdata/), reading every field `ip link` and `ip addr` print.
//   - Kernel*: create and delete a veth pair, add and delete an address and
//     dump 100 links, against the kernel inside the sandbox of
//     github.com/rawns/rawns/internal/sandbox.
//
// Every benchmark reports allocations and a cpu-ns/op metric: the
// getrusage(RUSAGE_SELF) user+sys time of the whole process over the timed
// loop divided by b.N (see CPUTime).
//
// # Process benchmarks
//
// cmd/procbench runs the rawns binary against iproute2, iputils and busybox
// as processes, each step in a sandbox of its own, and prints (or writes to
// RESULTS.md and ratios.svg) the combined table.
package bench
