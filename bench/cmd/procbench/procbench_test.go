package main

// These tests are in package main: a command's package cannot be imported
// by an external _test package.

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkBuild/Veth/rawns-2         	   20000	        44.27 ns/op	        58.00 cpu-ns/op	       0 B/op	       0 allocs/op
BenchmarkBuild/Veth/rawns-2         	   20000	        40.00 ns/op	        50.00 cpu-ns/op	       0 B/op	       0 allocs/op
BenchmarkBuild/Veth/vishvananda-2   	   20000	      2662 ns/op	      2417 cpu-ns/op	    1008 B/op	      27 allocs/op
BenchmarkKernelVeth/rawns           	      20	  18361852 ns/op	    794600 cpu-ns/op	       0 B/op	       0 allocs/op
PASS
`
	got := parseBench(strings.NewReader(out))
	if len(got) != 3 {
		t.Fatalf("parseBench: %d results, want 3", len(got))
	}
	tests := []struct {
		name, op, lib string
		ns, allocs    []float64
	}{
		{"two samples", "Build/Veth", "rawns", []float64{44.27, 40}, []float64{0, 0}},
		{"peer", "Build/Veth", "vishvananda", []float64{2662}, []float64{27}},
		{"no -N suffix", "KernelVeth", "rawns", []float64{18361852}, []float64{0}},
	}
	for i, tt := range tests {
		r := got[i]
		if r.op != tt.op || r.lib != tt.lib || !slices.Equal(r.ns, tt.ns) || !slices.Equal(r.allocsOp, tt.allocs) {
			t.Errorf("%s: result %d = %s/%s ns %v allocs %v, want %s/%s ns %v allocs %v",
				tt.name, i, r.op, r.lib, r.ns, r.allocsOp, tt.op, tt.lib, tt.ns, tt.allocs)
		}
	}
}

func TestQuantile(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		q    float64
		want float64
	}{
		{"odd median", []float64{3, 1, 2}, 0.5, 2},
		{"even median averages", []float64{4, 1, 3, 2}, 0.5, 2.5},
		{"p90 nearest rank", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9},
		{"p99 of 10 is the max", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.99, 10},
	}
	for _, tt := range tests {
		if got := quantile(tt.xs, tt.q); got != tt.want {
			t.Errorf("%s: quantile(%v, %v) = %v, want %v", tt.name, tt.xs, tt.q, got, tt.want)
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestParsePing(t *testing.T) {
	out := []byte(`PING 10.9.0.2 (10.9.0.2) 56(84) bytes of data.
64 bytes from 10.9.0.2: icmp_seq=1 ttl=64 time=0.047 ms
64 bytes from 10.9.0.2: icmp_seq=2 ttl=64 time=1.20 ms

