package ping

import (
	"errors"
	"os"
	"runtime"
	"syscall"

	"github.com/rawns/rawns/cmd/rawns/internal/privilege"
	"golang.org/x/sys/unix"
)

// pingSockets are the raw ICMP and ICMPv6 sockets ping opened with the
// privileges it was installed with, before dropping them; -1 where none.
type pingSockets struct{ v4, v6 int }

// rawFD returns the socket of the family (ICMPv6 when v6), or 0 for none,
// as icmp.Config.RawFD takes it.
func (s pingSockets) rawFD(v6 bool) int {
	fd := s.v4
	if v6 {
		fd = s.v6
	}
	return max(fd, 0)
}

// close closes the sockets.
func (s pingSockets) close() {
	for _, fd := range []int{s.v4, s.v6} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

// dropPrivileges is the one place where ping deals with being installed
// setuid root or with file capabilities (as iputils' ping usually is). It
// runs before any argument is read.
//
// When the process has more than its real user has (an effective or saved
// uid or gid other than the real one, or any capability while the real
// user is not root), it opens the raw ICMP and ICMPv6 sockets ping may need
// (raising CAP_NET_RAW from the permitted set if need be), then sets every
// uid and gid to the real ones, clears every capability set on every
// thread, and checks that this took. That is iputils' limit_capabilities
// and drop_capabilities in one step: rawns has no option that needs a
// privilege after the socket (iputils keeps CAP_NET_ADMIN for -m). Any
// failure is returned and ping must stop: it fails closed.
//
// A process run by root, or by a user without privileges, has nothing to
// give up: it keeps what it has and gets no sockets.
func dropPrivileges() (pingSockets, error) {
	s := pingSockets{-1, -1}
	ruid, euid, suid := unix.Getresuid()
	rgid, egid, sgid := unix.Getresgid()
	caps, err := privilege.Get()
	if err != nil {
		return s, err
	}
	capable := caps[0].Permitted|caps[1].Permitted != 0
	if ruid == euid && ruid == suid && rgid == egid && rgid == sgid && (ruid == 0 || !capable) {
		return s, nil
	}
	runtime.LockOSThread() // CAP_NET_RAW is raised on this thread only
	defer runtime.UnlockOSThread()
	const raw = 1 << unix.CAP_NET_RAW
	if caps[0].Permitted&raw != 0 && caps[0].Effective&raw == 0 {
		caps[0].Effective |= raw
		if err := privilege.Set(caps); err != nil {
			return s, err
		}
	}
	// Failures are left to ping, which reports them as for a plain user.
	s.v4, _ = unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	s.v6, _ = unix.Socket(unix.AF_INET6, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMPV6)
	if err := setCredentials(ruid, rgid); err != nil {
		s.close()
		return pingSockets{-1, -1}, err
	}
	return s, nil
}

// setCredentials sets every uid to uid and every gid to gid, clears all
// capabilities on every thread, and checks the result on this one.
func setCredentials(uid, gid int) error {
	// syscall's set*id calls act on every thread of the process.
	if err := syscall.Setresgid(gid, gid, gid); err != nil {
		return os.NewSyscallError("setresgid", err)
	}
	if err := syscall.Setresuid(uid, uid, uid); err != nil {
		return os.NewSyscallError("setresuid", err)
	}
	// A cgo binary (a -race test) cannot act on every thread (ENOTSUP);
	// leaving uid 0 has cleared the capabilities of all of them, and
	// anything left is caught below.
	if err := privilege.ClearAll(); err != nil && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	caps, err := privilege.Get()
	if err != nil {
		return err
	}
	r, e2, s := unix.Getresuid()
	g, eg, sg := unix.Getresgid()
	if caps != [2]unix.CapUserData{} || r != uid || e2 != uid || s != uid || g != gid || eg != gid || sg != gid {
		return errors.New("cannot drop privileges")
	}
	return nil
}
