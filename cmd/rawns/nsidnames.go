package main

import (
	"os"

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
	return r.nsidOfFD(int32(fd))
}

// nsidOfFD is nsidOf for an open namespace fd.
func (r *resources) nsidOfFD(fd int32) (id int32, ok bool) {
	c, err := r.rtnl()
	if err != nil {
		return -1, false
	}
	b := rtnlGetNSID(r.look[:0], fd)
	r.look = b
	id = -1
	err = c.query(b, func(typ uint16, data []byte) error {
		if typ != unix.RTM_NEWNSID || len(data) < 4 {
			return nil
		}
		var t [unix.NETNSA_NSID + 1][]byte
		parseAttrs(data[4:], t[:])
		if v, ok := attrU32(t[unix.NETNSA_NSID]); ok {
			id = int32(v)
		}
		return nil
	})
	return id, err == nil && id >= 0
}

// nsidName returns the /run/netns name of nsid id (get_name_from_nsid).
func (r *resources) nsidName(id int32) (string, bool) {
	if id < 0 {
		return "", false
	}
	if r.nsNames == nil {
		r.nsNames = &nsidNames{byID: make(map[int32]string)}
		for _, name := range runDirNames() {
			if nid, ok := r.nsidOf(name); ok {
				if _, dup := r.nsNames.byID[nid]; !dup {
					r.nsNames.byID[nid] = name
				}
			}
		}
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
