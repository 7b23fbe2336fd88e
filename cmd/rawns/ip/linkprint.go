package ip

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"strconv"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// printLink prints one link as iproute2 6.1's print_linkinfo does. doLink
// is true for `ip link` (it adds mode and alias); family is the filter
// family (the link/ line is printed for 0 and AF_PACKET).
func printLink(e *env, p *printer, l *rtnl.Link, doLink bool, family uint8) {
	name := string(l.Name())
	if e.opts.brief {
		printLinkBrief(e, p, l, name, family)
		return
	}
	printLinkHead(e, p, l, name, doLink)
	if family == 0 || family == unix.AF_PACKET {
		printLinkLayer(p, l)
	}
	printLinkNetns(e, p, l)
	if doLink {
		if a := l.IfAlias(); a != nil {
			p.text(p.sl + "    ")
			p.str("ifalias", "alias ", string(a), "")
		}
	}
	printAltNames(p, l)
	p.text("\n")
}

// printLinkHead prints print_linkinfo's first line up to the queue
// length: index, name, flags, mtu, qdisc, master, state, mode and group.
func printLinkHead(e *env, p *printer, l *rtnl.Link, name string, doLink bool) {
	p.int("ifindex", "", int64(l.Index), ": ")
	mdown := printNameAndLink(e, p, l, name, ": ", 0)
	printLinkFlags(p, l.Flags, mdown)
	if v, ok := l.MTU(); ok {
		p.uint("mtu", "mtu ", uint64(v), " ")
	}
	if q := l.Qdisc(); q != nil {
		p.str("qdisc", "qdisc ", string(q), " ")
	}
	if m, ok := l.Master(); ok {
		mname, _, _ := e.res.indexToName(m)
		p.str("master", "master ", mname, " ")
	}
	if s, ok := l.OperState(); ok {
		printOperstate(p, s, false)
	}
	if m, ok := l.LinkMode(); ok && doLink {
		switch m {
		case 0:
			p.str("linkmode", "mode ", "DEFAULT", " ")
		case 1:
			p.str("linkmode", "mode ", "DORMANT", " ")
		default:
			p.int("linkmode_index", "mode ", int64(m), " ")
		}
	}
	if g, ok := l.Group(); ok {
		p.str("group", "group ", groupName(g), " ")
	}
	q, ok := l.TxQLen()
	if !ok {
		q, ok = ioctlTxQLen(e, name)
	}
	if ok && q != 0 {
		p.int("txqlen", "qlen ", int64(int32(q)), "")
	}
}

// printLinkLayer prints the link/ line: the link type, address, broadcast
// or peer address and permanent address.
func printLinkLayer(p *printer, l *rtnl.Link) {
	p.nl()
	p.str("link_type", "    link/", linkTypeName(l.Type), " ")
	if a := l.Address(); a != nil {
		p.str("address", "", llAddr(a, l.Type), "")
	}
	if b := l.Broadcast(); b != nil {
		if l.Flags&unix.IFF_POINTOPOINT != 0 {
			p.text(" peer ")
			if j := p.jsonOnly(); j != nil {
				j.bool("link_pointtopoint", true)
			}
		} else {
			p.text(" brd ")
		}
		p.str("broadcast", "", llAddr(b, l.Type), "")
	}
	if pa := l.PermAddr(); pa != nil && !bytes.Equal(pa, l.Address()) {
		p.text(" permaddr ")
		p.str("permaddr", "", llAddr(pa, l.Type), "")
	}
}

// printLinkNetns prints where the link's peer lives and where the link is
// going: link-netns(id), new-netns(id), new-ifindex, and protodown.
func printLinkNetns(e *env, p *printer, l *rtnl.Link) {
	if id, ok := l.LinkNetNSID(); ok {
		switch {
		case p.json():
			p.j.int("link_netnsid", int64(id))
		case id >= 0:
			if n, ok := e.res.nsidName(id); ok {
				p.text(" link-netns " + n)
			} else {
				p.text(" link-netnsid " + strconv.Itoa(int(id)))
			}
		default:
			p.text(" link-netnsid unknown")
		}
	}
	if v, ok := l.NewNetNSID(); ok && !p.json() {
		if n, ok := e.res.nsidName(v); ok {
			p.text(" new-netns " + n)
		} else {
			p.text(" new-netnsid " + strconv.Itoa(int(v)))
		}
	}
	if v, ok := l.NewIfIndex(); ok && !p.json() {
		p.text(" new-ifindex " + strconv.Itoa(int(v)))
	}
	if l.ProtoDown() {
		if p.json() {
			p.j.bool("proto_down", true)
		} else {
			p.text(" protodown on ")
		}
	}
}

