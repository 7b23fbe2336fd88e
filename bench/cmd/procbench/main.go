package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
)

// config holds the sizes and repetitions of one run of procbench.
type config struct {
	rawns, dir, write   string
	benchtime           string
	count, runs         int
	shortRuns, batchN   int // shortRuns: runs of the short steps (lab, netns)
	moveN               int
	scaleN              int  // veth pairs of the linkshow step
	markdown            bool // print the table as markdown
	netnsN, rttN, flood int
	lib, proc           bool
	cmdline             string // the flags procbench was run with
	steps               string // comma-separated process steps to run
	loadStart           string // /proc/loadavg when the run started
}

// want reports whether the process step (or "size") was asked for.
func (c *config) want(step string) bool {
	return c.steps == "" || slices.Contains(strings.Split(c.steps, ","), step)
}

func main() {
	var c config
	quick := flag.Bool("quick", false, "the quick set: fewer runs and samples (about 3-4 minutes)")
	flag.StringVar(&c.rawns, "rawns", "../bin/rawns", "the rawns binary (built by make build)")
	flag.StringVar(&c.dir, "dir", ".", "the bench module directory, for the library benchmarks")
	flag.StringVar(&c.write, "write", "", "also write RESULTS.md and ratios.svg into this directory")
	flag.StringVar(&c.benchtime, "benchtime", "", "go test -benchtime (default 200ms quick, 1s full)")
	flag.IntVar(&c.count, "count", 0, "go test -count (default 5 quick, 8 full)")
	flag.IntVar(&c.runs, "runs", 0, "interleaved runs per tool and process step, three times as many for the short lab and netns steps (default 3 quick, 5 full)")
	flag.BoolVar(&c.lib, "lib", true, "run the library benchmarks")
	flag.BoolVar(&c.proc, "proc", true, "run the process benchmarks")
	flag.StringVar(&c.steps, "steps", "", "only these process steps (comma-separated: lab,batch,batchmove,netns,pingrtt,pingflood,linkshow,size)")
	flag.IntVar(&c.scaleN, "scale-pairs", 8000, "veth pairs of the linkshow step (2n+1 links)")
	flag.BoolVar(&c.markdown, "md", false, "print the table as markdown rows")
	worker := flag.String("worker", "", "internal: run one step inside a sandbox")
	toolDir := flag.String("tooldir", "", "internal: the tool directory of -worker")
	peerDir := flag.String("peerdir", "", "internal: the peer's tool directory of -worker linkshow")
	n := flag.Int("n", 0, "internal: the size of the -worker step")
	flag.Parse()
	c.cmdline = strings.Join(os.Args[1:], " ")

	if *worker != "" {
		s := runWorker(*worker, *toolDir, *peerDir, *n, c.runs)
		json.NewEncoder(os.Stdout).Encode(s)
		return
	}
	def := func(v *int, q, full int) {
		if *v == 0 {
			*v = map[bool]int{true: q, false: full}[*quick]
		}
	}
	def(&c.count, 5, 8)
	def(&c.runs, 3, 5)
	def(&c.rttN, 1000, 3000)
	def(&c.moveN, 200, 1000) // each move waits ~17 ms for the kernel (synchronize_net)
	c.shortRuns, c.batchN, c.netnsN, c.flood = 3*c.runs, 1000, 100, 20000
	if c.benchtime == "" {
		c.benchtime = map[bool]string{true: "200ms", false: "1s"}[*quick]
	}
	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "procbench: needs root (the steps run in network and mount namespaces)")
		os.Exit(2)
	}
	if err := runAll(&c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "procbench:", err)
		os.Exit(1)
	}
}

