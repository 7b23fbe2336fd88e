package ip

import (
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// showFilter is what `ip link show` and `ip addr show` select.
type showFilter struct {
	family    uint8
	dev       string
	devSet    bool // a device was named (maybe "", which names none)
	index     int32
	up        bool
	scope     uint8
	scopeMask uint8
	flags     uint32 // address flags that must be set (under flagMask)
	flagMask  uint32
}

// parseShow reads the arguments of a show (ipaddr_list_flush_or_save): up,
// scope S, address flag filters, [dev] NAME.
func parseShow(a *words, f *showFilter, usage func() error) error {
	for a.more() {
		w, _ := a.next()
		switch {
		case w == "up":
			f.up = true
		case w == "scope":
			v, err := a.value()
			if err != nil {
				return err
			}
			s, ok := scopeNumber(v)
			f.scopeMask = 0xff
			if !ok {
				if v != "all" {
					return errInvArg("invalid \"scope\"\n", v)
				}
				s, f.scopeMask = unix.RT_SCOPE_NOWHERE, 0
			}
			f.scope = s
		case addrFilterWord(w, f):
		case w == "to", w == "label", w == "group", w == "master", w == "vrf", w == "nomaster", w == "type":
			return usageErr(`Error: "` + w + `" is not supported by rawns.`)
		default:
			if w == "dev" {
				v, err := a.value()
				if err != nil {
					return err
				}
				w = v
			} else if matches(w, "help") {
				return usage()
			}
			if f.devSet {
				return errDupArg2("dev", w)
			}
			f.dev, f.devSet = w, true
		}
	}
	return nil
}

// addrFilterWord is get_filter: an address flag word, optionally negated
// with '-', with dynamic and primary as the inverses of permanent and
// secondary. It reports whether w was one.
func addrFilterWord(w string, f *showFilter) bool {
	inv := false
	if len(w) > 0 && w[0] == '-' {
		inv, w = true, w[1:]
	}
	switch w {
	case "dynamic":
		inv, w = !inv, "permanent"
	case "primary":
		inv, w = !inv, "secondary"
	}
	bit, _, _, ok := addrFlagByName(w)
	if !ok {
		return false
	}
	if inv {
		f.flags &^= bit
	} else {
		f.flags |= bit
	}
	f.flagMask |= bit
	return true
}

// resolveDev sets f.index to the index of f.dev, when one is named, or
// fails as iproute2 does for a device it cannot find.
func (f *showFilter) resolveDev(r *resources) error {
	if !f.devSet {
		return nil
	}
	i, err := r.nameToIndex(f.dev)
	if err != nil {
		return err
	}
	if i <= 0 {
		return failErr(`Device "` + f.dev + `" does not exist.`)
	}
	f.index = i
	return nil
}

// listLinks is ipaddr_list_flush_or_save(IPADD_LIST): `ip link` when
// doLink, `ip addr` otherwise. Like iproute2's global do_link, which `ip
// link show` sets and nothing clears, a link show makes every later show
// of a batch print as `ip link` does (mode, alias, iplink_get for a dev).
func listLinks(e *env, a *words, doLink bool, usage func() error) error {
	f := showFilter{family: e.opts.family}
	r := &e.res
	if doLink {
		f.family = unix.AF_PACKET
		r.linkShown = true
	}
	if err := parseShow(a, &f, usage); err != nil {
		return err
	}
	c, err := r.rtnl()
	if err != nil {
		return err
	}
	if err := f.resolveDev(r); err != nil {
		return err
	}
	p := newPrinter(e)
	p.begin()
	s := newLinkStream(e, p, &f, doLink || r.linkShown)
	s.linkOnly = f.devSet && s.doLink
	if f.family != unix.AF_PACKET && !s.linkOnly {
		// The addresses come first, so that each link can be printed
		// with them as it arrives.
		s.noLink = e.opts.oneline
		b := rtnl.AppendDumpAddrs(r.buf(), f.family, f.index)
		r.keep(b)
		if err := c.dump(b, s.addrs.take); err != nil {
			return dumpErr(err)
		}
		s.addrs.group()
	}
	if ended, err := fetchLinks(e, c, s); ended || err != nil {
		return err
	}
	if err := s.finish(); err != nil {
		return err
	}
	p.end()
	return nil
}

// fetchLinks asks for the links of a show and streams them to s: one by
// name (iplink_get), one by index, or a dump. When the kernel refuses, it
// ends the output as iproute2 does (ended) and returns the error to report.
func fetchLinks(e *env, c *conn, s *linkStream) (ended bool, err error) {
	r := &e.res
	switch {
	case s.linkOnly:
		return linkByName(c, s, appendShowLink(r.buf(), s.f.family, s.f.dev))
	case s.f.index != 0:
		return linkByIndex(c, s, appendLinkByIndex(r.buf(), s.f.family, s.f.index))
	}
	b := rtnl.AppendDumpLinks(r.buf(), e.opts.familyOr(s.f.family))
	r.keep(b)
	err = c.dump(b, s.link)
	if err != nil && err != errStopRestart {
		return true, dumpErr(err)
	}
	s.stopped = err != nil
	return false, nil
}

// familyOr returns the link dump family: the preferred family, or the
// filter's for `ip link`.
func (o *options) familyOr(filter uint8) uint8 {
	if filter == unix.AF_PACKET {
		return filter
	}
	return o.family
}

// keepLink is ipaddr_filter: with addresses listed, a link stays when one
// of its addresses passes the filter, or when it has none at all and no
// family is selected.
func keepLink(addrs linkAddrs, f *showFilter) bool {
	for i := range addrs.len() {
		if m := addrs.at(i); addrPasses(&m, f) {
			return true
		}
	}
	return addrs.len() == 0 && (f.family == 0 || f.family == unix.AF_PACKET)
}

// addrPasses applies the family, scope and flag filters.
func addrPasses(m *rtnl.AddrMessage, f *showFilter) bool {
	if f.family != 0 && f.family != m.Family {
		return false
	}
	if (f.scope^m.Scope)&f.scopeMask != 0 {
		return false
	}
	if (f.flags^m.Flags())&f.flagMask != 0 {
		return false
	}
	return true
}

// printSelectedAddrs is print_selected_addrinfo. The error is printAddr's.
func printSelectedAddrs(e *env, p *printer, l *rtnl.Link, addrs linkAddrs, f *showFilter) error {
	if p.json() {
		p.j.name("addr_info")
		p.j.startArray()
	}
	for i := range addrs.len() {
		m := addrs.at(i)
		if f.up && l.Flags&unix.IFF_UP == 0 || !addrPasses(&m, f) {
			continue
		}
		p.openObject()
		if err := printAddr(e, p, &m); err != nil {
			return err
		}
		p.closeObject()
	}
	if p.json() {
		p.j.endArray()
	}
	if e.opts.brief {
		p.text("\n")
	}
	return nil
}

// dumpErr is iproute2's report of a failed dump.
func dumpErr(err error) error {
	if ke, ok := err.(*rtnl.Error); ok {
		return &exitError{code: exitFail, msg: kernelMsg(ke) + "\nDump terminated"}
	}
	return err
}

// errText is perror's text for err.
func errText(err error) string {
	if ke, ok := err.(*rtnl.Error); ok {
		return strerror(ke.Errno)
	}
	return err.Error()
}
