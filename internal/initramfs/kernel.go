package initramfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KernelDirEnv names the environment variable that overrides DefaultKernelDir.
const KernelDirEnv = "RAWNS_KERNEL_DIR"

// DefaultKernelDir is where fetch-kernel.sh keeps the kernel when
// RAWNS_KERNEL_DIR is not set.
const DefaultKernelDir = "/var/cache/rawns-kernel"

// A Kernel is a kernel cache filled by fetch-kernel.sh.
type Kernel struct {
	// Dir is the cache directory.
	Dir string
	// Release is the kernel release, e.g. "6.1.0-56-amd64".
	Release string
	// Vmlinux is the uncompressed kernel ELF, booted through PVH.
	Vmlinux string
	// Modules is the lib/modules/<release> tree (only the modules the lab
	// needs).
	Modules string
}

// KernelDir returns $RAWNS_KERNEL_DIR, or DefaultKernelDir when it is empty.
func KernelDir() string {
	if d := os.Getenv(KernelDirEnv); d != "" {
		return d
	}
	return DefaultKernelDir
}

// FindKernel returns the kernel cached in dir, or an error saying what is
// missing.
func FindKernel(dir string) (Kernel, error) {
	rel, err := os.ReadFile(filepath.Join(dir, "release"))
	if err != nil {
		return Kernel{}, fmt.Errorf("kernel: no kernel cached in %s (run internal/initramfs/fetch-kernel.sh, or set %s): %w", dir, KernelDirEnv, err)
	}
	k := Kernel{Dir: dir, Release: strings.TrimSpace(string(rel)), Vmlinux: filepath.Join(dir, "vmlinux")}
	k.Modules = filepath.Join(dir, "lib/modules", k.Release)
	for _, p := range []string{k.Vmlinux, k.Modules} {
		if _, err := os.Stat(p); err != nil {
			return Kernel{}, fmt.Errorf("kernel: cache %s is incomplete: %w", dir, err)
		}
	}
	return k, nil
}
