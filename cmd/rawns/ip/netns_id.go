package ip

// The netns subcommands that deal in nsids: list (names with their ids),
// list-id and set.

import (
	"io"

	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// netnsList is `ip netns list` (also show, lst and bare `ip netns`): the
// names in readdir order, each with " (id: N)" when the current namespace
// has an nsid for it. Extra words are ignored. A missing run directory
// prints nothing at all, even with -j.
func netnsList(e *env, a *words) error {
	d := nsfs.Dirs{}
	names, err := d.List()
	if err != nil {
		return netnsErr(err, exitFail)
	}
	if names == nil && !runDirOpens(d) {
		return nil
	}
	// ip builds its nsid → name map first (netns_map_init), asking the
	// kernel once per name, then asks again per name while listing; kernel
	// errors (a name that is not an nsfs file) show up twice, as in ip.
	netnsMap(e, names)
	p := newPrinter(e)
	p.begin()
	for _, name := range names {
		p.openObject()
		p.str("name", "", name, "")
		if id := netnsGetNSID(e, name); id >= 0 {
			p.int("id", " (id: ", int64(id), ")")
		}
		p.text("\n")
		p.closeObject()
	}
	p.end()
	return nil
}

// netnsGetNSID is iproute2's get_netnsid_from_name: the nsid the current
// namespace has for namespace name, or -1. Kernel errors are printed as
// rtnl_talk prints them, and give -1.
func netnsGetNSID(e *env, name string) int32 {
	fd, err := nsfs.Dirs{}.Open(name)
	if err != nil {
		return -1
	}
	defer unix.Close(fd)
	id, err := e.res.queryNSID(int32(fd))
	if isReplyErr(err) {
		e.res.noteBad(err)
		return -1
	}
	if err != nil {
		io.WriteString(e.stderr, kernelErr(err).Error()+"\n")
		return -1
	}
	return id
}

// netnsMap is netns_map_init: nsid → name for every name in the run
// directory with an id, the first name seen winning.
func netnsMap(e *env, names []string) map[int32]string {
	return nsidMap(names, func(name string) int32 { return netnsGetNSID(e, name) })
}

// netnsSet is `ip netns set NAME NSID|auto`.
func netnsSet(e *env, a *words) error {
	name, ok := a.next()
	if !ok {
		return failErr("No netns name specified")
	}
	v, ok := a.next()
	if !ok {
		return failErr("No nsid specified")
	}
	nsid := int32(-1) // auto: the kernel picks
	if v != "auto" {
		n, ok := cInt32(v)
		switch {
		case !ok:
			return errInvArg(`Invalid "netnsid" value`, v)
		case n < 0:
			return errInvArg(`"netnsid" value should be >= 0`, v)
		}
		nsid = n
	}
	fd, err := unix.Open(nsfs.Dirs{}.Path(name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		// The failure becomes ip's message here; x/sys returns a bare
		// unix.Errno.
		return failErr(`Cannot open network namespace "` + name + `": ` + strerror(err.(unix.Errno)))
	}
	defer unix.Close(fd)
	c, err := e.res.rtnl()
	if err != nil {
		return failErr(err.Error())
	}
	b := rtnl.AppendNewNSID(e.res.buf(), int32(fd), nsid)
	e.res.keep(b)
	if err := c.execute(b); err != nil {
		return kernelErr(err)
	}
	return nil
}

// netnsListID is `ip netns list-id [target-nsid N] [nsid N]`. With nsid it
// asks for that one id (relative to target-nsid when given), else it dumps
// the ids, from target-nsid's point of view when given.
func netnsListID(e *env, a *words) error {
	q, err := parseListID(e, a)
	if err != nil {
		return err
	}
	names, err := nsfs.Dirs{}.List()
	if err != nil {
		names = nil
	}
	byID := netnsMap(e, names)
	c, err := e.res.rtnl()
	if err != nil {
		return failErr(err.Error())
	}
	b := rtnl.AppendListNSIDs(e.res.buf(), &q)
	e.res.keep(b)
	p := newPrinter(e)
	if q.HasNSID {
		return netnsGetID(c, b, p, byID)
	}
	return netnsDumpIDs(e, c, b, p, byID)
}

// parseListID reads list-id's words: target-nsid N and nsid N, each once,
// N >= 0.
func parseListID(e *env, a *words) (rtnl.NSIDQuery, error) {
	var q rtnl.NSIDQuery
	for a.more() {
		kw, _ := a.next()
		var p *int32
		var has *bool
		switch kw {
		case "target-nsid":
			p, has = &q.TargetNSID, &q.HasTarget
		case "nsid":
			p, has = &q.NSID, &q.HasNSID
		default:
			return q, netnsHelp(e, a)
		}
		if *has {
			return q, errDupArg(kw, kw)
		}
		v, err := a.value()
		if err != nil {
			return q, err
		}
		n, ok := cInt32(v)
		if !ok {
			return q, errInvArg(`"`+kw+`" value is invalid`, v)
		}
		if n < 0 {
			// ip prints argv[1] here, the word after the value.
			next := "(null)"
			if a.more() {
				next = a.peek()
			}
			return q, errInvArg(`"`+kw+`" value should be >= 0`, next)
		}
		*p, *has = n, true
	}
	return q, nil
}

// netnsGetID sends req, list-id's request for one nsid, and prints the
// answer.
func netnsGetID(c *conn, req []byte, p *printer, byID map[int32]string) error {
	var n rtnl.NetNSID
	err := c.query(req, func(typ uint16, data []byte) error {
		if typ != unix.RTM_NEWNSID {
			return nil
		}
		var err error
		if n, err = rtnl.ParseNetNSID(data); err != nil {
			return badReply(err)
		}
		return nil
	})
	if isReplyErr(err) {
		return err
	}
	if err != nil {
		return kernelErr(err)
	}
	p.begin()
	printNSID(p, &n, byID)
	p.end()
	return nil
}

// netnsDumpIDs sends req, list-id's dump, and prints the ids as they come.
func netnsDumpIDs(e *env, c *conn, req []byte, p *printer, byID map[int32]string) error {
	p.begin()
	err := c.dump(req, func(typ uint16, data []byte) error {
		if typ != unix.RTM_NEWNSID {
			return nil
		}
		n, err := rtnl.ParseNetNSID(data)
		if err != nil {
			return badReply(err)
		}
		printNSID(p, &n, byID)
		return nil
	})
	p.end()
	if isReplyErr(err) {
		return err
	}
	if err != nil {
		e.stdout.Flush()
		return failErr(kernelErr(err).Error() + "\nDump terminated")
	}
	return nil
}

// printNSID is print_nsid for one RTM_NEWNSID: "nsid N ", then
// "current-nsid M " when the answer is relative to a target, then the name
// the current namespace knows the peer by.
func printNSID(p *printer, n *rtnl.NetNSID, byID map[int32]string) {
	nsid, ok := n.NSID()
	if !ok {
		nsid = -1
	}
	p.openObject()
	if nsid < 0 {
		p.text("nsid unassigned ")
	} else {
		p.int("nsid", "nsid ", int64(nsid), " ")
	}
	lookup := nsid
	if current, ok := n.CurrentNSID(); ok {
		lookup = current
		if current < 0 {
			p.text("current-nsid unassigned ")
		} else {
			p.int("current-nsid", "current-nsid ", int64(current), " ")
		}
	}
	if name, ok := byID[lookup]; ok && lookup >= 0 {
		p.str("name", "(iproute2 netns name: ", name, ")")
	}
	p.closeObject()
	p.text("\n")
}
