package nsfs

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Add creates a new network namespace and names it: it prepares the run
// directory (creating it, and making it a shared mount under a flock),
// creates RUN_DIR/NAME with mode 0 and O_EXCL, unshares a network namespace
// on a throwaway locked thread and bind-mounts that thread's namespace onto
// the file, as "ip netns add" does. The calling thread never changes
// namespace. Any failure after the file exists unmounts and removes it.
func (d Dirs) Add(name string) error { return d.add(name, setnsNet) }

// Attach names the network namespace of process pid, as
// "ip netns attach NAME PID" does: like Add, but bind-mounting
// /proc/PID/ns/net. A pid of 0 gives an *Error with Op OpInvalidPid.
func (d Dirs) Attach(name string, pid int) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if pid == 0 {
		return &Error{Op: OpInvalidPid, Name: "0"}
	}
	path, err := d.create(name)
	if err != nil {
		return err
	}
	src := "/proc/" + strconv.Itoa(pid) + "/ns/net"
	if err := unix.Mount(src, path, "none", unix.MS_BIND, ""); err != nil {
		unix.Unlink(path)
		return &Error{Op: OpBindNetns, Name: name, Path: path, Source: src, Err: os.NewSyscallError("mount", err)}
	}
	return nil
}

func (d Dirs) add(name string, restore restoreFunc) error {
	if err := ValidName(name); err != nil {
		return err
	}
	path, err := d.create(name)
	if err != nil {
		return err
	}
	err = inThread(func() error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return &Error{Op: OpUnshareNet, Name: name, Err: os.NewSyscallError("unshare", err)}
		}
		if err := unix.Mount(threadSelfNet, path, "none", unix.MS_BIND, ""); err != nil {
			return &Error{Op: OpBindNetns, Name: name, Path: path, Source: threadSelfNet, Err: os.NewSyscallError("mount", err)}
		}
		return nil
	}, restore)
	if err != nil {
		remove(path)
	}
	return err
}

// create prepares the run directory and creates the empty namespace file.
func (d Dirs) create(name string) (string, error) {
	if err := d.mkdirRun(); err != nil {
		return "", err
	}
	if err := d.shareRun(); err != nil {
		return "", err
	}
	path := d.Path(name)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", &Error{Op: OpCreateFile, Name: name, Path: path, Err: os.NewSyscallError("open", err)}
	}
	unix.Close(fd)
	return path, nil
}

// remove detaches whatever is mounted on path and unlinks it, as iproute2's
// delete does: a failed umount2 (nothing mounted) is expected and ignored.
func remove(path string) error {
	unix.Unmount(path, unix.MNT_DETACH)
	if err := unix.Unlink(path); err != nil {
		return os.NewSyscallError("unlink", err)
	}
	return nil
}
