package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuTicks returns the busy and total jiffies of all CPUs from /proc/stat.
func cpuTicks() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	for i, s := range f[1:] {
		v, _ := strconv.ParseUint(s, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// waitIdle waits, up to 2 s, until the machine has been at most 15% busy
// over 100 ms, so that a step does not start while the kernel is still
// tearing down the namespaces (and thousands of links) of the one before.
func waitIdle() {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		b0, t0 := cpuTicks()
		time.Sleep(100 * time.Millisecond)
		b1, t1 := cpuTicks()
		if t1 > t0 && float64(b1-b0)/float64(t1-t0) <= 0.15 {
			return
		}
	}
}

// loadAvg returns the 1, 5 and 15 minute load averages of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
