package bench_test

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

var update = flag.Bool("update", false, "rewrite testdata/*.bin from a fresh capture")

// The captured inputs of the decode benchmarks. Each file holds whole
// netlink messages as the kernel sent them (headers included); the dumps
// hold every datagram of the dump concatenated, NLMSG_DONE included.
const (
	fileNewLink  = "newlink.bin"  // veth0's RTM_NEWLINK from the link dump
	fileLinkDump = "linkdump.bin" // `ip link`'s dump: RTM_GETLINK AF_PACKET, IFLA_EXT_MASK VF
	fileAddrDump = "addrdump.bin" // `ip addr`'s address dump: RTM_GETADDR AF_UNSPEC
)

// captureTopology is the lab the captures are taken in: lo up, veth0 and
// veth1 up, 192.168.1.1/24 on veth0.
var captureTopology = [][]string{
	{"link", "set", "lo", "up"},
	{"link", "add", "veth0", "type", "veth", "peer", "name", "veth1"},
	{"addr", "add", "192.168.1.1/24", "dev", "veth0"},
	{"link", "set", "veth0", "up"},
	{"link", "set", "veth1", "up"},
}

// dumpRaw sends req on a fresh NETLINK_ROUTE socket and returns every
// datagram of the reply concatenated, up to and including NLMSG_DONE.
func dumpRaw(t *testing.T, req []byte) []byte {
	t.Helper()
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		t.Fatal(os.NewSyscallError("socket", err))
	}
	defer unix.Close(fd)
	req = slices.Clone(req)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		t.Fatal(os.NewSyscallError("sendto", err))
	}
	var out []byte
	buf := make([]byte, 1<<16)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			t.Fatal(os.NewSyscallError("recvfrom", err))
		}
		out = append(out, buf[:n]...)
		it := rtnl.NewMessageIter(buf[:n])
		for it.Next() {
			switch it.Message().Header.Type {
			case unix.NLMSG_DONE:
				return out
			case unix.NLMSG_ERROR:
				t.Fatalf("dump answered NLMSG_ERROR: % x", it.Message().Data)
			}
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// captured is what a capture must contain, read with mdlayher/netlink as an
// independent decoder: the link names in order, each link's set of
// top-level attribute types, and the IPv4 addresses as "link addr/prefix".
type captured struct {
	links []string
	types map[string][]uint16
	addrs []string
}

func summarize(t *testing.T, linkDump, addrDump []byte) captured {
	t.Helper()
	c := captured{types: map[string][]uint16{}}
	names := map[uint32]string{} // ifindex → name
	for _, m := range unmarshalStream(t, linkDump) {
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		ad, err := netlink.NewAttributeDecoder(m.Data[unix.SizeofIfInfomsg:])
		if err != nil {
			t.Fatal(err)
		}
		var name string
		var types []uint16
		for ad.Next() {
			types = append(types, ad.Type())
			if ad.Type() == unix.IFLA_IFNAME {
				name = ad.String()
			}
		}
		if err := ad.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(types)
		c.links = append(c.links, name)
		names[nativeU32(m.Data[4:])] = name
		c.types[name] = slices.Compact(types)
	}
	for _, m := range unmarshalStream(t, addrDump) {
		if m.Header.Type != unix.RTM_NEWADDR || m.Data[0] != unix.AF_INET {
			continue
		}
		ad, err := netlink.NewAttributeDecoder(m.Data[unix.SizeofIfAddrmsg:])
		if err != nil {
			t.Fatal(err)
		}
		for ad.Next() {
			if ad.Type() == unix.IFA_LOCAL {
				b := ad.Bytes()
				c.addrs = append(c.addrs, fmt.Sprintf("%s %d.%d.%d.%d/%d",
					names[nativeU32(m.Data[4:])], b[0], b[1], b[2], b[3], m.Data[1]))
			}
		}
	}
	return c
}

// unmarshalStream splits a stream of concatenated datagrams with
// mdlayher/netlink, the independent oracle.
func unmarshalStream(t *testing.T, b []byte) []netlink.Message {
	t.Helper()
	var out []netlink.Message
	for len(b) > 0 {
		var m netlink.Message
		n := int(nativeU32(b))
		if n < 16 || n > len(b) {
			t.Fatalf("bad message length %d with %d bytes left", n, len(b))
		}
		n = (n + 3) &^ 3
		if err := m.UnmarshalBinary(b[:n]); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
		b = b[n:]
	}
	return out
}

// TestIntegrationCapture captures the decode inputs afresh in the sandbox
// and checks that testdata holds a capture of the same lab: the same links
// in the same order with the same attribute types, and 192.168.1.1/24 on
// veth0. With -update it rewrites testdata from the fresh capture.
func TestIntegrationCapture(t *testing.T) {
	sandbox.Require(t)
	t.Cleanup(func() { exec.Command("ip", "link", "del", "veth0").Run() })
	for _, args := range captureTopology {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %q: %v: %s", args, err, out)
		}
	}
	linkDump := dumpRaw(t, rtnl.AppendDumpLinks(nil, unix.AF_PACKET))
	addrDump := dumpRaw(t, rtnl.AppendDumpAddrs(nil, unix.AF_UNSPEC, 0))
	var newLink []byte
	for _, m := range unmarshalStream(t, linkDump) {
		if m.Header.Type == unix.RTM_NEWLINK && bytes.Contains(m.Data, []byte("veth0\x00")) {
			newLink, _ = m.MarshalBinary()
			break
		}
	}
	if newLink == nil {
		t.Fatal("the link dump has no RTM_NEWLINK for veth0")
	}
	fresh := summarize(t, linkDump, addrDump)
	if want := []string{"lo", "veth1", "veth0"}; !slices.Equal(fresh.links, want) {
		t.Fatalf("fresh link dump names = %q, want %q", fresh.links, want)
	}
	if want := []string{"lo 127.0.0.1/8", "veth0 192.168.1.1/24"}; !slices.Equal(fresh.addrs, want) {
		t.Fatalf("fresh IPv4 addresses = %q, want %q", fresh.addrs, want)
	}
	if *update {
		for name, b := range map[string][]byte{fileNewLink: newLink, fileLinkDump: linkDump, fileAddrDump: addrDump} {
			if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	stored := summarize(t, readTestdata(t, fileLinkDump), readTestdata(t, fileAddrDump))
	if !slices.Equal(stored.links, fresh.links) {
		t.Errorf("testdata link names = %q, fresh capture %q", stored.links, fresh.links)
	}
	for _, name := range fresh.links {
		if got, want := stored.types[name], fresh.types[name]; !slices.Equal(got, want) {
			t.Errorf("testdata attribute types of %s = %v, fresh capture %v", name, got, want)
		}
	}
	if !slices.Equal(stored.addrs, fresh.addrs) {
		t.Errorf("testdata IPv4 addresses = %q, fresh capture %q", stored.addrs, fresh.addrs)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func nativeU32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }
