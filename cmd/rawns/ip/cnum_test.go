package ip

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// cNumTests pins each C number variant, one input a row. The expectations
// were produced by glibc 2.36 running iproute2 6.1's get_integer, get_u32
// and get_addr_ipv4, atoi, and sscanf(s, "%x") with ll_addr_a2n's 0..255
// check; "-" is a refusal.
var cNumTests = []struct {
	in      string
	integer string // get_integer, get_s32
	u32     string // get_u32, get_unsigned
	atoi    int32
	lladdr  string // one ll_addr_a2n part
	ipv4    string // get_addr_ipv4
}{
	{"", "-", "-", 0, "-", "-"},
	{" ", "-", "-", 0, "-", "-"},
	{"0", "0", "0", 0, "0", "0.0.0.0"},
	{"00", "0", "0", 0, "0", "0.0.0.0"},
	{"08", "-", "-", 8, "8", "-"},
	{"0x", "-", "-", 0, "0", "-"},
	{"0X1f", "31", "31", 0, "31", "31.0.0.0"},
	{"0x1g", "-", "-", 0, "1", "-"},
	{"-0", "0", "0", 0, "0", "0.0.0.0"},
	{"+5", "5", "5", 5, "5", "5.0.0.0"},
	{"-+5", "-", "-", 0, "-", "-"},
	{"--5", "-", "-", 0, "-", "-"},
	{"+-5", "-", "-", 0, "-", "-"},
	{" 7", "7", "7", 7, "7", "7.0.0.0"},
	{"\t\n\v\f\r7", "7", "7", 7, "7", "7.0.0.0"},
	{"7 ", "-", "-", 7, "7", "-"},
	{"12a", "-", "-", 12, "-", "-"},
	{"1500", "1500", "1500", 1500, "-", "-"},
	{"010", "8", "8", 10, "16", "8.0.0.0"},
	{"0x10", "16", "16", 0, "16", "16.0.0.0"},
	{"-1", "-1", "-", -1, "-", "-"},
	{"-2147483648", "-2147483648", "-", -2147483648, "-", "-"},
	{"-2147483649", "-", "-", 2147483647, "-", "-"},
	{"2147483647", "2147483647", "2147483647", 2147483647, "-", "-"},
	{"2147483648", "-", "2147483648", -2147483648, "-", "-"},
	{"4294967295", "-", "4294967295", -1, "-", "-"},
	{"4294967296", "-", "-", 0, "-", "-"},
	{"4294967297", "-", "-", 1, "-", "-"},
	{"-4294967295", "-", "-", 1, "-", "-"},
	{"-4294967296", "-", "-", 0, "-", "-"},
	{"0xffffffff", "-", "4294967295", 0, "-", "-"},
	{"0x100000000", "-", "-", 0, "0", "-"},
	{"-0xffffffff", "-", "-", 0, "1", "-"},
	{"42949672970", "-", "-", 10, "-", "-"},
	{"9223372036854775807", "-", "-", -1, "-", "-"},
	{"9223372036854775808", "-", "-", -1, "-", "-"},
	{"-9223372036854775808", "-", "-", 0, "-", "-"},
	{"-9223372036854775809", "-", "-", 0, "-", "-"},
	{"18446744073709551615", "-", "-", -1, "-", "-"},
	{"18446744073709551616", "-", "-", -1, "-", "-"},
	{"-18446744073709551615", "-", "1", 0, "-", "1.0.0.0"},
	{"-18446744073709551616", "-", "-", 0, "-", "-"},
	{"99999999999999999999", "-", "-", -1, "-", "-"},
	{"-99999999999999999999", "-", "-", 0, "-", "-"},
	{"10000000000000000000", "-", "-", -1, "-", "-"},
	{"0xffffffffffffffff", "-", "-", 0, "-", "-"},
	{"0x10000000000000000", "-", "-", 0, "-", "-"},
	{"ff", "-", "-", 0, "255", "-"},
	{"FF", "-", "-", 0, "255", "-"},
	{"1ff", "-", "-", 1, "-", "-"},
	{"100", "100", "100", 100, "-", "100.0.0.0"},
	{"+ff", "-", "-", 0, "255", "-"},
	{"-ff", "-", "-", 0, "-", "-"},
	{"-ffffffff", "-", "-", 0, "1", "-"},
	{" 0x1", "1", "1", 0, "1", "1.0.0.0"},
	{"0xg", "-", "-", 0, "0", "-"},
	{"007", "7", "7", 7, "7", "7.0.0.0"},
	{"0777", "511", "511", 777, "-", "-"},
	{"0800", "-", "-", 800, "-", "-"},
	{"1e3", "-", "-", 1, "-", "-"},
	{"- 5", "-", "-", 0, "-", "-"},
	{"10.8", "-", "-", 10, "16", "10.8.0.0"},
	{"0x0a.1", "-", "-", 0, "10", "10.1.0.0"},
	{"010.1", "-", "-", 10, "16", "8.1.0.0"},
	{"1.2.3.4", "-", "-", 1, "1", "1.2.3.4"},
	{"1.2.3.4.5", "-", "-", 1, "1", "-"},
	{"1.2.3.", "-", "-", 1, "1", "-"},
	{"255.255.255.255", "-", "-", 255, "-", "255.255.255.255"},
	{"256.1.1.1", "-", "-", 256, "-", "-"},
	{"-0.1", "-", "-", 0, "0", "0.1.0.0"},
	{" 1. 2", "-", "-", 1, "1", "1.2.0.0"},
	{"1.-0", "-", "-", 1, "1", "1.0.0.0"},
	{"-1.2", "-", "-", -1, "-", "-"},
	{"-18446744073709551615.2", "-", "-", 0, "-", "1.2.0.0"},
	{"-18446744073709551616.2", "-", "-", 0, "-", "-"},
}

