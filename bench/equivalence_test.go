package bench_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// canonical renders a request as sorted "path=hex" lines, so that requests
// from different libraries compare equal when they ask the kernel for the
// same thing: the sequence number and port id are ignored, RTM_SETLINK
// counts as RTM_NEWLINK (both modify a link when CREATE is not set), the
// NLA_F_NESTED / NET_BYTEORDER bits are masked, string attributes lose
// their trailing NUL, and attribute order is ignored.
func canonical(t *testing.T, b []byte) []string {
	t.Helper()
	if len(b) < 16 || int(nativeU32(b)) != len(b) {
		t.Fatalf("message length field %d, buffer %d bytes", nativeU32(b), len(b))
	}
	typ := uint16(b[4]) | uint16(b[5])<<8
	flags := uint16(b[6]) | uint16(b[7])<<8
	if typ == unix.RTM_SETLINK {
		typ = unix.RTM_NEWLINK
	}
	out := []string{fmt.Sprintf("type=%d flags=%#x", typ, flags)}
	body := b[16:]
	switch typ {
	case unix.RTM_NEWLINK:
		out = append(out, fmt.Sprintf("ifinfomsg=%x", body[:16]))
		out = canonAttrs(t, out, "", body[16:], linkNests)
	case unix.RTM_NEWADDR:
		out = append(out, fmt.Sprintf("ifaddrmsg=%x", body[:8]))
		out = canonAttrs(t, out, "", body[8:], nil)
	default:
		t.Fatalf("unexpected message type %d", typ)
	}
	slices.Sort(out)
	return out
}

// linkNests names the nested link attributes by path, and whether a nest
// starts with an ifinfomsg (VETH_INFO_PEER does).
var linkNests = map[string]bool{
	"/18":     false, // IFLA_LINKINFO
	"/18/2":   false, // IFLA_INFO_DATA
	"/18/2/1": true,  // VETH_INFO_PEER
}

// linkStrings are the NUL-terminated string attributes by path.
var linkStrings = []string{"/3", "/18/1", "/18/2/1/3"}

func canonAttrs(t *testing.T, out []string, path string, b []byte, nests map[string]bool) []string {
	t.Helper()
	for len(b) > 0 {
		if len(b) < 4 {
			t.Fatalf("%s: %d trailing bytes", path, len(b))
		}
		n := int(uint16(b[0]) | uint16(b[1])<<8)
		typ := (uint16(b[2]) | uint16(b[3])<<8) & 0x3fff
		if n < 4 || n > len(b) {
			t.Fatalf("%s: attribute length %d with %d bytes left", path, n, len(b))
		}
		p := fmt.Sprintf("%s/%d", path, typ)
		data := b[4:n]
		if hdr, ok := nests[p]; ok {
			if hdr {
				out = append(out, fmt.Sprintf("%s ifinfomsg=%x", p, data[:16]))
				data = data[16:]
			}
			out = canonAttrs(t, out, p, data, nests)
		} else {
			if slices.Contains(linkStrings, p) && nests != nil {
				data = bytes.TrimRight(data, "\x00")
			}
			out = append(out, fmt.Sprintf("%s=%x", p, data))
		}
		b = b[min((n+3)&^3, len(b)):]
	}
	return out
}

// TestBuildEquivalent checks that every library's request in each build
// benchmark asks the kernel for the same thing as rawns's, so the
// benchmarks compare the same work.
func TestBuildEquivalent(t *testing.T) {
	for _, c := range buildCases() {
		t.Run(c.name, func(t *testing.T) {
			var buf [256]byte
			want := canonical(t, c.builders[0].build(buf[:]))
			for _, bl := range c.builders[1:] {
				got := canonical(t, bl.build(nil))
				for _, e := range bl.extra {
					i := slices.Index(got, e)
					if i < 0 {
						t.Errorf("%s request lacks the expected extra %s", bl.lib, e)
						continue
					}
					got = slices.Delete(got, i, i+1)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s request:\n%s\nwant (rawns):\n%s", bl.lib, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}