// printAltNames prints the link's alternative names (IFLA_PROP_LIST), one
// "altname" line each, or the JSON altnames array.
func printAltNames(p *printer, l *rtnl.Link) {
	if l.Attr(unix.IFLA_PROP_LIST) == nil {
		return
	}
	if p.json() {
		p.j.name("altnames")
		p.j.startArray()
	}
	for it := l.AltNames(); it.Next(); { // ParseLink checked the walk
		if it.Type() != unix.IFLA_ALT_IFNAME {
			continue
		}
		alt := it.Data()
		if i := bytes.IndexByte(alt, 0); i >= 0 {
			alt = alt[:i]
		}
		p.text(p.sl + "    altname ")
		p.str("", "", string(alt), "")
	}
	if p.json() {
		p.j.endArray()
	}
}

// ioctlTxQLen is print_queuelen's fallback when the message has no
// IFLA_TXQLEN (the IPv6 link dump): SIOCGIFTXQLEN.
func ioctlTxQLen(e *env, name string) (uint32, bool) {
	ifr, err := unix.NewIfreq(name)
	if err == nil {
		err = ifreq.Ioctl(unix.SIOCGIFTXQLEN, ifr)
	}
	if err != nil {
		e.stdout.Flush()
		var en unix.Errno
		if errors.As(err, &en) {
			io.WriteString(e.stderr, "ioctl(SIOCGIFTXQLEN) failed: "+strerror(en)+"\n")
		}
		return 0, false
	}
	return ifr.Uint32(), true
}

// printLinkBrief is print_linkinfo_brief.
func printLinkBrief(e *env, p *printer, l *rtnl.Link, name string, family uint8) {
	mdown := printNameAndLink(e, p, l, name, " ", 16)
	if s, ok := l.OperState(); ok {
		printOperstate(p, s, true)
	}
	if family == unix.AF_PACKET {
		if a := l.Address(); a != nil {
			p.str("address", "", llAddr(a, l.Type), " ")
		}
		printLinkFlags(p, l.Flags, mdown)
		p.text("\n")
	}
}

// printNameAndLink is print_name_and_link: the name with its @peer,
// @ifN or @NONE suffix (and link/link_index in JSON), padded to width in
// text, followed by post. It reports whether M-DOWN applies: the linked
// device is in this namespace and down.
func printNameAndLink(e *env, p *printer, l *rtnl.Link, name, post string, width int) (mdown bool) {
	if iflink, ok := l.LinkIndex(); ok {
		_, otherNS := l.LinkNetNSID()
		link := ""
		switch {
		case iflink == 0:
			if p.json() {
				p.j.null("link")
			} else {
				link = "NONE"
			}
		case otherNS:
			if p.json() {
				p.j.int("link_index", int64(iflink))
			} else {
				link = "if" + strconv.FormatUint(uint64(uint32(iflink)), 10)
			}
		default:
			lname, flags, known := e.res.indexToName(iflink)
			if p.json() {
				p.j.str("link", lname)
			} else {
				link = lname
			}
			mdown = known && flags&unix.IFF_UP == 0
		}
		if link != "" {
			name = name + "@" + link
		}
	}
	if !p.json() && width > 0 {
		name = pad(name, width)
	}
	p.str("ifname", "", name, post)
	return mdown
}

// linkFlagOrder are the IFF_* bits in the order print_link_flags prints
// them.
var linkFlagOrder = [...]uint32{
	unix.IFF_LOOPBACK, unix.IFF_BROADCAST, unix.IFF_POINTOPOINT, unix.IFF_MULTICAST,
	unix.IFF_NOARP, unix.IFF_ALLMULTI, unix.IFF_PROMISC, unix.IFF_MASTER, unix.IFF_SLAVE,
	unix.IFF_DEBUG, unix.IFF_DYNAMIC, unix.IFF_AUTOMEDIA, unix.IFF_PORTSEL,
	unix.IFF_NOTRAILERS, unix.IFF_UP, unix.IFF_LOWER_UP, unix.IFF_DORMANT, unix.IFF_ECHO,
}

