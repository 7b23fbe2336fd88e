package ip

import (
	"strconv"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// resources are what commands open on first use and share for the rest of
// the run (every line of a batch): the rtnetlink connection, the request
// buffer, the device-name cache that iproute2 keeps in lib/ll_map.c, and
// the nsid → name map. The namespace files opened for `netns NAME` are
// not shared: each command opens its own and they are closed when it ends,
// or when its request has been sent (see pipeline).
type resources struct {
	conn *conn
	req  []byte // request buffer, reused
	look []byte // buffer for lookups made while a request is being built

	byName  map[string]int32 // device name → ifindex
	byIndex map[int32]llEntry
	gen     uint32 // the generation of the running show (see seen)

	linkShown bool // a link show ran: iproute2's do_link, never cleared

	nsFDs   []int      // namespace files opened by the command being run
	nsNames *nsidNames // nil until first needed

	pipe *pipeline // modifying requests queued by a -force batch, or nil
	line int       // the batch line being run, for reports of queued requests

	// bad is the first undecodable reply met by a lookup that cannot
	// return an error (indexToName, nsidName); doCmd fails the command
	// with it.
	bad error
}

// llEntry is what the cache knows about one device.
type llEntry struct {
	name  string
	flags uint32
	gen   uint32 // resources.gen when it was remembered
}

// rtnl returns the connection, dialing it on first use in the calling
// thread's network namespace. Requests queued by a -force batch are sent
// first, so whatever the caller asks sees their effects.
func (r *resources) rtnl() (*conn, error) {
	if r.pipe != nil && len(r.pipe.lines) > 0 {
		if err := r.flush(); err != nil {
			return nil, err
		}
	}
	if r.conn == nil {
		c, err := rtnl.Dial(&rtnl.Config{ReadBuffer: 1 << 20, BufferSize: 64 << 10, RawSyscalls: true})
		if err != nil {
			return nil, err
		}
		r.conn = &conn{c: c}
	}
	return r.conn, nil
}

// buf returns the request buffer, emptied.
func (r *resources) buf() []byte {
	if r.req == nil {
		r.req = make([]byte, 0, 4096)
	}
	return r.req[:0]
}

// keep stores b (grown from buf) for reuse.
func (r *resources) keep(b []byte) { r.req = b[:0] }

func (r *resources) close() {
	if r.conn != nil {
		r.conn.close()
		r.conn = nil
	}
	r.nsFDs = closeFDs(r.nsFDs)
	if r.pipe != nil {
		r.pipe.fds = closeFDs(r.pipe.fds)
	}
	if r.nsNames != nil {
		r.nsNames.close()
	}
}

// remember caches a decoded link, as ll_remember_index does.
func (r *resources) remember(l *rtnl.Link) {
	if len(l.Name()) == 0 {
		return
	}
	name := string(l.Name())
	if r.byIndex == nil {
		r.byIndex = make(map[int32]llEntry)
		r.byName = make(map[string]int32)
	}
	if old, ok := r.byIndex[l.Index]; ok && old.name != name {
		delete(r.byName, old.name)
	}
	r.byIndex[l.Index] = llEntry{name: name, flags: l.Flags, gen: r.gen}
	r.byName[name] = l.Index
}

// seen reports whether the device with this index was remembered during
// the running show (since gen last changed), so that its name and flags are
// the ones iproute2, which stores a whole dump before printing, would use.
func (r *resources) seen(index int32) bool {
	e, ok := r.byIndex[index]
	return ok && e.gen == r.gen
}

// noteBad keeps the first undecodable reply for doCmd (see bad) and
// returns err.
func (r *resources) noteBad(err error) error {
	if isReplyErr(err) && r.bad == nil {
		r.bad = err
	}
	return err
}

// forget drops a device from the cache, as ll_drop_by_index does after a
// change.
func (r *resources) forget(index int32) {
	if e, ok := r.byIndex[index]; ok {
		delete(r.byName, e.name)
		delete(r.byIndex, index)
	}
}

// forgetName drops a device known by name.
func (r *resources) forgetName(name string) {
	if i, ok := r.byName[name]; ok {
		r.forget(i)
	}
}

// linkGet asks the kernel for one link, by index or (index 0) by name, and
// caches the answer. It returns 0 when there is no such link; other
// failures, an undecodable answer among them, are returned.
func (r *resources) linkGet(index int32, name string) (int32, error) {
	var got int32
	err := r.linkQuery(index, name, func(l *rtnl.Link) { got = l.Index })
	return got, err
}

// addrLen asks the kernel for the link at index and returns the length
// of its link-layer address: -1 when it has none, or there is no such
// link.
func (r *resources) addrLen(index int32) (int, error) {
	n := -1
	err := r.linkQuery(index, "", func(l *rtnl.Link) {
		if a := l.Address(); a != nil {
			n = len(a)
		}
	})
	return n, err
}

// linkQuery sends the RTM_GETLINK of linkGet, caches the link the kernel
// answers with and hands it to got. A kernel refusal (no such link) is not
// an error; an undecodable answer is.
func (r *resources) linkQuery(index int32, name string, got func(*rtnl.Link)) error {
	c, err := r.rtnl()
	if err != nil {
		return err
	}
	b := rtnl.AppendGetLink(r.look[:0], index, name)
	r.look = b
	err = c.query(b, func(typ uint16, data []byte) error {
		if typ != unix.RTM_NEWLINK {
			return nil
		}
		l, err := rtnl.ParseLink(data)
		if err != nil {
			return badReply(err)
		}
		r.remember(&l)
		got(&l)
		return nil
	})
	if _, ok := err.(*rtnl.Error); ok {
		return nil
	}
	return err
}

// nameToIndex resolves a device name as ll_name_to_index does: the cache,
// then an RTM_GETLINK by name, then if_nametoindex (whose SIOCGIFINDEX
// ignores a ":label" suffix, so "eth0:1" names eth0), then the "ifN" form.
// It returns 0 when the device does not exist.
func (r *resources) nameToIndex(name string) (int32, error) {
	if i, ok := r.byName[name]; ok {
		return i, nil
	}
	i, err := r.linkGet(0, name)
	if err != nil || i != 0 {
		return i, err
	}
	if i, err := ifreq.NameToIndex(name); err == nil && i != 0 {
		return int32(i), nil
	}
	return ifN(name), nil
}

// ifN is sscanf(name, "if%u"): the index in an "ifN" name, or 0.
func ifN(name string) int32 {
	if len(name) < 3 || name[:2] != "if" {
		return 0
	}
	s := name[2:]
	if s[0] == '+' {
		s = s[1:]
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	v, err := strconv.ParseUint(s[:n], 10, 32)
	if err != nil {
		return 0
	}
	return int32(v)
}

// indexToName is ll_index_to_name: the cache, then an RTM_GETLINK by index,
// then "ifN". known reports whether the device was found (its flags are
// then valid).
func (r *resources) indexToName(index int32) (name string, flags uint32, known bool) {
	if index == 0 {
		return "*", 0, false
	}
	if e, ok := r.byIndex[index]; ok {
		return e.name, e.flags, true
	}
	if i, err := r.linkGet(index, ""); r.noteBad(err) == nil && i == index {
		if e, ok := r.byIndex[index]; ok {
			return e.name, e.flags, true
		}
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10), 0, false
}

// netnsFD opens the network namespace named by arg for IFLA_NET_NS_FD with
// nsfs's Open, as iproute2 HEAD's netns_get_fd does: RUN_DIR/arg, or arg
// itself when it holds a '/', and, when that fails and arg is a number N
// as get_integer reads it, /proc/N/ns/net. The name is looked up afresh
// each time (a batch may have deleted and added it since), and the fd
// stays open until the command ends (endCommand) or, when its request is
// queued, until the queue is sent. pid reports whether arg was taken as a
// process id.
func (r *resources) netnsFD(arg string) (fd int, pid bool, err error) {
	fd, err = nsfs.Dirs{Run: netnsRunDir}.Open(arg)
	if err != nil {
		// A number as get_integer reads it (" 12", "0x1f"), which 6.1
		// sends as IFLA_NET_NS_PID.
		_, pid = nsfs.PID(arg)
		return -1, pid, err
	}
	r.nsFDs = append(r.nsFDs, fd)
	return fd, false, nil
}

// endCommand closes the namespace files the command opened whose requests
// are not waiting in the pipeline.
func (r *resources) endCommand() { r.nsFDs = closeFDs(r.nsFDs) }

// closeFDs closes each fd and returns the emptied slice.
func closeFDs(fds []int) []int {
	for _, fd := range fds {
		unix.Close(fd)
	}
	return fds[:0]
}

// netnsRunDir is iproute2's NETNS_RUN_DIR on Debian.
const netnsRunDir = "/run/netns"

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
