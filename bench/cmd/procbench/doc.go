// Command procbench measures rawns against the tools it replaces, as
// processes, and prints one table that also holds the library benchmarks
// of the bench module.
//
// Every process step runs in a sandbox of its own (a new network namespace
// and a private mount namespace with tmpfs /run and /run/netns, made by
// github.com/rawns/rawns/internal/sandbox), and the two tools alternate
// (A B B A ...) so that drift hits both. Steps:
//
//   - lab: the seed lab (netns-tutorial.md), one process per command;
//   - batch: `ip -batch` of N veth pairs with an address and both ends up,
//     and the same with each peer moved into a named namespace;
//   - netns: `ip netns add` + `ip netns delete`, 100 times;
//   - ping: RTT at 1 kpps (p50/p90/p99 of the per-reply times) and a flood
//     (`-f -c 20000`: wall and CPU per echo) over a veth between two
//     namespaces, both probers pinned to CPU 0;
//   - linkshow: `ip link show`, `ip -j link show` and `ip addr show` over
//     16,001 links (8,000 veth pairs made once with iproute2's -batch, in one
//     sandbox): wall time and peak RSS (GNU time's %M) of each run, the
//     tools alternating, after a check that both print the same bytes;
//   - size: bin/rawns against busybox-static and iproute2 with its shared
//     libraries.
//
// A rawns step that fails is reported as "failed: <reason>" in its row.
//
// Usage (as root, from the bench module directory):
//
//	go run ./cmd/procbench -rawns ../bin/rawns [-quick] [-write .]
//
// -write DIR also writes DIR/RESULTS.md and DIR/ratios.svg; `make bench`
// (quick) and `make bench-full` from the repository root build bin/rawns
// and run procbench with -write . . Each row with a goal (issue 7) is marked
// met, MISSED or failed; none is left out. The library benchmarks run in
// -count rounds of the compiled bench test binary, so that rawns and its
// peers alternate as the process steps do.
package main
