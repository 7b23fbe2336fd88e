package main

import (
	"io"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// doLink is `ip link`: show (also list, lst, and no command), add, set
// (change), delete, help.
func doLink(e *env, a *words) error {
	if !a.more() {
		return listLinks(e, a, true, linkUsage(e))
	}
	cmd, _ := a.next()
	switch {
	case matches(cmd, "add"):
		return linkModify(e, a, unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	case matches(cmd, "set"), matches(cmd, "change"):
		return linkModify(e, a, unix.RTM_NEWLINK, 0)
	case matches(cmd, "replace"):
		return linkModify(e, a, unix.RTM_NEWLINK, unix.NLM_F_CREATE|unix.NLM_F_REPLACE)
	case matches(cmd, "delete"):
		return linkModify(e, a, unix.RTM_DELLINK, 0)
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		return listLinks(e, a, true, linkUsage(e))
	case matches(cmd, "xstats"), matches(cmd, "afstats"), matches(cmd, "property"):
		return usageErr(`Command "` + cmd + `" is not supported by rawns, try "ip link help".`)
	case matches(cmd, "help"):
		if w, ok := a.next(); ok && w == "veth" {
			vethUsage(e)
			return nil
		}
		return linkUsage(e)()
	}
	return usageErr(`Command "` + cmd + `" is unknown, try "ip link help".`)
}

// linkReq is a link request being built: iplink_parse appends attributes
// to b in argv order, as iproute2 does, and keeps the ifinfomsg fields
// aside until the end.
type linkReq struct {
	b              []byte
	flags, change  uint32
	index          int32
	create         bool
	dev, name, typ string
	typSet         bool   // "type" was given (maybe "")
	addrLen        int    // length of the "address" given, or 0
	netns          bool   // a netns was given (index may then be used)
	byName         string // the device is named by IFLA_IFNAME, not resolved
}

// linkModify is iplink_modify: parse, resolve, build one request, send it.
func linkModify(e *env, a *words, cmd uint16, flags uint16) error {
	r := &e.res
	b, msg := rtnl.AppendHeader(r.buf(), cmd, unix.NLM_F_REQUEST|unix.NLM_F_ACK|flags)
	ifi := len(b)
	b = rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Family: e.opts.family})
	q := &linkReq{b: b, create: flags&unix.NLM_F_CREATE != 0}
	if err := parseLinkArgs(e, a, q); err != nil {
		r.keep(q.b)
		return err
	}
	setIfInfomsg(q.b[ifi:], q.index, q.flags, q.change)
	if q.typSet {
		var info int
		q.b, info = rtnl.BeginNest(q.b, unix.IFLA_LINKINFO)
		q.b = appendKind(q.b, q.typ)
		switch {
		case q.typ == "veth" && a.more():
			if err := parseVethPeer(e, a, q); err != nil {
				r.keep(q.b)
				return err
			}
		case a.more():
			w := a.peek()
			r.keep(q.b)
			if matches(w, "help") {
				return linkUsage(e)()
			}
			return failErr(`Garbage instead of arguments "` + w + ` ...". Try "ip link help".`)
		}
		q.b = rtnl.EndNest(q.b, info)
	} else if q.create {
		r.keep(q.b)
		return failErr(`Not enough information: "type" argument is required`)
	}
	q.b = rtnl.FinishMessage(q.b, msg)
	r.keep(q.b)
	if err := r.send(q.b, q.byName); err != nil {
		return err
	}
	r.forget(q.index)
	if q.byName != "" {
		r.forgetName(q.byName)
	}
	return nil
}

// appendKind appends IFLA_INFO_KIND for `type KIND`: with its NUL, as
// iproute2 HEAD sends it (iproute2.md §1), except that an empty KIND goes
// as 6.1 sends every kind, with no byte at all, so that the kernel refuses
// it (ERANGE) as it refuses 6.1's; with the NUL it would be taken for no
// kind and the change made.
func appendKind(b []byte, kind string) []byte {
	if kind == "" {
		return rtnl.AppendAttr(b, unix.IFLA_INFO_KIND, nil)
	}
	return rtnl.AppendAttrString(b, unix.IFLA_INFO_KIND, kind)
}

