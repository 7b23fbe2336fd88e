package ping

import (
	"bufio"
	"encoding/hex"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sourceOnDevice reports whether dev (an interface name, or the label of
// an IPv4 address) has the address src, as iputils' getifaddrs walk does
// before it warns "source address might be selected on device other
// than". IPv4 addresses come from SIOCGIFCONF, IPv6 ones from if_inet6
// in /proc.
func sourceOnDevice(src netip.Addr, dev string) bool {
	if dev == "" {
		return false
	}
	if src.Is6() {
		return inet6OnDevice(src, dev)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	const size = 40 // sizeof(struct ifreq)
	buf := make([]byte, 512*size)
	conf := struct {
		len int32
		_   int32
		buf uintptr
	}{int32(len(buf)), 0, uintptr(unsafe.Pointer(&buf[0]))}
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCGIFCONF, uintptr(unsafe.Pointer(&conf)))
	if e != 0 {
		return false
	}
	for off := 0; off+size <= int(conf.len); off += size {
		r := buf[off : off+size]
		name, _, _ := strings.Cut(string(r[:unix.IFNAMSIZ]), "\x00")
		// struct sockaddr_in at offset 16: family, port, address.
		if name == dev && netip.AddrFrom4([4]byte(r[20:24])) == src {
			return true
		}
	}
	return false
}

// inet6OnDevice reports whether if_inet6 in /proc lists src on dev, for
// the calling thread's network namespace (/proc/net is the main thread's).
func inet6OnDevice(src netip.Addr, dev string) bool {
	runtime.LockOSThread()
	f, err := os.Open("/proc/thread-self/net/if_inet6")
	runtime.UnlockOSThread()
	if err != nil {
		return false
	}
	defer f.Close()
	want := hex.EncodeToString(src.AsSlice())
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 6 && fs[0] == want && fs[5] == dev {
			return true
		}
	}
	return false
}
