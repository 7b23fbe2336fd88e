package main

import (
	"io"

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
		return addrModify(e, a, unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL)
	case matches(cmd, "change"), cmd == "chg":
		return addrModify(e, a, unix.RTM_NEWADDR, unix.NLM_F_REPLACE)
	case matches(cmd, "replace"):
		return addrModify(e, a, unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_REPLACE)
	case matches(cmd, "delete"):
		return addrModify(e, a, unix.RTM_DELADDR, 0)
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

// addrModify is ipaddr_modify: parse, resolve the device, build one
// RTM_NEWADDR or RTM_DELADDR in iproute2's attribute order, send it.
func addrModify(e *env, a *words, cmd uint16, flags uint16) error {
	r := &e.res
	b, msg := rtnl.AppendHeader(r.buf(), cmd, unix.NLM_F_REQUEST|unix.NLM_F_ACK|flags)
	ifa := len(b)
	family := e.opts.family
	b = rtnl.AppendIfAddrmsg(b, rtnl.IfAddrmsg{Family: family})
	defer func() { r.keep(b) }()
	var (
		dev                    string
		devSet                 bool
		lcl, peer              inetPrefix
		localSet, peerSet      bool
		brd                    int // 0 none, 1 explicit, -1 "+", -2 "-"
		anySet, scoped         bool
		scope, prefixLen       uint8
		validSet, preferredSet bool
		valid, preferred       uint32 = 0xffffffff, 0xffffffff
		ifaFlags               uint32
	)
	for a.more() {
		w, _ := a.next()
		switch {
		case w == "peer", w == "remote":
			v, err := a.value()
			if err != nil {
				return err
			}
			if peerSet {
				return errDupArg("peer", v)
			}
			p, err := getPrefix(v, family)
			if err != nil {
				return err
			}
			peer, peerSet = p, true
			if family == 0 {
				family = p.family
			}
			b = rtnl.AppendAttr(b, unix.IFA_ADDRESS, p.bytes())
			prefixLen = uint8(p.bitlen)
		case matches(w, "broadcast"), w == "brd":
			v, err := a.value()
			if err != nil {
				return err
			}
			if brd != 0 {
				return errDupArg("broadcast", v)
			}
			switch v {
			case "+":
				brd = -1
			case "-":
				brd = -2
			default:
				p, err := getAddr(v, family)
				if err != nil {
					return err
				}
				if family == 0 {
					family = p.family
				}
				b = rtnl.AppendAttr(b, unix.IFA_BROADCAST, p.bytes())
				brd = 1
			}
		case w == "anycast":
			v, err := a.value()
			if err != nil {
				return err
			}
			if anySet {
				return errDupArg("anycast", v)
			}
			p, err := getAddr(v, family)
			if err != nil {
				return err
			}
			if family == 0 {
				family = p.family
			}
			b = rtnl.AppendAttr(b, unix.IFA_ANYCAST, p.bytes())
			anySet = true
		case w == "scope":
			v, err := a.value()
			if err != nil {
				return err
			}
			s, ok := scopeNumber(v)
			if !ok {
				return errInvArg("invalid scope value.", v)
			}
			scope, scoped = s, true
		case w == "dev":
			v, err := a.value()
			if err != nil {
				return err
			}
			dev, devSet = v, true
		case w == "label":
			v, err := a.value()
			if err != nil {
				return err
			}
			b = rtnl.AppendAttrString(b, unix.IFA_LABEL, v)
		case matches(w, "metric"), matches(w, "priority"), matches(w, "preference"):
			v, err := a.value()
			if err != nil {
				return err
			}
			n, ok := cUint32(v)
			if !ok {
				return errInvArg("\"metric\" value is invalid\n", v)
			}
			b = rtnl.AppendAttrUint32(b, unix.IFA_RT_PRIORITY, n)
		case matches(w, "valid_lft"):
			if validSet {
				return errDupArg("valid_lft", w)
			}
			v, err := a.value()
			if err != nil {
				return err
			}
			validSet = true
			if valid, err = lifetime(v, "valid_lft value"); err != nil {
				return err
			}
		case matches(w, "preferred_lft"):
			if preferredSet {
				return errDupArg("preferred_lft", w)
			}
			v, err := a.value()
			if err != nil {
				return err
			}
			preferredSet = true
			if preferred, err = lifetime(v, "preferred_lft value"); err != nil {
				return err
			}
		default:
			if bit, readonly, v6only, ok := addrFlagByName(w); ok {
				switch {
				case readonly:
					io.WriteString(e.stderr, "Warning: "+w+" option is not mutable from userspace\n")
				case v6only && family != unix.AF_INET6:
					io.WriteString(e.stderr, "Warning: "+w+" option can be set only for IPv6 addresses\n")
				default:
					ifaFlags |= bit
				}
				continue
			}
			if w == "local" {
				v, err := a.value()
				if err != nil {
					return err
				}
				w = v
			}
			if matches(w, "help") {
				return addrUsage(e)()
			}
			if localSet {
				return errDupArg2("local", w)
			}
			p, err := getPrefix(w, family)
			if err != nil {
				return err
			}
			lcl, localSet = p, true
			if family == 0 {
				family = p.family
			}
			b = rtnl.AppendAttr(b, unix.IFA_LOCAL, p.bytes())
		}
	}
	if ifaFlags > 0xff {
		b = rtnl.AppendAttrUint32(b, unix.IFA_FLAGS, ifaFlags)
	}
	if !devSet {
		return failErr(`Not enough information: "dev" argument is required.`)
	}
	if !peerSet && localSet {
		if cmd == unix.RTM_DELADDR && lcl.family == unix.AF_INET && !lcl.lenGiven {
			io.WriteString(e.stderr, "Warning: Executing wildcard deletion to stay compatible with old scripts.\n"+
				"         Explicitly specify the prefix length ("+lcl.arg+"/"+itoa(lcl.bytelen*8)+") to avoid this warning.\n"+
				"         This special behaviour is likely to disappear in further releases,\n"+
				"         fix your scripts!\n")
		} else {
			peer = lcl
			b = rtnl.AppendAttr(b, unix.IFA_ADDRESS, lcl.bytes())
		}
	}
	if prefixLen == 0 {
		prefixLen = uint8(lcl.bitlen)
	}
	if brd < 0 && cmd != unix.RTM_DELADDR {
		if family != unix.AF_INET {
			return failErr("Broadcast can be set only for IPv4 addresses")
		}
		if peer.bitlen <= 30 {
			bc := peer
			for i := 31; i >= bc.bitlen; i-- {
				byteI, bit := i/8, byte(0x80)>>(i%8)
				if brd == -1 {
					bc.data[byteI] |= bit
				} else {
					bc.data[byteI] &^= bit
				}
			}
			b = rtnl.AppendAttr(b, unix.IFA_BROADCAST, bc.bytes())
		}
	}
	if !scoped && cmd != unix.RTM_DELADDR {
		scope = defaultScope(&lcl)
	}
	index, err := r.nameToIndex(dev)
	if err != nil {
		return err
	}
	if index == 0 {
		return failErr(`Cannot find device "` + dev + `"`)
	}
	if validSet || preferredSet {
		if valid == 0 {
			return failErr("valid_lft is zero")
		}
		if valid < preferred {
			return failErr("preferred_lft is greater than valid_lft")
		}
		var ci [16]byte
		putU32(ci[0:], preferred)
		putU32(ci[4:], valid)
		b = rtnl.AppendAttr(b, unix.IFA_CACHEINFO, ci[:])
	}
	if ifaFlags&unix.IFA_F_MCAUTOJOIN != 0 && !lcl.multicast() {
		return failErr("autojoin needs multicast address")
	}
	h := b[ifa:]
	h[0], h[1], h[3] = family, prefixLen, scope
	if ifaFlags <= 0xff {
		h[2] = uint8(ifaFlags)
	}
	putU32(h[4:], uint32(index))
	b = rtnl.FinishMessage(b, msg)
	return r.send(b, "")
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
		dels = dels[:0]
		n := 0
		b := appendDumpAddrs(r.buf(), f.family, f.index)
		r.keep(b)
		err := c.dump(b, func(typ uint16, data []byte) error {
			if typ == rtnl.DumpRestart {
				dels, n = dels[:0], 0
				return nil
			}
			if typ != unix.RTM_NEWADDR {
				return nil
			}
			m, err := rtnl.ParseAddr(data)
			if err != nil {
				return badReply(err)
			}
			if (f.index != 0 && int32(m.Index) != f.index) || !addrPasses(&m, &f) {
				return nil
			}
			var start int
			dels, start = rtnl.AppendHeader(dels, unix.RTM_DELADDR, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
			dels = append(dels, data...)
			dels = rtnl.FinishMessage(dels, start)
			n++
			return nil
		})
		if err != nil {
			if ke, ok := err.(*rtnl.Error); ok {
				return &exitNow{msg: kernelMsg(ke) + "\nFlush terminated"}
			}
			return err
		}
		if n == 0 {
			return nil
		}
		var ferr error
		err = c.executeBatch(dels, func(i int, err error) {
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
	}
	return failErr("*** Flush remains incomplete after 10 rounds. ***")
}