// setIfInfomsg writes index, flags and change into the ifinfomsg at b.
func setIfInfomsg(b []byte, index int32, flags, change uint32) {
	putU32(b[4:], uint32(index))
	putU32(b[8:], flags)
	putU32(b[12:], change)
}

// parseLinkArgs is iplink_parse: it consumes words up to and including
// "type TYPE", appending attributes to q.b in argv order, then resolves the
// device (for set and delete) and appends IFLA_IFNAME.
func parseLinkArgs(e *env, a *words, q *linkReq) error {
	r := &e.res
	mtuSet, qlenSet := false, false
	for a.more() {
		w, _ := a.next()
		switch {
		case w == "up":
			q.change |= unix.IFF_UP
			q.flags |= unix.IFF_UP
		case w == "down":
			q.change |= unix.IFF_UP
			q.flags &^= unix.IFF_UP
		case w == "name":
			v, err := a.value()
			if err != nil {
				return err
			}
			if q.name != "" {
				return errDupArg("name", v)
			}
			if !validIfname(v) {
				return errInvArg(`"name" not a valid ifname`, v)
			}
			q.name = v
			if q.dev == "" {
				q.dev = v
			}
		case w == "index":
			v, err := a.value()
			if err != nil {
				return err
			}
			if q.index != 0 {
				return errDupArg("index", v)
			}
			n := atoi(v)
			if n <= 0 {
				return errInvArg(`Invalid "index" value`, v)
			}
			q.index = n
		case matches(w, "link"):
			return unsupportedWord(w)
		case matches(w, "address"):
			n, err := q.llAttr(a, unix.IFLA_ADDRESS)
			if err != nil {
				return err
			}
			q.addrLen = n
		case matches(w, "broadcast"), w == "brd":
			if _, err := q.llAttr(a, unix.IFLA_BROADCAST); err != nil {
				return err
			}
		case matches(w, "txqueuelen"), w == "qlen", matches(w, "txqlen"):
			if err := q.intAttr(a, &qlenSet, "txqueuelen", unix.IFLA_TXQLEN); err != nil {
				return err
			}
		case w == "mtu":
			if err := q.intAttr(a, &mtuSet, "mtu", unix.IFLA_MTU); err != nil {
				return err
			}
		case w == "xdpgeneric", w == "xdpdrv", w == "xdpoffload", w == "xdp":
			return unsupportedWord(w)
		case w == "netns":
			v, err := a.value()
			if err != nil {
				return err
			}
			if q.netns {
				return errDupArg("netns", v)
			}
			fd, pid, err := r.netnsFD(v)
			if err != nil {
				if pid {
					// iproute2 6.1 sends IFLA_NET_NS_PID and the kernel
					// answers ESRCH; rawns never sends a pid.
					return &exitError{code: exitKernel, msg: "RTNETLINK answers: No such process"}
				}
				return errInvArg("Invalid \"netns\" value\n", v)
			}
			q.b = rtnl.AppendAttrUint32(q.b, unix.IFLA_NET_NS_FD, uint32(fd))
			q.netns = true
		case w == "multicast", w == "allmulticast", w == "promisc", w == "trailers", w == "arp":
			v, err := a.value()
			if err != nil {
				return err
			}
			bit, on := flagWord(w)
			q.change |= bit
			switch v {
			case on:
				q.flags |= bit
			case offWord(on):
				q.flags &^= bit
			default:
				return failErr(`Error: argument of "` + w + `" must be "on" or "off", not "` + v + `"`)
			}
		case w == "vf":
			v, err := a.value()
			if err != nil {
				return err
			}
			if _, ok := cInt32(v); !ok {
				return errInvArg("Invalid \"vf\" value\n", v)
			}
			return unsupportedWord(w)
		case w == "carrier":
			return unsupportedWord(w)
		case matches(w, "master"):
			v, err := a.value()
			if err != nil {
				return err
			}
			i, err := r.nameToIndex(v)
			if err != nil {
				return err
			}
			if i == 0 {
				return errInvArg("Device does not exist\n", v)
			}
			q.b = rtnl.AppendAttrUint32(q.b, unix.IFLA_MASTER, uint32(i))
		case w == "vrf":
			return unsupportedWord(w)
		case matches(w, "nomaster"):
			q.b = rtnl.AppendAttrUint32(q.b, unix.IFLA_MASTER, 0)
		case matches(w, "dynamic"):
			v, err := a.value()
			if err != nil {
				return err
			}
			q.change |= unix.IFF_DYNAMIC
			switch v {
			case "on":
				q.flags |= unix.IFF_DYNAMIC
			case "off":
				q.flags &^= unix.IFF_DYNAMIC
			default:
				return failErr(`Error: argument of "dynamic" must be "on" or "off", not "` + v + `"`)
			}
		case matches(w, "type"):
			v, err := a.value()
			if err != nil {
				return err
			}
			q.typ, q.typSet = v, true
			return finishLinkArgs(e, q)
		case matches(w, "alias"):
			v, err := a.value()
			if err != nil {
				return err
			}
			if len(v) >= 256 {
				return errInvArg("alias too long\n", v)
			}
			q.b = rtnl.AppendAttr(q.b, unix.IFLA_IFALIAS, []byte(v))
		case w == "group":
			return unsupportedWord(w)
		case w == "mode":
			v, err := a.value()
			if err != nil {
				return err
			}
			var m uint8
			switch {
			case equalFold(v, "default"):
				m = 0
			case equalFold(v, "dormant"):
				m = 1
			default:
				return errInvArg("Invalid link mode\n", v)
			}
			q.b = rtnl.AppendAttrUint8(q.b, unix.IFLA_LINKMODE, m)
		case w == "state":
			v, err := a.value()
			if err != nil {
				return err
			}
			s := operstateNumber(v)
			if s < 0 {
				return errInvArg("Invalid operstate\n", v)
			}
			q.b = rtnl.AppendAttrUint8(q.b, unix.IFLA_OPERSTATE, uint8(s))
		case matches(w, "numtxqueues"), matches(w, "numrxqueues"), matches(w, "addrgenmode"),
			matches(w, "link-netns"), matches(w, "link-netnsid"), w == "protodown", w == "protodown_reason",
			w == "gso_max_size", w == "gso_max_segs", w == "gro_max_size", w == "parentdev":
			return unsupportedWord(w)
		default:
			if matches(w, "help") {
				return linkUsage(e)()
			}
			if w == "dev" {
				v, err := a.value()
				if err != nil {
					return err
				}
				w = v
			}
			if q.dev != q.name {
				return errDupArg2("dev", w)
			}
			if !validAltIfname(w) {
				return errInvArg(`"dev" not a valid ifname`, w)
			}
			q.dev = w
		}
	}
	return finishLinkArgs(e, q)
}

