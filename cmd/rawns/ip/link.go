package ip

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

// linkCmd is one link request being built from words: the request, the
// veth peer its IFLA_LINKINFO may carry, and the parse state of each end.
// The env holds one, reset by each link command, so that building a
// request allocates nothing.
type linkCmd struct {
	req  rtnl.LinkRequest
	peer rtnl.LinkSpec
	main linkArgs
	pa   linkArgs // the peer's
}

// reset makes c a new request of type typ with nlmsg flags flags.
func (c *linkCmd) reset(typ, flags uint16) {
	*c = linkCmd{req: rtnl.LinkRequest{Type: typ, Flags: flags}}
}

// linkArgs is iplink_parse's state for one end: the words fill s, and
// the attributes ip appends in word order are listed in s.Order.
type linkArgs struct {
	p              linkParse // what this end's keyword handlers work on
	s              *rtnl.LinkSpec
	index          int32 // the "index" given, or the device's
	create         bool
	dev, name, typ string
	typSet         bool   // "type" was given (maybe "")
	addrLen        int    // length of the "address" given, or 0
	netns          bool   // a netns was given (index may then be used)
	mtuSet         bool   // "mtu" was given
	qlenSet        bool   // "txqueuelen" was given
	byName         string // the device is named by IFLA_IFNAME, not resolved
}

// init makes q the parse state of the end s.
func (q *linkArgs) init(s *rtnl.LinkSpec, create bool) {
	q.s, q.create = s, create
}

// attr records that the attribute typ was given: ip appends it at this
// point of the words. A keyword given again sends its last value once, at
// its first place (ip sends each; the kernel keeps the last).
func (q *linkArgs) attr(typ uint16) { q.s.Order.Add(typ) }

// linkModify is iplink_modify: parse, resolve, build one request, send it.
func linkModify(e *env, a *words, typ uint16, flags uint16) error {
	r := &e.res
	c := &e.link
	c.reset(typ, flags)
	c.req.Link.Family = e.opts.family
	q := &c.main
	q.init(&c.req.Link, flags&unix.NLM_F_CREATE != 0)
	if err := parseLinkArgs(e, a, q); err != nil {
		return err
	}
	if err := parseLinkKind(e, a, c); err != nil {
		return err
	}
	b := rtnl.AppendLinkRequest(r.buf(), &c.req)
	r.keep(b)
	if err := r.send(b, q.byName); err != nil {
		return err
	}
	r.forget(q.index)
	if q.byName != "" {
		r.forgetName(q.byName)
	}
	return nil
}

// parseLinkKind is the end of iplink_modify's parse: after "type KIND"
// come the kind's own words (for veth, the peer); without "type", a
// device to create lacks its kind. IFLA_INFO_KIND goes with its NUL, as
// iproute2 HEAD sends it (iproute2.md §1), except that an empty KIND goes
// as 6.1 sends every kind, with no byte at all, so that the kernel refuses
// it (ERANGE) as it refuses 6.1's; with the NUL it would be taken for no
// kind and the change made.
func parseLinkKind(e *env, a *words, c *linkCmd) error {
	q := &c.main
	if !q.typSet {
		if q.create {
			return failErr(`Not enough information: "type" argument is required`)
		}
		return nil
	}
	c.req.Link.Kind, c.req.Link.LinkInfo = q.typ, true
	switch {
	case q.typ == "veth" && a.more():
		return parseVethPeer(e, a, c)
	case a.more():
		w := a.peek()
		if matches(w, "help") {
			return linkUsage(e)()
		}
		return failErr(`Garbage instead of arguments "` + w + ` ...". Try "ip link help".`)
	}
	return nil
}

// linkKeyword is a row of iplink_parse's grammar: a keyword, whether any
// prefix of it matches (iproute2's matches) or only the word itself
// (strcmp), and the handler that reads its value into the request. Rows
// are in iplink_parse's order, so that a prefix picks what ip picks.
type linkKeyword struct {
	word   string
	prefix bool
	fn     func(p *linkParse, w string) error
}

// linkParse is what a keyword handler works on.
type linkParse struct {
	e *env
	a *words
	q *linkArgs
}

