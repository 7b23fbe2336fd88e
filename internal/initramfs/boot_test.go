package initramfs_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rawns/rawns/internal/initramfs"
	"github.com/rawns/rawns/internal/initramfs/lab"
)

// requireBoot skips the test, with the reason, when qemu or the cached
// kernel is missing, and fails it instead when CI is "true".
func requireBoot(t *testing.T) initramfs.Kernel {
	t.Helper()
	stop := t.Skipf
	if os.Getenv("CI") == "true" {
		stop = t.Fatalf
	}
	if _, err := exec.LookPath(initramfs.QEMU); err != nil {
		stop("%s: %v (apt-get install qemu-system-x86, or run internal/initramfs/fetch-kernel.sh)", initramfs.QEMU, err)
	}
	k, err := initramfs.FindKernel(initramfs.KernelDir())
	if err != nil {
		stop("%v", err)
	}
	return k
}

// goBuild builds a static, stripped program of the module into dir.
func goBuild(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	// go test puts its own GOROOT/bin first on $PATH.
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// TestIntegrationBoot builds rawns, the guest init and the initramfs, boots
// it on the cached Debian kernel under qemu, and checks every line of the
// lab in the console. Set RAWNS_BOOT_LOG to a file to keep the console, and
// RAWNS_BOOT_RAWNS to a static rawns binary to boot it instead of building
// cmd/rawns.
func TestIntegrationBoot(t *testing.T) {
	k := requireBoot(t)
	dir := t.TempDir()
	img := initramfs.Image{}
	var err error
	rawns := os.Getenv("RAWNS_BOOT_RAWNS")
	if rawns == "" {
		rawns = goBuild(t, dir, "github.com/rawns/rawns/cmd/rawns")
	}
	if img.Rawns, err = os.ReadFile(rawns); err != nil {
		t.Fatal(err)
	}
	if img.Init, err = os.ReadFile(goBuild(t, dir, "github.com/rawns/rawns/internal/initramfs/cmd/init")); err != nil {
		t.Fatal(err)
	}
	if img.Modules, err = initramfs.ResolveModules(k.Modules, []string{"veth"}); err != nil {
		t.Fatal(err)
	}
	var cpio bytes.Buffer
	if err := initramfs.WriteImage(&cpio, img); err != nil {
		t.Fatal(err)
	}
	initrd := filepath.Join(dir, "initramfs.cpio")
	if err := os.WriteFile(initrd, cpio.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("kernel %s; initramfs %d B (init %d B, rawns %d B)", k.Release, cpio.Len(), len(img.Init), len(img.Rawns))

	res, err := initramfs.Boot(context.Background(), initramfs.BootConfig{
		Kernel: k.Vmlinux, Initrd: initrd, Timeout: 3 * time.Minute})
	if p := os.Getenv("RAWNS_BOOT_LOG"); p != "" {
		if werr := os.WriteFile(p, res.Console, 0o644); werr != nil {
			t.Error(werr)
		}
	}
	t.Logf("qemu ran %.2fs wall, exit %v", res.Elapsed.Seconds(), res.Exit)
	if err != nil {
		t.Fatalf("Boot() = %v\nconsole:\n%s\nqemu stderr:\n%s", err, res.Console, res.Stderr)
	}
	if err := lab.Check(res.Console, lab.Steps()); err != nil {
		t.Errorf("the lab failed in the guest:\n%v\n\nconsole:\n%s", err, res.Console)
	}
}
