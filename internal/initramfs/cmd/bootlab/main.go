// Command bootlab boots the lab initramfs under qemu, shows the console, and
// checks the transcript against the lab (package lab). It exits 0 only when
// every step passed.
//
//	bootlab -image bin/initramfs.cpio
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rawns/rawns/internal/initramfs"
	"github.com/rawns/rawns/internal/initramfs/lab"
)

func main() {
	image := flag.String("image", "bin/initramfs.cpio", "the initramfs `file` to boot")
	kdir := flag.String("kernel-dir", initramfs.KernelDir(), "the kernel cache `dir` (env "+initramfs.KernelDirEnv+")")
	timeout := flag.Duration("timeout", 2*time.Minute, "how long qemu may run")
	logPath := flag.String("log", "", "also write the console to this `file`")
	flag.Parse()
	if err := run(*image, *kdir, *timeout, *logPath); err != nil {
		fmt.Fprintf(os.Stderr, "bootlab: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("bootlab: PASS")
}

func run(image, kdir string, timeout time.Duration, logPath string) error {
	k, err := initramfs.FindKernel(kdir)
	if err != nil {
		return err
	}
	st, err := os.Stat(image)
	if err != nil {
		return err
	}
	fmt.Printf("bootlab: booting %s (%s) with %s (%d B)\n", k.Vmlinux, k.Release, image, st.Size())
	res, err := initramfs.Boot(context.Background(), initramfs.BootConfig{
		Kernel: k.Vmlinux, Initrd: image, Timeout: timeout, Console: os.Stdout})
	if logPath != "" {
		if werr := os.WriteFile(logPath, res.Console, 0o644); werr != nil && err == nil {
			err = werr
		}
	}
	fmt.Printf("bootlab: qemu ran %.2fs wall (exit: %v)\n", res.Elapsed.Seconds(), res.Exit)
	if len(res.Stderr) > 0 {
		fmt.Printf("bootlab: qemu stderr:\n%s\n", res.Stderr)
	}
	if err != nil {
		return err
	}
	return lab.Check(res.Console, lab.Steps())
}
