package rtnl_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestInlining checks that the compiler inlines the iterators' hot paths,
// as net/netip's test does: every decoder walks attributes with them, and
// a call per attribute would cost more than the walk itself. It fails when
// a change (an error built with fmt on the failure path, say) pushes one
// over the inlining budget.
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool:", err)
	}
	out, err := exec.Command(goTool, "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{
		"(*AttrIter).Next",
		"(*AttrIter).Type",
		"(*AttrIter).Data",
		"(*MessageIter).Next",
		"(*MessageIter).Message",
	} {
		if !strings.Contains(string(out), "can inline "+fn+"\n") && !strings.Contains(string(out), "can inline "+fn+" ") {
			t.Errorf("%s is not inlinable (go build -gcflags=-m says no \"can inline %s\")", fn, fn)
		}
	}
}