// runAll runs the library and process benchmarks and prints the table.
func runAll(c *config, out, log io.Writer) error {
	start := time.Now()
	c.loadStart = loadAvg()
	if c.write != "" {
		// Fail now, not after minutes of measuring.
		if err := checkWritable(c.write); err != nil {
			return err
		}
	}
	var rows []*row
	var libs []*libResult
	if c.lib {
		fmt.Fprintf(log, "procbench: library benchmarks (-benchtime %s -count %d)\n", c.benchtime, c.count)
		var err error
		libs, err = runLibBench(c.dir, c.benchtime, c.count, io.Discard)
		rows = append(rows, libRows(libs)...)
		if err != nil {
			rows = append(rows, &row{op: "library benchmarks", rawns: math.NaN(), failed: err.Error()})
		}
	}
	if c.proc {
		pr, err := procRows(c, log)
		if err != nil {
			return err
		}
		rows = append(rows, pr...)
	}
	if c.markdown {
		writeMarkdown(out, rows)
	} else if err := writeText(out, rows); err != nil {
		return err
	}
	fmt.Fprintf(log, "procbench: done in %s\n", time.Since(start).Round(time.Second))
	if c.write != "" {
		return writeResults(c, rows, libs)
	}
	return nil
}

// tools are the two sides of the process steps: a directory holding ip and
// ping symlinks for each.
type tools struct{ rawns, peer string }

func makeTools(rawns string) (tools, func(), error) {
	abs, err := filepath.Abs(rawns)
	if err != nil {
		return tools{}, nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return tools{}, nil, fmt.Errorf("rawns binary: %w (run make build)", err)
	}
	tmp, err := os.MkdirTemp("", "procbench")
	if err != nil {
		return tools{}, nil, err
	}
	t := tools{rawns: filepath.Join(tmp, "rawns"), peer: filepath.Join(tmp, "iproute2")}
	links := map[string]string{
		filepath.Join(t.rawns, "ip"): abs, filepath.Join(t.rawns, "ping"): abs,
		filepath.Join(t.peer, "ip"): sysIP, filepath.Join(t.peer, "ping"): sysPing,
	}
	for link, target := range links {
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			return tools{}, nil, err
		}
		if err := os.Symlink(target, link); err != nil {
			return tools{}, nil, err
		}
	}
	return t, func() { os.RemoveAll(tmp) }, nil
}

// runStep runs one step in a new sandbox with the tool in dir; extra are
// more flags for the worker.
func runStep(step, dir string, n int, extra ...string) sample {
	self, err := os.Executable()
	if err != nil {
		return sample{Err: err.Error()}
	}
	args := append([]string{"-worker", step, "-tooldir", dir, "-n", fmt.Sprint(n)}, extra...)
	cmd := sandbox.Command(self, args...)
	var errb strings.Builder
	cmd.Stderr = &errb
	outb, err := cmd.Output()
	var s sample
	if jerr := json.Unmarshal(outb, &s); jerr != nil {
		if err == nil {
			err = jerr
		}
		return sample{Err: fmt.Sprintf("worker: %v: %s", err, strings.TrimSpace(errb.String()))}
	}
	return s
}

// interleave runs step runs times per tool, alternating which goes first.
func interleave(t tools, step string, n, runs int, log io.Writer) (rawns, peer []sample) {
	for r := range runs {
		order := []string{t.rawns, t.peer}
		if r%2 == 1 {
			order = []string{t.peer, t.rawns}
		}
		for _, dir := range order {
			waitIdle()
			s := runStep(step, dir, n)
			if dir == t.rawns {
				rawns = append(rawns, s)
			} else {
				peer = append(peer, s)
			}
		}
	}
	fmt.Fprintf(log, "procbench: %s (n=%d) done\n", step, n)
	return rawns, peer
}

// summary reduces the samples of one side of a step with f (over the
// samples that succeeded); err is the first failure.
func summary(ss []sample, f func([]sample) float64) (float64, string) {
	var ok []sample
	for _, s := range ss {
		if s.Err != "" {
			return math.NaN(), s.Err
		}
		ok = append(ok, s)
	}
	return f(ok), ""
}

func medianOf(get func(sample) float64) func([]sample) float64 {
	return func(ss []sample) float64 {
		var v []float64
		for _, s := range ss {
			v = append(v, get(s))
		}
		return median(v)
	}
}

func pooledQuantile(q float64) func([]sample) float64 {
	return func(ss []sample) float64 {
		var v []float64
		for _, s := range ss {
			v = append(v, s.RTTus...)
		}
		return quantile(v, q) * 1e3 // µs → ns
	}
}

