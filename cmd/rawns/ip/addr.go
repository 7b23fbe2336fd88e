package ip

import (
	"io"
	"net/netip"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// doAddr is `ip address`: show (also list, lst, and no command), add,
// change, replace, delete, flush, help.
func doAddr(e *env, a *words) error {
	usage := addrUsage(e)
	if !a.more() {
		return listLinks(e, a, false, usage)
	}
	cmd, _ := a.next()
	switch {
	case matches(cmd, "add"):
		return addrModify(e, a, addrAdd)
	case matches(cmd, "change"), cmd == "chg":
		return addrModify(e, a, addrChange)
	case matches(cmd, "replace"):
		return addrModify(e, a, addrReplace)
	case matches(cmd, "delete"):
		return addrModify(e, a, addrDelete)
	case matches(cmd, "list"), matches(cmd, "show"), matches(cmd, "lst"):
		return listLinks(e, a, false, usage)
	case matches(cmd, "flush"):
		return addrFlush(e, a, usage)
	case matches(cmd, "save"), matches(cmd, "showdump"), matches(cmd, "restore"):
		return usageErr(`Command "` + cmd + `" is not supported by rawns, try "ip address help".`)
	case matches(cmd, "help"):
		return usage()
	}
	return usageErr(`Command "` + cmd + `" is unknown, try "ip address help".`)
}

// addrUsage returns the function that prints ipaddress.c's usage and
// exits 255.
func addrUsage(e *env) func() error {
	return func() error {
		io.WriteString(e.stderr, addrUsageText)
		return &exitError{code: exitUsage}
	}
}

// addrCmd is the command of an address modification.
type addrCmd uint8

const (
	addrAdd addrCmd = iota
	addrChange
	addrReplace
	addrDelete
)

// addrReq is what the words of `ip address add|change|replace|delete` give
// ipaddr_modify: the request, and what it checks once the words are read.
type addrReq struct {
	e                      *env
	a                      rtnl.Addr
	cmd                    addrCmd
	family                 uint8
	dev                    string
	devSet                 bool
	local, peer            inetPrefix
	localSet, peerSet      bool
	brd                    int // 0 none, 1 explicit, -1 "+", -2 "-"
	anySet, scoped         bool
	validSet, preferredSet bool
	valid, preferred       uint32
}

// addrModify is ipaddr_modify: read the words into an rtnl.Addr, check
// it as ip does, resolve the device, and send the request of cmd.
func addrModify(e *env, a *words, cmd addrCmd) error {
	q := addrReq{e: e, cmd: cmd, family: e.opts.family, valid: 0xffffffff, preferred: 0xffffffff}
	for a.more() {
		w, _ := a.next()
		if err := q.set(addrKeyword(w), a, w); err != nil {
			return err
		}
	}
	if err := q.finish(); err != nil {
		return err
	}
	r := &e.res
	b := q.appendTo(r.buf())
	r.keep(b)
	return r.send(b, "")
}

// appendTo appends the request of q.cmd.
func (q *addrReq) appendTo(b []byte) []byte {
	switch q.cmd {
	case addrChange:
		return rtnl.AppendChangeAddr(b, &q.a)
	case addrReplace:
		return rtnl.AppendReplaceAddr(b, &q.a)
	case addrDelete:
		return rtnl.AppendDelAddr(b, &q.a)
	}
	return rtnl.AppendNewAddr(b, &q.a)
}

// addrKw names the handler of one keyword of ipaddr_modify.
type addrKw uint8

const (
	kwNone addrKw = iota // an address flag, or [local] ADDR
	kwPeer
	kwBroadcast
	kwAnycast
	kwScope
	kwDev
	kwLabel
	kwMetric
	kwValid
	kwPreferred
)

// addrKeywords are ipaddr_modify's keywords in the order it tries them;
// prefix marks the ones that may be abbreviated (iproute2's matches).
var addrKeywords = [...]struct {
	name   string
	prefix bool
	kw     addrKw
}{
	{"peer", false, kwPeer},
	{"remote", false, kwPeer},
	{"broadcast", true, kwBroadcast},
	{"brd", false, kwBroadcast},
	{"anycast", false, kwAnycast},
	{"scope", false, kwScope},
	{"dev", false, kwDev},
	{"label", false, kwLabel},
	{"metric", true, kwMetric},
	{"priority", true, kwMetric},
	{"preference", true, kwMetric},
	{"valid_lft", true, kwValid},
	{"preferred_lft", true, kwPreferred},
}

// addrKeyword returns the keyword w is, or kwNone.
func addrKeyword(w string) addrKw {
	for _, k := range addrKeywords {
		if w == k.name || k.prefix && matches(w, k.name) {
			return k.kw
		}
	}
	return kwNone
}

// set runs the handler of keyword kw, written w. The handlers are called
// directly, not through function values, so that q stays on the stack.
func (q *addrReq) set(kw addrKw, a *words, w string) error {
	switch kw {
	case kwPeer:
		return q.setPeer(a, w)
	case kwBroadcast:
		return q.setBroadcast(a, w)
	case kwAnycast:
		return q.setAnycast(a, w)
	case kwScope:
		return q.setScope(a, w)
	case kwDev:
		return q.setDev(a, w)
	case kwLabel:
		return q.setLabel(a, w)
	case kwMetric:
		return q.setMetric(a, w)
	case kwValid:
		return q.setValid(a, w)
	case kwPreferred:
		return q.setPreferred(a, w)
	}
	return q.flagOrLocal(a, w)
}

// takeFamily adopts the family of the first address read when none was
// chosen, as get_prefix's callers in ipaddr_modify do.
func (q *addrReq) takeFamily(p *inetPrefix) {
	if q.family == 0 {
		q.family = p.family
	}
}

// ipOf is the address of p as rtnl takes it: invalid when p holds no bytes
// ("any", or "default" of no family), which rtnl sends as an empty
// attribute, as iproute2 does.
func ipOf(p *inetPrefix) netip.Addr {
	ip, _ := netip.AddrFromSlice(p.bytes())
	return ip
}

func (q *addrReq) setPeer(a *words, _ string) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	if q.peerSet {
		return errDupArg("peer", v)
	}
	p, err := getPrefix(v, q.family)
	if err != nil {
		return err
	}
	q.peer, q.peerSet = p, true
	q.takeFamily(&p)
	q.a.Peer, q.a.PrefixLen = ipOf(&p), uint8(p.bitlen)
	q.a.Order.Add(unix.IFA_ADDRESS)
	return nil
}

