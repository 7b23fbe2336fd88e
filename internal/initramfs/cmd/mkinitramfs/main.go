// Command mkinitramfs writes the lab initramfs: a newc cpio archive holding
// /init, /bin/rawns with its ip and ping links, and the kernel modules the
// lab needs, taken from the kernel cache (package initramfs).
//
//	mkinitramfs -init bin/init -rawns bin/rawns -o bin/initramfs.cpio
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/rawns/rawns/internal/initramfs"
)

func main() {
	initPath := flag.String("init", "bin/init", "the static `program` that becomes /init")
	rawns := flag.String("rawns", "bin/rawns", "the static rawns `binary`")
	out := flag.String("o", "bin/initramfs.cpio", "the `file` to write")
	kdir := flag.String("kernel-dir", initramfs.KernelDir(), "the kernel cache `dir` (env "+initramfs.KernelDirEnv+")")
	mods := flag.String("modules", "veth", "comma-separated `modules` to load (their dependencies are added)")
	flag.Parse()
	if err := run(*initPath, *rawns, *out, *kdir, strings.Split(*mods, ",")); err != nil {
		fmt.Fprintf(os.Stderr, "mkinitramfs: %v\n", err)
		os.Exit(1)
	}
}

func run(initPath, rawns, out, kdir string, mods []string) error {
	k, err := initramfs.FindKernel(kdir)
	if err != nil {
		return err
	}
	img := initramfs.Image{}
	if img.Modules, err = initramfs.ResolveModules(k.Modules, mods); err != nil {
		return err
	}
	if img.Init, err = os.ReadFile(initPath); err != nil {
		return err
	}
	if img.Rawns, err = os.ReadFile(rawns); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = initramfs.WriteImage(w, img)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range img.Modules {
		names = append(names, fmt.Sprintf("%s (%d B)", m.Name, len(m.Data)))
	}
	fmt.Printf("mkinitramfs: %s: %d B (init %d B, rawns %d B, kernel %s, modules: %s)\n",
		out, st.Size(), len(img.Init), len(img.Rawns), k.Release, strings.Join(names, ", "))
	return nil
}
