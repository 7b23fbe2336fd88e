package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
)

// sample is what one run of a step in its sandbox reports to the parent,
// as JSON on stdout.
type sample struct {
	WallNS int64         `json:"wall_ns"`          // wall time of the timed part
	CPUNS  int64         `json:"cpu_ns"`           // user+sys of the timed children (wait4 rusage)
	N      int           `json:"n,omitempty"`      // processes, echoes or requests timed
	RTTus  []float64     `json:"rtt_us,omitempty"` // per-reply RTTs (ping rtt)
	Scale  []scaleSample `json:"scale,omitempty"`  // the shows of the linkshow step
	Err    string        `json:"err,omitempty"`    // why the step failed
}

// The addresses of the ping topology: this sandbox's namespace holds pa
// (pingLocal), the named namespace pingNS holds its peer (pingPeer).
const (
	pingNS    = "pb"
	pingLocal = "10.9.0.1/24"
	pingPeer  = "10.9.0.2"
	sysIP     = "/usr/sbin/ip" // fixtures and checks use iproute2, untimed
	sysPing   = "/usr/bin/ping"
)

// proc is one finished child process.
type proc struct {
	wall, cpu time.Duration
	out       []byte
}

// toolEnv is the environment of the tool under test: its directory first
// in PATH, so that `ip netns exec NS ip ...` runs the same tool.
func toolEnv(dir string) []string {
	return append(os.Environ(), "PATH="+dir+":/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C")
}

// run starts argv and waits for it, timing its wall clock and taking its
// CPU time from the rusage wait4 returns (which includes the children it
// waited for). stdout is kept only when keep is true.
func run(env []string, keep bool, argv ...string) (proc, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var out, errb bytes.Buffer
	if keep {
		cmd.Stdout = &out
	}
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	p := proc{wall: time.Since(start), out: out.Bytes()}
	if cmd.ProcessState != nil {
		p.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return p, fmt.Errorf("`%s`: %v: %s", strings.Join(argv, " "), err, msg)
	}
	return p, nil
}

// runWorker runs step inside the sandbox this process was started in;
// peerDir and runs are for linkshow, which runs both tools.
func runWorker(step, toolDir, peerDir string, n, runs int) sample {
	if err := sandbox.Setup(); err != nil {
		return sample{Err: "sandbox: " + err.Error()}
	}
	var s sample
	var err error
	switch step {
	case "lab":
		s, err = stepLab(toolDir)
	case "batch":
		s, err = stepBatch(toolDir, n, false)
	case "batchmove":
		s, err = stepBatch(toolDir, n, true)
	case "netns":
		s, err = stepNetns(toolDir, n)
	case "pingrtt":
		s, err = stepPing(toolDir, n, false)
	case "pingflood":
		s, err = stepPing(toolDir, n, true)
	case "linkshow":
		s, err = stepScale(toolDir, peerDir, n, runs)
	default:
		err = fmt.Errorf("unknown step %q", step)
	}
	if err != nil {
		s.Err = err.Error()
	}
	return s
}

// tool returns the argv of the tool under test for a lab-style command
// whose first word is "ip" or "ping".
func tool(dir string, argv []string) []string {
	out := append([]string{filepath.Join(dir, argv[0])}, argv[1:]...)
	return out
}

func stepLab(dir string) (sample, error) {
	var s sample
	env := toolEnv(dir)
	for _, c := range seedLab {
		p, err := run(env, false, tool(dir, c)...)
		s.WallNS += int64(p.wall)
		s.CPUNS += int64(p.cpu)
		s.N++
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// batchText is the -batch file: n veth pairs vaI/vbI, 10.X.Y.1/24 on vaI,
// both ends up; with move, vbI goes to the namespace "peer" instead of up.
func batchText(n int, move bool) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "link add va%d type veth peer name vb%d\n", i, i)
		fmt.Fprintf(&b, "addr add 10.%d.%d.1/24 dev va%d\n", i>>8, i&255, i)
		fmt.Fprintf(&b, "link set va%d up\n", i)
		if move {
			fmt.Fprintf(&b, "link set vb%d netns peer\n", i)
		} else {
			fmt.Fprintf(&b, "link set vb%d up\n", i)
		}
	}
	return b.String()
}

// countLinks counts the links of this namespace (or of ns) with iproute2.
func countLinks(ns string) (int, error) {
	args := []string{sysIP, "-o", "link", "show"}
	if ns != "" {
		args = []string{sysIP, "-n", ns, "-o", "link", "show"}
	}
	p, err := run(os.Environ(), true, args...)
	if err != nil {
		return 0, err
	}
	return bytes.Count(p.out, []byte("\n")), nil
}

