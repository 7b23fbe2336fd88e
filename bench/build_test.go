package bench_test

import (
	"net"
	"net/netip"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/jsimonetti/rtnetlink/v2/driver"
	"github.com/mdlayher/netlink"
	"github.com/rawns/rawns/rtnl"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// The inputs of the build benchmarks, as in netlink-pitfalls.md §13: veth0
// with peer veth1 (the peer optionally in the namespace open at fd 7),
// 192.168.1.1/24 on ifindex 3, ifindex 3 up, ifindex 3 moved to fd 7.
const (
	vethName = "veth0"
	peerName = "veth1"
	nsFD     = 7
	ifIndex  = 3
)

var (
	addrLocal = netip.MustParseAddr("192.168.1.1")
	addrBrd   = netip.MustParseAddr("192.168.1.255")
	addrIP    = net.IPv4(192, 168, 1, 1).To4()
	addrMask  = net.CIDRMask(24, 32)
	addrBrdIP = net.IPv4(192, 168, 1, 255).To4()
)

// builder builds one request the way one library does and returns its wire
// bytes (nlmsghdr included). rawns builders write into buf.
type builder struct {
	lib   string
	build func(buf []byte) []byte
	// extra lists what the library always adds that does not change the
	// request, in the canonical form of TestBuildEquivalent.
	extra []string
}

// buildCase is one build benchmark: the same request from every library.
type buildCase struct {
	name     string
	builders []builder
}

func buildCases() []buildCase {
	return []buildCase{
		{"BuildVeth", []builder{
			{"rawns", func(buf []byte) []byte { return rawnsVeth(buf, 0) }, nil},
			{"vishvananda", func([]byte) []byte { return vishVeth(0) }, nil},
			{"jsimonetti", func([]byte) []byte { return jsimVeth(0) }, nil},
		}},
		{"BuildVethPeerNetNS", []builder{
			{"rawns", func(buf []byte) []byte { return rawnsVeth(buf, nsFD) }, nil},
			{"vishvananda", func([]byte) []byte { return vishVeth(nsFD) }, nil},
			{"jsimonetti", func([]byte) []byte { return jsimVeth(nsFD) }, nil},
		}},
		{"BuildNewAddr", []builder{
			{"rawns", rawnsNewAddr, nil},
			{"vishvananda", func([]byte) []byte { return vishNewAddr() }, nil},
			{"jsimonetti", func([]byte) []byte { return jsimNewAddr() },
				// AddressAttributes.encode always sends IFA_UNSPEC and IFA_FLAGS 0.
				[]string{"/0=0000", "/8=00000000"}},
		}},
		{"BuildLinkUp", []builder{
			{"rawns", rawnsLinkUp, nil},
			{"vishvananda", func([]byte) []byte { return vishLinkUp() }, nil},
			{"jsimonetti", func([]byte) []byte { return jsimLinkUp() }, nil},
		}},
		{"BuildNetNSMove", []builder{
			{"rawns", rawnsNetNSMove, nil},
			{"vishvananda", func([]byte) []byte { return vishNetNSMove() }, nil},
			{"jsimonetti", func([]byte) []byte { return jsimNetNSMove() }, nil},
		}},
	}
}

// rawns: the typed Append builders into the caller's buffer.

func rawnsVeth(buf []byte, peerNS int32) []byte {
	v := rtnl.Veth{Name: vethName, PeerName: peerName, PeerNetNSFD: peerNS}
	return rtnl.AppendNewVeth(buf[:0], &v)
}

func rawnsNewAddr(buf []byte) []byte {
	a := rtnl.Addr{Family: unix.AF_INET, PrefixLen: 24, Index: ifIndex, Local: addrLocal, Broadcast: addrBrd}
	return rtnl.AppendNewAddr(buf[:0], &a)
}

func rawnsLinkUp(buf []byte) []byte {
	c := rtnl.LinkChange{Index: ifIndex, Flags: unix.IFF_UP, Change: unix.IFF_UP}
	return rtnl.AppendSetLink(buf[:0], &c)
}

func rawnsNetNSMove(buf []byte) []byte {
	c := rtnl.LinkChange{Index: ifIndex, NetNSFD: nsFD}
	return rtnl.AppendSetLink(buf[:0], &c)
}

// vishvananda: the exported nl calls that Handle.linkModify, addrHandle,
// LinkSetUp and LinkSetNsFd make (v1.3.1), then Serialize, which is what
// NetlinkRequest.Execute sends. NewVeth's defaults (TxQLen and PeerTxQLen
// -1) send no IFLA_TXQLEN.

func vishVeth(peerNS uint32) []byte {
	req := nl.NewNetlinkRequest(unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	req.AddData(nl.NewIfInfomsg(unix.AF_UNSPEC))
	req.AddData(nl.NewRtAttr(unix.IFLA_IFNAME, nl.ZeroTerminated(vethName)))
	info := nl.NewRtAttr(unix.IFLA_LINKINFO, nil)
	info.AddRtAttr(nl.IFLA_INFO_KIND, nl.NonZeroTerminated("veth"))
	data := info.AddRtAttr(nl.IFLA_INFO_DATA, nil)
	peer := data.AddRtAttr(nl.VETH_INFO_PEER, nil)
	nl.NewIfInfomsgChild(peer, unix.AF_UNSPEC)
	peer.AddRtAttr(unix.IFLA_IFNAME, nl.ZeroTerminated(peerName))
	if peerNS != 0 {
		peer.AddRtAttr(unix.IFLA_NET_NS_FD, nl.Uint32Attr(peerNS))
	}
	req.AddData(info)
	return req.Serialize()
}

func vishNewAddr() []byte {
	req := nl.NewNetlinkRequest(unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	msg := nl.NewIfAddrmsg(nl.FAMILY_V4)
	msg.Index = ifIndex
	ones, bits := addrMask.Size()
	msg.Prefixlen = uint8(ones)
	req.AddData(msg)
	local := addrIP.To4()
	req.AddData(nl.NewRtAttr(unix.IFA_LOCAL, local))
	req.AddData(nl.NewRtAttr(unix.IFA_ADDRESS, local))
	// addrHandle computes the broadcast into a fresh 4-byte net.IP.
	brd := make(net.IP, bits/8)
	for i := range local {
		brd[i] = local[i] | ^addrMask[i]
	}
	req.AddData(nl.NewRtAttr(unix.IFA_BROADCAST, brd))
	return req.Serialize()
}

func vishLinkUp() []byte {
	req := nl.NewNetlinkRequest(unix.RTM_NEWLINK, unix.NLM_F_ACK)
	msg := nl.NewIfInfomsg(unix.AF_UNSPEC)
	msg.Change = unix.IFF_UP
	msg.Flags = unix.IFF_UP
	msg.Index = ifIndex
	req.AddData(msg)
	return req.Serialize()
}

func vishNetNSMove() []byte {
	req := nl.NewNetlinkRequest(unix.RTM_SETLINK, unix.NLM_F_ACK)
	msg := nl.NewIfInfomsg(unix.AF_UNSPEC)
	msg.Index = ifIndex
	req.AddData(msg)
	req.AddData(nl.NewRtAttr(unix.IFLA_NET_NS_FD, nl.Uint32Attr(nsFD)))
	return req.Serialize()
}

// jsimonetti: the message types' MarshalBinary wrapped in a
// netlink.Message, as rtnetlink.Conn.Execute → netlink.Conn.Send marshals
// them ("wire" in §13).

func jsimWire(m rtnetlink.Message, typ netlink.HeaderType, flags netlink.HeaderFlags) []byte {
	body, err := m.MarshalBinary()
	if err != nil {
		panic(err)
	}
	// Conn.Send's fixMsg sets the length before marshalling.
	msg := netlink.Message{Header: netlink.Header{Length: uint32(16 + len(body)), Type: typ, Flags: flags}, Data: body}
	b, err := msg.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return b
}

func jsimVeth(peerNS uint32) []byte {
	peer := &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{Name: peerName}}
	if peerNS != 0 {
		peer.Attributes.NetNS = rtnetlink.NetNSForFD(peerNS)
	}
	m := &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{
		Name: vethName,
		Info: &rtnetlink.LinkInfo{Kind: "veth", Data: &driver.Veth{PeerInfo: peer}},
	}}
	return jsimWire(m, unix.RTM_NEWLINK, netlink.Request|netlink.Create|netlink.Acknowledge|netlink.Excl)
}

func jsimNewAddr() []byte {
	m := &rtnetlink.AddressMessage{
		Family:       unix.AF_INET,
		PrefixLength: 24,
		Index:        ifIndex,
		Attributes: &rtnetlink.AddressAttributes{
			Address:   addrIP,
			Local:     addrIP,
			Broadcast: addrBrdIP,
		},
	}
	return jsimWire(m, unix.RTM_NEWADDR, netlink.Request|netlink.Create|netlink.Acknowledge|netlink.Excl)
}

func jsimLinkUp() []byte {
	m := &rtnetlink.LinkMessage{Index: ifIndex, Flags: unix.IFF_UP, Change: unix.IFF_UP}
	return jsimWire(m, unix.RTM_NEWLINK, netlink.Request|netlink.Acknowledge)
}

func jsimNetNSMove() []byte {
	m := &rtnetlink.LinkMessage{Index: ifIndex, Attributes: &rtnetlink.LinkAttributes{NetNS: rtnetlink.NetNSForFD(nsFD)}}
	return jsimWire(m, unix.RTM_NEWLINK, netlink.Request|netlink.Acknowledge)
}

// BenchmarkBuild builds each request with each library. Each sub-benchmark
// is named Build<Request>/<library>.
func BenchmarkBuild(b *testing.B) {
	for _, c := range buildCases() {
		for _, bl := range c.builders {
			b.Run(c.name[len("Build"):]+"/"+bl.lib, func(b *testing.B) {
				var buf [256]byte
				clk := startCPU(b)
				for b.Loop() {
					sinkBytes = bl.build(buf[:])
				}
				clk.stop(b)
			})
		}
	}
}
