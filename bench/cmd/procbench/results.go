package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// machine describes where the figures were measured.
type machine struct{ date, cpu, kernel, goVersion, ip, ping string }

func describeMachine() machine {
	m := machine{date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), goVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	m.cpu = fmt.Sprintf("%s, %d CPUs", m.cpu, runtime.NumCPU())
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.kernel = unix.ByteSliceToString(u.Release[:])
	}
	first := func(name string, args ...string) string {
		out, _ := exec.Command(name, args...).CombinedOutput()
		line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		return line
	}
	m.ip = first(sysIP, "-V")
	m.ping = first(sysPing, "-V")
	return m
}

// checkWritable makes dir if needed and proves a file can be written in it.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".procbench-*")
	if err != nil {
		return fmt.Errorf("-write %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeResults writes RESULTS.md and ratios.svg into c.write.
func writeResults(c *config, rows []*row, libs []*libResult) error {
	m := describeMachine()
	var svg bytes.Buffer
	writeSVG(&svg, "rawns vs peers, "+m.date, rows)
	if err := os.WriteFile(filepath.Join(c.write, "ratios.svg"), svg.Bytes(), 0o644); err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# rawns benchmark results\n\n")
	fmt.Fprintf(&b, "Measured %s on %s, kernel %s, %s; %s; %s. Written by `procbench %s` "+
		"(library benchmarks at `-benchtime %s -count %d`, process steps %d interleaved runs per tool, %d for the short lab and netns steps, "+
		"each in its own sandbox). Load average when the run started: %s (on %d CPUs; other work on the machine "+
		"inflates and scatters the times, not the allocation counts).\n\n",
		m.date, m.cpu, m.kernel, m.goVersion, m.ip, m.ping, c.cmdline, c.benchtime, c.count, c.runs, c.shortRuns, c.loadStart, runtime.NumCPU())
	fmt.Fprintf(&b, "![ratios](ratios.svg)\n\n")
	fmt.Fprintf(&b, "**ratio** is rawns's figure over the best peer's (lower is better: 0.05x means 20x faster); "+
		"for the library rows the best of vishvananda and jsimonetti (mdlayher is the raw I/O layer, shown for reference). "+
		"Library rows are median wall ns/op; process rows are medians over runs (RTT percentiles over all replies pooled). "+
		"**allocs/op** lists rawns / vishvananda / jsimonetti [/ mdlayher].\n\n")
	writeMarkdown(&b, rows)

	writeGoals(&b, rows)
	fmt.Fprintf(&b, "\n## Library benchmarks in detail\n\n")
	fmt.Fprintf(&b, "Medians over the -count rounds (each round runs every benchmark once, rawns and its peers back to back). cpu-ns/op is the getrusage(RUSAGE_SELF) user+sys delta of the whole test process over b.N (GC and all threads included).\n\n")
	fmt.Fprintf(&b, "| benchmark | ns/op | cpu-ns/op | B/op | allocs/op |\n|---|---|---|---|---|\n")
	for _, l := range libs {
		fmt.Fprintf(&b, "| %s/%s | %s | %s | %.0f | %.0f |\n", l.op, l.lib,
			fmtValue(median(l.ns), false), fmtValue(median(l.cpu), false), median(l.bytesOp), median(l.allocsOp))
	}
	b.WriteString(methodNotes)
	return os.WriteFile(filepath.Join(c.write, "RESULTS.md"), b.Bytes(), 0o644)
}

// methodNotes says what each row measures.
const methodNotes = `
## What is measured

- **Builds** (nothing sent): rawns's typed Append builders into a reused 256-byte array; vishvananda v1.3.1: the
  exported ` + "`nl`" + ` calls its linkModify / addrHandle / LinkSetUp / LinkSetNsFd make, then Serialize; jsimonetti v2.3.0:
  the message's MarshalBinary inside netlink.Message.MarshalBinary (the bytes netlink.Conn.Send writes).
  TestBuildEquivalent checks that the three requests ask the kernel for the same thing (jsimonetti adds IFA_UNSPEC and
  IFA_FLAGS 0 to RTM_NEWADDR). Request structs are built inside the loop, as a caller would per call.
- **Decodes** of a real capture (bench/testdata, from TestIntegrationCapture: lo up, veth0/veth1 up, 192.168.1.1/24 on
  veth0): each library's decoder, then a read of every field ` + "`ip`" + ` prints that the library offers. rawns walks the stream
  with MessageIter + ParseLink/ParseAddr; vishvananda: syscall.ParseNetlinkMessage + LinkDeserialize (its unexported
  parseAddr is mirrored on the exported nl calls); jsimonetti: netlink.Message and LinkMessage/AddressMessage
  UnmarshalBinary into slices. TestDecodeAgree checks the decoders agree field by field.
- **Kernel** rows run inside the test sandbox (a fresh netns): rtnl.Conn.Execute / Dump; vishvananda Handle.LinkAdd +
  LinkDel, AddrAdd + AddrDel, LinkList; jsimonetti Link.New(Index 900) + Link.Delete, Address.New + Delete, Link.List;
  mdlayher netlink.Conn.Execute of the raw dump (no decoding). The veth rows are dominated by the kernel (RCU on delete).
- **Process** rows: each run is a fresh sandbox (new netns, private mount ns, tmpfs /run and /run/netns); rawns (as ip
  and ping through symlinks) and iproute2 6.1 / iputils alternate A B B A. CPU is the user+sys rusage of the child
  processes (wait4). The seed lab is the netns-tutorial.md lab, one process per command, its ping ` + "`-c 3 -i 0.002`" + `.
  The batches write N x 4 lines (link add, addr add, two link set); the moved variant moves each peer into a named
  namespace instead of setting it up; the result is checked with iproute2 after each run. Ping runs over a veth between
  the sandbox and a named namespace, both probers pinned to CPU 0 with taskset, after a warm-up ping; RTTs are the
  ` + "`time=`" + ` values of every reply, which ping prints to 1 µs, so
  the low percentiles move in whole-µs steps; the flood is ` + "`-f -q -c 20000`" + ` with 0 loss checked.
- **Linkshow** rows (` + "`make bench-scale`" + `): one sandbox gets 8,000 veth pairs from iproute2's -batch (untimed); both tools must
  print the same bytes for each form; then each form runs -runs times per tool, alternating which goes first, stdout to
  /dev/null. Peak RSS is GNU time's %M: wait4's ru_maxrss of a child that Go starts with CLONE_VM|CLONE_VFORK carries
  the parent's size over the exec. The row names give each tool's range over the runs.
- **Size**: bin/rawns as built by make build (static, stripped) against /usr/sbin/ip plus the shared libraries ldd lists
  (each counted once), and busybox-static's /bin/busybox.
- Times on this shared 2-core VM vary by 2-3x between runs; allocation counts are exact.
`
