package ping

import (
	"io"
	"net/netip"
	"strconv"
	"time"

	"github.com/rawns/rawns/cmd/rawns/internal/ifreq"
)

// warnSource prints iputils' warning, from its probe, when the source
// address the kernel picked is not on the -I device.
func (r *pingRun) warnSource() {
	o := r.o
	if o.ifaceSet && !o.src.IsValid() && !sourceOnDevice(r.source(), o.iface) {
		io.WriteString(r.stderr, "ping: Warning: source address might be selected on device other than: "+o.iface+"\n")
	}
}

// header prints iputils' first line.
func (r *pingRun) header() {
	o := r.o
	b := append(r.line[:0], "PING "...)
	b = append(b, r.host.name...)
	if r.p.IPv6() {
		b = append(b, '(') // 20221126: no space before "(" for IPv6
		b = r.appendAddr(b, r.dst, zoneIndex(r.host.addr))
	} else {
		b = append(b, " ("...)
		b = r.dst.AppendTo(b)
	}
	b = append(b, ") "...)
	if o.ifaceSet || o.strictSource {
		b = append(b, "from "...)
		b = appendScoped(b, r.source(), zoneIndex(r.scoped(o.src)))
		b = append(b, ' ')
		b = append(b, o.iface...)
		b = append(b, ": "...)
	}
	if r.p.IPv6() {
		b = strconv.AppendInt(b, int64(o.size), 10)
		b = append(b, " data bytes"...)
	} else {
		b = strconv.AppendInt(b, int64(o.size), 10)
		b = append(b, '(')
		b = strconv.AppendInt(b, int64(o.size+8+20), 10)
		b = append(b, ") bytes of data."...)
	}
	r.emit(b)
	r.out.Flush()
}

// source returns the source address iputils shows and checks: the -I
// address, else the kernel's choice.
func (r *pingRun) source() netip.Addr {
	if r.o.src.IsValid() {
		return r.o.src
	}
	return r.p.Src()
}

// zoneIndex returns the interface index in a's zone, or 0.
func zoneIndex(a netip.Addr) uint32 {
	n, _ := strconv.ParseUint(a.Zone(), 10, 32)
	return uint32(n)
}

// appendAddr appends a as iputils' pr_addr shows it: "name (address)",
// the name from /etc/hosts or else the address again, or the address alone
// when the output is numeric or the run is ending. scope is the IPv6
// interface index the address came with.
func (r *pingRun) appendAddr(b []byte, a netip.Addr, scope uint32) []byte {
	if r.o.numeric || r.exiting.Load() {
		return appendScoped(b, a, scope)
	}
	if name := hostsName(r.hosts, a); name != "" {
		b = append(b, name...)
	} else {
		b = appendScoped(b, a, scope)
	}
	b = append(b, " ("...)
	b = appendScoped(b, a, scope)
	return append(b, ')')
}

// appendScoped appends a as getnameinfo's NI_NUMERICHOST does: an IPv6
// address with a scope gets "%" and the interface name (link-local
// addresses) or index.
func appendScoped(b []byte, a netip.Addr, scope uint32) []byte {
	b = a.AppendTo(b)
	if !a.Is6() || scope == 0 {
		return b
	}
	b = append(b, '%')
	if a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() {
		if name, err := ifreq.IndexToName(scope); err == nil {
			return append(b, name...)
		}
	}
	return strconv.AppendUint(b, uint64(scope), 10)
}

// appendMicros appends t µs as "%ld.%03ld" milliseconds.
func appendMicros(b []byte, t int64) []byte {
	return appendFixed(b, t/1000, t%1000, 3)
}

// appendExtra appends ", +N what" to the summary line when n is not zero.
func appendExtra(b []byte, n int64, what string) []byte {
	if n <= 0 {
		return b
	}
	b = append(b, ", +"...)
	b = strconv.AppendInt(b, n, 10)
	return append(b, what...)
}

// finish prints the summary (iputils' finish) and returns the exit status.
func (r *pingRun) finish() int {
	o, st := r.o, r.st
	var elapsed time.Duration
	if !r.last.IsZero() {
		elapsed = r.last.Sub(r.start)
	}
	b := append(r.line[:0], "\n--- "...)
	b = append(b, r.host.name...)
	b = append(b, " ping statistics ---\n"...)
	b = strconv.AppendInt(b, st.Transmitted, 10)
	b = append(b, " packets transmitted, "...)
	b = strconv.AppendInt(b, st.Received, 10)
	b = append(b, " received"...)
	b = appendExtra(b, st.Duplicates, " duplicates")
	b = appendExtra(b, st.Corrupted, " corrupted")
	b = appendExtra(b, st.Errors, " errors")
	if st.Transmitted > 0 {
		b = append(b, ", "...)
		b = strconv.AppendFloat(b, st.Loss(), 'g', 6, 64)
		b = append(b, "% packet loss, time "...)
		b = strconv.AppendInt(b, (elapsed.Nanoseconds()+500000)/1000000, 10)
		b = append(b, "ms"...)
	}
	b = append(b, '\n')
	comma := ""
	if st.Received > 0 && o.size >= 16 {
		b = append(b, "rtt min/avg/max/mdev = "...)
		b = appendMicros(b, st.Min)
		b = append(b, '/')
		b = appendMicros(b, st.Avg())
		b = append(b, '/')
		b = appendMicros(b, st.Max)
		b = append(b, '/')
		b = appendMicros(b, st.Mdev())
		b = append(b, " ms"...)
		comma = ", "
	}
	if st.Pipe > 1 {
		b = append(b, comma...)
		b = append(b, "pipe "...)
		b = strconv.AppendInt(b, int64(st.Pipe), 10)
		comma = ", "
	}
	if st.Received > 0 && (o.interval == 0 || o.flood) && st.Transmitted > 1 {
		ipg := elapsed.Microseconds() / (st.Transmitted - 1)
		b = append(b, comma...)
		b = append(b, "ipg/ewma "...)
		b = appendMicros(b, ipg)
		b = append(b, '/')
		b = appendMicros(b, st.EWMA/8)
		b = append(b, " ms"...)
	}
	b = append(b, '\n')
	r.out.Write(b)
	r.out.Flush()
	if st.Received == 0 || (o.deadline > 0 && st.Received < o.count) {
		return 1
	}
	return 0
}

// printStatus writes the SIGQUIT line to stderr (iputils' status).
func (r *pingRun) printStatus() {
	st := r.st
	var loss int64
	if st.Transmitted > 0 {
		loss = (st.Transmitted - st.Received) * 100 / st.Transmitted
	}
	b := []byte("\r")
	b = strconv.AppendInt(b, st.Received, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, st.Transmitted, 10)
	b = append(b, " packets, "...)
	b = strconv.AppendInt(b, loss, 10)
	b = append(b, "% loss"...)
	if st.Received > 0 && r.o.size >= 16 {
		b = append(b, ", min/avg/ewma/max = "...)
		b = appendMicros(b, st.Min)
		b = append(b, '/')
		b = appendMicros(b, st.Avg())
		b = append(b, '/')
		b = appendMicros(b, st.EWMA/8)
		b = append(b, '/')
		b = appendMicros(b, st.Max)
		b = append(b, " ms"...)
	}
	b = append(b, '\n')
	r.out.Flush()
	r.stderr.Write(b)
}
