package icmp

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ICMP message types missing from golang.org/x/sys/unix.
const (
	// From include/uapi/linux/icmp.h.
	typeEchoReply    = 0  // ICMP_ECHOREPLY
	typeDestUnreach  = 3  // ICMP_DEST_UNREACH
	typeSourceQuench = 4  // ICMP_SOURCE_QUENCH
	typeRedirect     = 5  // ICMP_REDIRECT
	typeEcho         = 8  // ICMP_ECHO
	typeTimeExceeded = 11 // ICMP_TIME_EXCEEDED
	typeParamProb    = 12 // ICMP_PARAMETERPROB

	// From include/uapi/linux/icmpv6.h.
	type6DestUnreach = 1                                          // ICMPV6_DEST_UNREACH
	type6PktTooBig   = 2                                          // ICMPV6_PKT_TOOBIG
	type6TimeExceed  = 3                                          // ICMPV6_TIME_EXCEED
	type6ParamProb   = 4                                          // ICMPV6_PARAMPROB
	type6EchoRequest = 128                                        // ICMPV6_ECHO_REQUEST
	type6EchoReply   = 129                                        // ICMPV6_ECHO_REPLY
	sizeofSockExtErr = int(unsafe.Sizeof(unix.SockExtendedErr{})) // struct sock_extended_err
	sizeofTimespec   = int(unsafe.Sizeof(unix.Timespec{}))        // struct timespec
	headerLen        = 8                                          // ICMP echo header: type, code, checksum, id, seq
	ipv4MinHeaderLen = 20                                         // sizeof(struct iphdr)
	stampLen         = 16                                         // payload bytes holding the send stamp
)
