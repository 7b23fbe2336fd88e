package ip

import (
	"cmp"
	"errors"
	"io"
	"slices"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// linkStream prints the links of a show as their messages arrive, in the
// kernel's order, which is the order iproute2 prints them in after it has
// stored the whole dump. A link is printed from the receive buffer and not
// kept, unless printing it needs what the dump has not given yet: the name
// and flags of its peer or master, or the netns names (whose lookup would
// need the busy socket). Such a link waits, copied, with every link after
// it, until what it needs arrives or the dump ends (finish).
type linkStream struct {
	e        *env
	p        *printer
	f        *showFilter
	doLink   bool
	noLink   bool      // -oneline `ip addr`: addresses only
	linkOnly bool      // iplink_get: the link alone, without addresses or filters
	addrs    addrTable // the addresses, dumped before the links (`ip addr`)

	held    []byte // copies of the waiting links, back to back
	ends    []int  // where each waiting link ends in held
	first   int    // the first waiting link in ends
	printed bool   // some link was printed: a restarted dump cannot be taken back
	stopped bool   // the dump was stopped by errStopRestart
}

// errStopRestart stops a dump the kernel interrupted after links were
// printed: iproute2 prints what it got and warns (finish).
var errStopRestart = errors.New("dump interrupted after printing")

// newLinkStream starts a show. Names remembered before it are not taken as
// this dump's (see resources.seen).
func newLinkStream(e *env, p *printer, f *showFilter, doLink bool) *linkStream {
	e.res.gen++
	return &linkStream{e: e, p: p, f: f, doLink: doLink}
}

// link takes one message of the link query or dump.
func (s *linkStream) link(typ uint16, data []byte) error {
	switch typ {
	case rtnl.DumpRestart:
		if s.printed {
			return errStopRestart
		}
		s.held, s.ends, s.first = s.held[:0], s.ends[:0], 0
		s.e.res.gen++
	case unix.RTM_NEWLINK:
		l, err := rtnl.ParseLink(data)
		if err != nil {
			return badReply(err)
		}
		s.e.res.remember(&l)
		if s.first == len(s.ends) && s.ready(&l) {
			s.show(&l)
			return nil
		}
		s.held = append(s.held, data...)
		s.ends = append(s.ends, len(s.held))
		s.release(false)
	}
	return nil
}

// release prints the waiting links, in order, up to the first one that is
// not ready; at the end of the dump (all) every one of them.
func (s *linkStream) release(all bool) {
	for s.first < len(s.ends) {
		start := 0
		if s.first > 0 {
			start = s.ends[s.first-1]
		}
		l, _ := rtnl.ParseLink(s.held[start:s.ends[s.first]]) // parsed once already
		if !all && !s.ready(&l) {
			return
		}
		s.show(&l)
		s.first++
	}
	s.held, s.ends, s.first = s.held[:0], s.ends[:0], 0
}

// ready reports whether l can be printed while the dump is running: the
// devices it names were remembered from this dump, and no netns name has
// to be asked for.
func (s *linkStream) ready(l *rtnl.Link) bool {
	r := &s.e.res
	if i, ok := l.LinkIndex(); ok && i != 0 {
		if _, otherNS := l.LinkNetNSID(); !otherNS && !r.seen(i) {
			return false
		}
	}
	if m, ok := l.Master(); ok && m != 0 && !r.seen(m) {
		return false
	}
	if r.nsNames == nil && !s.p.json() {
		if id, ok := l.LinkNetNSID(); ok && id >= 0 {
			return false
		}
		if _, ok := l.NewNetNSID(); ok {
			return false
		}
	}
	return true
}

// finish prints the links still waiting once the dump is over, when
// lookups may use the socket again. A dump stopped after an interruption
// (errStopRestart) is reported as iproute2 reports an interrupted one.
func (s *linkStream) finish() {
	s.release(true)
	if s.stopped {
		s.e.stdout.Flush()
		io.WriteString(s.e.stderr, "Dump was interrupted and may be inconsistent.\n")
	}
}

// show is the body of ipaddr_list_flush_or_save's print loop for one
// link: the filters, the link, its addresses.
func (s *linkStream) show(l *rtnl.Link) {
	e, p, f := s.e, s.p, s.f
	addrs := s.addrs.of(l.Index)
	withAddrs := f.family != unix.AF_PACKET && !s.linkOnly
	if withAddrs && !keepLink(addrs, f) {
		return
	}
	s.printed = true
	p.openObject()
	shown := true
	if f.up && l.Flags&unix.IFF_UP == 0 {
		shown = false
	} else if f.index != 0 && l.Index != f.index {
		shown = false
	} else if e.opts.brief || !s.noLink {
		printLink(e, p, l, s.doLink, f.family)
	}
	if shown && withAddrs {
		printSelectedAddrs(e, p, l, addrs, f)
	}
	p.closeObject()
}

// addrTable holds the addresses of an `ip addr` show, copied from the dump
// back to back and grouped by link, each group in the dump's order.
type addrTable struct {
	data []byte
	ents []addrEnt
}

// addrEnt is one address in addrTable.data.
type addrEnt struct {
	index      int32
	start, end int
}

// take takes one message of the address dump.
func (t *addrTable) take(typ uint16, data []byte) error {
	switch typ {
	case rtnl.DumpRestart:
		t.data, t.ents = t.data[:0], t.ents[:0]
	case unix.RTM_NEWADDR:
		a, err := rtnl.ParseAddr(data)
		if err != nil {
			return badReply(err)
		}
		start := len(t.data)
		t.data = append(t.data, data...)
		t.ents = append(t.ents, addrEnt{index: int32(a.Index), start: start, end: len(t.data)})
	}
	return nil
}

// group orders the addresses by link, keeping the dump's order within
// each link; of needs it.
func (t *addrTable) group() {
	slices.SortStableFunc(t.ents, func(a, b addrEnt) int { return cmp.Compare(a.index, b.index) })
}

// linkAddrs are the addresses of one link, in the dump's order.
type linkAddrs struct {
	data []byte
	ents []addrEnt
}

// of returns the addresses of the link with the given index.
func (t *addrTable) of(index int32) linkAddrs {
	i, _ := slices.BinarySearchFunc(t.ents, index, func(a addrEnt, x int32) int { return cmp.Compare(a.index, x) })
	j := i
	for j < len(t.ents) && t.ents[j].index == index {
		j++
	}
	return linkAddrs{data: t.data, ents: t.ents[i:j]}
}

// len is the number of addresses.
func (a linkAddrs) len() int { return len(a.ents) }

// at decodes the i-th address.
func (a linkAddrs) at(i int) rtnl.AddrMessage {
	m, _ := rtnl.ParseAddr(a.data[a.ents[i].start:a.ents[i].end]) // parsed once already
	return m
}
