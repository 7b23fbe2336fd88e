package nsfs_test

import (
	"os/exec"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
)

// BenchmarkAddDelete adds and deletes one named namespace in-process.
func BenchmarkAddDelete(b *testing.B) {
	sandbox.Require(b)
	var d nsfs.Dirs
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Add("bench"); err != nil {
			b.Fatal(err)
		}
		if err := d.Delete("bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIPNetnsAddDelete does the same with two ip processes, for the
// ratio with BenchmarkAddDelete in the same run.
func BenchmarkIPNetnsAddDelete(b *testing.B) {
	sandbox.Require(b)
	ipBin := ipPath(b)
	for b.Loop() {
		if out, err := exec.Command(ipBin, "netns", "add", "benchip").CombinedOutput(); err != nil {
			b.Fatalf("ip netns add: %v %s", err, out)
		}
		if out, err := exec.Command(ipBin, "netns", "delete", "benchip").CombinedOutput(); err != nil {
			b.Fatalf("ip netns delete: %v %s", err, out)
		}
	}
}
