package icmp

import "strconv"

// AppendErrorText appends iputils' description of an ICMP (v6 false) or
// ICMPv6 error of type typ and code, with info the extended error's
// ee_info (an MTU or a pointer), to b. There is no trailing newline. It
// does not allocate when b has room.
func AppendErrorText(b []byte, v6 bool, typ, code uint8, info uint32) []byte {
	if v6 {
		return appendError6(b, typ, code, info)
	}
	switch typ {
	case typeDestUnreach:
		if code == 4 {
			b = append(b, "Frag needed and DF set (mtu = "...)
			b = strconv.AppendUint(b, uint64(info), 10)
			return append(b, ')')
		}
		if s := unreach4(code); s != "" {
			return append(b, s...)
		}
		b = append(b, "Dest Unreachable, Bad Code: "...)
	case typeSourceQuench:
		return append(b, "Source Quench"...)
	case typeRedirect:
		switch code {
		case 0:
			return append(b, "Redirect Network"...)
		case 1:
			return append(b, "Redirect Host"...)
		case 2:
			return append(b, "Redirect Type of Service and Network"...)
		case 3:
			return append(b, "Redirect Type of Service and Host"...)
		}
		b = append(b, "Redirect, Bad Code: "...)
	case typeTimeExceeded:
		switch code {
		case 0:
			return append(b, "Time to live exceeded"...)
		case 1:
			return append(b, "Frag reassembly time exceeded"...)
		}
		b = append(b, "Time exceeded, Bad Code: "...)
	case typeParamProb:
		b = append(b, "Parameter problem: pointer = "...)
		return strconv.AppendUint(b, uint64(info), 10)
	default:
		b = append(b, "Bad ICMP type: "...)
		return strconv.AppendUint(b, uint64(typ), 10)
	}
	return strconv.AppendUint(b, uint64(code), 10)
}

// unreach4 returns the text of destination-unreachable code c, or "".
func unreach4(c uint8) string {
	switch c {
	case 0:
		return "Destination Net Unreachable"
	case 1:
		return "Destination Host Unreachable"
	case 2:
		return "Destination Protocol Unreachable"
	case 3:
		return "Destination Port Unreachable"
	case 5:
		return "Source Route Failed"
	case 6:
		return "Destination Net Unknown"
	case 7:
		return "Destination Host Unknown"
	case 8:
		return "Source Host Isolated"
	case 9:
		return "Destination Net Prohibited"
	case 10:
		return "Destination Host Prohibited"
	case 11:
		return "Destination Net Unreachable for Type of Service"
	case 12:
		return "Destination Host Unreachable for Type of Service"
	case 13:
		return "Packet filtered"
	case 14:
		return "Precedence Violation"
	case 15:
		return "Precedence Cutoff"
	}
	return ""
}

func appendError6(b []byte, typ, code uint8, info uint32) []byte {
	switch typ {
	case type6DestUnreach:
		b = append(b, "Destination unreachable: "...)
		switch code {
		case 0:
			return append(b, "No route"...)
		case 1:
			return append(b, "Administratively prohibited"...)
		case 2:
			return append(b, "Beyond scope of source address"...)
		case 3:
			return append(b, "Address unreachable"...)
		case 4:
			return append(b, "Port unreachable"...)
		}
		b = append(b, "Unknown code "...)
		return strconv.AppendUint(b, uint64(code), 10)
	case type6PktTooBig:
		b = append(b, "Packet too big: mtu="...)
		b = strconv.AppendUint(b, uint64(info), 10)
		if code != 0 {
			b = append(b, ", code="...)
			b = strconv.AppendUint(b, uint64(code), 10)
		}
		return b
	case type6TimeExceed:
		b = append(b, "Time exceeded: "...)
		switch code {
		case 0:
			return append(b, "Hop limit"...)
		case 1:
			return append(b, "Defragmentation failure"...)
		}
		b = append(b, "code "...)
		return strconv.AppendUint(b, uint64(code), 10)
	case type6ParamProb:
		b = append(b, "Parameter problem: "...)
		switch code {
		case 0:
			b = append(b, "Wrong header field "...)
		case 1:
			b = append(b, "Unknown header "...)
		case 2:
			b = append(b, "Unknown option "...)
		default:
			b = append(b, "code "...)
			b = strconv.AppendUint(b, uint64(code), 10)
			b = append(b, ' ')
		}
		b = append(b, "at "...)
		return strconv.AppendUint(b, uint64(info), 10)
	}
	b = append(b, "unknown icmp type: "...)
	return strconv.AppendUint(b, uint64(typ), 10)
}
