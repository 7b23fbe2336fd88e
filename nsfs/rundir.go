package nsfs

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// mkdirRun creates the run directory with mode 0755, and its parent (such
// as /run in an initramfs) when that is missing too. An existing directory
// is fine.
func (d Dirs) mkdirRun() error {
	run := d.RunDir()
	err := unix.Mkdir(run, 0o755)
	if err == unix.ENOENT {
		if perr := unix.Mkdir(filepath.Dir(run), 0o755); perr == nil || perr == unix.EEXIST {
			err = unix.Mkdir(run, 0o755)
		}
	}
	if err != nil && err != unix.EEXIST {
		return &Error{Op: OpMkdirRun, Path: run, Err: os.NewSyscallError("mkdir", err)}
	}
	return nil
}

// shareRun makes the run directory a shared mount, under an exclusive flock
// so that parallel callers (and ip processes) do not stack bind mounts, as
// iproute2's netns_add does. A directory that is not yet a mount point
// (EINVAL) is bind-mounted onto itself and made private first, so that it
// gets a peer group of its own (iproute2 HEAD). A failed flock is only a
// warning in iproute2; here it is ignored the same way.
func (d Dirs) shareRun() error {
	run := d.RunDir()
	lock, err := unix.Open(run, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &Error{Op: OpOpenRun, Path: run, Err: os.NewSyscallError("open", err)}
	}
	defer unix.Close(lock)
	if unix.Flock(lock, unix.LOCK_EX) == nil {
		defer unix.Flock(lock, unix.LOCK_UN)
	}
	made := false
	for {
		err := unix.Mount("", run, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		if err != unix.EINVAL || made {
			return &Error{Op: OpMakeShared, Path: run, Err: os.NewSyscallError("mount", err)}
		}
		if err := unix.Mount(run, run, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return &Error{Op: OpBindRun, Path: run, Err: os.NewSyscallError("mount", err)}
		}
		if err := unix.Mount(run, run, "none", unix.MS_PRIVATE|unix.MS_REC, ""); err != nil {
			return &Error{Op: OpMakePrivate, Path: run, Err: os.NewSyscallError("mount", err)}
		}
		made = true
	}
}
