package initramfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// QEMU is the emulator Boot runs.
const QEMU = "qemu-system-x86_64"

// A BootConfig says what Boot boots.
type BootConfig struct {
	// Kernel is the kernel to boot: the uncompressed vmlinux (PVH entry)
	// is the fast choice; a bzImage works too.
	Kernel string
	// Initrd is the initramfs image.
	Initrd string
	// Timeout bounds the whole run; 0 means two minutes.
	Timeout time.Duration
	// Console, when not nil, also gets the console as it arrives.
	Console io.Writer
}

// A BootResult is what a boot produced.
type BootResult struct {
	// Console is the guest's serial console with "\r\n" turned into "\n".
	Console []byte
	// Stderr is what qemu itself printed.
	Stderr []byte
	// Elapsed is the wall time from starting qemu to its exit.
	Elapsed time.Duration
	// Exit is qemu's exit error, nil for status 0. It is not a verdict:
	// qemu exits 0 after a guest panic too.
	Exit error
}

// Boot runs qemu on cfg.Kernel and cfg.Initrd with the serial console on a
// pipe, without graphics or firmware devices, and waits for it to exit (the
// guest powers off, or panics with panic=-1 and -no-reboot). It emulates the
// CPU with TCG unless the environment variable RAWNS_QEMU_ACCEL names another
// accelerator ("kvm"): a /dev/kvm that opens is no proof that KVM works, and
// under nested virtualization a failed KVM entry leaves qemu paused, not
// exited (seen on these machines: "KVM internal error. Suberror: 1" on the
// kernel's first cmpxchg16b). The error is non-nil when qemu
// could not run or the deadline killed it; the result holds what was
// captured either way.
func Boot(ctx context.Context, cfg BootConfig) (BootResult, error) {
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	args := []string{"-m", "256", "-nodefaults", "-display", "none", "-no-reboot",
		"-serial", "stdio", "-kernel", cfg.Kernel, "-initrd", cfg.Initrd,
		"-append", "console=ttyS0 panic=-1 quiet"}
	if accel := os.Getenv("RAWNS_QEMU_ACCEL"); accel != "" && accel != "tcg" {
		args = append(args, "-accel", accel)
	}
	args = append(args, "-accel", "tcg")
	cmd := exec.CommandContext(ctx, QEMU, args...)
	cmd.WaitDelay = 5 * time.Second
	var console, stderr bytes.Buffer
	cmd.Stdout = &console
	if cfg.Console != nil {
		cmd.Stdout = io.MultiWriter(&console, crlfWriter{cfg.Console})
	}
	cmd.Stderr = &stderr

	start := time.Now()
	err := cmd.Run()
	res := BootResult{
		Console: bytes.ReplaceAll(console.Bytes(), []byte("\r\n"), []byte("\n")),
		Stderr:  stderr.Bytes(),
		Elapsed: time.Since(start),
	}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("boot: qemu killed after %v: %w", timeout, ctx.Err())
	case errors.As(err, &exit):
		res.Exit = err
	case err != nil:
		return res, fmt.Errorf("boot: %w", err)
	}
	return res, nil
}

// crlfWriter drops the '\r' of the console's line ends.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\r"), nil)); err != nil {
		return 0, err
	}
	return len(p), nil
}