// appendLinkFlags appends flags as iproute2's print_link_flags writes them
// between the angle brackets: NO-CARRIER first when UP without RUNNING,
// RUNNING never, then the kernel's names (rtnl.IfFlags) in linkFlagOrder,
// and any other bits in hex without 0x, all comma separated.
func appendLinkFlags(b []byte, flags uint32) []byte {
	start := len(b)
	if flags&unix.IFF_UP != 0 && flags&unix.IFF_RUNNING == 0 {
		b = append(b, "NO-CARRIER"...)
	}
	flags &^= unix.IFF_RUNNING
	for _, bit := range linkFlagOrder {
		if flags&bit != 0 {
			if len(b) > start {
				b = append(b, ',')
			}
			b = rtnl.IfFlags(bit).AppendText(b)
			flags &^= bit
		}
	}
	if flags != 0 {
		if len(b) > start {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(flags), 16)
	}
	return b
}

// printLinkFlags is print_link_flags: "<...> " in text, "flags" in JSON,
// which gets each name as an array element.
func printLinkFlags(p *printer, flags uint32, mdown bool) {
	var buf [160]byte
	names := appendLinkFlags(buf[:0], flags)
	p.openArray("flags", "<")
	if p.json() {
		for len(names) > 0 {
			name := names
			if i := bytes.IndexByte(names, ','); i >= 0 {
				name, names = names[:i], names[i+1:]
			} else {
				names = nil
			}
			p.j.str("", string(name))
		}
	} else {
		p.text(string(names))
	}
	if mdown {
		p.str("", ",", "M-DOWN", "")
	}
	p.closeArray("> ")
}

// printOperstate is print_operstate.
func printOperstate(p *printer, s uint8, brief bool) {
	states := [...]string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}
	switch {
	case int(s) >= len(states):
		if p.json() {
			p.j.uint("operstate_index", uint64(s))
		} else {
			p.text("state 0x" + strconv.FormatUint(uint64(s), 16))
		}
	case brief:
		if p.json() {
			p.j.str("operstate", states[s])
		} else {
			p.text(pad(states[s], 14) + " ")
		}
	default:
		p.str("operstate", "state ", states[s], " ")
	}
}

// groupName is rtnl_group_n2a with the stock /etc/iproute2/group.
func groupName(g uint32) string {
	if g == 0 {
		return "default"
	}
	return strconv.Itoa(int(int32(g)))
}

// llAddr is ll_addr_n2a: colon-separated hex, or an IP address for the
// tunnel types that carry one.
func llAddr(a []byte, typ uint16) string {
	switch {
	case len(a) == 4 && (typ == unix.ARPHRD_TUNNEL || typ == unix.ARPHRD_SIT || typ == unix.ARPHRD_IPGRE),
		len(a) == 16 && (typ == unix.ARPHRD_TUNNEL6 || typ == unix.ARPHRD_IP6GRE):
		ip, _ := netip.AddrFromSlice(a)
		return inetNtop(ip)
	case len(a) == 0:
		return ""
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, 3*len(a))
	for i, c := range a {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hex[c>>4], hex[c&15])
	}
	return string(b)
}

// linkTypeName is ll_type_n2a for the ARPHRD types rawns can meet, and
// "[N]" for the others.
func linkTypeName(t uint16) string {
	switch t {
	case unix.ARPHRD_NETROM:
		return "netrom"
	case unix.ARPHRD_ETHER:
		return "ether"
	case unix.ARPHRD_EETHER:
		return "eether"
	case unix.ARPHRD_AX25:
		return "ax25"
	case unix.ARPHRD_IEEE802:
		return "ieee802"
	case unix.ARPHRD_INFINIBAND:
		return "infiniband"
	case unix.ARPHRD_SLIP:
		return "slip"
	case unix.ARPHRD_CAN:
		return "can"
	case unix.ARPHRD_PPP:
		return "ppp"
	case unix.ARPHRD_TUNNEL:
		return "ipip"
	case unix.ARPHRD_TUNNEL6:
		return "tunnel6"
	case unix.ARPHRD_LOOPBACK:
		return "loopback"
	case unix.ARPHRD_SIT:
		return "sit"
	case unix.ARPHRD_IPGRE:
		return "gre"
	case unix.ARPHRD_IEEE80211:
		return "ieee802.11"
	case unix.ARPHRD_IEEE80211_RADIOTAP:
		return "ieee802.11/radiotap"
	case unix.ARPHRD_IP6GRE:
		return "gre6"
	case unix.ARPHRD_NETLINK:
		return "netlink"
	case unix.ARPHRD_6LOWPAN:
		return "6lowpan"
	case unix.ARPHRD_NONE:
		return "none"
	case unix.ARPHRD_VOID:
		return "void"
	}
	return "[" + strconv.Itoa(int(t)) + "]"
}
