package lab

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// WaitOperUp waits until the link called name, in the calling thread's
// network namespace, is operationally up (IFLA_OPERSTATE IF_OPER_UP), or
// until timeout or ctx ends. It listens on rtnetlink's link group, then asks
// for the link, so a change between the question and the answer still wakes
// it: every wait is on a kernel message, none is a sleep.
func WaitOperUp(ctx context.Context, name string, timeout time.Duration) error {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = time.Until(d)
	}
	deadline := time.Now().Add(timeout)
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: unix.RTMGRP_LINK}); err != nil {
		return os.NewSyscallError("bind", err)
	}
	if err := unix.Sendto(fd, getLinkRequest(name), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return os.NewSyscallError("sendto", err)
	}
	buf := make([]byte, 32<<10)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("%s: not up after %v", name, timeout)
		}
		tv := unix.NsecToTimeval(left.Nanoseconds())
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err == unix.EAGAIN || err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("recvfrom", err)
		}
		up, err := linkUp(buf[:n], name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if up {
			return nil
		}
	}
}

// ifOperUp is IF_OPER_UP of RFC 2863 operstate (include/uapi/linux/if.h);
// x/sys/unix does not define it.
const ifOperUp = 6

// getLinkRequest returns an RTM_GETLINK request for the link called name.
func getLinkRequest(name string) []byte {
	attrLen := unix.SizeofRtAttr + len(name) + 1
	total := unix.NLMSG_HDRLEN + unix.SizeofIfInfomsg + (attrLen+3)&^3
	b := make([]byte, total)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], uint32(total))
	ne.PutUint16(b[4:], unix.RTM_GETLINK)
	ne.PutUint16(b[6:], unix.NLM_F_REQUEST)
	ne.PutUint32(b[8:], 1) // sequence
	b[unix.NLMSG_HDRLEN] = unix.AF_UNSPEC
	a := unix.NLMSG_HDRLEN + unix.SizeofIfInfomsg
	ne.PutUint16(b[a:], uint16(attrLen))
	ne.PutUint16(b[a+2:], unix.IFLA_IFNAME)
	copy(b[a+unix.SizeofRtAttr:], name)
	return b
}

// linkUp reports whether the messages in b say that the link called name is
// operationally up. A netlink error reply (no such device) is an error.
func linkUp(b []byte, name string) (bool, error) {
	ne := binary.NativeEndian
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(ne.Uint32(b))
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			return false, fmt.Errorf("netlink message of length %d in %d bytes", l, len(b))
		}
		msg := b[:l]
		b = b[min((l+3)&^3, len(b)):]
		switch ne.Uint16(msg[4:]) {
		case unix.NLMSG_ERROR:
			if len(msg) >= unix.NLMSG_HDRLEN+4 {
				if errno := int32(ne.Uint32(msg[unix.NLMSG_HDRLEN:])); errno != 0 {
					return false, os.NewSyscallError("rtm_getlink", unix.Errno(-errno))
				}
			}
		case unix.RTM_NEWLINK:
			attrs := msg[min(unix.NLMSG_HDRLEN+unix.SizeofIfInfomsg, len(msg)):]
			var ifname []byte
			oper := -1
			for len(attrs) >= unix.SizeofRtAttr {
				al := int(ne.Uint16(attrs))
				if al < unix.SizeofRtAttr || al > len(attrs) {
					return false, fmt.Errorf("attribute of length %d in %d bytes", al, len(attrs))
				}
				v := attrs[unix.SizeofRtAttr:al]
				switch ne.Uint16(attrs[2:]) {
				case unix.IFLA_IFNAME:
					ifname = bytes.TrimRight(v, "\x00")
				case unix.IFLA_OPERSTATE:
					if len(v) > 0 {
						oper = int(v[0])
					}
				}
				attrs = attrs[min((al+3)&^3, len(attrs)):]
			}
			if string(ifname) == name && oper == ifOperUp {
				return true, nil
			}
		}
	}
	return false, nil
}
