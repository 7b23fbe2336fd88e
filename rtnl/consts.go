package rtnl

import "golang.org/x/sys/unix"

// Kernel constants that golang.org/x/sys/unix does not define. Everything
// else comes from unix.

const (
	// vethInfoPeer is VETH_INFO_PEER from include/uapi/linux/veth.h.
	vethInfoPeer = 1

	// nlaTypeMask is NLA_TYPE_MASK from include/uapi/linux/netlink.h:
	// ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER).
	nlaTypeMask = 0x3fff

	// linkTableSize bounds the IFLA_* types a Link keeps: one past
	// IFLA_PERM_ADDRESS (54) from include/uapi/linux/if_link.h.
	linkTableSize = unix.IFLA_PERM_ADDRESS + 1
	// addrTableSize bounds the IFA_* types an AddrMessage keeps: one past
	// IFA_PROTO (11, IFA_MAX) from include/uapi/linux/if_addr.h.
	addrTableSize = unix.IFA_MAX + 1
	// nsidTableSize bounds the NETNSA_* types ParseNetNSID reads: one past
	// NETNSA_CURRENT_NSID (5, NETNSA_MAX) from include/uapi/linux/net_namespace.h.
	nsidTableSize = unix.NETNSA_MAX + 1
)

// The IFLA_EXT_MASK bits of an RTM_GETLINK request, RTEXT_FILTER_* from
// include/uapi/linux/rtnetlink.h (x/sys/unix lacks them). They are exported
// for callers that build their own RTM_GETLINK variants.
const (
	// ExtFilterVF is RTEXT_FILTER_VF.
	ExtFilterVF = 1 << 0
	// ExtFilterSkipStats is RTEXT_FILTER_SKIP_STATS.
	ExtFilterSkipStats = 1 << 3
	// ExtFilterNameOnly is RTEXT_FILTER_NAME_ONLY (Linux 6.5+; older
	// kernels ignore it).
	ExtFilterNameOnly = 1 << 8
)