func stepBatch(dir string, n int, move bool) (sample, error) {
	env := toolEnv(dir)
	if move {
		if _, err := run(env, false, filepath.Join(dir, "ip"), "netns", "add", "peer"); err != nil {
			return sample{}, err
		}
	}
	file := "/run/procbench.batch"
	if err := os.WriteFile(file, []byte(batchText(n, move)), 0o644); err != nil {
		return sample{}, err
	}
	p, err := run(env, false, filepath.Join(dir, "ip"), "-batch", file)
	s := sample{WallNS: int64(p.wall), CPUNS: int64(p.cpu), N: 4 * n}
	if err != nil {
		return s, err
	}
	// Check the work was done: 2n+1 links here, or n+1 and n+1 in peer.
	want, got := 2*n+1, 0
	if got, err = countLinks(""); err == nil && move {
		want = n + 1
		var inPeer int
		if inPeer, err = countLinks("peer"); err == nil && inPeer != n+1 {
			err = fmt.Errorf("batch left %d links in peer, want %d", inPeer, n+1)
		}
	}
	if err == nil && got != want {
		err = fmt.Errorf("batch left %d links, want %d", got, want)
	}
	return s, err
}

func stepNetns(dir string, n int) (sample, error) {
	var s sample
	env := toolEnv(dir)
	ipPath := filepath.Join(dir, "ip")
	for i := range n {
		name := "bn" + strconv.Itoa(i)
		for _, verb := range []string{"add", "delete"} {
			p, err := run(env, false, ipPath, "netns", verb, name)
			s.WallNS += int64(p.wall)
			s.CPUNS += int64(p.cpu)
			s.N++
			if err != nil {
				return s, err
			}
		}
	}
	left, err := os.ReadDir("/run/netns")
	if err == nil && len(left) != 0 {
		err = fmt.Errorf("%d namespaces left in /run/netns", len(left))
	}
	return s, err
}

// pingTopology joins this namespace to a named one by a veth and warms
// the neighbour entry, with iproute2 and iputils (untimed).
func pingTopology() error {
	for _, c := range [][]string{
		{sysIP, "netns", "add", pingNS},
		{sysIP, "link", "add", "pa", "type", "veth", "peer", "name", "pbv", "netns", pingNS},
		{sysIP, "addr", "add", pingLocal, "dev", "pa"},
		{sysIP, "link", "set", "lo", "up"},
		{sysIP, "link", "set", "pa", "up"},
		{sysIP, "-n", pingNS, "addr", "add", pingPeer + "/24", "dev", "pbv"},
		{sysIP, "-n", pingNS, "link", "set", "lo", "up"},
		{sysIP, "-n", pingNS, "link", "set", "pbv", "up"},
		{sysPing, "-c", "2", "-i", "0.01", "-W", "2", pingPeer},
	} {
		if _, err := run(os.Environ(), false, c...); err != nil {
			return err
		}
	}
	return nil
}

var (
	rttRE     = regexp.MustCompile(`time=([0-9.]+) ms`)
	summaryRE = regexp.MustCompile(`(\d+) packets transmitted, (\d+) received`)
)

// parseRTTs returns the per-reply times of ping output, in µs.
func parseRTTs(out []byte) []float64 {
	var rtts []float64
	for _, m := range rttRE.FindAllSubmatch(out, -1) {
		if v, err := strconv.ParseFloat(string(m[1]), 64); err == nil {
			rtts = append(rtts, v*1000)
		}
	}
	return rtts
}

// parseSummary returns the transmitted and received counts of ping's
// statistics line.
func parseSummary(out []byte) (tx, rx int, ok bool) {
	m := summaryRE.FindSubmatch(out)
	if m == nil {
		return 0, 0, false
	}
	tx, _ = strconv.Atoi(string(m[1]))
	rx, _ = strconv.Atoi(string(m[2]))
	return tx, rx, true
}

func stepPing(dir string, n int, flood bool) (sample, error) {
	if err := pingTopology(); err != nil {
		return sample{}, fmt.Errorf("topology: %w", err)
	}
	count := strconv.Itoa(n)
	argv := []string{"/usr/bin/taskset", "-c", "0", filepath.Join(dir, "ping"), "-i", "0.001", "-c", count, pingPeer}
	if flood {
		argv = []string{"/usr/bin/taskset", "-c", "0", filepath.Join(dir, "ping"), "-f", "-q", "-c", count, pingPeer}
	}
	p, err := run(toolEnv(dir), true, argv...)
	s := sample{WallNS: int64(p.wall), CPUNS: int64(p.cpu), N: n}
	if err != nil {
		return s, err
	}
	tx, rx, ok := parseSummary(p.out)
	switch {
	case !ok:
		return s, fmt.Errorf("no statistics line in ping's output")
	case tx != n || rx != n:
		return s, fmt.Errorf("%d transmitted, %d received, want %d each", tx, rx, n)
	}
	if !flood {
		s.RTTus = parseRTTs(p.out)
		if len(s.RTTus) != n {
			return s, fmt.Errorf("%d time= values in ping's output, want %d", len(s.RTTus), n)
		}
	}
	return s, nil
}