// pairRow builds a row comparing rawns with iproute2/iputils.
func pairRow(op string, rawns, peer []sample, f func([]sample) float64, g goal) *row {
	r := &row{op: op, peers: map[string]float64{}, ratioPeer: []string{"iproute2/iputils"}, rawAllocs: math.NaN(), goal: g}
	r.rawns, r.failed = summary(rawns, f)
	pv, perr := summary(peer, f)
	if perr != "" {
		r.op += " (peer failed: " + short(perr) + ")"
	}
	r.peers["iproute2/iputils"] = pv
	r.failed = short(r.failed)
	return r
}

func short(s string) string {
	if len(s) > 110 {
		return s[:107] + "..."
	}
	return s
}

var (
	wallOf  = medianOf(func(s sample) float64 { return float64(s.WallNS) })
	cpuOf   = medianOf(func(s sample) float64 { return float64(s.CPUNS) })
	wallPer = medianOf(func(s sample) float64 { return float64(s.WallNS) / float64(max(s.N, 1)) })
	cpuPer  = medianOf(func(s sample) float64 { return float64(s.CPUNS) / float64(max(s.N, 1)) })
)

// procRows runs the process steps and returns their rows.
func procRows(c *config, log io.Writer) ([]*row, error) {
	t, cleanup, err := makeTools(c.rawns)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	var rows []*row
	le := goal{maxRatio: 1.0, text: "≤1.0x"}
	b7 := goal{maxRatio: 0.7, text: "≤0.7x"}
	p11 := goal{maxRatio: 1.1, text: "≤1.1x"}

	if c.want("lab") {
		ra, pa := interleave(t, "lab", 0, c.shortRuns, log)
		procs := len(seedLab)
		rows = append(rows,
			pairRow(fmt.Sprintf("seed lab, %d processes: wall", procs), ra, pa, wallOf, le),
			pairRow(fmt.Sprintf("seed lab, %d processes: CPU", procs), ra, pa, cpuOf, le))
	}
	if c.want("batch") {
		ra, pa := interleave(t, "batch", c.batchN, c.runs, log)
		rows = append(rows,
			pairRow(fmt.Sprintf("-batch %d veth pairs+addr+up: CPU", c.batchN), ra, pa, cpuOf, b7),
			pairRow(fmt.Sprintf("-batch %d veth pairs+addr+up: wall", c.batchN), ra, pa, wallOf, b7))
	}
	if c.want("batchmove") {
		ra, pa := interleave(t, "batchmove", c.moveN, c.runs, log)
		rows = append(rows,
			pairRow(fmt.Sprintf("-batch %d pairs, peer moved to netns: CPU", c.moveN), ra, pa, cpuOf, goal{}),
			pairRow(fmt.Sprintf("-batch %d pairs, peer moved to netns: wall", c.moveN), ra, pa, wallOf, goal{}))
	}
	if c.want("netns") {
		ra, pa := interleave(t, "netns", c.netnsN, c.shortRuns, log)
		rows = append(rows,
			pairRow(fmt.Sprintf("netns add+delete x%d: wall", c.netnsN), ra, pa, wallOf, le),
			pairRow(fmt.Sprintf("netns add+delete x%d: CPU", c.netnsN), ra, pa, cpuOf, le))
	}
	if c.want("pingrtt") {
		ra, pa := interleave(t, "pingrtt", c.rttN, c.runs, log)
		for _, q := range []struct {
			name string
			q    float64
		}{{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}} {
			rows = append(rows, pairRow("ping RTT at 1 kpps, "+q.name, ra, pa, pooledQuantile(q.q), p11))
		}
	}
	if c.want("pingflood") {
		ra, pa := interleave(t, "pingflood", c.flood, c.runs, log)
		rows = append(rows,
			pairRow(fmt.Sprintf("ping -f -c %d: wall per echo", c.flood), ra, pa, wallPer, p11),
			pairRow(fmt.Sprintf("ping -f -c %d: CPU per echo", c.flood), ra, pa, cpuPer, p11))
	}
	if c.want("linkshow") {
		rows = append(rows, runScale(t, c.scaleN, c.runs, log)...)
	}
	if c.want("size") {
		if _, err := os.Stat(busybox); err != nil {
			fmt.Fprintf(log, "procbench: no %s (apt-get install busybox-static, or make deps): its size is left out\n", busybox)
		}
		rows = append(rows, sizeRows(c.rawns)...)
	}
	return rows, nil
}