func (q *addrReq) setBroadcast(a *words, _ string) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	if q.brd != 0 {
		return errDupArg("broadcast", v)
	}
	switch v {
	case "+":
		q.brd = -1
	case "-":
		q.brd = -2
	default:
		p, err := getAddr(v, q.family)
		if err != nil {
			return err
		}
		q.takeFamily(&p)
		q.a.Broadcast, q.brd = ipOf(&p), 1
		q.a.Order.Add(unix.IFA_BROADCAST)
	}
	return nil
}

func (q *addrReq) setAnycast(a *words, _ string) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	if q.anySet {
		return errDupArg("anycast", v)
	}
	p, err := getAddr(v, q.family)
	if err != nil {
		return err
	}
	q.takeFamily(&p)
	q.a.Anycast, q.anySet = ipOf(&p), true
	q.a.Order.Add(unix.IFA_ANYCAST)
	return nil
}

func (q *addrReq) setScope(a *words, _ string) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	s, ok := scopeNumber(v)
	if !ok {
		return errInvArg("invalid scope value.", v)
	}
	q.a.Scope, q.scoped = s, true
	return nil
}

func (q *addrReq) setDev(a *words, _ string) error {
	v, err := a.value()
	q.dev, q.devSet = v, err == nil
	return err
}

// setLabel takes a label. ip appends one IFA_LABEL per label word; rtnl
// sends one, with the last value, which is the one the kernel keeps.
func (q *addrReq) setLabel(a *words, _ string) error {
	v, err := a.value()
	q.a.Label = v
	q.a.Order.Add(unix.IFA_LABEL)
	return err
}

// setMetric takes a metric, sent like a label (see setLabel).
func (q *addrReq) setMetric(a *words, _ string) error {
	v, err := a.value()
	if err != nil {
		return err
	}
	n, ok := cUint32(v)
	if !ok {
		return errInvArg("\"metric\" value is invalid\n", v)
	}
	q.a.Metric, q.a.HasMetric = n, true
	q.a.Order.Add(unix.IFA_RT_PRIORITY)
	return nil
}

func (q *addrReq) setValid(a *words, w string) error {
	return setLifetime(a, w, "valid_lft", &q.validSet, &q.valid)
}

func (q *addrReq) setPreferred(a *words, w string) error {
	return setLifetime(a, w, "preferred_lft", &q.preferredSet, &q.preferred)
}

// setLifetime reads the value of lifetime keyword name (written w) into
// *v, once.
func setLifetime(a *words, w, name string, set *bool, v *uint32) error {
	if *set {
		return errDupArg(name, w)
	}
	s, err := a.value()
	if err != nil {
		return err
	}
	*set = true
	*v, err = lifetime(s, name+" value")
	return err
}