// linkKeywords is iplink_parse's grammar (words it does not list name
// the device).
var linkKeywords = [...]linkKeyword{
	{"up", false, linkUp}, {"down", false, linkDown},
	{"name", false, linkName}, {"index", false, linkIndex},
	{"link", true, linkUnsupported},
	{"address", true, linkAddress}, {"broadcast", true, linkBroadcast}, {"brd", false, linkBroadcast},
	{"txqueuelen", true, linkTxQLen}, {"qlen", false, linkTxQLen}, {"txqlen", true, linkTxQLen},
	{"mtu", false, linkMTU},
	{"xdpgeneric", false, linkUnsupported}, {"xdpdrv", false, linkUnsupported},
	{"xdpoffload", false, linkUnsupported}, {"xdp", false, linkUnsupported},
	{"netns", false, linkNetns},
	{"multicast", false, linkFlag}, {"allmulticast", false, linkFlag}, {"promisc", false, linkFlag},
	{"trailers", false, linkFlag}, {"arp", false, linkFlag},
	{"vf", false, linkVF}, {"carrier", false, linkUnsupported},
	{"master", true, linkMaster}, {"vrf", false, linkUnsupported}, {"nomaster", true, linkNomaster},
	{"dynamic", true, linkDynamic}, {"type", true, linkType}, {"alias", true, linkAlias},
	{"group", false, linkUnsupported}, {"mode", false, linkMode}, {"state", false, linkState},
	{"numtxqueues", true, linkUnsupported}, {"numrxqueues", true, linkUnsupported},
	{"addrgenmode", true, linkUnsupported}, {"link-netns", true, linkUnsupported},
	{"link-netnsid", true, linkUnsupported}, {"protodown", false, linkUnsupported},
	{"protodown_reason", false, linkUnsupported}, {"gso_max_size", false, linkUnsupported},
	{"gso_max_segs", false, linkUnsupported}, {"gro_max_size", false, linkUnsupported},
	{"parentdev", false, linkUnsupported},
}

// parseLinkArgs is iplink_parse: it consumes words up to and including
// "type TYPE", filling q, then resolves the device (for set and delete).
func parseLinkArgs(e *env, a *words, q *linkArgs) error {
	p := &q.p
	*p = linkParse{e: e, a: a, q: q}
	for a.more() && !q.typSet {
		w, _ := a.next()
		if err := linkWord(p, w); err != nil {
			return err
		}
	}
	return finishLinkArgs(e, q)
}

// linkWord runs the handler of the keyword w or, for any other word,
// takes it as the device.
func linkWord(p *linkParse, w string) error {
	for i := range linkKeywords {
		k := &linkKeywords[i]
		if w == k.word || k.prefix && matches(w, k.word) {
			return k.fn(p, w)
		}
	}
	if matches(w, "help") {
		return linkUsage(p.e)()
	}
	return linkDev(p, w)
}

