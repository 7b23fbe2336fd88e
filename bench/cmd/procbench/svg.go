package main

import (
	"fmt"
	"html"
	"io"
	"math"
)

// writeSVG draws the rows' ratios (rawns / best peer) as horizontal bars
// on a log scale from 1/100 to 10, growing left of the 1x line when rawns
// is faster (or smaller), with a tick at each row's goal. Green is a met
// goal, red a missed one, grey a row without a ratio goal.
func writeSVG(w io.Writer, title string, rows []*row) {
	const (
		labelW, plotW, rowH, top, bottom = 330, 520, 22, 46, 40
		lo, hi                           = -2.0, 1.0 // log10 of the axis ends
	)
	var drawn []*row
	for _, r := range rows {
		if q, _ := r.ratio(); !math.IsNaN(q) {
			drawn = append(drawn, r)
		}
	}
	width := labelW + plotW + 160
	height := top + len(drawn)*rowH + bottom
	x := func(q float64) float64 {
		l := math.Max(lo, math.Min(hi, math.Log10(q)))
		return labelW + (l-lo)/(hi-lo)*plotW
	}
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(w, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(w, `<text x="10" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", html.EscapeString(title))
	fmt.Fprintf(w, `<text x="10" y="36" fill="#555">ratio = rawns / best peer (log scale; left of 1x: rawns faster or smaller). Tick: goal. Green: met, red: missed, grey: no goal.</text>`+"\n")
	for _, t := range []float64{0.01, 0.03, 0.1, 0.3, 1, 3, 10} {
		fmt.Fprintf(w, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`+"\n",
			x(t), top-4, x(t), top+len(drawn)*rowH, map[bool]string{true: "#000", false: "#ddd"}[t == 1])
		fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%gx</text>`+"\n", x(t), top+len(drawn)*rowH+16, t)
	}
	for i, r := range drawn {
		y := top + i*rowH
		q, _ := r.ratio()
		color := "#9e9e9e"
		switch r.status() {
		case "met":
			color = "#2e7d32"
		case "MISSED":
			color = "#c62828"
		}
		x0, x1 := x(1), x(q)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+15, html.EscapeString(r.op))
		fmt.Fprintf(w, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x0, y+4, math.Max(x1-x0, 1), rowH-8, color)
		if g := r.goal.maxRatio; g > 0 {
			fmt.Fprintf(w, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#000" stroke-width="2"/>`+"\n", x(g), y+1, x(g), y+rowH-1)
		}
		fmt.Fprintf(w, `<text x="%d" y="%d">%s</text>`+"\n", labelW+plotW+8, y+15, fmtRatio(q))
		if st := r.status(); st != "" {
			fmt.Fprintf(w, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", labelW+plotW+74, y+15, color, st)
		}
	}
	fmt.Fprintln(w, "</svg>")
}
