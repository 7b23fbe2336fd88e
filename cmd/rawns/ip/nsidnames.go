package ip

import (
	"os"

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

// nsidOf returns the nsid the connection's namespace has for the
// namespace file RUN_DIR/name (iproute2's get_netnsid_from_name). ok is
// false when the file cannot be opened, the kernel refuses, or no id is
// assigned.
func (r *resources) nsidOf(name string) (id int32, ok bool) {
	path := name
	if !containsByte(name, '/') {
		path = netnsRunDir + "/" + name
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, false
	}
	defer unix.Close(fd)
	id, err = r.queryNSID(int32(fd))
	return id, r.noteBad(err) == nil && id >= 0
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
// id gives an nsid (>= 0), the first name seen for an id winning.
func nsidMap(names []string, id func(name string) int32) map[int32]string {
	m := make(map[int32]string)
	for _, name := range names {
		if nid := id(name); nid >= 0 {
			if _, dup := m[nid]; !dup {
				m[nid] = name
			}
		}
	}
	return m
}

// nsidName returns the /run/netns name of nsid id (get_name_from_nsid).
func (r *resources) nsidName(id int32) (string, bool) {
	if id < 0 {
		return "", false
	}
	if r.nsNames == nil {
		r.nsNames = &nsidNames{byID: nsidMap(runDirNames(), func(name string) int32 {
			if nid, ok := r.nsidOf(name); ok {
				return nid
			}
			return -1
		})}
	}
	name, ok := r.nsNames.byID[id]
	return name, ok
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
