package ip

import (
	"os"

	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// nsidNames maps nsids, relative to the namespace of the rtnetlink
// connection, to the names in /run/netns, as iproute2's netns_map_init
// does: every entry in readdir order gets an RTM_GETNSID on its fd, and the
// first name seen for an id wins.
type nsidNames struct {
	byID map[int32]string
}

func (n *nsidNames) close() {}

// nsidOf is iproute2's get_netnsid_from_name: the nsid the connection's
// namespace has for namespace name, opened by nsfs (RUN_DIR/name, a path,
// or a pid), or -1 when it cannot be opened or has no id. The error is
// the kernel's refusal, or an undecodable answer (a *replyError); the id
// is -1 with either.
func (r *resources) nsidOf(name string) (int32, error) {
	fd, err := nsfs.Dirs{Run: netnsRunDir}.Open(name)
	if err != nil {
		return -1, nil
	}
	defer unix.Close(fd)
	return r.queryNSID(int32(fd))
}

// queryNSID asks, with one RTM_GETNSID, for the nsid the connection's
// namespace has for the namespace open at fd: -1 when none is assigned. An
// undecodable answer is a *replyError.
func (r *resources) queryNSID(fd int32) (int32, error) {
	c, err := r.rtnl()
	if err != nil {
		return -1, err
	}
	b := rtnl.AppendGetNSID(r.look[:0], fd)
	r.look = b
	id := int32(-1)
	err = c.query(b, func(typ uint16, data []byte) error {
		if typ != unix.RTM_NEWNSID {
			return nil
		}
		n, err := rtnl.ParseNetNSID(data)
		if err != nil {
			return badReply(err)
		}
		if v, ok := n.NSID(); ok {
			id = v
		}
		return nil
	})
	return id, err
}

// nsidMap is netns_map_init's loop: nsid → name for each of names that
// id gives an nsid (>= 0), the first name seen for an id winning. The
// first error of id ends it.
func nsidMap(names []string, id func(name string) (int32, error)) (map[int32]string, error) {
	m := make(map[int32]string)
	for _, name := range names {
		nid, err := id(name)
		if err != nil {
			return nil, err
		}
		if _, dup := m[nid]; nid >= 0 && !dup {
			m[nid] = name
		}
	}
	return m, nil
}

// nsidName returns the /run/netns name of nsid id (get_name_from_nsid).
// A name the kernel gives no id is left out quietly; the error is an
// undecodable answer (a *replyError).
func (r *resources) nsidName(id int32) (string, bool, error) {
	if id < 0 {
		return "", false, nil
	}
	if r.nsNames == nil {
		m, err := nsidMap(runDirNames(), func(name string) (int32, error) {
			nid, err := r.nsidOf(name)
			if isReplyErr(err) {
				return -1, err
			}
			return nid, nil
		})
		if err != nil {
			return "", false, err
		}
		r.nsNames = &nsidNames{byID: m}
	}
	name, ok := r.nsNames.byID[id]
	return name, ok, nil
}

// runDirNames lists /run/netns in raw readdir order, without . and ..;
// nil when the directory cannot be read.
func runDirNames() []string {
	f, err := os.Open(netnsRunDir)
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	return names
}
