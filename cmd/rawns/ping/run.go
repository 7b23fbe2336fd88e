package ping

import (
	"bufio"
	"errors"
	"io"
	"math"
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
	host   pingHost
	hosts  []hostsEntry // /etc/hosts, for reverse lookups
	dst    netip.Addr   // host.addr without its zone
	index  uint32       // the -I device's index for IPv6, else 0
	out    *bufio.Writer
	stderr io.Writer
	rawFD  int // a raw socket opened before privileges were dropped, or 0
	p      *icmp.Prober
	st     *icmp.Stats
	line   []byte
	want   []byte    // the payload sent, for the wrong data byte check
	start  time.Time // monotonic
	last   time.Time // time of the last send (iputils' cur_time)

	// The send schedule, iputils' pinger and schedule_exit, in ms.
	interval int64 // ms
	tokens   int64
	oomCount int64
	waitSet  bool      // schedule_exit ran
	exitAt   time.Time // the SIGALRM schedule_exit arms
	endAt    time.Time // the SIGALRM of -w

	exiting, status atomic.Bool
}

func newPingRun(o *pingOpts, h pingHost, out *bufio.Writer, stderr io.Writer) *pingRun {
	return &pingRun{o: o, host: h, dst: h.addr.WithZone(""), out: out, stderr: stderr,
		st: new(icmp.Stats), line: make([]byte, 0, 256)}
}

// iputils' MININTERVAL: the shortest wait (ms) when something is in flight,
// and the send gap of a flood that gets no replies.
const minInterval = 10

// schint is iputils' SCHINT: at least minInterval.
func schint(ms int64) int64 { return max(ms, minInterval) }

func (r *pingRun) run() int {
	o := r.o
	size := o.size
	if size == 0 {
		size = -1
	}
	need, ask := r.preloadBuf()
	p, err := icmp.Open(icmp.Config{
		Dst: r.scoped(r.host.addr), Src: r.scoped(o.src), BindSource: o.strictSource, Device: o.iface, Size: size,
		Pattern: o.fill(), RawFD: r.rawFD, RcvBuf: int(ask),
	})
	if err != nil {
		io.WriteString(r.stderr, "ping: "+r.openErrText(err)+"\n")
		return 2
	}
	r.p = p
	if r.dst.Is4() && r.dst.IsUnspecified() {
		// ping4_run: to 0.0.0.0 the kernel sends to the source it picks
		// (loopback's), and iputils pings, shows and checks that.
		r.dst = r.source()
	}
	r.want = make([]byte, o.size)
	icmp.FillPayload(r.want, o.fill())
	r.interval = o.interval.Milliseconds()

	defer r.watchSignals()()

	if msg := r.socketChecks(need); msg != "" {
		io.WriteString(r.stderr, msg+"\n")
		return 2
	}
	r.header()
	if msg := r.setupLimit(); msg != "" {
		io.WriteString(r.stderr, msg+"\n") // iputils' setup(), after the header
		return 2
	}
	r.start = time.Now()
	if o.deadline > 0 {
		r.endAt = r.start.Add(o.deadline)
	}
	r.loop()
	return r.finish()
}

// watchSignals turns SIGINT into the end of the run and SIGQUIT into a
// status line, as iputils' handlers do, until the returned function is
// called; that function also closes the Prober. SIGTERM is left to the Go
// runtime, which dies of it as iputils does (it handles only SIGINT,
// SIGALRM and SIGQUIT): no summary, and the exit status shows the signal.
func (r *pingRun) watchSignals() (stop func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
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
				r.p.Wake()
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
		<-stopped // no Wake after Close
		r.p.Close()
	}
}

// openErrText is iputils' message for a failure to set up the socket.
func (r *pingRun) openErrText(err error) string {
	var se *os.SyscallError
	var te *icmp.TTLError
	switch {
	case r.o.ifaceSet && errors.As(err, &se) && se.Syscall == "setsockopt" && errors.Is(se.Err, unix.ENODEV):
		return "SO_BINDTODEVICE " + r.o.iface + ": " + pingStrerror(se)
	case errors.As(err, &te):
		return ttlErrText(te) + ": " + pingStrerror(te.Err)
	case r.dst.Is4() && errors.As(err, &se) && se.Syscall == "connect" && errors.Is(se.Err, unix.EACCES):
		// ping4_run's probe, refused for a broadcast address without -b
		// (which rawns does not have).
		return "Do you want to ping broadcast? Then -b. If not, check your local firewall rules"
	case r.dst.Is6() && errors.As(err, &se) && se.Syscall == "bind":
		return "bind icmp socket: " + pingStrerror(se) // ping6_run's wording
	case errors.As(err, &se):
		return se.Syscall + ": " + pingStrerror(se)
	}
	return err.Error()
}

