package bench_test

import (
	"net"
	"net/netip"
	"syscall"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/rawns/rawns/rtnl"
	vnl "github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// rawnsLink holds every field `ip link` prints, read with rawns/rtnl. Its
// slices alias the decoded message.
type rawnsLink struct {
	Index                 int32
	Type                  uint16
	Flags                 uint32
	Name, Qdisc, Kind     []byte
	Addr, Brd, Perm       []byte
	MTU, TxQLen, Group    uint32
	Master, Link, NetNSID int32
	OperState, LinkMode   uint8
}

// rawnsAddr holds every field `ip addr` prints for an address.
type rawnsAddr struct {
	Family, PrefixLen, Scope uint8
	Index                    int32
	Flags                    uint32
	Local, Peer, Brd         netip.Addr
	Label                    []byte
	Valid, Preferred         uint32
}

func rawnsReadLink(data []byte) (rawnsLink, error) {
	var l rtnl.Link
	if err := l.Decode(data); err != nil {
		return rawnsLink{}, err
	}
	v := rawnsLink{Index: l.Index, Type: l.Type, Flags: l.Flags,
		Name: l.Name(), Qdisc: l.Qdisc(), Kind: l.Kind(),
		Addr: l.Address(), Brd: l.Broadcast(), Perm: l.PermAddr()}
	v.MTU, _ = l.MTU()
	v.TxQLen, _ = l.TxQLen()
	v.Group, _ = l.Group()
	v.Master, _ = l.Master()
	v.Link, _ = l.LinkIndex()
	if id, ok := l.LinkNetNSID(); ok {
		v.NetNSID = id
	} else {
		v.NetNSID = -1
	}
	v.OperState, _ = l.OperState()
	v.LinkMode, _ = l.LinkMode()
	return v, nil
}

func rawnsReadAddr(data []byte) (rawnsAddr, error) {
	var a rtnl.AddrMessage
	if err := a.Decode(data); err != nil {
		return rawnsAddr{}, err
	}
	v := rawnsAddr{Family: a.Family, PrefixLen: a.PrefixLen, Scope: a.Scope, Index: a.Index,
		Flags: a.Flags(), Local: a.Local(), Peer: a.Address(), Brd: a.Broadcast(), Label: a.Label()}
	v.Valid, v.Preferred, _ = a.CacheInfo()
	return v, nil
}

// rawnsDecodeLinks walks a dump stream in place, as a Conn.Dump callback
// would, and decodes every RTM_NEWLINK. It returns the number of links.
func rawnsDecodeLinks(stream []byte, each func(rawnsLink)) (int, error) {
	n := 0
	it := rtnl.NewMessageIter(stream)
	for it.Next() {
		m := it.Message()
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		v, err := rawnsReadLink(m.Data)
		if err != nil {
			return n, err
		}
		each(v)
		n++
	}
	return n, it.Err()
}

func rawnsDecodeAddrs(stream []byte, each func(rawnsAddr)) (int, error) {
	n := 0
	it := rtnl.NewMessageIter(stream)
	for it.Next() {
		m := it.Message()
		if m.Header.Type != unix.RTM_NEWADDR {
			continue
		}
		v, err := rawnsReadAddr(m.Data)
		if err != nil {
			return n, err
		}
		each(v)
		n++
	}
	return n, it.Err()
}

// vishvananda: syscall.ParseNetlinkMessage then LinkDeserialize, as
// Handle.LinkList's receive path does. For addresses, parseAddr is
// unexported; vishAddr is its body (v1.3.1 addr_linux.go) on the exported
// nl calls it makes.

func vishDecodeLinks(stream []byte) ([]vnl.Link, error) {
	msgs, err := syscall.ParseNetlinkMessage(stream)
	if err != nil {
		return nil, err
	}
	var res []vnl.Link
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		l, err := vnl.LinkDeserialize(nil, m.Data)
		if err != nil {
			return nil, err
		}
		res = append(res, l)
	}
	return res, nil
}

