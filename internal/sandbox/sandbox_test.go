package sandbox_test

import (
	"os"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) { sandbox.Main(m) }

// TestIntegrationSandboxIsolated proves the sandbox is not the host: its
// network namespace and mount namespace differ from PID 1's, and /run/netns
// is an empty tmpfs.
func TestIntegrationSandboxIsolated(t *testing.T) {
	sandbox.Require(t)
	hostNet, hostMnt, ok := sandbox.HostNamespaces()
	if !ok {
		t.Fatal("HostNamespaces reports no sandbox")
	}
	for _, c := range []struct {
		kind string
		host uint64
	}{{"net", hostNet}, {"mnt", hostMnt}} {
		var self unix.Stat_t
		if err := unix.Stat("/proc/self/ns/"+c.kind, &self); err != nil {
			t.Fatal(err)
		}
		if self.Ino == c.host {
			t.Errorf("%s namespace is the host's (inode %d)", c.kind, self.Ino)
		}
	}
	var fs unix.Statfs_t
	if err := unix.Statfs("/run/netns", &fs); err != nil {
		t.Fatal(err)
	}
	if fs.Type != unix.TMPFS_MAGIC {
		t.Errorf("/run/netns filesystem type = %#x, want tmpfs %#x", fs.Type, unix.TMPFS_MAGIC)
	}
	ents, err := os.ReadDir("/run/netns")
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Errorf("/run/netns has %d entries, want 0", len(ents))
	}
	if err := os.MkdirAll("/etc/netns/probe", 0o755); err != nil {
		t.Fatalf("/etc is not writable in the sandbox: %v", err)
	}
}
