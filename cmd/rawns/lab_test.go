package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// labSetup makes the mount namespace that sandbox.Command gave the lab
// private and gives it an empty /run (and /run/netns), then runs the lab.
const labSetup = `mount --make-rprivate / && mount -t tmpfs lab-run /run && mkdir /run/netns && exec sh "$0"`

// runLab runs testdata/lab.sh (the seed lab, both ping variants) with path
// as PATH in a fresh sandbox of its own, and returns what it printed.
func runLab(t *testing.T, path string) string {
	t.Helper()
	script, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	script += "/testdata/lab.sh"
	cmd := sandbox.Command("/bin/sh", "-c", labSetup, script)
	cmd.Env = append(cmd.Env, "PATH="+path, "LAB_PING=both", quickRaceExit)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("lab with PATH=%s: %v\n%s", path, err, out.String())
	}
	return out.String()
}

// labMasks replace what legitimately differs between two runs of the lab:
// interface indexes, MAC addresses, times, and one state that depends on
// time.
var labMasks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?m)^[0-9]+: `), "N: "},
	{regexp.MustCompile(`@if[0-9]+:`), "@ifN:"},
	{regexp.MustCompile(`[0-9a-f]{2}(:[0-9a-f]{2}){5}`), "MAC"},
	// The kernel's linkwatch sets the operstate of veth-a (up, peer down)
	// to LOWERLAYERDOWN asynchronously, up to a second after `link set
	// veth-a up`; until then it reads DOWN. Which one `ip link` prints next
	// is a matter of time, not of the tool.
	{regexp.MustCompile(`state LOWERLAYERDOWN `), "state DOWN "},
	// Likewise the carrier of a veth end whose peer was just set up comes
	// a moment later (NO-CARRIER, state DOWN until then): both readings
	// print as the settled one.
	{regexp.MustCompile(`<NO-CARRIER,([A-Z_,-]*),UP> (.*) state DOWN `), "<$1,UP,LOWER_UP> $2 state UP "},
	{regexp.MustCompile(`time=[0-9.]+ ms`), "time=T ms"},
	{regexp.MustCompile(`time [0-9]+ms`), "time Tms"},
	{regexp.MustCompile(`= [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms`), "= T/T/T/T ms"},
}

func maskLab(s string) string {
	for _, m := range labMasks {
		s = m.re.ReplaceAllString(s, m.with)
	}
	return s
}

// TestIntegrationLab is the acceptance test: it replays every command of
// the seed lab (testdata/lab.sh) once with iproute2 and iputils and once
// with rawns linked as ip and ping first in PATH, so that the ip that
// `ip netns exec test1 ip a` runs is rawns too, each run in a fresh sandbox,
// and requires the outputs to be the same line for line once indexes, MACs
// and times are masked.
func TestIntegrationLab(t *testing.T) {
	sandbox.Require(t)
	path := os.Getenv("PATH")
	if path == "" {
		path = "/usr/sbin:/usr/bin:/sbin:/bin"
	}
	ref := runLab(t, "/usr/sbin:/usr/bin:"+path)
	got := runLab(t, toolDir(t)+":"+path)

	// The reference run must itself be the lab, or the comparison means
	// nothing.
	for _, want := range []string{
		"~$ ip netns list\ntest1\n",
		"~$ ping -c 3 192.168.1.2\n",
		"^C\n--- 192.168.1.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss",
	} {
		if !strings.Contains(ref, want) {
			t.Fatalf("reference lab output lacks %q:\n%s", want, ref)
		}
	}
	if strings.Contains(ref, "[exit ") {
		t.Fatalf("a command of the reference lab failed:\n%s", ref)
	}

	diff, n := lineDiff(strings.Split(maskLab(ref), "\n"), strings.Split(maskLab(got), "\n"))
	if n > 0 {
		t.Errorf("%d lab lines differ (-iproute2/iputils +rawns):\n%s", n, diff)
	}
}

// lineDiff compares two texts line by line through their longest common
// subsequence and returns a unified-style listing ("-" only in a, "+" only
// in b, " " in both) and the number of lines not in both.
func lineDiff(a, b []string) (string, int) {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	n := 0
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString(" " + a[i] + "\n")
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out.WriteString("+" + b[j] + "\n")
			j, n = j+1, n+1
		default:
			out.WriteString("-" + a[i] + "\n")
			i, n = i+1, n+1
		}
	}
	return out.String(), n
}
