// Package privilege holds what rawns does about the privileges it was
// started with (README, "Installing"): ip's refusal to run setuid and its
// capability drop, and the capget/capset wrappers ping uses to keep only
// what it needs.
package privilege

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// IP runs before ip parses anything and returns why ip must not
// run, or "" when it may. Setuid or setgid: refused, iproute2 does not
// support it, and every ip command (netns exec, -batch FILE, -n NS) would
// act with the owner's privileges for any user. A user other than root
// holding capabilities (file capabilities on the binary) drops them all,
// as ip's drop_cap (lib/utils.c) does, unless CAP_NET_ADMIN is in the
// inheritable set: a program with ambient capabilities that runs ip keeps
// them. ping, meant to be installed with privileges, is not handled here.
func IP() string {
	uid, euid := os.Getuid(), os.Geteuid()
	gid, egid := os.Getgid(), os.Getegid()
	if uid != euid || gid != egid {
		return "rawns: ip must not run setuid or setgid, iproute2 does not support it (uid " +
			strconv.Itoa(uid) + ", euid " + strconv.Itoa(euid) + ", gid " + strconv.Itoa(gid) +
			", egid " + strconv.Itoa(egid) + "); only ping may be installed that way\n"
	}
	if uid == 0 {
		return ""
	}
	if err := dropCaps(); err != nil {
		return "rawns: " + err.Error() + "\n"
	}
	return ""
}

// dropCaps clears every capability set unless CAP_NET_ADMIN is
// inheritable. A build with cgo (the race-enabled tests) cannot change
// every thread: it clears the calling thread's and locks the calling
// goroutine, the main one, to it.
func dropCaps() error {
	sets, err := Get()
	if err != nil {
		return err
	}
	if sets[0].Inheritable&(1<<unix.CAP_NET_ADMIN) != 0 || sets == [2]unix.CapUserData{} {
		return nil
	}
	err = ClearAll()
	if errors.Is(err, syscall.ENOTSUP) {
		runtime.LockOSThread()
		err = Set([2]unix.CapUserData{})
	}
	return err
}

// ClearAll clears the effective, permitted and inheritable capability
// sets of every thread, with capset(2) through syscall.AllThreadsSyscall.
// A binary built with cgo gets an error that wraps syscall.ENOTSUP and
// changes nothing.
func ClearAll() error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var none [2]unix.CapUserData
	_, _, errno := syscall.AllThreadsSyscall(unix.SYS_CAPSET,
		uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&none[0])), 0)
	runtime.KeepAlive(&hdr)
	runtime.KeepAlive(&none)
	if errno != 0 {
		return os.NewSyscallError("capset", errno)
	}
	return nil
}

// Get wraps capget(2) for the calling thread: the effective,
// permitted and inheritable sets, capabilities 0-31 then 32-63.
func Get() ([2]unix.CapUserData, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var d [2]unix.CapUserData
	if err := unix.Capget(&hdr, &d[0]); err != nil {
		return d, os.NewSyscallError("capget", err)
	}
	return d, nil
}

// Set wraps capset(2) for the calling thread.
func Set(d [2]unix.CapUserData) error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	if err := unix.Capset(&hdr, &d[0]); err != nil {
		return os.NewSyscallError("capset", err)
	}
	return nil
}