--- 10.9.0.2 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1001ms
rtt min/avg/max/mdev = 0.047/0.623/1.200/0.576 ms
`)
	if got, want := parseRTTs(out), []float64{47, 1200}; !slices.Equal(got, want) {
		t.Errorf("parseRTTs = %v, want %v", got, want)
	}
	tx, rx, ok := parseSummary(out)
	if tx != 2 || rx != 2 || !ok {
		t.Errorf("parseSummary = %d, %d, %v, want 2, 2, true", tx, rx, ok)
	}
	if _, _, ok := parseSummary([]byte("ping: connect: Network is unreachable\n")); ok {
		t.Errorf("parseSummary(error output) ok = true, want false")
	}
}

func TestBatchText(t *testing.T) {
	tests := []struct {
		name string
		move bool
		want string // the last line
	}{
		{"up", false, "link set vb299 up"},
		{"move", true, "link set vb299 netns peer"},
	}
	for _, tt := range tests {
		lines := strings.Split(strings.TrimSuffix(batchText(300, tt.move), "\n"), "\n")
		if len(lines) != 1200 || lines[len(lines)-1] != tt.want {
			t.Errorf("%s: batchText(300) = %d lines ending %q, want 1200 ending %q", tt.name, len(lines), lines[len(lines)-1], tt.want)
		}
		if !slices.Contains(lines, "addr add 10.1.43.1/24 dev va299") {
			t.Errorf("%s: batchText(300) lacks the address of va299", tt.name)
		}
	}
}

func TestRowStatus(t *testing.T) {
	peer := func(v float64) map[string]float64 { return map[string]float64{"vishvananda": v, "jsimonetti": v * 2} }
	build := goal{maxRatio: 1.0 / 30, zeroAllocs: true}
	tests := []struct {
		name string
		r    row
		want string
	}{
		{"fast enough", row{rawns: 10, peers: peer(400), rawAllocs: 0, goal: build}, "met"},
		{"too slow", row{rawns: 20, peers: peer(400), rawAllocs: 0, goal: build}, "MISSED"},
		{"allocates", row{rawns: 1, peers: peer(400), rawAllocs: 1, goal: build}, "MISSED"},
		{"failed", row{rawns: math.NaN(), failed: "exit status 1", peers: peer(400), goal: build}, "failed"},
		{"peer missing", row{rawns: 1, peers: map[string]float64{}, rawAllocs: 0, goal: build}, "MISSED"},
		{"no goal", row{rawns: 5, peers: peer(1)}, ""},
		{"process within", row{rawns: 1.0, peers: peer(1.0), goal: goal{maxRatio: 1}}, "met"},
		{"process over", row{rawns: 1.1, peers: peer(1.0), goal: goal{maxRatio: 1}}, "MISSED"},
	}
	for _, tt := range tests {
		tt.r.ratioPeer = []string{"vishvananda", "jsimonetti"}
		if got := tt.r.status(); got != tt.want {
			t.Errorf("%s: status() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestStatusCell checks that a row with a ratio and an allocation goal
// says which of the two it missed, and that the goal list gives the
// figure of every row read against a goal, met or not.
func TestStatusCell(t *testing.T) {
	mk := func(rawns, allocs float64) *row {
		return &row{op: "build x", rawns: rawns, rawAllocs: allocs, ratioPeer: []string{"vishvananda"},
			peers: map[string]float64{"vishvananda": 300}, goal: goal{maxRatio: 1.0 / 30, zeroAllocs: true, text: "g"}}
	}
	tests := []struct {
		name string
		r    *row
		want string
	}{
		{"met", mk(5, 0), "met"},
		{"ratio", mk(20, 0), "MISSED (ratio)"},
		{"allocs", mk(5, 2), "MISSED (allocs)"},
		{"both", mk(20, 2), "MISSED (ratio, allocs)"},
	}
	for _, tt := range tests {
		if got := tt.r.statusCell(); got != tt.want {
			t.Errorf("%s: statusCell() = %q, want %q", tt.name, got, tt.want)
		}
	}
	var b bytes.Buffer
	writeGoals(&b, []*row{mk(5, 0), mk(20, 0), {op: "no goal", rawns: 1}})
	for _, want := range []string{
		"- met: build x: rawns 5.00 ns against vishvananda 300 ns, ratio 0.0167x (60.0x faster), 0 allocs/op; the goal is g.",
		"- **MISSED**: build x: rawns 20.0 ns against vishvananda 300 ns, ratio 0.0667x (15.0x faster), 0 allocs/op; the goal is g (missed: ratio).",
		"1 rows meet their goal, 1 miss it, 0 failed to run",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("writeGoals output lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "no goal") {
		t.Errorf("writeGoals lists a row without a goal:\n%s", b.String())
	}
}

// TestCheckWritable checks that -write fails before measuring when the
// directory cannot be written, and makes a missing one.
func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := checkWritable(filepath.Join(dir, "new")); err != nil {
		t.Errorf("checkWritable(missing dir) = %v, want it made", err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkWritable(filepath.Join(file, "sub")); err == nil {
		t.Errorf("checkWritable(under a regular file) = nil, want an error")
	}
	left, _ := os.ReadDir(filepath.Join(dir, "new"))
	if len(left) != 0 {
		t.Errorf("checkWritable left %d files behind", len(left))
	}
}

func TestFmtValue(t *testing.T) {
	tests := []struct {
		v     float64
		bytes bool
		want  string
	}{
		{44.27, false, "44.3 ns"},
		{2662, false, "2.66 µs"},
		{18361852, false, "18.4 ms"},
		{1.49e9, false, "1.49 s"},
		{2580642, true, "2.58 MB"},
		{math.NaN(), false, "—"},
	}
	for _, tt := range tests {
		if got := fmtValue(tt.v, tt.bytes); got != tt.want {
			t.Errorf("fmtValue(%v, %v) = %q, want %q", tt.v, tt.bytes, got, tt.want)
		}
	}
}

// TestWriteSVG checks the chart is well-formed XML with one bar per row
// that has a ratio, and escapes labels.
func TestWriteSVG(t *testing.T) {
	rows := []*row{
		{op: "build <veth>", rawns: 10, peers: map[string]float64{"vishvananda": 400}, ratioPeer: []string{"vishvananda"}, goal: goal{maxRatio: 1.0 / 30}},
		{op: "slow", rawns: 30, peers: map[string]float64{"vishvananda": 10}, ratioPeer: []string{"vishvananda"}},
		{op: "failed", rawns: math.NaN(), failed: "x", peers: map[string]float64{"vishvananda": 10}, ratioPeer: []string{"vishvananda"}},
	}
	var b bytes.Buffer
	writeSVG(&b, "title & more", rows)
	d := xml.NewDecoder(&b)
	rects, texts := 0, []string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "rect" {
				rects++
			}
		case xml.CharData:
			texts = append(texts, string(e))
		}
	}
	if rects != 3 { // the background and two bars
		t.Errorf("SVG has %d rects, want 3 (background and 2 bars)", rects)
	}
	if !slices.Contains(texts, "build <veth>") || !slices.Contains(texts, "0.0250x") || !slices.Contains(texts, "3.000x") {
		t.Errorf("SVG texts %q lack a label or a ratio", texts)
	}
}

func TestScaleText(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(scaleText(8000), "\n"), "\n")
	if len(lines) != 8000 || lines[0] != "link add sa0 type veth peer name sb0" ||
		lines[7999] != "link add sa7999 type veth peer name sb7999" {
		t.Errorf("scaleText(8000) = %d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}

func TestSpread(t *testing.T) {
	ra := []sample{{WallNS: 150e6, N: 9000}, {WallNS: 170e6, N: 8000}}
	pa := []sample{{WallNS: 200e6, N: 28000}}
	if got, want := spread(ra, pa, "wall"), " (2 runs each, range rawns 150 ms–170 ms, ip 200 ms–200 ms)"; got != want {
		t.Errorf("spread wall = %q, want %q", got, want)
	}
	if got, want := spread(ra, pa, "rss"), " (2 runs each, range rawns 8.19 MB–9.22 MB, ip 28.7 MB–28.7 MB)"; got != want {
		t.Errorf("spread rss = %q, want %q", got, want)
	}
	if got := rssOf(ra); got != 8500*1024 {
		t.Errorf("rssOf = %v, want the median in bytes %v", got, 8500*1024)
	}
}