func vishAddr(m []byte) (vnl.Addr, error) {
	var addr vnl.Addr
	msg := nl.DeserializeIfAddrmsg(m)
	attrs, err := nl.ParseRouteAttr(m[msg.Len():])
	if err != nil {
		return addr, err
	}
	addr.LinkIndex = int(msg.Index)
	var local, dst *net.IPNet
	for _, attr := range attrs {
		switch attr.Attr.Type {
		case unix.IFA_ADDRESS:
			dst = &net.IPNet{IP: attr.Value, Mask: net.CIDRMask(int(msg.Prefixlen), 8*len(attr.Value))}
		case unix.IFA_LOCAL:
			n := 8 * len(attr.Value)
			local = &net.IPNet{IP: attr.Value, Mask: net.CIDRMask(n, n)}
		case unix.IFA_BROADCAST:
			addr.Broadcast = attr.Value
		case unix.IFA_LABEL:
			addr.Label = string(attr.Value[:len(attr.Value)-1])
		case unix.IFA_FLAGS:
			addr.Flags = int(nativeU32(attr.Value[0:4]))
		case unix.IFA_CACHEINFO:
			ci := nl.DeserializeIfaCacheInfo(attr.Value)
			addr.PreferedLft = int(ci.Prefered)
			addr.ValidLft = int(ci.Valid)
		}
	}
	if local != nil {
		if msg.Family == unix.AF_INET && dst != nil && local.IP.Equal(dst.IP) {
			addr.IPNet = dst
		} else {
			addr.IPNet = local
			addr.Peer = dst
		}
	} else {
		addr.IPNet = dst
	}
	addr.Scope = int(msg.Scope)
	return addr, nil
}

func vishDecodeAddrs(stream []byte) ([]vnl.Addr, error) {
	msgs, err := syscall.ParseNetlinkMessage(stream)
	if err != nil {
		return nil, err
	}
	var res []vnl.Addr
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWADDR {
			continue
		}
		a, err := vishAddr(m.Data)
		if err != nil {
			return nil, err
		}
		res = append(res, a)
	}
	return res, nil
}

// jsimonetti: netlink.Message.UnmarshalBinary per message, then the
// rtnetlink message's UnmarshalBinary, collected into a slice, as
// Conn.Receive and LinkService.execute / AddressService.List do.

func jsimMessages(stream []byte) ([]netlink.Message, error) {
	var msgs []netlink.Message
	for len(stream) >= 16 {
		n := (int(nativeU32(stream)) + 3) &^ 3
		if n > len(stream) {
			n = len(stream)
		}
		var m netlink.Message
		if err := m.UnmarshalBinary(stream[:n]); err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
		stream = stream[n:]
	}
	return msgs, nil
}

func jsimDecodeLinks(stream []byte) ([]rtnetlink.LinkMessage, error) {
	msgs, err := jsimMessages(stream)
	if err != nil {
		return nil, err
	}
	var res []rtnetlink.LinkMessage
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		var lm rtnetlink.LinkMessage
		if err := lm.UnmarshalBinary(m.Data); err != nil {
			return nil, err
		}
		res = append(res, lm)
	}
	return res, nil
}

func jsimDecodeAddrs(stream []byte) ([]rtnetlink.AddressMessage, error) {
	msgs, err := jsimMessages(stream)
	if err != nil {
		return nil, err
	}
	var res []rtnetlink.AddressMessage
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWADDR {
			continue
		}
		var am rtnetlink.AddressMessage
		if err := am.UnmarshalBinary(m.Data); err != nil {
			return nil, err
		}
		res = append(res, am)
	}
	return res, nil
}

// The peers' decoders fill whole structs; the benchmarks then read the
// fields `ip` prints (those each library has) into these sinks, as a
// printer would.
func vishTouchLink(l vnl.Link) int {
	a := l.Attrs()
	n := a.Index + a.MTU + a.TxQLen + len(a.Name) + len(a.HardwareAddr) + int(a.RawFlags) +
		a.ParentIndex + a.MasterIndex + int(a.OperState) + a.NetNsID + int(a.Group) + len(a.EncapType) +
		len(a.PermHWAddr) + len(l.Type())
	return n
}

func vishTouchAddr(a vnl.Addr) int {
	n := a.LinkIndex + len(a.IP) + len(a.Mask) + len(a.Broadcast) + len(a.Label) + a.Flags + a.Scope +
		a.ValidLft + a.PreferedLft
	if a.Peer != nil {
		n += len(a.Peer.IP)
	}
	return n
}

func jsimTouchLink(l *rtnetlink.LinkMessage) int {
	n := int(l.Index) + int(l.Flags) + int(l.Type)
	if a := l.Attributes; a != nil {
		n += int(a.MTU) + len(a.Name) + len(a.QueueDisc) + len(a.Address) + len(a.Broadcast) +
			len(a.PermAddress) + int(a.OperationalState) + int(a.Type)
		if a.Master != nil {
			n += int(*a.Master)
		}
		if a.TxQueueLen != nil {
			n += int(*a.TxQueueLen)
		}
		if a.NetDevGroup != nil {
			n += int(*a.NetDevGroup)
		}
		if a.LinkMode != nil {
			n += int(*a.LinkMode)
		}
		if a.Info != nil {
			n += len(a.Info.Kind)
		}
	}
	return n
}