// TestCNumbers checks each variant against the glibc table.
func TestCNumbers(t *testing.T) {
	for _, tt := range cNumTests {
		if got := fmtInt(cInt32(tt.in)); got != tt.integer {
			t.Errorf("cInt32(%q) = %s, want %s", tt.in, got, tt.integer)
		}
		if n, ok := cUint32(tt.in); fmtInt(int64(n), ok) != tt.u32 {
			t.Errorf("cUint32(%q) = %s, want %s", tt.in, fmtInt(int64(n), ok), tt.u32)
		}
		if got := atoi(tt.in); got != tt.atoi {
			t.Errorf("atoi(%q) = %d, want %d", tt.in, got, tt.atoi)
		}
		if !strings.ContainsAny(tt.in, ".:") {
			hw, _ := parseLLAddr(tt.in)
			got := "-"
			if len(hw) == 1 {
				got = strconv.Itoa(int(hw[0]))
			} else if hw != nil {
				got = "len " + strconv.Itoa(len(hw))
			}
			if got != tt.lladdr {
				t.Errorf("parseLLAddr(%q) = %s, want %s", tt.in, got, tt.lladdr)
			}
		}
		a, ok := parseIPv4(tt.in)
		got := "-"
		if ok {
			got = netip.AddrFrom4(a).String()
		}
		if got != tt.ipv4 {
			t.Errorf("parseIPv4(%q) = %s, want %s", tt.in, got, tt.ipv4)
		}
	}
}

func fmtInt[T int32 | int64](v T, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatInt(int64(v), 10)
}

// TestParseLLAddrLength checks the lengths ll_addr_a2n gives iplink's
// 32-byte buffer: every part up to 32, and 33 for anything longer.
func TestParseLLAddrLength(t *testing.T) {
	for _, tt := range []struct{ parts, want int }{{1, 1}, {5, 5}, {6, 6}, {7, 7}, {20, 20}, {32, 32}, {33, 33}, {40, 33}} {
		hw, bad := parseLLAddr(lladdr(tt.parts))
		if len(hw) != tt.want || bad != "" {
			t.Errorf("parseLLAddr(%d parts) = %d bytes, %q; want %d bytes", tt.parts, len(hw), bad, tt.want)
		}
	}
	if hw, bad := parseLLAddr(lladdr(40)[:3*32] + "zz"); hw == nil || bad != "" {
		t.Errorf("parseLLAddr: a 33rd part is not read, as in ll_addr_a2n; got %v, %q", hw, bad)
	}
}

// lladdr returns a link-layer address of n bytes, 02:01:02:...
func lladdr(n int) string {
	parts := []string{"02"}
	for i := 1; i < n; i++ {
		parts = append(parts, fmt.Sprintf("%02x", i))
	}
	return strings.Join(parts, ":")
}
