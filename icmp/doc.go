// Package icmp is an ICMP echo prober for IPv4 and IPv6 built on raw
// syscalls through github.com/mdlayher/socket.
//
// # Messages
//
// AppendEcho builds an echo request into the caller's buffer and Stamp
// writes a send timestamp into it, patching the checksum incrementally.
// Parse decodes a received ICMP message (and, for raw IPv4 sockets, the IP
// header in front of it) in place. None of them allocate or panic on any
// input.
//
// # Sockets
//
// Open makes a Prober: a datagram ("ping") socket where
// net.ipv4.ping_group_range allows it, otherwise a raw socket with
// ICMP_FILTER (or ICMP6_FILTER) and, on IPv4, a BPF program that drops echo
// replies carrying another identifier but lets ICMP errors through. The
// socket may be created inside another network namespace given by a file
// descriptor; it stays there for its lifetime and can be used from any
// goroutine.
//
// # Timing
//
// Send takes a wall-clock stamp just before sendto(2) and writes it into the
// payload; Receive reads the kernel's SO_TIMESTAMPNS receive stamp, so the
// round-trip time excludes the wake-up of the receiving goroutine. Send and
// Receive use buffers, socket addresses and control-message space built once
// in Open: they do not allocate.
//
// # Statistics
//
// Stats accumulates what iputils ping reports: integer microseconds,
// duplicates included in min/avg/max/mdev, a population standard deviation
// as mdev, and a 65,536-bit duplicate map indexed by the 16-bit sequence.
package icmp
