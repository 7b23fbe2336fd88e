package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// writeGoals lists every row that is read against a goal, in table order,
// each with its figure and a plain met, MISSED or failed, then the counts.
func writeGoals(w io.Writer, rows []*row) {
	fmt.Fprintf(w, "\n## Goals\n\n")
	var met, missed, failed int
	for _, r := range rows {
		if !r.goal.has() && r.failed == "" {
			continue
		}
		switch r.status() {
		case "met":
			met++
			fmt.Fprintf(w, "- met: %s: %s; the goal is %s.\n", r.op, r.figure(), r.goal.text)
		case "MISSED":
			missed++
			fmt.Fprintf(w, "- **MISSED**: %s: %s; the goal is %s (missed: %s).\n",
				r.op, r.figure(), r.goal.text, strings.Join(r.missed(), ", "))
		case "failed":
			failed++
			fmt.Fprintf(w, "- **failed**: %s: %s.\n", r.op, r.failed)
		}
	}
	fmt.Fprintf(w, "\n%d rows meet their goal, %d miss it, %d failed to run; rows without a goal are reported only.\n",
		met, missed, failed)
}

// figure says in words what rawns measured against its best peer: the
// values, the ratio and, where there is an allocation goal, allocs/op.
func (r *row) figure() string {
	q, vs := r.ratio()
	better, worse := "faster", "slower"
	if r.bytes {
		better, worse = "smaller", "larger"
	}
	var s string
	switch {
	case math.IsNaN(q):
		s = fmt.Sprintf("rawns %s, no peer figure", fmtValue(r.rawns, r.bytes))
	case q == 1:
		s = fmt.Sprintf("rawns %s, %s %s, ratio %s (equal)",
			fmtValue(r.rawns, r.bytes), vs, fmtValue(r.peers[vs], r.bytes), fmtRatio(q))
	case q < 1:
		s = fmt.Sprintf("rawns %s against %s %s, ratio %s (%sx %s)",
			fmtValue(r.rawns, r.bytes), vs, fmtValue(r.peers[vs], r.bytes), fmtRatio(q), sig3(1/q), better)
	default:
		s = fmt.Sprintf("rawns %s against %s %s, ratio %s (%sx %s)",
			fmtValue(r.rawns, r.bytes), vs, fmtValue(r.peers[vs], r.bytes), fmtRatio(q), sig3(q), worse)
	}
	if r.goal.zeroAllocs {
		s += fmt.Sprintf(", %.0f allocs/op", r.rawAllocs)
	}
	return s
}
