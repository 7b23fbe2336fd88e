package main

import (
	"fmt"
	"math"
	"strings"
)

// libPeers are the library columns, rawns first.
var libPeers = []string{"rawns", "vishvananda", "jsimonetti", "mdlayher"}

// libRows turns the library benchmarks into rows: median ns/op per
// library, the ratio against the faster of vishvananda and jsimonetti
// (mdlayher, where present, is the raw I/O layer without decoding: shown,
// not compared), and allocs/op.
func libRows(libs []*libResult) []*row {
	var ops []string
	byOp := map[string]map[string]*libResult{}
	for _, l := range libs {
		if byOp[l.op] == nil {
			byOp[l.op] = map[string]*libResult{}
			ops = append(ops, l.op)
		}
		byOp[l.op][l.lib] = l
	}
	var rows []*row
	for _, op := range ops {
		info, ok := libOps[op]
		if !ok {
			info.text = op
		}
		r := &row{op: info.text, peers: map[string]float64{}, ratioPeer: []string{"vishvananda", "jsimonetti"}}
		var allocs []string
		for _, lib := range libPeers {
			res := byOp[op][lib]
			if res == nil {
				continue
			}
			a := median(res.allocsOp)
			allocs = append(allocs, fmt.Sprintf("%.0f", a))
			if lib == "rawns" {
				r.rawns, r.rawAllocs = median(res.ns), a
			} else {
				r.peers[lib] = median(res.ns)
			}
		}
		if byOp[op]["rawns"] == nil {
			r.rawns, r.rawAllocs, r.failed = math.NaN(), math.NaN(), "no rawns result"
		}
		r.allocs = strings.Join(allocs, " / ")
		switch info.class {
		case "build":
			r.goal = goal{maxRatio: 1.0 / 30, zeroAllocs: true, text: "≤0.033x (≥30x), 0 allocs"}
		case "decode":
			r.goal = goal{maxRatio: 1.0 / 10, zeroAllocs: true, text: "≤0.1x (≥10x), 0 allocs"}
		}
		rows = append(rows, r)
	}
	return rows
}
