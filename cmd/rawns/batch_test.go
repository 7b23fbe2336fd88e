package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// TestMakeArgs checks the batch line splitting against makeargs.
func TestMakeArgs(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string
	}{
		{"blank", " \t\r\n", nil},
		{"words", "link  set\tva up\n", []string{"link", "set", "va", "up"}},
		{"double quotes", `link set "v a" up`, []string{"link", "set", "v a", "up"}},
		{"single quotes", `addr add '10.0.0.1/24' dev x`, []string{"addr", "add", "10.0.0.1/24", "dev", "x"}},
		{"quote ends word", `"ab"cd e`, []string{"ab", "cd", "e"}},
		{"quote inside word", `ab"cd e`, []string{`ab"cd`, "e"}},
		{"empty quoted", `a "" b`, []string{"a", "", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := makeArgs(tt.line)
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("makeArgs(%q) = %q, %v, want %q", tt.line, got, err, tt.want)
			}
		})
	}
	if _, err := makeArgs(`a "b`); err == nil || err.Error() != "Unterminated quoted string" {
		t.Errorf(`makeArgs("a \"b") error = %v, want Unterminated quoted string`, err)
	}
}

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
	}
	for _, tt := range tests {
		for _, force := range []bool{false, true} {
			t.Run(fmt.Sprint(tt.name, "/force=", force), func(t *testing.T) {
				lines := append(append(append([]string{}, head...), tt.bad...), tail...)
				if tt.name == "continuation at end" {
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