// flagOrLocal takes a word that is no keyword: an address flag, or
// [local] ADDR[/LEN] (or help).
func (q *addrReq) flagOrLocal(a *words, w string) error {
	if bit, readonly, v6only, ok := addrFlagByName(w); ok {
		switch {
		case readonly:
			io.WriteString(q.e.stderr, "Warning: "+w+" option is not mutable from userspace\n")
		case v6only && q.family != unix.AF_INET6:
			io.WriteString(q.e.stderr, "Warning: "+w+" option can be set only for IPv6 addresses\n")
		default:
			q.a.Flags |= bit
		}
		return nil
	}
	if w == "local" {
		v, err := a.value()
		if err != nil {
			return err
		}
		w = v
	}
	if matches(w, "help") {
		return addrUsage(q.e)()
	}
	if q.localSet {
		return errDupArg2("local", w)
	}
	p, err := getPrefix(w, q.family)
	if err != nil {
		return err
	}
	q.local, q.localSet = p, true
	q.takeFamily(&p)
	q.a.Local = ipOf(&p)
	q.a.Order.Add(unix.IFA_LOCAL)
	return nil
}

// finish is the rest of ipaddr_modify once the words are read, in its
// order: the device, the peer and prefix length, a computed broadcast,
// the default scope, the device's index, the lifetimes, autojoin.
func (q *addrReq) finish() error {
	if !q.devSet {
		return failErr(`Not enough information: "dev" argument is required.`)
	}
	q.impliedPeer()
	if q.a.PrefixLen == 0 {
		q.a.PrefixLen = uint8(q.local.bitlen)
	}
	if err := q.computeBroadcast(); err != nil {
		return err
	}
	if !q.scoped && q.cmd != addrDelete {
		q.a.Scope = defaultScope(&q.local)
	}
	index, err := q.e.res.nameToIndex(q.dev)
	if err != nil {
		return err
	}
	if index == 0 {
		return failErr(`Cannot find device "` + q.dev + `"`)
	}
	q.a.Index = index
	if err := q.lifetimes(); err != nil {
		return err
	}
	if q.a.Flags&unix.IFA_F_MCAUTOJOIN != 0 && !q.local.multicast() {
		return failErr("autojoin needs multicast address")
	}
	q.a.Family = q.family
	return nil
}

// impliedPeer makes the local address the peer when none was given (rtnl
// repeats it as IFA_ADDRESS), except for ip's wildcard deletion of an IPv4
// address written without a prefix length.
func (q *addrReq) impliedPeer() {
	if q.peerSet || !q.localSet {
		return
	}
	l := &q.local
	if q.cmd == addrDelete && l.family == unix.AF_INET && !l.lenGiven {
		io.WriteString(q.e.stderr, "Warning: Executing wildcard deletion to stay compatible with old scripts.\n"+
			"         Explicitly specify the prefix length ("+l.arg+"/"+itoa(l.bytelen*8)+") to avoid this warning.\n"+
			"         This special behaviour is likely to disappear in further releases,\n"+
			"         fix your scripts!\n")
		q.a.OmitAddress = true
		return
	}
	q.peer = q.local
}

// computeBroadcast is `broadcast +` (host bits set) and `broadcast -`
// (host bits clear) on the peer prefix, for IPv4 prefixes up to /30.
func (q *addrReq) computeBroadcast() error {
	if q.brd >= 0 || q.cmd == addrDelete {
		return nil
	}
	if q.family != unix.AF_INET {
		return failErr("Broadcast can be set only for IPv4 addresses")
	}
	if q.peer.bitlen > 30 {
		return nil
	}
	bc := q.peer
	for i := 31; i >= bc.bitlen; i-- {
		byteI, bit := i/8, byte(0x80)>>(i%8)
		if q.brd == -1 {
			bc.data[byteI] |= bit
		} else {
			bc.data[byteI] &^= bit
		}
	}
	q.a.Broadcast, q.a.BroadcastLast = ipOf(&bc), true
	return nil
}

// lifetimes checks valid_lft and preferred_lft, when one was given.
func (q *addrReq) lifetimes() error {
	if !q.validSet && !q.preferredSet {
		return nil
	}
	if q.valid == 0 {
		return failErr("valid_lft is zero")
	}
	if q.valid < q.preferred {
		return failErr("preferred_lft is greater than valid_lft")
	}
	q.a.ValidLft, q.a.PreferredLft, q.a.HasLifetimes = q.valid, q.preferred, true
	return nil
}

// lifetime is set_lifetime: "forever" or a 32-bit number.
func lifetime(v, what string) (uint32, error) {
	if v == "forever" {
		return 0xffffffff, nil
	}
	n, ok := cUint32(v)
	if !ok {
		return 0, errInvArg(what, v)
	}
	return n, nil
}