// scoped gives a, a link-local IPv6 address without a scope, the -I
// device's (iputils sets it on firsthop and on the source).
func (r *pingRun) scoped(a netip.Addr) netip.Addr {
	if r.index == 0 || a.Zone() != "" || !(a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
		return a
	}
	return a.WithZone(strconv.FormatUint(uint64(r.index), 10))
}

// socketChecks does what ping4_run and ping6_run do after their probe,
// in their order: the -I device warning, a user's multicast interval
// limit, the receive buffer warning (need: see preloadBuf), and -t. It
// returns the refusal that ends the run, or "".
func (r *pingRun) socketChecks(need int32) string {
	r.warnSource()
	if msg := r.userLimit(); msg != "" {
		return msg
	}
	if got, err := r.p.RcvBuf(); err == nil && got < int(need) {
		io.WriteString(r.stderr, "ping: WARNING: probably, rcvbuf is not enough to hold preload\n")
	}
	if r.o.ttl > 0 || r.o.ttlSet {
		if err := r.p.SetTTL(r.o.ttl); err != nil {
			return "ping: " + r.openErrText(err)
		}
	}
	return ""
}

// preloadBuf returns iputils' sock_setbufs figures: the receive buffer
// that the preload needs (its rough size of one probe's reply times -l, in
// C's int, which wraps), and what it asks for (that, at least 64 KiB).
func (r *pingRun) preloadBuf() (need, ask int32) {
	alloc := int32(r.o.size + 8)
	per := int32(20 + 16 + 64 + 160) // no IP options
	if r.dst.Is6() {
		per = 40 + 16 + 64 + 160
	}
	alloc += (alloc + 511) / 512 * per
	need = alloc * int32(max(r.o.preload, 1))
	return need, max(need, 65536)
}

// setupLimit returns iputils' refusal in setup() of a user's interval
// below its minimum, or of an interval (ms) whose product with the preload
// would not fit C's int, or "".
func (r *pingRun) setupLimit() string {
	switch {
	case r.o.user && r.interval < minUserInterval:
		return "ping: cannot flood; minimal interval allowed for user is " + strconv.Itoa(minUserInterval) + "ms"
	case r.interval >= math.MaxInt32/int64(max(r.o.preload, 1)):
		return "ping: illegal preload and/or interval: " + strconv.FormatInt(r.interval, 10)
	}
	return ""
}

// userLimit returns iputils' refusal, for a user other than root, of a
// multicast ping more often than once a second, or "".
func (r *pingRun) userLimit() string {
	if !r.o.user || !r.dst.IsMulticast() || r.interval >= 1000 {
		return ""
	}
	what := "broadcast" // ping4_run says so of multicast too
	if r.p.IPv6() {
		what = "multicast"
	}
	return "ping: " + what + " ping with too short interval: " + strconv.FormatInt(r.interval, 10)
}

// ttlErrText is iputils' message for a refused -t, without the cause.
func ttlErrText(e *icmp.TTLError) string {
	switch {
	case e.IPv6 && e.Multicast:
		return "can't set multicast hop limit"
	case e.IPv6:
		return "can't set unicast hop limit"
	case e.Multicast:
		return "cannot set multicast time-to-live"
	}
	return "cannot set unicast time-to-live"
}

