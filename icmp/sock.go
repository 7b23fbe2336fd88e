package icmp

import (
	"net/netip"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// socketIn wraps socket(2): it returns a non-blocking, close-on-exec socket
// created in the network namespace netns (a file descriptor), or in the
// calling thread's namespace when netns is 0.
//
// The Prober owns its descriptor outright instead of registering it with
// the Go netpoller: every reply would otherwise wake the poller's thread
// through epoll, and each wait would go through a deadline timer. Waits are
// ppoll(2) calls made by the Prober itself (see Prober.Poll).
func socketIn(netns, domain, typ, proto int) (int, error) {
	if netns == 0 {
		return socket(domain, typ, proto)
	}
	type result struct {
		fd  int
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		fd, restored, err := socketInLocked(netns, domain, typ, proto)
		if restored {
			runtime.UnlockOSThread()
		}
		// Otherwise the thread stays in a foreign namespace: it remains
		// locked (poisoned) and dies with this goroutine.
		ch <- result{fd, err}
	}()
	r := <-ch
	return r.fd, r.err
}

// socketInLocked runs on a locked thread: it enters netns, creates the
// socket and returns to the thread's namespace, reporting whether that
// worked (restored false means the thread must not be reused).
func socketInLocked(netns, domain, typ, proto int) (fd int, restored bool, err error) {
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, true, os.NewSyscallError("open", err)
	}
	defer unix.Close(orig)
	if err := unix.Setns(netns, unix.CLONE_NEWNET); err != nil {
		return -1, true, os.NewSyscallError("setns", err)
	}
	fd, err = socket(domain, typ, proto)
	if rerr := unix.Setns(orig, unix.CLONE_NEWNET); rerr != nil {
		if err == nil {
			unix.Close(fd)
		}
		return -1, false, os.NewSyscallError("setns", rerr)
	}
	return fd, true, err
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