// llAttr reads a link-layer address as ll_addr_a2n does and appends it as
// the attribute typ. It returns the address's length.
func (q *linkReq) llAttr(a *words, typ uint16) (int, error) {
	v, err := a.value()
	if err != nil {
		return 0, err
	}
	hw, bad := parseLLAddr(v)
	if hw == nil {
		return 0, failErr(`"` + bad + `" is invalid lladdr.`)
	}
	q.b = rtnl.AppendAttr(q.b, typ, hw)
	return len(hw), nil
}

// checkAddrLen is the check iplink_parse makes before changing the
// address of an existing device: the new address must be as long as the
// one the device has now (nl_get_ll_addr_len; the kernel would refuse a
// shorter one with EINVAL and silently cut a longer one). A device that
// does not exist, or has no address, is not checked.
func checkAddrLen(r *resources, dev string, n int) error {
	index, err := r.nameToIndex(dev)
	if err != nil || index == 0 {
		return err
	}
	have, err := r.addrLen(index)
	if err != nil || have < 0 || have == n {
		return err
	}
	return failErr("Invalid address length " + itoa(n) + " - must be " + itoa(have) + " bytes")
}

// intAttr reads the value of the keyword name as get_integer does and
// appends it as the 32-bit attribute typ; set records that it was given,
// a second time is an error.
func (q *linkReq) intAttr(a *words, set *bool, name string, typ uint16) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	if *set {
		return errDupArg(name, v)
	}
	n, ok := cInt32(v)
	if !ok {
		return errInvArg(`Invalid "`+name+`" value`+"\n", v)
	}
	*set = true
	q.b = rtnl.AppendAttrUint32(q.b, typ, uint32(n))
	return nil
}

