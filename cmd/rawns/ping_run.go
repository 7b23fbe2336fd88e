package main

import (
	"bufio"
	"errors"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rawns/rawns/icmp"
	"golang.org/x/sys/unix"
)

// pingRun is one ping run: the prober, its statistics and the output.
type pingRun struct {
	o      *pingOpts
	dst    netip.Addr
	out    *bufio.Writer
	stderr io.Writer
	p      *icmp.Prober
	st     *icmp.Stats
	line   []byte
	start  time.Time // monotonic
	last   time.Time // time of the last send (iputils' cur_time)

	exiting, status atomic.Bool
}

func newPingRun(o *pingOpts, dst netip.Addr, out *bufio.Writer, stderr io.Writer) *pingRun {
	return &pingRun{o: o, dst: dst, out: out, stderr: stderr, st: new(icmp.Stats), line: make([]byte, 0, 256)}
}

// minFloodInterval is iputils' MIN_INTERVAL_MS: a flood with nothing
// coming back still sends every 10 ms.
const minFloodInterval = 10 * time.Millisecond

func (r *pingRun) run() int {
	o := r.o
	size := o.size
	if size == 0 {
		size = -1
	}
	p, err := icmp.Open(icmp.Config{
		Dst: r.dst, Src: o.src, Device: o.iface, Size: size,
		Pattern: o.pattern, TTL: o.ttl,
	})
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) {
			io.WriteString(r.stderr, "ping: "+se.Syscall+": "+pingStrerror(se)+"\n")
		} else {
			io.WriteString(r.stderr, "ping: "+err.Error()+"\n")
		}
		return 2
	}
	defer p.Close()
	r.p = p

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s == syscall.SIGQUIT {
					r.status.Store(true)
				} else {
					r.exiting.Store(true)
				}
				p.SetDeadline(time.Unix(1, 0))
			}
		}
	}()

	r.header()
	r.start = time.Now()
	r.last = r.start
	r.loop()
	return r.finish()
}

// loop sends and receives until the run ends, as iputils' main_loop.
func (r *pingRun) loop() {
	o, st, p := r.o, r.st, r.p
	preload := max(o.preload, 1)
	var (
		rep      icmp.Reply
		nextSend = r.start
		exitAt   time.Time // after the last send (iputils' schedule_exit)
		endAt    time.Time // -w
		seq      uint16
	)
	if o.deadline > 0 {
		endAt = r.start.Add(o.deadline)
	}
	for {
		if r.exiting.Load() {
			return
		}
		if o.count > 0 && st.Received+st.Errors >= o.count {
			return
		}
		if o.deadline > 0 && st.Errors > 0 {
			return
		}
		if r.status.Swap(false) {
			r.printStatus()
		}
		now := time.Now()
		if !endAt.IsZero() && !now.Before(endAt) {
			return
		}
		more := o.count == 0 || st.Transmitted < o.count
		if more {
			due := !now.Before(nextSend)
			if o.interval == 0 && st.InFlight() < preload {
				due = true // flood: as fast as replies come back
			}
			if st.Transmitted < int64(preload) {
				due = true // the preload goes out at once
			}
			if due {
				seq = uint16(st.Transmitted + 1)
				_, err := p.Send(seq)
				if err != nil && r.sendFailed(err) {
					nextSend = now.Add(minFloodInterval)
					continue
				}
				r.last = now
				st.Sent(seq)
				if o.flood && !o.quiet {
					r.out.WriteByte('.')
				}
				next := o.interval
				if o.interval == 0 {
					next = minFloodInterval
				}
				nextSend = now.Add(next)
				if o.count > 0 && st.Transmitted >= o.count && o.deadline == 0 {
					wait := o.linger
					if st.Received > 0 {
						wait = max(time.Duration(2*st.Max)*time.Microsecond, o.interval)
					}
					if wait > 0 {
						exitAt = now.Add(wait)
					}
				}
				continue
			}
		}
		wake := endAt
		if more {
			wake = earliest(wake, nextSend)
		} else if !exitAt.IsZero() {
			wake = earliest(wake, exitAt)
		}
		if r.out.Buffered() > 0 {
			r.out.Flush()
		}
		p.SetDeadline(wake)
		if r.exiting.Load() || r.status.Load() {
			continue
		}
		err := p.Receive(&rep)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if !more && !exitAt.IsZero() && !time.Now().Before(exitAt) {
				return
			}
			continue
		}
		if err != nil {
			io.WriteString(r.stderr, "ping: "+err.Error()+"\n")
			return
		}
		r.handle(&rep)
	}
}

// earliest returns the earlier of two times, the zero time meaning never.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// sendFailed handles a failed send like iputils' pinger and reports whether
// the probe should be retried (not counted as sent).
func (r *pingRun) sendFailed(err error) bool {
	switch {
	case errors.Is(err, unix.EAGAIN), errors.Is(err, unix.ENOBUFS), errors.Is(err, unix.ENOMEM):
		return true
	}
	if !r.o.quiet {
		if r.o.flood {
			r.out.WriteByte('E')
		} else {
			r.out.Flush()
			io.WriteString(r.stderr, "ping: sendmsg: "+pingStrerror(err)+"\n")
		}
	}
	return false
}

