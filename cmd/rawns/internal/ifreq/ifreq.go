// Package ifreq runs interface ioctls on a throwaway socket: glibc's
// if_nametoindex and if_indextoname, which ip's ll_name_to_index and
// ping's -I and %scope fall back on, and the txqueuelen ip reads when a
// dump lacks it.
package ifreq

import (
	"os"

	"golang.org/x/sys/unix"
)

// Ioctl runs the interface ioctl req on ifr over a throwaway socket.
func Ioctl(req uint, ifr *unix.Ifreq) error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if err := unix.IoctlIfreq(fd, req, ifr); err != nil {
		return os.NewSyscallError("ioctl", err)
	}
	return nil
}

// NameToIndex is if_nametoindex(3): the index of interface name.
func NameToIndex(name string) (uint32, error) {
	if name == "" || len(name) >= unix.IFNAMSIZ {
		return 0, unix.ENODEV
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, err
	}
	if err := Ioctl(unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, err
	}
	return ifr.Uint32(), nil
}

// IndexToName is if_indextoname(3): the name of interface index.
func IndexToName(index uint32) (string, error) {
	ifr, _ := unix.NewIfreq("")
	ifr.SetUint32(index)
	if err := Ioctl(unix.SIOCGIFNAME, ifr); err != nil {
		return "", err
	}
	return ifr.Name(), nil
}