// loop sends and receives until the run ends: iputils' main_loop.
func (r *pingRun) loop() {
	o, st, p := r.o, r.st, r.p
	var rep icmp.Reply
	for {
		if r.alarm() {
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
		var next int64
		for {
			next = r.scheduleExit(r.pinger())
			if next > 0 {
				break
			}
		}
		if r.out.Buffered() > 0 {
			r.out.Flush()
		}
		// iputils: with a wait shorter than the receive timeout (its
		// SO_RCVTIMEO, SCHINT(interval)) it polls, or, when the wait is
		// within one jiffy (10 ms), spins on a non-blocking recvmsg with
		// sched_yield while nothing is in flight. Otherwise it blocks in
		// recvmsg for up to SCHINT(interval).
		wait := time.Duration(schint(r.interval)) * time.Millisecond
		polling := false
		if next < schint(r.interval) {
			wait = time.Duration(next) * time.Millisecond
			if next <= minInterval {
				if st.InFlight() > 0 {
					wait = minInterval * time.Millisecond
				} else {
					polling = true
					unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
				}
			}
		}
		for {
			ok, err := p.TryReceive(&rep)
			if err != nil {
				r.out.Flush()
				io.WriteString(r.stderr, "ping: "+pingStrerror(err)+"\n")
				break
			}
			if !ok {
				if polling {
					break
				}
				// Wait as iputils' poll or blocking recvmsg would; an
				// alarm (end of run, -w) or a signal cuts it short.
				polling = true
				if ready, err := p.Poll(r.untilAlarm(wait)); !ready || err != nil {
					break
				}
				continue
			}
			polling = true
			r.handle(&rep)
			if st.InFlight() == 0 {
				break
			}
		}
	}
}

// alarm reports whether the run must end: a signal, or the time set by -w
// or by scheduleExit has come (iputils' SIGALRM).
func (r *pingRun) alarm() bool {
	if r.exiting.Load() {
		return true
	}
	if r.endAt.IsZero() && r.exitAt.IsZero() {
		return false
	}
	now := time.Now()
	if (!r.endAt.IsZero() && !now.Before(r.endAt)) || (!r.exitAt.IsZero() && !now.Before(r.exitAt)) {
		r.exiting.Store(true)
	}
	return r.exiting.Load()
}

// untilAlarm shortens the wait d so that it ends at the next alarm.
func (r *pingRun) untilAlarm(d time.Duration) time.Duration {
	if r.endAt.IsZero() && r.exitAt.IsZero() {
		return d
	}
	now := time.Now()
	for _, t := range [2]time.Time{r.endAt, r.exitAt} {
		if !t.IsZero() {
			d = max(min(d, t.Sub(now)), 0)
		}
	}
	return d
}

// pinger sends the next probe when the token bucket allows it and returns
// the ms until the next one is due (<= 0: at once), as iputils' pinger:
// packets <= rate*time + preload. It looks at the alarm itself, as iputils'
// SIGALRM sets exiting while it sends: a negative interval, or a preload
// that in_flight never reaches, sends without pause, and only the alarm
// (or a signal) ends that.
func (r *pingRun) pinger() int64 {
	o, st := r.o, r.st
	if r.alarm() || (o.count > 0 && st.Transmitted >= o.count && o.deadline == 0) {
		return 1000
	}
	preload := int64(max(o.preload, 1))
	if r.last.IsZero() {
		r.last = time.Now()
		r.tokens = r.interval * (preload - 1)
	} else {
		now := time.Now()
		ntokens := now.Sub(r.last).Milliseconds()
		if r.interval == 0 && ntokens < minInterval && int64(st.InFlight()) >= preload {
			// An unlimited flood with nothing coming back: 100 pps.
			return minInterval - ntokens
		}
		ntokens = min(ntokens+r.tokens, r.interval*preload)
		if ntokens < r.interval {
			return r.interval - ntokens
		}
		r.last = now
		r.tokens = ntokens - r.interval
	}
	seq := uint16(st.Transmitted + 1)
	_, err := r.p.Send(seq)
	if err == nil {
		r.oomCount = 0
		st.Sent(seq)
		if o.flood && !o.quiet {
			r.out.WriteByte('.')
		}
		return r.interval - r.tokens
	}
	switch {
	case errors.Is(err, unix.ENOBUFS), errors.Is(err, unix.ENOMEM):
		// The device queue is full: the probe was not sent. Back off,
		// and give up as a hard error after the linger time.
		r.tokens = 0
		nores := min(schint(r.interval/2), 500)
		r.oomCount++
		if r.oomCount*nores < r.o.linger.Milliseconds() {
			return nores
		}
		// Stuck for the linger time: a hard error, reported as such.
		st.Sent(seq)
		r.sendFailed(err)
		r.tokens = 0
		return schint(r.interval)
	case errors.Is(err, unix.EAGAIN):
		r.tokens += r.interval
		return minInterval
	}
	// A hard local error: pretend the probe was sent. As iputils, look in
	// the error queue first. A local error found there (EMSGSIZE with the
	// MTU) is reported instead of the sendmsg failure, and so is nothing
	// at all when the queue is empty (a raw IPv4 send above 65535 bytes);
	// only an ICMP error about a probe, or a failing read of the queue,
	// lets the sendmsg failure be printed too.
	var rep icmp.Reply
	ok, rerr := r.p.ReceiveError(&rep)
	if ok {
		r.handle(&rep)
	}
	st.Sent(seq)
	if rerr != nil || (ok && rep.Kind == icmp.KindICMPError) {
		r.sendFailed(err)
	}
	r.tokens = 0
	return schint(r.interval)
}

// scheduleExit arms, once the last probe of -c is sent (without -w), the
// end of the run: after twice the largest RTT (at least the interval) when
// anything came back, else after the linger time (iputils' schedule_exit).
func (r *pingRun) scheduleExit(next int64) int64 {
	o, st := r.o, r.st
	if o.count == 0 || st.Transmitted < o.count || o.deadline > 0 || r.waitSet {
		return next
	}
	r.waitSet = true
	var wait int64 // µs
	if st.Received > 0 {
		wait = max(2*st.Max, 1000*r.interval)
	} else {
		wait = o.linger.Microseconds()
	}
	if next < 0 || next < wait/1000 {
		next = wait / 1000
	}
	if wait > 0 { // setitimer with 0 disarms: -W 0 waits forever
		r.exitAt = time.Now().Add(time.Duration(wait) * time.Microsecond)
	}
	return next
}

// sendFailed reports a hard send error like iputils' pinger.
func (r *pingRun) sendFailed(err error) {
	if r.o.quiet {
		return
	}
	if r.o.flood {
		r.out.WriteByte('E')
		return
	}
	r.out.Flush()
	io.WriteString(r.stderr, "ping: sendmsg: "+pingStrerror(err)+"\n")
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
		b = r.appendAddr(b, rep.From, uint32(rep.Scope))
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
			mtu := "mtu="
			if r.p.IPv6() {
				mtu = "mtu: " // ping6_receive_error_msg's wording
			}
			io.WriteString(r.stderr, "ping: local error: message too long, "+mtu+strconv.FormatUint(uint64(rep.Info), 10)+"\n")
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
	b = r.appendAddr(b, rep.From, uint32(rep.Scope))
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
	if rep.From != r.dst && !r.dst.IsMulticast() && !subnetRouterAnycast(r.dst) {
		b = append(b, " (DIFFERENT ADDRESS!)"...)
	}
	b = r.appendWrongData(b, rep.Data)
	r.emit(b)
}

// subnetRouterAnycast reports whether a is an IPv6 address whose last 64
// bits are zero, which ping6_run takes for a Subnet-Router anycast address
// (any router of the /64 may answer, "::" included: loopback does), so
// that a reply from another address is not flagged.
func subnetRouterAnycast(a netip.Addr) bool {
	b := a.As16()
	return a.Is6() && [8]byte(b[8:]) == [8]byte{}
}

// appendWrongData checks the payload after the time stamp against what was
// sent and, at the first difference, appends iputils' "wrong data byte"
// report with a hex dump of the payload, 32 bytes a line.
func (r *pingRun) appendWrongData(b, data []byte) []byte {
	const from = 16 // iputils starts after sizeof(struct timeval)
	for i := from; i < len(r.want) && i < len(data); i++ {
		if data[i] == r.want[i] {
			continue
		}
		b = append(b, "\nwrong data byte #"...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, " should be 0x"...)
		b = strconv.AppendUint(b, uint64(r.want[i]), 16)
		b = append(b, " but was 0x"...)
		b = strconv.AppendUint(b, uint64(data[i]), 16)
		for j := from; j < len(r.want) && j < len(data); j++ {
			if j%32 == from {
				b = append(b, "\n#"...)
				b = strconv.AppendInt(b, int64(j), 10)
				b = append(b, '\t')
			}
			b = strconv.AppendUint(b, uint64(data[j]), 16)
			b = append(b, ' ')
		}
		break
	}
	return b
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
