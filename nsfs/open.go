package nsfs

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Open opens a network namespace file with O_RDONLY|O_CLOEXEC, the one way
// this project opens a namespace by name, path or pid, as iproute2's
// netns_get_fd does (HEAD): NAME itself when it contains '/', else
// RUN_DIR/NAME; when that fails and NAME is a process id N (see PID),
// /proc/N/ns/net. The fd suits IFLA_NET_NS_FD, NETNSA_FD and Do; the
// caller closes it. Open does not apply ValidName, since paths and pids
// are accepted. Failures are an *Error with Op OpOpenNetns for the last
// path tried.
func (d Dirs) Open(name string) (fd int, err error) {
	path := name
	if strings.IndexByte(name, '/') < 0 {
		path = d.Path(name)
	}
	fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err == nil {
		return fd, nil
	}
	if pid, ok := PID(name); ok {
		path = "/proc/" + strconv.Itoa(int(pid)) + "/ns/net"
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			return fd, nil
		}
	}
	// A copy, so that path itself does not escape: the success path then
	// builds it on the stack and opens without allocating it.
	return -1, &Error{Op: OpOpenNetns, Name: name, Path: strings.Clone(path), Err: os.NewSyscallError("open", err)}
}

// PID reports whether Open takes name, when no file has that name, for the
// process id it returns: a C int read with strtol base 0 the way
// iproute2's get_integer reads it (leading white space, an optional sign,
// then decimal, 0x hex or 0 octal digits, and nothing after them).
func PID(name string) (int32, bool) {
	s := strings.TrimLeft(name, " \t\n\v\f\r")
	if strings.IndexByte(s, '_') >= 0 {
		return 0, false
	}
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 || strings.HasPrefix(t, "0b") || strings.HasPrefix(t, "0B") || strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0O") {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 0, 32)
	return int32(n), err == nil
}
