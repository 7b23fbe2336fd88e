package initramfs

import (
	"fmt"
	"io"
	"strings"
)

// ModuleOrder is the file of the image that lists the module files under
// /lib/modules in load order, one a line.
const ModuleOrder = "lib/modules/order"

// An Image is what WriteImage puts into the lab's initramfs.
type Image struct {
	// Init is the static program that becomes /init.
	Init []byte
	// Rawns is the static rawns binary that becomes /bin/rawns.
	Rawns []byte
	// Modules are the kernel modules to load, in load order.
	Modules []Module
}

// WriteImage writes img as a newc cpio archive to w:
//
//	/init              img.Init
//	/bin/rawns         img.Rawns
//	/bin/ip, /bin/ping symbolic links to rawns
//	/dev/console       character device 5:1
//	/proc, /sys        empty mount points
//	/lib/modules/      the modules as NAME.ko, and ModuleOrder
//
// Nothing else: no /etc, no /run, no libc.
func WriteImage(w io.Writer, img Image) error {
	if len(img.Init) == 0 || len(img.Rawns) == 0 {
		return fmt.Errorf("image: init and rawns must not be empty")
	}
	cw := NewWriter(w)
	for _, d := range []string{"bin", "dev", "lib", "lib/modules", "proc", "sys"} {
		cw.Dir(d, 0o755)
	}
	cw.CharDevice("dev/console", 0o600, 5, 1)
	cw.File("init", 0o755, img.Init)
	cw.File("bin/rawns", 0o755, img.Rawns)
	cw.Symlink("bin/ip", "rawns")
	cw.Symlink("bin/ping", "rawns")
	var order strings.Builder
	for _, m := range img.Modules {
		file := m.Name + ".ko"
		cw.File("lib/modules/"+file, 0o644, m.Data)
		order.WriteString(file + "\n")
	}
	cw.File(ModuleOrder, 0o644, []byte(order.String()))
	return cw.Close()
}
