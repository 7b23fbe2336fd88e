package main

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fileSize returns the size of the file path resolves to, or NaN.
func fileSize(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return math.NaN()
	}
	return float64(st.Size())
}

// withLibs returns the total size of the binaries and the shared libraries
// ldd lists for them, each file counted once.
func withLibs(bins ...string) float64 {
	seen := map[string]bool{}
	total := 0.0
	add := func(p string) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if !seen[p] {
			seen[p] = true
			total += fileSize(p)
		}
	}
	for _, bin := range bins {
		add(bin)
		out, err := exec.Command("ldd", bin).Output()
		if err != nil {
			return math.NaN()
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			// "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or
			// "/lib64/ld-linux-x86-64.so.2 (0x...)"; vdso has no file.
			f := strings.Fields(sc.Text())
			for _, w := range f {
				if strings.HasPrefix(w, "/") {
					add(w)
					break
				}
			}
		}
	}
	return total
}

// The peers of the size row.
const busybox = "/bin/busybox"

// sizeRow compares bin/rawns with busybox-static and with iproute2's ip
// plus its shared libraries, or, with ping, ip and iputils' ping plus
// theirs (rawns replaces both).
func sizeRow(rawns string, ping bool) *row {
	op, peer := "binary size (vs ip + libs)", withLibs(sysIP)
	if ping {
		op, peer = "binary size (vs ip + ping + libs)", withLibs(sysIP, sysPing)
	}
	r := &row{op: op, bytes: true, rawns: fileSize(rawns), rawAllocs: math.NaN(),
		peers: map[string]float64{
			"iproute2/iputils": peer,
			"busybox":          fileSize(busybox),
		},
		ratioPeer: []string{"iproute2/iputils"},
		goal:      goal{maxValue: 2.0e6, text: "≤2.0 MB"},
	}
	if math.IsNaN(r.rawns) {
		r.failed = "no binary at " + rawns
	}
	return r
}
