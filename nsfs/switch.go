package nsfs

import (
	"os"

	"golang.org/x/sys/unix"
)

// Switch moves the calling thread into namespace name with the environment
// of "ip netns exec" and "ip -n", iproute2's netns_switch: it opens
// RUN_DIR/NAME, setns(2)s into it, unshares a mount namespace for the thread
// (only its fs_struct is unshared, so this works in a multi-threaded
// process), makes / a recursive slave, replaces /sys with a fresh sysfs (the
// source string is the name; read-only when the old /sys could not be
// unmounted and was read-only), and bind-mounts every entry E of
// ETC_DIR/NAME over /etc/E.
//
// The caller must have locked its goroutine to the thread
// (runtime.LockOSThread) and must never unlock it: the thread is left in
// the namespace, which is the point. Nothing is undone on failure.
//
// Like "ip -n NAME", Switch does not apply ValidName: the path is
// RUN_DIR/NAME verbatim, so a name with '/' fails (or not) as it does for ip.
// Failed /etc binds are not fatal; they come back as warnings (Op OpBindEtc)
// in readdir order, for the caller to print.
func (d Dirs) Switch(name string) (warnings []*Error, err error) {
	path := d.Path(name)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{Op: OpOpenNetns, Name: name, Path: path, Err: os.NewSyscallError("open", err)}
	}
	err = unix.Setns(fd, unix.CLONE_NEWNET)
	unix.Close(fd)
	if err != nil {
		return nil, &Error{Op: OpSetns, Name: name, Path: path, Err: os.NewSyscallError("setns", err)}
	}
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return nil, &Error{Op: OpUnshareMnt, Name: name, Err: os.NewSyscallError("unshare", err)}
	}
	// Don't let any mounts propagate back to the parent.
	if err := unix.Mount("", "/", "none", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return nil, &Error{Op: OpMakeRslave, Name: name, Path: "/", Err: os.NewSyscallError("mount", err)}
	}
	var flags uintptr
	if unix.Unmount("/sys", unix.MNT_DETACH) != nil {
		// Perhaps no sysfs was mounted; if one is and cannot be unmounted,
		// it is shadowed, and a read-only one only by a read-only one.
		var st unix.Statfs_t
		if unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags = unix.MS_RDONLY
		}
	}
	if err := unix.Mount(name, "/sys", "sysfs", flags, ""); err != nil {
		return nil, &Error{Op: OpMountSys, Name: name, Path: "/sys", Err: os.NewSyscallError("mount", err)}
	}
	return d.bindEtc(name), nil
}

// bindEtc bind-mounts each entry of ETC_DIR/NAME over /etc/ENTRY, and
// returns the failures. Like iproute2 it skips names of 255 bytes or more
// and a missing or unreadable directory.
func (d Dirs) bindEtc(name string) []*Error {
	if len(name) >= nameMax {
		return nil
	}
	dir := d.EtcDir() + "/" + name
	names, err := readNames(dir)
	if err != nil {
		return nil
	}
	var warnings []*Error
	for _, e := range names {
		src, dst := dir+"/"+e, "/etc/"+e
		if err := unix.Mount(src, dst, "none", unix.MS_BIND, ""); err != nil {
			warnings = append(warnings, &Error{Op: OpBindEtc, Name: name, Path: dst, Source: src, Err: os.NewSyscallError("mount", err)})
		}
	}
	return warnings
}