// linkDev is "dev NAME" or a bare NAME: the device to act on.
func linkDev(p *linkParse, w string) error {
	q := p.q
	if w == "dev" {
		v, err := p.a.value()
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
	return nil
}

func linkUp(p *linkParse, _ string) error {
	p.q.s.Change |= unix.IFF_UP
	p.q.s.Flags |= unix.IFF_UP
	return nil
}

func linkDown(p *linkParse, _ string) error {
	p.q.s.Change |= unix.IFF_UP
	p.q.s.Flags &^= unix.IFF_UP
	return nil
}

func linkName(p *linkParse, _ string) error {
	q := p.q
	v, err := p.a.value()
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
	return nil
}

func linkIndex(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	if p.q.index != 0 {
		return errDupArg("index", v)
	}
	n := atoi(v)
	if n <= 0 {
		return errInvArg(`Invalid "index" value`, v)
	}
	p.q.index = n
	return nil
}

func linkUnsupported(_ *linkParse, w string) error { return unsupportedWord(w) }

func linkAddress(p *linkParse, _ string) error {
	hw, err := llAddrValue(p.a)
	if err != nil {
		return err
	}
	p.q.s.HWAddr, p.q.addrLen = hw, len(hw)
	p.q.attr(unix.IFLA_ADDRESS)
	return nil
}

func linkBroadcast(p *linkParse, _ string) error {
	hw, err := llAddrValue(p.a)
	if err != nil {
		return err
	}
	p.q.s.Broadcast = hw
	p.q.attr(unix.IFLA_BROADCAST)
	return nil
}

func linkTxQLen(p *linkParse, _ string) error {
	return p.q.intAttr(p.a, &p.q.qlenSet, "txqueuelen", unix.IFLA_TXQLEN, &p.q.s.TxQLen)
}

func linkMTU(p *linkParse, _ string) error {
	return p.q.intAttr(p.a, &p.q.mtuSet, "mtu", unix.IFLA_MTU, &p.q.s.MTU)
}

func linkNetns(p *linkParse, _ string) error {
	q := p.q
	v, err := p.a.value()
	if err != nil {
		return err
	}
	if q.netns {
		return errDupArg("netns", v)
	}
	fd, pid, err := p.e.res.netnsFD(v)
	if err != nil {
		if pid {
			// iproute2 6.1 sends IFLA_NET_NS_PID and the kernel
			// answers ESRCH; rawns never sends a pid.
			return &exitError{code: exitKernel, msg: "RTNETLINK answers: No such process"}
		}
		return errInvArg("Invalid \"netns\" value\n", v)
	}
	q.s.NetNSFD = int32(fd)
	q.attr(unix.IFLA_NET_NS_FD)
	q.netns = true
	return nil
}

// linkFlag is multicast, allmulticast, promisc, trailers and arp: an
// on/off word that sets or clears an IFF bit.
func linkFlag(p *linkParse, w string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	bit, on := flagWord(w)
	return p.q.setFlag(bit, on, w, v)
}

func linkDynamic(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	return p.q.setFlag(unix.IFF_DYNAMIC, "on", "dynamic", v)
}

// setFlag changes bit: set when v is on, cleared when v is on's
// opposite; anything else is an error naming the keyword w.
func (q *linkArgs) setFlag(bit uint32, on, w, v string) error {
	q.s.Change |= bit
	switch v {
	case on:
		q.s.Flags |= bit
	case offWord(on):
		q.s.Flags &^= bit
	default:
		return failErr(`Error: argument of "` + w + `" must be "on" or "off", not "` + v + `"`)
	}
	return nil
}

func linkVF(p *linkParse, w string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	if _, ok := cInt32(v); !ok {
		return errInvArg("Invalid \"vf\" value\n", v)
	}
	return unsupportedWord(w)
}

func linkMaster(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	i, err := p.e.res.nameToIndex(v)
	if err != nil {
		return err
	}
	if i == 0 {
		return errInvArg("Device does not exist\n", v)
	}
	p.q.s.Master = i
	p.q.attr(unix.IFLA_MASTER)
	return nil
}

func linkNomaster(p *linkParse, _ string) error {
	p.q.s.Master = 0
	p.q.attr(unix.IFLA_MASTER)
	return nil
}

func linkType(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	p.q.typ, p.q.typSet = v, true
	return nil
}

func linkAlias(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	if len(v) >= 256 {
		return errInvArg("alias too long\n", v)
	}
	p.q.s.Alias = v
	p.q.attr(unix.IFLA_IFALIAS)
	return nil
}

func linkMode(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	switch {
	case equalFold(v, "default"):
		p.q.s.LinkMode = 0
	case equalFold(v, "dormant"):
		p.q.s.LinkMode = 1
	default:
		return errInvArg("Invalid link mode\n", v)
	}
	p.q.attr(unix.IFLA_LINKMODE)
	return nil
}

func linkState(p *linkParse, _ string) error {
	v, err := p.a.value()
	if err != nil {
		return err
	}
	s := operstateNumber(v)
	if s < 0 {
		return errInvArg("Invalid operstate\n", v)
	}
	p.q.s.OperState = uint8(s)
	p.q.attr(unix.IFLA_OPERSTATE)
	return nil
}

// llAddrValue reads a link-layer address as ll_addr_a2n does.
func llAddrValue(a *words) ([]byte, error) {
	v, err := a.value()
	if err != nil {
		return nil, err
	}
	hw, bad := parseLLAddr(v)
	if hw == nil {
		return nil, failErr(`"` + bad + `" is invalid lladdr.`)
	}
	return hw, nil
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

// intAttr reads the value of the keyword name as get_integer does into
// *v, the field of the 32-bit attribute typ; set records that it was
// given, a second time is an error.
func (q *linkArgs) intAttr(a *words, set *bool, name string, typ uint16, v *uint32) error {
	w, err := a.value()
	if err != nil {
		return err
	}
	if *set {
		return errDupArg(name, w)
	}
	n, ok := cInt32(w)
	if !ok {
		return errInvArg(`Invalid "`+name+`" value`+"\n", w)
	}
	*set, *v = true, uint32(n)
	q.attr(typ)
	return nil
}

// finishLinkArgs is the end of iplink_parse: name and dev settle, and the
// device is resolved for a change.
func finishLinkArgs(e *env, q *linkArgs) error {
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
	if q.create {
		if q.name != q.dev {
			return usageErr(`both "name" and "dev" cannot be used when creating devices.`)
		}
		q.s.Index, q.s.Name = q.index, q.name
		return nil
	}
	return resolveLinkDev(e, q)
}

// resolveLinkDev finds the device a change or delete acts on: its index
// into ifi_index, an "index" given into IFLA_NEW_IFINDEX, a new name into
// IFLA_IFNAME.
func resolveLinkDev(e *env, q *linkArgs) error {
	if q.dev == "" {
		return usageErr(`Not enough information: "dev" argument is required.`)
	}
	q.s.NewIndex = q.index
	if q.name != q.dev {
		q.s.Name = q.name
	}
	if byNameOK(e, q) {
		// Let the kernel find the device by name (it does for a
		// NEWLINK or DELLINK with index 0 and IFLA_IFNAME): no lookup
		// round trip, and in a -force batch the queue (which may
		// create the device) need not be sent first.
		q.byName, q.index, q.s.Name = q.dev, 0, q.dev
		return nil
	}
	i, err := e.res.nameToIndex(q.dev)
	if err != nil {
		return err
	}
	if i == 0 {
		return failErr(`Cannot find device "` + q.dev + `"`)
	}
	q.index, q.s.Index = i, i
	return nil
}

// byNameOK reports whether a change may name its device by IFLA_IFNAME
// instead of looking its index up first: only in a batch (a single
// command keeps iproute2's lookup), for a device the cache does not know,
// that is not renamed, and whose name is a plain ifname (not the "ifN"
// form, which iproute2 would read as an index). The outcome is iproute2's:
// the kernel finds the device by name or answers ENODEV, reported as
// "Cannot find device".
func byNameOK(e *env, q *linkArgs) bool {
	r := &e.res
	return e.opts.inBatch && q.name == q.dev && r.cachedIndex(q.dev) == 0 &&
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
