package main

// Parsers for the number and address forms iproute2 reads with C library
// functions (strtol, sscanf, atoi, strcasecmp), reproduced exactly.

import "strconv"

// parseLLAddr is ll_addr_a2n: hex bytes separated by ':' (as sscanf %x
// reads each), or a dotted IPv4 address. On failure it returns nil and
// the part iproute2 names in its message.
func parseLLAddr(s string) (hw []byte, bad string) {
	if containsByte(s, '.') {
		a, ok := parseIPv4(s)
		if !ok {
			return nil, s
		}
		return a[:], ""
	}
	var out []byte
	for len(out) < 32 {
		part := s
		i := indexByte(s, ':')
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		}
		v, ok := scanHex(part)
		if !ok || v > 255 {
			return nil, part
		}
		out = append(out, byte(v))
		if i < 0 {
			break
		}
	}
	return out, ""
}

// scanHex is sscanf("%x"): optional white space, optional 0x, hex digits;
// trailing garbage is ignored.
func scanHex(s string) (uint64, bool) {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		s = s[2:]
	}
	n := 0
	var v uint64
	for n < len(s) && isHex(s[n]) && n < 16 {
		v = v<<4 | uint64(hexVal(s[n]))
		n++
	}
	return v, n > 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// equalFold is an ASCII strcasecmp() == 0.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// atoi is C's atoi: leading white space, a sign, digits; 0 when none.
func atoi(s string) int32 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
		if v > 1<<31 {
			break
		}
	}
	if neg {
		v = -v
	}
	return int32(v)
}

// cInt is iproute2's get_integer: strtol with base 0 (decimal, 0x hex,
// leading-0 octal) over the whole string, within int range.
func cInt(s string) (int32, bool) {
	t := s
	for len(t) > 0 && (t[0] == ' ' || t[0] == '\t' || t[0] == '\n' || t[0] == '\v' || t[0] == '\f' || t[0] == '\r') {
		t = t[1:]
	}
	neg := false
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && isHex(t[2]):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" {
		return 0, s != "" && base == 8 // "0" alone
	}
	v, err := strconv.ParseInt(t, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	if v < -1<<31 || v > 1<<31-1 {
		return 0, false
	}
	return int32(v), true
}
