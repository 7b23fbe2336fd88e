package icmp

import (
	"net/netip"
	"os"

	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// socketIn wraps socket(2): it returns a non-blocking, close-on-exec socket
// created in the network namespace netns (a file descriptor), or in the
// calling thread's namespace when netns is 0. The namespace is entered
// with nsfs.Do, on a locked thread that returns to its namespace or dies.
//
// The Prober owns its descriptor outright instead of registering it with
// the Go netpoller: every reply would otherwise wake the poller's thread
// through epoll, and each wait would go through a deadline timer. Waits are
// ppoll(2) calls made by the Prober itself (see Prober.Poll).
func socketIn(netns, domain, typ, proto int) (int, error) {
	if netns == 0 {
		return socket(domain, typ, proto)
	}
	fd := -1
	err := nsfs.Do(netns, func() error {
		var err error
		fd, err = socket(domain, typ, proto)
		return err
	})
	if err != nil {
		if fd >= 0 {
			unix.Close(fd) // made, but the thread could not return: Do failed
		}
		return -1, err
	}
	return fd, nil
}

// socket wraps socket(2) with SOCK_NONBLOCK and SOCK_CLOEXEC.
func socket(domain, typ, proto int) (int, error) {
	fd, err := unix.Socket(domain, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	return fd, nil
}

// setsockoptInt wraps setsockopt(2) for an int option.
func setsockoptInt(fd, level, name, v int) error {
	if err := unix.SetsockoptInt(fd, level, name, v); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// bindToDevice wraps setsockopt(2) SO_BINDTODEVICE.
func bindToDevice(fd int, dev string) error {
	if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, dev); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// bind wraps bind(2).
func bind(fd int, sa unix.Sockaddr) error {
	if err := unix.Bind(fd, sa); err != nil {
		return os.NewSyscallError("bind", err)
	}
	return nil
}

// getsockname wraps getsockname(2) and returns the address and port.
func getsockname(fd int) (netip.Addr, int, error) {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return netip.Addr{}, 0, os.NewSyscallError("getsockname", err)
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(sa.Addr), sa.Port, nil
	case *unix.SockaddrInet6:
		return netip.AddrFrom16(sa.Addr), sa.Port, nil
	}
	return netip.Addr{}, 0, nil
}
