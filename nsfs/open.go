package nsfs

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Open opens a network namespace file with O_RDONLY|O_CLOEXEC, the way
// iproute2's netns_get_fd does (HEAD): NAME itself when it contains '/',
// else RUN_DIR/NAME; when that fails and NAME is an integer, /proc/NAME/ns/net.
// The fd suits IFLA_NET_NS_FD, NETNSA_FD and Do; the caller closes it.
// Open does not apply ValidName, since paths and pids are accepted.
// Failures are an *Error with Op OpOpenNetns for the last path tried.
func (d Dirs) Open(name string) (fd int, err error) {
	path := name
	if strings.IndexByte(name, '/') < 0 {
		path = d.Path(name)
	}
	fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err == nil {
		return fd, nil
	}
	if isInteger(name) {
		path = "/proc/" + name + "/ns/net"
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err == nil {
			return fd, nil
		}
	}
	return -1, &Error{Op: OpOpenNetns, Name: name, Path: path, Err: os.NewSyscallError("open", err)}
}

// isInteger reports whether s parses as a C int with strtol base 0 the way
// iproute2's get_integer accepts it: optional sign, then decimal, 0x hex or
// 0 octal digits.
func isInteger(s string) bool {
	if strings.IndexByte(s, '_') >= 0 {
		return false
	}
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 || strings.HasPrefix(t, "0b") || strings.HasPrefix(t, "0B") || strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0O") {
		return false
	}
	_, err := strconv.ParseInt(s, 0, 32)
	return err == nil
}
