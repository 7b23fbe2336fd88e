package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// writeBatch writes lines to a file named name in dir.
func writeBatch(t *testing.T, dir, name string, lines []string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pairsBatch returns the lines of a batch creating n veth pairs with an
// address each and both ends up, in the forms a batch file may use:
// comments, quotes and continuation lines.
func pairsBatch(n int) []string {
	lines := []string{"# veth pairs", ""}
	for i := 0; i < n; i++ {
		lines = append(lines,
			fmt.Sprintf(`link add "p%d" type veth peer name 'q%d' # pair %d`, i, i, i),
			fmt.Sprintf(`addr add 10.%d.%d.1/24 \`, i/256, i%256),
			fmt.Sprintf(`  dev p%d`, i),
			fmt.Sprintf("link set p%d up", i),
			fmt.Sprintf("link set dev q%d up", i),
		)
	}
	return lines
}

// batchRun runs the batch file with both tools, each from fresh
// namespaces bt and btp, and returns what each printed and the state each
// left.
func batchRun(t *testing.T, file string, opts ...string) (got, want result, gotState, wantState string) {
	t.Helper()
	var res [2]result
	var states [2]string
	for i, useRawns := range []bool{false, true} {
		freshNS(t, "bt", "btp")
		noDAD(t, "bt", "btp")
		res[i] = inNS(t, "bt", useRawns, append(opts, "-batch", file)...)
		states[i] = snapshot(t, "bt", "btp")
	}
	return res[1], res[0], states[1], states[0]
}

// TestIntegrationBatch runs a batch of 50 veth pairs with addresses, up,
// with both tools, and compares output, status and effects.
func TestIntegrationBatch(t *testing.T) {
	sandbox.Require(t)
	dir := t.TempDir()
	for _, force := range []bool{false, true} {
		t.Run(fmt.Sprint("force=", force), func(t *testing.T) {
			file := writeBatch(t, dir, "pairs", pairsBatch(50))
			var opts []string
			if force {
				opts = []string{"-force"}
			}
			got, want, gotState, wantState := batchRun(t, file, opts...)
			if got != want || want.code != 0 {
				t.Errorf("ip -batch: rawns = %+v, iproute2 = %+v", got, want)
			}
			if gotState != wantState {
				t.Errorf("state after rawns differs from iproute2's:\n%s", diffLines(gotState, wantState))
			}
			if n := strings.Count(wantState, "inet 10."); n != 50 {
				t.Errorf("iproute2's batch made %d addresses, want 50", n)
			}
		})
	}
}

// TestIntegrationBatchFailures puts failing lines in the middle of
// batches, with and without -force, and compares messages ("Command failed
// FILE:LINE"), status and effects with iproute2's.
func TestIntegrationBatchFailures(t *testing.T) {
	sandbox.Require(t)
	dir := t.TempDir()
	head := []string{
		"link add va type veth peer name vb",
		"addr add 10.0.0.1/24 dev va",
	}
	tail := []string{
		"link set va up",
		"link add vc type veth peer name vd netns btp",
		"addr add 10.0.1.1/24 dev vc",
	}
	tests := []struct {
		name string
		bad  []string
	}{
		{"unknown device", []string{"link set nodev up"}},
		{"unknown device for addr", []string{"addr add 10.0.9.1/24 dev nodev"}},
		{"kernel refusal", []string{"link add va type veth peer name vx"}},
		{"extack refusal", []string{"addr add 10.0.0.1/24 dev va"}},
		{"two failures", []string{"link set nodev up", "link add vb type veth", "link set vb down"}},
		{"missing dev", []string{"addr add 10.0.5.1/24"}},
		{"unknown object", []string{"bogus"}},
		{"usage error exits", []string{"link bogus"}},
		{"bad prefix exits", []string{"addr add 10.0.0.1/33 dev va"}},
		{"bad netns", []string{"link set vb netns nosuchns"}},
		{"unterminated quote", []string{`link set "va up`}},
		{"continuation at end", []string{`link set va \`}},
		// Warnings printed while parsing come after the reports of the
		// lines before, queued or not.
		{"warnings between failures", []string{
			"link set nodev up",
			"addr add 10.0.5.1/24 dev va nodad",
			"link set va mtu 100",
			"addr add 10.0.6.1/24 dev va secondary",
			"link set nodev2 up",
			"addr del 10.0.0.1 dev va",
			"link add va type veth",
			"addr add 10.0.7.1/24 dev va home",
			"addr add 10.0.7.1/24 dev va home",
		}},
		{"address lengths", []string{
			"link add ve type veth peer name vf",
			"link set ve address 02:00:00:00:00:01:07",
			"link set vf address 02:00:00:00:01",
			"link set ve address 02:00:00:00:00:07",
			`addr flush dev ""`,
		}},
		{"continuation after a queued failure", []string{"link set nodev up", `link set va \`}},
	}
	for _, tt := range tests {
		for _, force := range []bool{false, true} {
			t.Run(fmt.Sprint(tt.name, "/force=", force), func(t *testing.T) {
				lines := append(append(append([]string{}, head...), tt.bad...), tail...)
				if strings.HasPrefix(tt.name, "continuation") {
					lines = append(append([]string{}, head...), tt.bad...)
				}
				file := writeBatch(t, dir, "failing", lines)
				var opts []string
				if force {
					opts = []string{"-force"}
				}
				got, want, gotState, wantState := batchRun(t, file, opts...)
				if got != want {
					t.Errorf("ip %q -batch: rawns = %+v\n iproute2 = %+v", opts, got, want)
				}
				if gotState != wantState {
					t.Errorf("state after rawns differs from iproute2's:\n%s", diffLines(gotState, wantState))
				}
			})
		}
	}
}

// batchNetnsScript runs in runIsolated's sandbox: the tool ($2) runs with
// the arguments after it under a descriptor limit of $1, then the names of
// the links of every named namespace and of the sandbox's own are listed,
// so that where each link went is compared too.
const batchNetnsScript = `ulimit -n $1 || exit 92
tool=$2; shift 2
"$tool" "$@"
rc=$?
names='/usr/sbin/ip -br link | cut -d" " -f1'
/usr/sbin/ip -all netns exec sh -c "$names"
echo "## own:"; sh -c "$names"
exit $rc`

// TestIntegrationBatchNetnsNames checks that each batch line acts on the
// namespace its name means when the line runs, and that a batch holds no
// more namespace files than ip: a name deleted and added again means the
// new namespace (a link moved there is reachable, not lost in the deleted
// one), and a batch naming 40 namespaces runs under a limit of 20
// descriptors. Output, status, /run/netns and every namespace's links must
// be iproute2's, with and without -force. (iproute2 6.1 itself leaks the
// descriptor of each `netns NAME`, and runs out under such a limit: it runs
// under 4096.)
func TestIntegrationBatchNetnsNames(t *testing.T) {
	sandbox.Require(t)
	dir := t.TempDir()
	// The link lines come after the netns lines, so that with -force
	// they are all queued together.
	var many, moves []string
	for i := 0; i < 40; i++ {
		many = append(many, fmt.Sprintf("netns add n%d", i))
		moves = append(moves, fmt.Sprintf("link add v%d type veth peer name w%d netns n%d", i, i, i),
			fmt.Sprintf("link set v%d netns n%d", i, i/2))
	}
	many = append(many, moves...)
	tests := []struct {
		name  string
		lines []string
	}{
		{"delete add move", []string{
			"netns add a",
			"link add va type veth peer name vb",
			// Both ends in a: the deleted namespace takes them along
			// (when the kernel gets to it), and nothing in this one.
			"link add vc netns a type veth peer name vd netns a",
			"netns delete a",
			"netns add a",
			"link set vb netns a",
			"-n a link set vb up",
			"link add ve type veth peer name vf netns a",
		}},
		{"delete add by path", []string{
			"netns add a",
			"link add va netns /run/netns/a type veth peer name vb netns /run/netns/a",
			"netns delete a",
			"netns add a",
			"link add vc type veth peer name vd netns /run/netns/a",
		}},
		{"many namespaces", many},
	}
	for _, tt := range tests {
		file := writeBatch(t, dir, strings.ReplaceAll(tt.name, " ", "-"), tt.lines)
		for _, opts := range [][]string{{"-batch", file}, {"-force", "-batch", file}} {
			t.Run(tt.name+"/"+strings.Join(opts[:len(opts)-1], "_"), func(t *testing.T) {
				sh := []string{"-c", batchNetnsScript, "sh"}
				got, gotDir := runIsolated(t, "/bin/sh", nil, append(append(sh, "20", filepath.Join(toolDir(t), "ip")), opts...)...)
				want, wantDir := runIsolated(t, "/bin/sh", nil, append(append(sh, "4096", "/usr/sbin/ip"), opts...)...)
				if got != want {
					t.Errorf("ip %q:\nrawns    %+v\niproute2 %+v", opts, got, want)
				}
				if gotDir != wantDir {
					t.Errorf("/run/netns after rawns:\n%s\nafter iproute2:\n%s", gotDir, wantDir)
				}
				if tt.name == "delete add move" && !strings.Contains(want.stdout, "vb@if") {
					t.Errorf("iproute2 lost vb: %+v", want)
				}
			})
		}
	}
}
