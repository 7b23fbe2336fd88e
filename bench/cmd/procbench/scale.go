package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// scaleForms are the show commands of the linkshow step, each run by both
// tools over the same 2n+1 links.
var scaleForms = []struct{ name, args string }{
	{"ip link show", "link show"},
	{"ip -j link show", "-j link show"},
	{"ip addr show", "addr show"},
}

// scaleSample is one timed show in the linkshow step.
type scaleSample struct {
	Form   int   `json:"form"` // index in scaleForms
	Rawns  bool  `json:"rawns"`
	WallNS int64 `json:"wall_ns"`
	CPUNS  int64 `json:"cpu_ns"`
	RSSKB  int64 `json:"rss_kb"` // peak RSS of the tool (GNU time's %M)
}

// scaleText is the -batch file of the linkshow setup: n veth pairs sa/sb.
func scaleText(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "link add sa%d type veth peer name sb%d\n", i, i)
	}
	return b.String()
}

// stepScale makes n veth pairs in this sandbox with iproute2 (untimed),
// checks that both tools print the same bytes for each form, then runs
// every form runs times per tool, alternating which tool goes first.
func stepScale(rawnsDir, peerDir string, n, runs int) (sample, error) {
	s := sample{N: 2*n + 1}
	file := "/run/procbench.scale"
	if err := os.WriteFile(file, []byte(scaleText(n)), 0o644); err != nil {
		return s, err
	}
	if _, err := run(os.Environ(), false, sysIP, "-batch", file); err != nil {
		return s, err
	}
	if got, err := countLinks(""); err != nil || got != 2*n+1 {
		return s, fmt.Errorf("setup left %d links, want %d (%v)", got, 2*n+1, err)
	}
	for i, f := range scaleForms {
		if err := sameShow(rawnsDir, peerDir, f.args); err != nil {
			return s, err
		}
		for r := range runs {
			for k := range 2 {
				isRawns := (r+k)%2 == 0
				dir := map[bool]string{true: rawnsDir, false: peerDir}[isRawns]
				argv := append([]string{filepath.Join(dir, "ip")}, strings.Fields(f.args)...)
				p, rss, err := runRSS(toolEnv(dir), argv...)
				if err != nil {
					return s, err
				}
				s.Scale = append(s.Scale, scaleSample{Form: i, Rawns: isRawns,
					WallNS: int64(p.wall), CPUNS: int64(p.cpu), RSSKB: rss})
			}
		}
	}
	return s, nil
}

// gnuTime is GNU time, which reports the peak RSS of the tool it runs.
// wait4's ru_maxrss of a child started by this Go process cannot: Go starts
// it with CLONE_VM|CLONE_VFORK, and the kernel carries the high-water mark
// of that shared memory (this process's) over the exec, so every child
// would seem at least as large as the worker. time fork()s from its own
// small image.
const gnuTime = "/usr/bin/time"

// runRSS runs argv under GNU time and returns it with its peak RSS in KiB.
func runRSS(env []string, argv ...string) (proc, int64, error) {
	file := "/run/procbench.rss"
	p, err := run(env, false, append([]string{gnuTime, "-f", "%M", "-o", file}, argv...)...)
	if err != nil {
		return p, 0, err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return p, 0, err
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return p, kb, err
}

// sameShow runs a show with both tools and fails unless their outputs are
// the same bytes.
func sameShow(rawnsDir, peerDir, args string) error {
	var outs [2][]byte
	for i, dir := range []string{rawnsDir, peerDir} {
		argv := append([]string{filepath.Join(dir, "ip")}, strings.Fields(args)...)
		p, err := run(toolEnv(dir), true, argv...)
		if err != nil {
			return err
		}
		outs[i] = p.out
	}
	if !bytes.Equal(outs[0], outs[1]) {
		return fmt.Errorf("`ip %s`: rawns printed %d bytes, iproute2 %d, not the same", args, len(outs[0]), len(outs[1]))
	}
	return nil
}

// runScale runs the linkshow step in one sandbox and returns its rows:
// wall time and peak RSS of each form, medians over the runs, with the
// range (min–max) of each tool in the row's name.
func runScale(t tools, pairs, runs int, log io.Writer) []*row {
	waitIdle()
	s := runStep("linkshow", t.rawns, pairs, "-peerdir", t.peer, "-runs", fmt.Sprint(runs))
	fmt.Fprintf(log, "procbench: linkshow (n=%d pairs) done\n", pairs)
	le := goal{maxRatio: 1.0, text: "≤1.0x"}
	var rows []*row
	for i, f := range scaleForms {
		var ra, pa []sample
		for _, x := range s.Scale {
			if x.Form != i {
				continue
			}
			v := sample{WallNS: x.WallNS, CPUNS: x.CPUNS, N: int(x.RSSKB)}
			if x.Rawns {
				ra = append(ra, v)
			} else {
				pa = append(pa, v)
			}
		}
		if s.Err != "" {
			ra = []sample{{Err: s.Err}}
		}
		name := fmt.Sprintf("`%s`, %d links", f.name, 2*pairs+1)
		wall := pairRow(name+": wall"+spread(ra, pa, "wall"), ra, pa, wallOf, le)
		rss := pairRow(name+": peak RSS"+spread(ra, pa, "rss"), ra, pa, rssOf, le)
		rss.bytes = true
		rows = append(rows, wall, rss)
	}
	return rows
}

// rssOf is the median peak RSS in bytes (kept in sample.N, in KiB).
var rssOf = medianOf(func(s sample) float64 { return float64(s.N) * 1024 })

// spread is " (range rawns A–B, ip C–D)" of the wall times or peak RSS.
func spread(ra, pa []sample, what string) string {
	rng := func(ss []sample) string {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range ss {
			v := float64(s.WallNS)
			if what == "rss" {
				v = float64(s.N) * 1024
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if len(ss) == 0 || math.IsInf(lo, 0) {
			return "—"
		}
		return fmtValue(lo, what == "rss") + "–" + fmtValue(hi, what == "rss")
	}
	return fmt.Sprintf(" (%d runs each, range rawns %s, ip %s)", len(ra), rng(ra), rng(pa))
}
