package rtnl

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// NetNSID is a decoded RTM_NEWNSID message: the ids one network namespace
// has for another. Its byte slices alias the message it was parsed from;
// see Message for how long that lives.
type NetNSID struct {
	attrs attrTable[[nsidTableSize]uint32]
}

// ParseNetNSID decodes data, the payload of an RTM_NEWNSID message (an
// rtgenmsg padded to 4 bytes and NETNSA_* attributes). The first occurrence
// of an attribute wins and unknown types are skipped; a truncated message,
// a malformed attribute, or a NETNSA_NSID or NETNSA_CURRENT_NSID that is
// not 4 bytes is an error. It does not allocate on well-formed input and
// never panics.
func ParseNetNSID(data []byte) (NetNSID, error) {
	var n NetNSID
	if len(data) < sizeofRtgenmsg {
		return n, fmt.Errorf("rtnl: nsid message: %d bytes, shorter than rtgenmsg (%d)", len(data), sizeofRtgenmsg)
	}
	bad, err := n.attrs.fill(data[sizeofRtgenmsg:], nsidSizes[:], -1)
	if err != nil {
		return n, fmt.Errorf("rtnl: nsid message: %w", err)
	}
	if bad >= 0 {
		return n, fmt.Errorf("rtnl: nsid message: attribute type %d has %d bytes, want 4", bad, len(n.attrs.get(bad)))
	}
	return n, nil
}

// nsidSizes are the payload sizes of the attributes NetNSID decodes.
var nsidSizes = [nsidTableSize]uint8{unix.NETNSA_NSID: 4, unix.NETNSA_CURRENT_NSID: 4}

func (n *NetNSID) s32(typ int) (int32, bool) {
	v := n.attrs.get(typ)
	if v == nil {
		return 0, false
	}
	return int32(binary.NativeEndian.Uint32(v)), true
}

// Attr returns the payload of the first attribute of type typ, or nil.
func (n *NetNSID) Attr(typ uint16) []byte {
	return n.attrs.get(int(typ))
}

// NSID returns NETNSA_NSID and whether the message has it. The kernel sends
// -1 (NETNSA_NSID_NOT_ASSIGNED) for a namespace with no id.
func (n *NetNSID) NSID() (int32, bool) { return n.s32(unix.NETNSA_NSID) }

// CurrentNSID returns NETNSA_CURRENT_NSID and whether the message has it:
// in an answer asked relative to a target namespace (NETNSA_TARGET_NSID),
// the id the asking namespace has for the peer; -1 when it has none.
func (n *NetNSID) CurrentNSID() (int32, bool) { return n.s32(unix.NETNSA_CURRENT_NSID) }
