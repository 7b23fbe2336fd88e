package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// libResult gathers the -count samples of one library benchmark.
type libResult struct {
	op, lib                    string
	ns, cpu, bytesOp, allocsOp []float64
}

var benchLineRE = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parseBench reads `go test -bench -benchmem` output and returns the
// results in first-seen order. A name Op/Sub/lib splits at its last slash.
func parseBench(r io.Reader) []*libResult {
	var order []*libResult
	byName := map[string]*libResult{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			continue
		}
		res := byName[name]
		if res == nil {
			res = &libResult{op: name[:i], lib: name[i+1:]}
			byName[name] = res
			order = append(order, res)
		}
		f := strings.Fields(m[2])
		for j := 0; j+1 < len(f); j += 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				continue
			}
			switch f[j+1] {
			case "ns/op":
				res.ns = append(res.ns, v)
			case "cpu-ns/op":
				res.cpu = append(res.cpu, v)
			case "B/op":
				res.bytesOp = append(res.bytesOp, v)
			case "allocs/op":
				res.allocsOp = append(res.allocsOp, v)
			}
		}
	}
	return order
}

// runLibBench compiles the bench module's test binary in dir once and
// runs every benchmark count times, one round of all libraries after
// another (-test.count 1 per round), so that drift on a shared machine hits
// rawns and its peers alike instead of whichever ran last. The results are
// parsed; the raw output is copied to log.
func runLibBench(dir, benchtime string, count int, log io.Writer) ([]*libResult, error) {
	tmp, err := os.MkdirTemp("", "procbench-lib")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bench.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go test -c: %v: %s", err, bytes.TrimSpace(out))
	}
	var out bytes.Buffer
	for range count {
		cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", ".", "-test.benchmem",
			"-test.benchtime", benchtime, "-test.count", "1")
		cmd.Dir = dir // the benchmarks read testdata/
		cmd.Stdout = io.MultiWriter(&out, log)
		cmd.Stderr = log
		if err := cmd.Run(); err != nil {
			return parseBench(&out), fmt.Errorf("bench.test -test.bench: %w", err)
		}
	}
	return parseBench(&out), nil
}

// libOps describes the library benchmarks: the table's wording and the
// goal class each is read against.
var libOps = map[string]struct {
	text  string
	class string // "build", "decode" or "" (no goal)
}{
	"Build/Veth":          {"build veth pair RTM_NEWLINK", "build"},
	"Build/VethPeerNetNS": {"build veth pair, peer IFLA_NET_NS_FD", "build"},
	"Build/NewAddr":       {"build RTM_NEWADDR 192.168.1.1/24", "build"},
	"Build/LinkUp":        {"build link up", "build"},
	"Build/NetNSMove":     {"build netns move", "build"},
	"Decode/NewLink":      {"decode 1.5 KB RTM_NEWLINK", "decode"},
	"Decode/LinkDump":     {"decode link dump (3 links)", "decode"},
	"Decode/AddrDump":     {"decode address dump (5 addresses)", "decode"},
	"KernelVeth":          {"kernel: veth pair add+del", ""},
	"KernelAddr":          {"kernel: address add+del", ""},
	"KernelLinkDump":      {"kernel: dump+decode 100 links", ""},
}
