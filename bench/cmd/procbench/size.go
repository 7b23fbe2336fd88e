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

// busybox is busybox-static's binary, the other peer of the size rows.
const busybox = "/bin/busybox"

// sizeRows compare bin/rawns with iproute2's ip plus its shared libraries,
// with ip and iputils' ping plus theirs (rawns replaces both), and with
// busybox-static (one static binary, as rawns, that does far more). A
// missing peer shows as "—" with no ratio.
func sizeRows(rawns string) []*row {
	self := fileSize(rawns)
	bb := fileSize(busybox)
	mk := func(op string, peers map[string]float64, vs string) *row {
		r := &row{op: op, bytes: true, rawns: self, rawAllocs: math.NaN(), peers: peers, ratioPeer: []string{vs}}
		if math.IsNaN(self) {
			r.failed = "no binary at " + rawns
		}
		return r
	}
	return []*row{
		mk("binary size vs ip + libs", map[string]float64{"iproute2/iputils": withLibs(sysIP)}, "iproute2/iputils"),
		mk("binary size vs ip + ping + libs", map[string]float64{"iproute2/iputils": withLibs(sysIP, sysPing)}, "iproute2/iputils"),
		mk("binary size vs busybox-static", map[string]float64{"busybox": bb}, "busybox"),
	}
}