// defaultScope is iproute2's default_scope: host for 127/8, else global.
func defaultScope(p *inetPrefix) uint8 {
	if p.family == unix.AF_INET && p.bytelen >= 1 && p.data[0] == 127 {
		return unix.RT_SCOPE_HOST
	}
	return 0
}

// addrFlagByName looks up an address flag word of ifa_flag_data: its bit,
// whether it is read-only, and whether it is IPv6-only.
func addrFlagByName(w string) (bit uint32, readonly, v6only, ok bool) {
	switch w {
	case "secondary", "temporary":
		return unix.IFA_F_SECONDARY, true, false, true
	case "nodad":
		return unix.IFA_F_NODAD, false, true, true
	case "optimistic":
		return unix.IFA_F_OPTIMISTIC, false, true, true
	case "dadfailed":
		return unix.IFA_F_DADFAILED, true, true, true
	case "home":
		return unix.IFA_F_HOMEADDRESS, false, true, true
	case "deprecated":
		return unix.IFA_F_DEPRECATED, true, true, true
	case "tentative":
		return unix.IFA_F_TENTATIVE, true, true, true
	case "permanent":
		return unix.IFA_F_PERMANENT, true, true, true
	case "mngtmpaddr":
		return unix.IFA_F_MANAGETEMPADDR, false, true, true
	case "noprefixroute":
		return unix.IFA_F_NOPREFIXROUTE, false, false, true
	case "autojoin":
		return unix.IFA_F_MCAUTOJOIN, false, false, true
	case "stable-privacy":
		return unix.IFA_F_STABLE_PRIVACY, true, true, true
	}
	return 0, false, false, false
}

// scopeNumber is rtnl_rtscope_a2n: a scope name or a number up to 255.
func scopeNumber(s string) (uint8, bool) {
	for _, e := range rtScopes {
		if e.name == s {
			return e.n, true
		}
	}
	n, ok := cUint32(s)
	if !ok || n > 255 {
		return 0, false
	}
	return uint8(n), true
}

// addrFlush is `ip addr flush`: dump the selected addresses, delete them
// in one pipelined batch, and repeat until a dump finds none (deleting a
// primary IPv4 address can promote a secondary), at most 10 rounds.
func addrFlush(e *env, a *words, usage func() error) error {
	if !a.more() {
		return failErr("Flush requires arguments.")
	}
	f := showFilter{family: e.opts.family}
	if f.family == unix.AF_PACKET {
		return failErr("Cannot flush link addresses.")
	}
	if err := parseShow(a, &f, usage); err != nil {
		return err
	}
	r := &e.res
	c, err := r.rtnl()
	if err != nil {
		return err
	}
	if err := f.resolveDev(r); err != nil {
		return err
	}
	var dels []byte
	for round := 0; round < 10; round++ {
		var n int
		if dels, n, err = flushList(r, c, &f, dels[:0]); err != nil || n == 0 {
			return err
		}
		if err := flushDelete(c, dels); err != nil {
			return err
		}
	}
	return failErr("*** Flush remains incomplete after 10 rounds. ***")
}

// flushList dumps the addresses f selects and appends to dels an
// RTM_DELADDR for each, n of them.
func flushList(r *resources, c *conn, f *showFilter, dels []byte) (_ []byte, n int, err error) {
	b := rtnl.AppendDumpAddrs(r.buf(), f.family, f.index)
	r.keep(b)
	err = c.dump(b, func(typ uint16, data []byte) error {
		switch typ {
		case rtnl.DumpRestart:
			dels, n = dels[:0], 0
		case unix.RTM_NEWADDR:
			m, err := rtnl.ParseAddr(data)
			if err != nil {
				return badReply(err)
			}
			if (f.index == 0 || int32(m.Index) == f.index) && addrPasses(&m, f) {
				dels = rtnl.AppendDelAddrOf(dels, &m)
				n++
			}
		}
		return nil
	})
	if ke, ok := err.(*rtnl.Error); ok {
		return dels, n, &exitNow{msg: kernelMsg(ke) + "\nFlush terminated"}
	}
	return dels, n, err
}

// flushDelete sends the deletions of one flush round; an address already
// gone (EADDRNOTAVAIL) is no failure.
func flushDelete(c *conn, dels []byte) error {
	var ferr error
	err := c.executeBatch(dels, func(_ int, err error) {
		if err != nil && ferr == nil {
			if ke, ok := err.(*rtnl.Error); !ok || ke.Errno != unix.EADDRNOTAVAIL {
				ferr = err
			}
		}
	})
	if err != nil {
		return err
	}
	if ferr != nil {
		return failErr("Failed to send flush request: " + errText(ferr))
	}
	return nil
}
