package lab_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/internal/initramfs/lab"
	"github.com/rawns/rawns/internal/sandbox"
)

var update = flag.Bool("update", false, "rewrite testdata/iproute2.txt from the iproute2 run")

// TestIntegrationLabIproute2 runs the lab with the real iproute2 ip and
// iputils ping in the sandbox: the expected lines describe what the real
// tools print, so the lab must pass with them.
func TestIntegrationLabIproute2(t *testing.T) {
	sandbox.Require(t)
	dir := t.TempDir()
	for _, tool := range []string{"ip", "ping"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("no %s: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	var transcript bytes.Buffer
	failed := lab.Run(context.Background(), &transcript, lab.Steps())
	if failed != 0 {
		t.Errorf("Run() = %d failed steps, want 0", failed)
	}
	if err := lab.Check(transcript.Bytes(), lab.Steps()); err != nil {
		t.Errorf("Check(iproute2 transcript) = %v, want nil\ntranscript:\n%s", err, transcript.Bytes())
	}
	if *update {
		if err := os.WriteFile("testdata/iproute2.txt", transcript.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIntegrationWaitOperUpNoDevice checks that waiting for a link that does
// not exist ends at once with the kernel's ENODEV.
func TestIntegrationWaitOperUpNoDevice(t *testing.T) {
	sandbox.Require(t)
	err := lab.WaitOperUp(context.Background(), "nosuchlink0", time.Minute)
	if !errors.Is(err, unix.ENODEV) {
		t.Fatalf("WaitOperUp(nosuchlink0) = %v, want ENODEV", err)
	}
}