func jsimTouchAddr(a *rtnetlink.AddressMessage) int {
	n := int(a.Family) + int(a.PrefixLength) + int(a.Flags) + int(a.Scope) + int(a.Index)
	if at := a.Attributes; at != nil {
		n += len(at.Address) + len(at.Local) + len(at.Broadcast) + len(at.Label) + int(at.Flags) +
			int(at.CacheInfo.Valid) + int(at.CacheInfo.Preferred)
	}
	return n
}

func rawnsTouchLink(v rawnsLink) int {
	return int(v.Index) + int(v.Type) + int(v.Flags) + len(v.Name) + len(v.Qdisc) + len(v.Kind) +
		len(v.Addr) + len(v.Brd) + len(v.Perm) + int(v.MTU) + int(v.TxQLen) + int(v.Group) +
		int(v.Master) + int(v.Link) + int(v.NetNSID) + int(v.OperState) + int(v.LinkMode)
}

func rawnsTouchAddr(v rawnsAddr) int {
	n := int(v.Family) + int(v.PrefixLen) + int(v.Scope) + int(v.Index) + int(v.Flags) +
		len(v.Label) + int(v.Valid) + int(v.Preferred)
	if v.Local.IsValid() {
		n += v.Local.BitLen()
	}
	if v.Peer.IsValid() {
		n += v.Peer.BitLen()
	}
	if v.Brd.IsValid() {
		n += v.Brd.BitLen()
	}
	return n
}

// decodeInputs loads the captured messages: one RTM_NEWLINK payload (its
// header cut off, as a Conn hands Message.Data), and the two dump streams.
func decodeInputs(tb testing.TB) (newLink, linkDump, addrDump []byte) {
	tb.Helper()
	nl := readTestdata(tb, fileNewLink)
	return nl[16:], readTestdata(tb, fileLinkDump), readTestdata(tb, fileAddrDump)
}

// BenchmarkDecode decodes the captured messages with each library and
// reads every field `ip` prints that the library offers. Sub-benchmarks are
// named Decode<Input>/<library>.
func BenchmarkDecode(b *testing.B) {
	newLink, linkDump, addrDump := decodeInputs(b)
	run := func(name string, f func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			if _, err := f(); err != nil {
				b.Fatal(err)
			}
			clk := startCPU(b)
			for b.Loop() {
				n, _ := f()
				sinkInt += n
			}
			clk.stop(b)
		})
	}
	run("NewLink/rawns", func() (int, error) {
		v, err := rawnsReadLink(newLink)
		return rawnsTouchLink(v), err
	})
	run("NewLink/vishvananda", func() (int, error) {
		l, err := vnl.LinkDeserialize(nil, newLink)
		if err != nil {
			return 0, err
		}
		return vishTouchLink(l), nil
	})
	run("NewLink/jsimonetti", func() (int, error) {
		var lm rtnetlink.LinkMessage
		err := lm.UnmarshalBinary(newLink)
		return jsimTouchLink(&lm), err
	})
	run("LinkDump/rawns", func() (int, error) {
		n := 0
		_, err := rawnsDecodeLinks(linkDump, func(v rawnsLink) { n += rawnsTouchLink(v) })
		return n, err
	})
	run("LinkDump/vishvananda", func() (int, error) {
		ls, err := vishDecodeLinks(linkDump)
		n := 0
		for _, l := range ls {
			n += vishTouchLink(l)
		}
		return n, err
	})
	run("LinkDump/jsimonetti", func() (int, error) {
		ls, err := jsimDecodeLinks(linkDump)
		n := 0
		for i := range ls {
			n += jsimTouchLink(&ls[i])
		}
		return n, err
	})
	run("AddrDump/rawns", func() (int, error) {
		n := 0
		_, err := rawnsDecodeAddrs(addrDump, func(v rawnsAddr) { n += rawnsTouchAddr(v) })
		return n, err
	})
	run("AddrDump/vishvananda", func() (int, error) {
		as, err := vishDecodeAddrs(addrDump)
		n := 0
		for _, a := range as {
			n += vishTouchAddr(a)
		}
		return n, err
	})
	run("AddrDump/jsimonetti", func() (int, error) {
		as, err := jsimDecodeAddrs(addrDump)
		n := 0
		for i := range as {
			n += jsimTouchAddr(&as[i])
		}
		return n, err
	})
}
