package ip

import (
	"bufio"
	"bytes"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// TestParsePrefix checks get_prefix's rules: iproute2's own IPv4 parsing
// (missing parts are zero, C number bases), dotted netmasks, bounds.
func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in     string
		family uint8
		want   string // address/bits, or "" for a refusal
	}{
		{"10.9.0.1/24", 0, "10.9.0.1/24"},
		{"10.8", 0, "10.8.0.0/32"},
		{"10.8/16", 0, "10.8.0.0/16"},
		{"10", 0, "10.0.0.0/32"},
		{"0x0a.1", 0, "10.1.0.0/32"},
		{"010.1", 0, "8.1.0.0/32"},
		{"10.0.0.1/255.255.255.0", 0, "10.0.0.1/24"},
		{"10.0.0.1/255.255.255.255", 0, "10.0.0.1/32"},
		{"10.0.0.1/0x18", 0, "10.0.0.1/24"},
		{"10.0.0.1/255.0.255.0", 0, ""},
		{"10.0.0.1/33", 0, ""},
		{"256.1.1.1", 0, ""},
		{"1.2.3.4.5", 0, ""},
		{"1.2.3.", 0, ""},
		{"10.0.0.1/", 0, ""},
		{"fd00::1/64", 0, "fd00::1/64"},
		{"fd00::1", 0, "fd00::1/128"},
		{"fd00::1/129", 0, ""},
		{"fe80::1%eth0", 0, ""},
		{"10.0.0.1", unix.AF_INET6, ""},
		{"fd00::1", unix.AF_INET, ""},
		{"::ffff:1.2.3.4/96", 0, "::ffff:1.2.3.4/96"},
	}
	for _, tt := range tests {
		p, ok := parsePrefix(tt.in, tt.family)
		got := ""
		if ok {
			a, _ := netip.AddrFromSlice(p.bytes())
			got = a.String() + "/" + itoa(p.bitlen)
		}
		if got != tt.want {
			t.Errorf("parsePrefix(%q, %d) = %q, want %q", tt.in, tt.family, got, tt.want)
		}
	}
}

// TestIP6String checks the IPv6 text against glibc's inet_ntop (the
// expectations were produced by it), including its "::a.b.c.d" forms.
func TestIP6String(t *testing.T) {
	tests := []struct{ in, want string }{
		{"::", "::"},
		{"::1", "::1"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"::102:304", "::1.2.3.4"},
		{"1::", "1::"},
		{"1:0:0:1:0:0:0:1", "1:0:0:1::1"},
		{"2001:db8::1", "2001:db8::1"},
		{"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
		{"0:0:1::", "0:0:1::"},
		{"::ffff:0:0", "::ffff:0.0.0.0"},
		{"0:0:0:0:0:1:0:0", "::1:0:0"},
		{"::5:1.2.3.4", "::5:102:304"},
		{"fe80::3cd2:3dff:fe2d:bc9f", "fe80::3cd2:3dff:fe2d:bc9f"},
	}
	for _, tt := range tests {
		a := netip.AddrFrom16(netip.MustParseAddr(tt.in).As16())
		if got := inetNtop(a); got != tt.want {
			t.Errorf("inetNtop(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := inetNtop(netip.MustParseAddr("192.0.2.1")); got != "192.0.2.1" {
		t.Errorf("inetNtop(192.0.2.1) = %q", got)
	}
}

// TestJSONWriter checks the pretty layout of lib/json_writer.c: members
// on their own lines, arrays of values on one line, "[ ]" when empty.
func TestJSONWriter(t *testing.T) {
	for _, tt := range []struct {
		pretty bool
		want   string
	}{
		{false, `[{"ifindex":1,"flags":["UP","LOWER_UP"],"link":null,"addr_info":[]},{"s":"a\"b\\c\td"}]` + "\n"},
		{true, "[ {\n        \"ifindex\": 1,\n        \"flags\": [ \"UP\",\"LOWER_UP\" ],\n        \"link\": null,\n" +
			"        \"addr_info\": [ ]\n    },{\n        \"s\": \"a\\\"b\\\\c\\td\"\n    } ]\n"},
	} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		j := &jsonWriter{w: w, pretty: tt.pretty}
		j.startArray()
		j.startObject()
		j.int("ifindex", 1)
		j.name("flags")
		j.startArray()
		j.str("", "UP")
		j.str("", "LOWER_UP")
		j.endArray()
		j.null("link")
		j.name("addr_info")
		j.startArray()
		j.endArray()
		j.endObject()
		j.startObject()
		j.str("s", "a\"b\\c\td")
		j.endObject()
		j.endArray()
		j.finish()
		w.Flush()
		if buf.String() != tt.want {
			t.Errorf("pretty=%v:\n got %q\nwant %q", tt.pretty, buf.String(), tt.want)
		}
	}
}
