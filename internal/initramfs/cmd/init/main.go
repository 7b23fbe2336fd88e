// Command init is /init of the lab initramfs: it runs as PID 1 on a real
// kernel under qemu, mounts /proc, /sys and /dev, loads the kernel modules
// listed in /lib/modules/order, runs the seed lab by invoking rawns as ip and
// ping (package lab), and powers the machine off. Everything goes to the
// console, which the boot test reads.
//
// It never exits: an init that exits panics the kernel. A step that cannot
// be done is printed and the machine is powered off; the missing marker line
// then fails the test.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/rawns/rawns/internal/initramfs/lab"
	"golang.org/x/sys/unix"
)

// path is the $PATH the lab's commands see: ip and ping are links in /bin.
const path = "/bin"

func main() {
	logf("start pid=%d args=%q", os.Getpid(), os.Args[1:])
	if err := setup(); err != nil {
		logf("FATAL %v", err)
		powerOff()
	}
	os.Setenv("PATH", path)
	logf("uptime %s: running the lab", uptime())
	failed := lab.Run(context.Background(), os.Stdout, lab.Steps())
	logf("uptime %s: lab done, %d failed steps", uptime(), failed)
	powerOff()
}

// setup mounts the kernel file systems and loads the modules.
func setup() error {
	mounts := []struct {
		fstype, dir string
		flags       uintptr
	}{
		{"proc", "/proc", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
		{"sysfs", "/sys", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
		{"devtmpfs", "/dev", unix.MS_NOSUID},
	}
	for _, m := range mounts {
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(m.fstype, m.dir, m.fstype, m.flags, ""); err != nil {
			return fmt.Errorf("mount %s: %w", m.dir, os.NewSyscallError("mount", err))
		}
	}
	logf("mounted /proc /sys /dev")
	order, err := os.ReadFile("/lib/modules/order")
	if err != nil {
		return err
	}
	for _, file := range strings.Fields(string(order)) {
		if err := loadModule("/lib/modules/" + file); err != nil {
			return err
		}
	}
	return nil
}

// loadModule loads an uncompressed module with finit_module(2), flags 0.
func loadModule(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	err = unix.FinitModule(int(f.Fd()), "", 0)
	switch err {
	case nil:
		logf("loaded %s", file)
	case unix.EEXIST:
		logf("%s was already loaded", file)
	default:
		return fmt.Errorf("load %s: %w", file, os.NewSyscallError("finit_module", err))
	}
	return nil
}

// powerOff drains the console, syncs and powers the machine off. It does
// not return.
func powerOff() {
	unix.IoctlSetInt(1, unix.TCSBRK, 1) // tcdrain
	unix.Sync()
	err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	logf("FATAL %v", os.NewSyscallError("reboot", err))
	select {}
}

// logf prints one line of init's own to the console.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stdout, "INIT: "+format+"\n", args...)
}

// uptime returns the first field of /proc/uptime, or "?".
func uptime() string {
	b, err := os.ReadFile("/proc/uptime")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0] + "s"
	}
	return "?"
}
