package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// peerCols are the table's peer columns, in order.
var peerCols = []string{"vishvananda", "jsimonetti", "mdlayher", "iproute2/iputils", "busybox"}

// goal is what a row's ratio (rawns / best peer, lower is better) is read
// against.
type goal struct {
	maxRatio   float64 // the ratio must not exceed it; 0 means no ratio goal
	zeroAllocs bool    // rawns must report 0 allocs/op
	text       string
}

// row is one line of the table. Times are in ns, sizes in bytes.
type row struct {
	op        string
	bytes     bool               // the values are sizes, not times
	rawns     float64            // NaN when the rawns step failed
	failed    string             // why rawns failed
	peers     map[string]float64 // by peerCols name
	ratioPeer []string           // the peers the ratio is taken against (the best of them)
	allocs    string             // allocs/op, rawns first
	rawAllocs float64            // rawns's allocs/op, NaN when not measured
	goal      goal
}

// ratio returns rawns's value over the best (lowest) of ratioPeer, and
// that peer's name; NaN when either side is missing.
func (r *row) ratio() (float64, string) {
	best, name := math.NaN(), ""
	for _, p := range r.ratioPeer {
		if v, ok := r.peers[p]; ok && !math.IsNaN(v) && (math.IsNaN(best) || v < best) {
			best, name = v, p
		}
	}
	if math.IsNaN(r.rawns) || math.IsNaN(best) || best == 0 {
		return math.NaN(), name
	}
	return r.rawns / best, name
}

// has reports whether the row is read against a goal.
func (g goal) has() bool { return g.maxRatio > 0 || g.zeroAllocs }

// missed returns the parts of the row's goal it misses: "ratio" and/or
// "allocs"; none when it meets its goal or has none.
func (r *row) missed() []string {
	var m []string
	if q, _ := r.ratio(); r.goal.maxRatio > 0 && !(q <= r.goal.maxRatio) { // NaN misses
		m = append(m, "ratio")
	}
	if r.goal.zeroAllocs && r.rawAllocs != 0 {
		m = append(m, "allocs")
	}
	return m
}

// status returns "met", "MISSED", "failed" or "" when the row has no goal.
func (r *row) status() string {
	switch {
	case r.failed != "":
		return "failed"
	case !r.goal.has():
		return ""
	case len(r.missed()) > 0:
		return "MISSED"
	}
	return "met"
}

// statusCell is the status column: status, and for a missed goal with
// more than one part, which part was missed.
func (r *row) statusCell() string {
	s := r.status()
	if s == "MISSED" && r.goal.maxRatio > 0 && r.goal.zeroAllocs {
		s += " (" + strings.Join(r.missed(), ", ") + ")"
	}
	return s
}

// fmtValue renders a time in ns or a size in bytes with 3 significant
// digits.
func fmtValue(v float64, bytes bool) string {
	if math.IsNaN(v) {
		return "—"
	}
	if bytes {
		return sig3(v/1e6) + " MB"
	}
	switch {
	case v < 1e3:
		return sig3(v) + " ns"
	case v < 1e6:
		return sig3(v/1e3) + " µs"
	case v < 1e9:
		return sig3(v/1e6) + " ms"
	}
	return sig3(v/1e9) + " s"
}

func sig3(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func fmtRatio(q float64) string {
	if math.IsNaN(q) {
		return "—"
	}
	// Enough digits that a ratio just over its goal does not print as the
	// goal itself (1.103x against ≤1.1x).
	if q < 0.1 {
		return fmt.Sprintf("%.4fx", q)
	}
	return fmt.Sprintf("%.3fx", q)
}

// cells returns the row's cells in table order: operation, rawns, the
// peers, ratio, allocs, goal, status.
func (r *row) cells() []string {
	c := []string{r.op}
	if r.failed != "" {
		c = append(c, "failed: "+r.failed)
	} else {
		c = append(c, fmtValue(r.rawns, r.bytes))
	}
	for _, p := range peerCols {
		v, ok := r.peers[p]
		if !ok {
			c = append(c, "")
			continue
		}
		c = append(c, fmtValue(v, r.bytes))
	}
	q, vs := r.ratio()
	rs := fmtRatio(q)
	if !math.IsNaN(q) && len(r.ratioPeer) > 1 {
		rs += " vs " + vs
	}
	return append(c, rs, r.allocs, r.goal.text, r.statusCell())
}

var header = append(append([]string{"operation", "rawns"}, peerCols...), "ratio", "allocs/op", "goal", "status")

// writeText prints the table for a terminal.
func writeText(w io.Writer, rows []*row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	return tw.Flush()
}

// writeMarkdown prints the table as GitHub markdown.
func writeMarkdown(w io.Writer, rows []*row) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, r := range rows {
		c := r.cells()
		for i, s := range c {
			c[i] = strings.ReplaceAll(s, "|", "\\|")
			if i == len(c)-1 && (strings.HasPrefix(s, "MISSED") || s == "failed") {
				c[i] = "**" + s + "**"
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
}