// finishLinkArgs is the end of iplink_parse: name and dev settle, the
// device is resolved for a change, and IFLA_IFNAME is appended.
func finishLinkArgs(e *env, q *linkReq) error {
	if q.name == "" {
		q.name = q.dev
	} else if q.dev == "" {
		q.dev = q.name
	}
	if q.dev != "" && q.addrLen != 0 && !q.create {
		if err := checkAddrLen(&e.res, q.dev, q.addrLen); err != nil {
			return err
		}
	}
	if q.index != 0 && !q.create && !q.netns {
		return usageErr("index can be used only when creating devices or when moving device to another netns.")
	}
	if !q.create {
		if q.dev == "" {
			return usageErr(`Not enough information: "dev" argument is required.`)
		}
		newIndex := q.index
		if q.name == q.dev {
			q.name = ""
		}
		if byNameOK(e, q) {
			// Let the kernel find the device by name (it does for a
			// NEWLINK or DELLINK with index 0 and IFLA_IFNAME): no lookup
			// round trip, and in a -force batch the queue (which may
			// create the device) need not be sent first.
			q.byName, q.index = q.dev, 0
			q.b = rtnl.AppendAttrString(q.b, unix.IFLA_IFNAME, q.dev)
			if newIndex != 0 {
				q.b = rtnl.AppendAttrUint32(q.b, unix.IFLA_NEW_IFINDEX, uint32(newIndex))
			}
			return nil
		}
		i, err := e.res.nameToIndex(q.dev)
		if err != nil {
			return err
		}
		if i == 0 {
			return failErr(`Cannot find device "` + q.dev + `"`)
		}
		q.index = i
		if newIndex != 0 {
			q.b = rtnl.AppendAttrUint32(q.b, unix.IFLA_NEW_IFINDEX, uint32(newIndex))
		}
	} else if q.name != q.dev {
		return usageErr(`both "name" and "dev" cannot be used when creating devices.`)
	}
	if q.name != "" {
		q.b = rtnl.AppendAttrString(q.b, unix.IFLA_IFNAME, q.name)
	}
	return nil
}

// byNameOK reports whether a change may name its device by IFLA_IFNAME
// instead of looking its index up first: only in a batch (a single
// command keeps iproute2's lookup), for a device the cache does not know,
// that is not renamed, and whose name is a plain ifname (not the "ifN"
// form, which iproute2 would read as an index). The outcome is iproute2's:
// the kernel finds the device by name or answers ENODEV, reported as
// "Cannot find device".
func byNameOK(e *env, q *linkReq) bool {
	r := &e.res
	return e.opts.inBatch && q.name == "" && r.cachedIndex(q.dev) == 0 &&
		validIfname(q.dev) && ifN(q.dev) == 0
}

// unsupportedWord refuses a link keyword iproute2 has and rawns does not.
func unsupportedWord(w string) error {
	return usageErr(`Error: "` + w + `" is not supported by rawns, try "ip link help".`)
}

// flagWord maps an on/off link keyword to its IFF bit and the word that
// sets the bit ("off" for trailers and arp, whose bits mean the opposite).
func flagWord(w string) (bit uint32, on string) {
	switch w {
	case "multicast":
		return unix.IFF_MULTICAST, "on"
	case "allmulticast":
		return unix.IFF_ALLMULTI, "on"
	case "promisc":
		return unix.IFF_PROMISC, "on"
	case "trailers":
		return unix.IFF_NOTRAILERS, "off"
	}
	return unix.IFF_NOARP, "off" // arp
}

func offWord(on string) string {
	if on == "on" {
		return "off"
	}
	return "on"
}

// operstateNumber is get_operstate (case-insensitive), -1 when unknown.
func operstateNumber(s string) int {
	for i, n := range [...]string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"} {
		if equalFold(s, n) {
			return i
		}
	}
	return -1
}

// linkUsage returns the function that prints iplink_usage and exits 255.
func linkUsage(e *env) func() error {
	return func() error {
		io.WriteString(e.stderr, linkUsageText)
		return &exitError{code: exitUsage}
	}
}

// vethUsage is link_veth.c's print_usage, which writes to stdout whatever
// stream it is given.
func vethUsage(e *env) {
	e.stdout.WriteString("Usage: ip link <options> type veth [peer <options>]\n" +
		"To get <options> type 'ip link add help'\n")
}
