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
	maxValue   float64 // rawns's own value must not exceed it; 0 means none
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

// status returns "met", "MISSED", "failed" or "" when the row has no goal.
func (r *row) status() string {
	if r.failed != "" {
		return "failed"
	}
	g := r.goal
	if g.maxRatio == 0 && g.maxValue == 0 && !g.zeroAllocs {
		return ""
	}
	ok := true
	if g.maxRatio > 0 {
		q, _ := r.ratio()
		ok = ok && !math.IsNaN(q) && q <= g.maxRatio
	}
	if g.maxValue > 0 {
		ok = ok && r.rawns <= g.maxValue
	}
	if g.zeroAllocs {
		ok = ok && r.rawAllocs == 0
	}
	if ok {
		return "met"
	}
	return "MISSED"
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
	if q < 0.1 {
		return fmt.Sprintf("%.3fx", q)
	}
	return fmt.Sprintf("%.2fx", q)
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
	return append(c, rs, r.allocs, r.goal.text, r.status())
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
			if s == "MISSED" || s == "failed" {
				c[i] = "**" + s + "**"
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
}