// handle accounts for and prints one reply or error.
func (r *pingRun) handle(rep *icmp.Reply) {
	o, st := r.o, r.st
	switch rep.Kind {
	case icmp.KindICMPError:
		st.Error(rep.Seq, true)
		if o.quiet {
			return
		}
		if o.flood {
			r.out.WriteString("\bE")
			return
		}
		b := r.prefix()
		b = append(b, "From "...)
		b = rep.From.AppendTo(b)
		b = append(b, " icmp_seq="...)
		b = strconv.AppendUint(b, uint64(rep.Seq), 10)
		b = append(b, ' ')
		b = icmp.AppendErrorText(b, r.p.IPv6(), rep.Type, rep.Code, rep.Info)
		r.emit(b)
	case icmp.KindLocalError:
		st.Error(0, false)
		if o.quiet {
			return
		}
		if o.flood {
			r.out.WriteByte('E')
			return
		}
		r.out.Flush()
		if rep.Errno == unix.EMSGSIZE {
			io.WriteString(r.stderr, "ping: local error: message too long, mtu="+strconv.FormatUint(uint64(rep.Info), 10)+"\n")
		} else {
			io.WriteString(r.stderr, "ping: local error: "+pingStrerror(rep.Errno)+"\n")
		}
	case icmp.KindEchoReply:
		r.reply(rep)
	}
}

// reply accounts for and prints an echo reply (iputils' gather_statistics).
func (r *pingRun) reply(rep *icmp.Reply) {
	o, st := r.o, r.st
	timing := o.size >= 16
	var trip int64
	timed := timing && rep.Timed && rep.Len >= 8+16
	if timed {
		trip = rep.RTT.Microseconds()
		if trip < 0 {
			r.out.Flush()
			io.WriteString(r.stderr, "ping: Warning: time of day goes back ("+strconv.FormatInt(trip, 10)+"us), taking countermeasures\n")
			trip = 0
		}
	}
	dup := st.Reply(rep.Seq, rep.ChecksumOK, timed, trip)
	if o.quiet {
		return
	}
	if o.flood {
		if rep.ChecksumOK {
			r.out.WriteString("\b \b")
		} else {
			r.out.WriteString("\bC")
		}
		return
	}
	b := r.prefix()
	b = strconv.AppendInt(b, int64(rep.Len), 10)
	b = append(b, " bytes from "...)
	b = rep.From.AppendTo(b)
	b = append(b, ": icmp_seq="...)
	b = strconv.AppendUint(b, uint64(rep.Seq), 10)
	if rep.TTL >= 0 {
		b = append(b, " ttl="...)
		b = strconv.AppendInt(b, int64(rep.TTL), 10)
	}
	if rep.Len < o.size+8 {
		b = append(b, " (truncated)"...)
		r.emit(b)
		return
	}
	if timing {
		b = append(b, " time="...)
		b = appendTripTime(b, trip)
		b = append(b, " ms"...)
	}
	if dup && !r.dst.IsMulticast() {
		b = append(b, " (DUP!)"...)
	}
	if !rep.ChecksumOK {
		b = append(b, " (BAD CHECKSUM!)"...)
	}
	if rep.From != r.dst && !r.dst.IsMulticast() {
		b = append(b, " (DIFFERENT ADDRESS!)"...)
	}
	r.emit(b)
}

// appendTripTime formats a round trip of t µs as iputils' time= field.
func appendTripTime(b []byte, t int64) []byte {
	switch {
	case t >= 100000-50:
		return strconv.AppendInt(b, (t+500)/1000, 10)
	case t >= 10000-5:
		return appendFixed(b, (t+50)/1000, ((t+50)%1000)/100, 1)
	case t >= 1000:
		return appendFixed(b, (t+5)/1000, ((t+5)%1000)/10, 2)
	}
	return appendFixed(b, t/1000, t%1000, 3)
}

// appendFixed appends "i.f" with f zero-padded to width digits.
func appendFixed(b []byte, i, f int64, width int) []byte {
	b = strconv.AppendInt(b, i, 10)
	b = append(b, '.')
	for p := pow10(width - 1); p > 1 && f < p; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, f, 10)
}

func pow10(n int) int64 {
	v := int64(1)
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}

// prefix starts a line: empty, or "[sec.usec] " with -D.
func (r *pingRun) prefix() []byte {
	b := r.line[:0]
	if r.o.timestamp {
		now := time.Now()
		b = append(b, '[')
		b = strconv.AppendInt(b, now.Unix(), 10)
		b = append(b, '.')
		us := int64(now.Nanosecond() / 1000)
		for p := int64(100000); p > 1 && us < p; p /= 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, us, 10)
		b = append(b, "] "...)
	}
	return b
}

// emit writes a finished line.
func (r *pingRun) emit(b []byte) {
	b = append(b, '\n')
	r.out.Write(b)
	r.line = b[:0]
}
