package ip

// Parsers for the number and address forms iproute2 reads with C library
// functions (strtol, sscanf, atoi, strcasecmp), reproduced exactly.

import "math"

// parseLLAddr is ll_addr_a2n: hex bytes separated by ':' (each as sscanf
// %x reads it into an int, within 0..255), or a dotted IPv4 address. On
// failure it returns nil and the part iproute2 names in its message. iplink
// reads into a 32-byte buffer (MAX_ADDR_LEN) and ll_addr_a2n then claims 33
// bytes when there are more than 32 parts; so does parseLLAddr (the 33rd a
// zero, where ip sends a byte from beyond its buffer), so that the length
// check and the kernel refuse it as they refuse ip's.
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
		if !ok || v < 0 || v > 255 {
			return nil, part
		}
		out = append(out, byte(v))
		if i < 0 {
			return out, ""
		}
	}
	return append(out, 0), ""
}

// scanHex is sscanf("%x") into an int: strtoul with base 16 (white space,
// a sign, an optional 0x), the result truncated to 32 bits; trailing
// garbage is ignored. ok is false when there are no digits.
func scanHex(s string) (int32, bool) {
	v, _, ok, _ := strtoul(s, 16)
	return int32(v), ok
}

// isHex reports whether c is a hex digit.
func isHex(c byte) bool { return digitVal(c) < 16 }

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

// atoi is C's atoi: strtol with base 10, leading white space and a sign
// allowed, trailing garbage ignored, 0 without digits, and the long
// truncated to int.
func atoi(s string) int32 {
	v, _, _, _ := strtol(s, 10)
	return int32(v)
}

// cInt32 is iproute2's get_integer and get_s32 with base 0: strtol over
// the whole (non-empty) string, no overflow, within int32.
func cInt32(s string) (int32, bool) {
	v, rest, ok, overflow := strtol(s, 0)
	if s == "" || !ok || rest != "" || overflow || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// cUint32 is iproute2's get_u32 and get_unsigned with base 0: strtoul over
// the whole (non-empty) string, no overflow, within 32 bits. As strtoul
// wraps a negative number, only "-0" survives the range check.
func cUint32(s string) (uint32, bool) {
	v, rest, ok, overflow := strtoul(s, 0)
	if s == "" || !ok || rest != "" || overflow || v > math.MaxUint32 {
		return 0, false
	}
	return uint32(v), true
}

// strtoul is C's strtoul(s, &end, base) for base 0, 10 or 16. v is C's
// result: a negative number wraps, an overflow gives the largest value.
// rest is what follows the digits; ok is false when there are none (rest
// is then s); overflow is C's ERANGE.
func strtoul(s string, base uint64) (v uint64, rest string, ok, overflow bool) {
	mag, neg, rest, ok, overflow := scanCNum(s, base)
	switch {
	case overflow:
		return math.MaxUint64, rest, ok, true
	case neg:
		return -mag, rest, ok, false
	}
	return mag, rest, ok, false
}

// strtol is C's strtol(s, &end, base) for base 0, 10 or 16, with the
// results strtoul gives; an overflow saturates to the type's bound.
func strtol(s string, base uint64) (v int64, rest string, ok, overflow bool) {
	mag, neg, rest, ok, overflow := scanCNum(s, base)
	switch {
	case neg && (overflow || mag > 1<<63):
		return math.MinInt64, rest, ok, true
	case neg:
		return int64(-mag), rest, ok, false
	case overflow || mag > math.MaxInt64:
		return math.MaxInt64, rest, ok, true
	}
	return int64(mag), rest, ok, false
}

// scanCNum is the scanner under strtol and strtoul: C white space, an
// optional sign, then digits in base (0 picks 16 after "0x" followed by a
// hex digit, 8 after a leading 0, else 10; 16 also skips such a "0x").
// It returns the digits' magnitude, whether a '-' came first, the rest of
// s after the digits (s itself when there are none, ok false), and
// whether the magnitude overflows 64 bits.
func scanCNum(s string, base uint64) (mag uint64, neg bool, rest string, ok, overflow bool) {
	t := s
	for len(t) > 0 && (t[0] == ' ' || t[0] >= '\t' && t[0] <= '\r') {
		t = t[1:]
	}
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if (base == 0 || base == 16) && len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && isHex(t[2]) {
		base, t = 16, t[2:]
	} else if base == 0 && len(t) > 0 && t[0] == '0' {
		base = 8
	} else if base == 0 {
		base = 10
	}
	n := 0
	for ; n < len(t); n++ {
		d := uint64(digitVal(t[n]))
		if d >= base {
			break
		}
		if mag > (math.MaxUint64-d)/base {
			overflow = true
		}
		mag = mag*base + d
	}
	if n == 0 {
		return 0, false, s, false, false
	}
	return mag, neg, t[n:], true, overflow
}

// digitVal is the value of a digit in bases up to 16, or 99.
func digitVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 99
}
