package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// AddrMessage is a decoded RTM_NEWADDR message: its ifaddrmsg and where
// each of its attributes is, indexed by IFA_* type.
//
// AddrMessage's byte slices alias the message it was decoded from; see
// Message for how long that lives.
type AddrMessage struct {
	IfAddrmsg
	attrs attrTable[[addrTableSize]uint32]
	data  []byte // the whole payload, for AppendDelAddrOf
}

// addrSizes are the payload sizes of the attributes AddrMessage decodes
// with a fixed size (sizeFamily: an address of the message's family).
var addrSizes = [addrTableSize]uint8{
	unix.IFA_ADDRESS: sizeFamily, unix.IFA_LOCAL: sizeFamily, unix.IFA_BROADCAST: sizeFamily,
	unix.IFA_ANYCAST: sizeFamily, unix.IFA_CACHEINFO: unix.SizeofIfaCacheinfo, unix.IFA_FLAGS: 4,
	unix.IFA_RT_PRIORITY: 4,
}

// ParseAddr decodes data as AddrMessage.Decode does and returns the
// AddrMessage by value.
func ParseAddr(data []byte) (a AddrMessage, err error) {
	err = a.Decode(data)
	return a, err
}

// Decode decodes data, the payload of an RTM_NEWADDR message (an ifaddrmsg
// and attributes), into a, replacing what a held. The first occurrence of
// an attribute wins and unknown types are skipped; a truncated message, a
// malformed attribute (a DecodeError, wrapped), an address whose size does
// not fit the family, or a known attribute of the wrong size is an error
// naming what was wrong. It does not allocate on well-formed input and
// never panics.
func (a *AddrMessage) Decode(data []byte) error {
	if len(data) < sizeofIfAddrmsg {
		*a = AddrMessage{}
		return fmt.Errorf("rtnl: address message: %d bytes, shorter than ifaddrmsg (%d)", len(data), sizeofIfAddrmsg)
	}
	a.Family = data[0]
	a.PrefixLen = data[1]
	a.IfAddrmsg.Flags = data[2]
	a.Scope = data[3]
	a.Index = int32(binary.NativeEndian.Uint32(data[4:]))
	a.data = data
	alen := -1
	switch a.Family {
	case unix.AF_INET:
		alen = 4
	case unix.AF_INET6:
		alen = 16
	}
	bad, err := a.attrs.fill(data[sizeofIfAddrmsg:], addrSizes[:], alen)
	if err != nil {
		return fmt.Errorf("rtnl: address on link %d: %w", a.Index, err)
	}
	if bad >= 0 {
		want := int(addrSizes[bad])
		if want == sizeFamily {
			want = alen
		}
		return fmt.Errorf("rtnl: address on link %d: attribute type %d has %d bytes, want %d", a.Index, bad, len(a.attrs.get(bad)), want)
	}
	return nil
}

// Attr returns the payload of the first attribute of type typ, or nil.
func (a *AddrMessage) Attr(typ uint16) []byte { return a.attrs.get(int(typ)) }

func (a *AddrMessage) addr(typ int) netip.Addr {
	switch v := a.attrs.get(typ); len(v) {
	case 4:
		return netip.AddrFrom4([4]byte(v))
	case 16:
		return netip.AddrFrom16([16]byte(v))
	}
	return netip.Addr{}
}

// Local returns IFA_LOCAL, or the zero Addr when absent.
func (a *AddrMessage) Local() netip.Addr { return a.addr(unix.IFA_LOCAL) }

// Address returns IFA_ADDRESS (the peer on point-to-point links, else the
// same as Local), or the zero Addr when absent.
func (a *AddrMessage) Address() netip.Addr { return a.addr(unix.IFA_ADDRESS) }

// Broadcast returns IFA_BROADCAST, or the zero Addr when absent.
func (a *AddrMessage) Broadcast() netip.Addr { return a.addr(unix.IFA_BROADCAST) }

// Anycast returns IFA_ANYCAST, or the zero Addr when absent.
func (a *AddrMessage) Anycast() netip.Addr { return a.addr(unix.IFA_ANYCAST) }

// RtPriority returns IFA_RT_PRIORITY, the metric of the prefix route the
// address adds, and whether the message has it.
func (a *AddrMessage) RtPriority() (uint32, bool) {
	v := a.attrs.get(unix.IFA_RT_PRIORITY)
	if v == nil {
		return 0, false
	}
	return binary.NativeEndian.Uint32(v), true
}

// Prefix returns the address `ip addr` prints, Local (or Address when
// there is no Local) with the prefix length.
func (a *AddrMessage) Prefix() netip.Prefix {
	ip := a.Local()
	if !ip.IsValid() {
		ip = a.Address()
	}
	return netip.PrefixFrom(ip, int(a.PrefixLen))
}

// Label returns IFA_LABEL without its NUL.
func (a *AddrMessage) Label() []byte { return trimNUL(a.attrs.get(unix.IFA_LABEL)) }

// Flags returns the IFA_F_* flags: IFA_FLAGS when present, otherwise the
// 8-bit ifa_flags.
func (a *AddrMessage) Flags() uint32 {
	if v := a.attrs.get(unix.IFA_FLAGS); v != nil {
		return binary.NativeEndian.Uint32(v)
	}
	return uint32(a.IfAddrmsg.Flags)
}

// CacheInfo returns the valid and preferred lifetimes from IFA_CACHEINFO,
// in seconds (0xffffffff is forever), and whether the message has it.
func (a *AddrMessage) CacheInfo() (valid, preferred uint32, ok bool) {
	v := a.attrs.get(unix.IFA_CACHEINFO)
	if v == nil {
		return 0, 0, false
	}
	return binary.NativeEndian.Uint32(v[4:]), binary.NativeEndian.Uint32(v[0:]), true
}
