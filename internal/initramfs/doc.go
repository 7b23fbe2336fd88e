// Package initramfs builds the initramfs that boots rawns on a real kernel
// under qemu, and boots it.
//
// # Image
//
// [Writer] writes the newc cpio format the kernel unpacks into its rootfs
// (Documentation/driver-api/early-userspace/buffer-format.rst), so no cpio
// tool is needed. [WriteImage] lays out the lab image: /init (the guest
// program of cmd/init), /bin/rawns with /bin/ip and /bin/ping linked to it,
// /dev/console, and the kernel modules the lab needs under /lib/modules,
// listed in load order in /lib/modules/order. There is deliberately no /etc
// and no /run: rawns must work without them.
//
// # Kernel
//
// [FindKernel] reads the kernel cache that fetch-kernel.sh fills (a Debian
// kernel .deb unpacked, never installed, plus the uncompressed vmlinux that
// qemu boots through its PVH entry). Its place is $RAWNS_KERNEL_DIR, by
// default /var/cache/rawns-kernel. [ResolveModules] takes modules from it in
// dependency order, read from each module's .modinfo section.
//
// # Boot
//
// [Boot] runs qemu with a deadline and returns the serial console. qemu's
// exit status is not trusted: the console is (see package lab).
package initramfs
