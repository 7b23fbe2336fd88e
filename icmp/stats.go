package icmp

import "math"

// Stats accumulates a run's counters and round-trip statistics the way
// iputils ping does. The zero value is ready to use. It is large (the
// duplicate map takes 8 KiB), so keep it behind a pointer.
type Stats struct {
	// Transmitted, Received, Duplicates, Corrupted and Errors are
	// iputils' ntransmitted, nreceived, nrepeats, nchecksum and nerrors.
	Transmitted, Received, Duplicates, Corrupted, Errors int64
	// Timed counts replies added to the RTT sums.
	Timed int64
	// Min, Max and Sum are in microseconds; Sum2 is the sum of squares.
	Min, Max, Sum, Sum2 int64
	// EWMA is the exponentially weighted RTT in µs, times 8 (iputils' rtt).
	EWMA int64
	// Pipe is the largest number of requests seen in flight.
	Pipe int

	acked uint16
	rcvd  [65536 / 8]byte
}

// Sent records a request sent with sequence seq (Transmitted+1 as uint16 in
// iputils) and clears its duplicate bit. It does not allocate.
func (s *Stats) Sent(seq uint16) {
	s.Transmitted++
	s.rcvd[seq>>3] &^= 1 << (seq & 7)
	if uint16(s.Transmitted)-s.acked > 0x7fff {
		// iputils' advance_ntransmitted: the 16-bit sequence wrapped
		// past acked, which no longer says anything.
		s.acked = uint16(s.Transmitted) + 1
	}
}

// Ack records that the request with sequence seq was answered (by a reply
// or an error), updating Pipe. It does not allocate.
func (s *Stats) Ack(seq uint16) {
	diff := uint16(s.Transmitted) - seq
	if diff > 0x7fff {
		return
	}
	if int(diff)+1 > s.Pipe {
		s.Pipe = int(diff) + 1
	}
	if int16(seq-s.acked) > 0 || uint16(s.Transmitted)-s.acked > 0x7fff {
		s.acked = seq
	}
}

// Reply records an echo reply with sequence seq, as iputils'
// gather_statistics does, and reports whether it is a duplicate. A reply
// with a bad checksum counts under Corrupted only (its RTT is not used). An
// untimed reply passes timed false. Duplicates count in the RTT figures.
// It does not allocate.
func (s *Stats) Reply(seq uint16, checksumOK, timed bool, rttMicros int64) (dup bool) {
	if !checksumOK {
		s.Corrupted++
		return false
	}
	s.Ack(seq)
	if timed {
		s.addRTT(rttMicros)
	}
	if s.rcvd[seq>>3]&(1<<(seq&7)) != 0 {
		s.Duplicates++
		return true
	}
	s.rcvd[seq>>3] |= 1 << (seq & 7)
	s.Received++
	return false
}

// Error records an ICMP or local error about the request seq; ack says
// whether it acknowledges the request (ICMP errors do, local ones do not).
// It does not allocate.
func (s *Stats) Error(seq uint16, ack bool) {
	if ack {
		s.Ack(seq)
	}
	s.Errors++
}

func (s *Stats) addRTT(t int64) {
	if s.Timed == 0 || t < s.Min {
		s.Min = t
	}
	if t > s.Max {
		s.Max = t
	}
	s.Timed++
	s.Sum += t
	s.Sum2 += t * t
	if s.EWMA == 0 {
		s.EWMA = t * 8
	} else {
		s.EWMA += t - s.EWMA/8
	}
}

// Avg returns the mean RTT in µs over replies and duplicates, truncated.
func (s *Stats) Avg() int64 {
	total := s.Received + s.Duplicates
	if total == 0 {
		return 0
	}
	return s.Sum / total
}

// Mdev returns the population standard deviation of the RTTs in µs,
// computed as iputils does (integer variance, integer square root).
func (s *Stats) Mdev() int64 {
	total := s.Received + s.Duplicates
	if total == 0 {
		return 0
	}
	var v int64
	if s.Sum < math.MaxInt32 {
		v = (s.Sum2 - s.Sum*s.Sum/total) / total
	} else {
		avg := s.Sum / total
		v = s.Sum2/total - avg*avg
	}
	return isqrt(v)
}

// isqrt is iputils' llsqrt: Newton's method on integers.
func isqrt(a int64) int64 {
	if a <= 0 {
		return a
	}
	x, prev := a, int64(math.MaxInt64)
	for x < prev {
		prev = x
		x = (x + a/x) / 2
	}
	return x
}

// Loss returns the packet loss in percent as iputils computes it (through
// a float), or 0 when nothing was sent.
func (s *Stats) Loss() float64 {
	if s.Transmitted == 0 {
		return 0
	}
	return float64(float32(float64(s.Transmitted-s.Received) * 100.0 / float64(s.Transmitted)))
}

// InFlight returns how many requests are still unanswered, in 16-bit
// serial arithmetic like iputils' in_flight; when that overflows (more
// than 32767 ahead of the last answer), the count of requests neither
// answered nor failed.
func (s *Stats) InFlight() int {
	diff := uint16(s.Transmitted) - s.acked
	if diff <= 0x7fff {
		return int(diff)
	}
	return int(s.Transmitted - s.Received - s.Errors)
}
