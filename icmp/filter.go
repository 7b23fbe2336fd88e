package icmp

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// setFilters installs the receive filters of a raw socket: ICMP_FILTER and a
// BPF program on IPv4 (iputils' install_filter), ICMP6_FILTER on IPv6.
func (p *Prober) setFilters() error {
	if p.v6 {
		var f unix.ICMPv6Filter
		for i := range f.Data {
			f.Data[i] = ^uint32(0) // block all ...
		}
		f.Data[type6EchoReply>>5] &^= 1 << (type6EchoReply & 31) // ... but echo replies
		if err := unix.SetsockoptICMPv6Filter(p.fd, unix.SOL_ICMPV6, unix.ICMPV6_FILTER, &f); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		return nil
	}
	// A set bit blocks the type.
	pass := uint32(1<<typeEchoReply | 1<<typeDestUnreach | 1<<typeSourceQuench |
		1<<typeRedirect | 1<<typeTimeExceeded | 1<<typeParamProb)
	if err := setsockoptInt(p.fd, unix.SOL_RAW, unix.ICMP_FILTER, int(int32(^pass))); err != nil {
		return err
	}
	prog := bpfFilter(p.id)
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: (*unix.SockFilter)(unsafe.Pointer(&prog[0]))}
	if err := unix.SetsockoptSockFprog(p.fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// bpfFilter returns a classic BPF program for a raw IPv4 ICMP socket that
// accepts packets with id at the echo identifier's offset and every message
// that is not an echo reply (so ICMP errors get through), and drops echo
// replies of other identifiers.
func bpfFilter(id uint16) [8]unix.SockFilter {
	return [8]unix.SockFilter{
		{Code: unix.BPF_LDX | unix.BPF_B | unix.BPF_MSH, K: 0},                           // X = IP header length
		{Code: unix.BPF_LD | unix.BPF_H | unix.BPF_IND, K: 4},                            // A = echo identifier
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, Jt: 0, Jf: 1, K: uint32(id)},    // ours?
		{Code: unix.BPF_RET | unix.BPF_K, K: 0xffffffff},                                 // yes: accept
		{Code: unix.BPF_LD | unix.BPF_B | unix.BPF_IND, K: 0},                            // A = ICMP type
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, Jt: 1, Jf: 0, K: typeEchoReply}, // echo reply?
		{Code: unix.BPF_RET | unix.BPF_K, K: 0xffffffff},                                 // no: accept
		{Code: unix.BPF_RET | unix.BPF_K, K: 0},                                          // foreign echo reply: drop
	}
}
