package nsfs

import (
	"os"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Exec runs argv in namespace name the way "ip netns exec NAME CMD..."
// does: it validates the name, locks the calling goroutine to its thread,
// Switches it, passes each /etc bind failure (an *Error with Op OpBindEtc,
// not fatal) to warn when warn is not nil, and runs argv[0] with env (os.Environ() when env is nil)
// as glibc's execvp(3) does: searched in PATH, a script without "#!" run by
// /bin/sh; "" is a name that is not found. The program replaces the process,
// so its exit status is the process's.
//
// Exec returns only on failure, with the goroutine still locked to a thread
// that may be in the namespace (the caller should exit). A failure of the
// execve itself is an *Error with Op OpExec (Error.Exec reports true; ip
// exits 1); any other error is a setup failure (ip exits 255).
func (d Dirs) Exec(name string, argv []string, env []string, warn func(*Error)) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if len(argv) == 0 {
		return &Error{Op: OpNoCommand, Name: name}
	}
	if env == nil {
		env = os.Environ()
	}
	runtime.LockOSThread()
	warnings, err := d.Switch(name)
	if err != nil {
		return err
	}
	if warn != nil {
		for _, w := range warnings {
			warn(w)
		}
	}
	return execvp(argv, env)
}

// execvp is glibc's execvp(3) (posix/execvpe.c), which "ip netns exec"
// calls: argv[0] is tried as a path when it contains '/', else in each PATH
// directory in turn ("/bin:/usr/bin" when PATH is unset; an empty entry
// means the bare name, relative to the working directory), "" is not found,
// and a file the kernel cannot run (ENOEXEC) is run by /bin/sh (see
// execFile). The search goes on past a missing file or directory, and
// stops at any other error; the error is from the last attempt, EACCES
// winning when one was denied.
func execvp(argv, env []string) error {
	file := argv[0]
	switch {
	case file == "":
		return execErr(file, unix.ENOENT)
	case strings.IndexByte(file, '/') >= 0:
		return execErr(file, execFile(file, argv, env))
	case len(file) > unix.NAME_MAX:
		return execErr(file, unix.ENAMETOOLONG)
	}
	path, ok := os.LookupEnv("PATH")
	if !ok {
		path = "/bin:/usr/bin"
	}
	var err error
	sawEACCES := false
	for _, dir := range strings.Split(path, ":") {
		name := file
		if dir != "" {
			name = dir + "/" + file
		}
		err = execFile(name, argv, env)
		switch err {
		case unix.EACCES:
			sawEACCES = true
		case unix.ENOENT, unix.ENOTDIR, unix.ESTALE, unix.ENODEV, unix.ETIMEDOUT:
		default:
			return execErr(file, err)
		}
	}
	if sawEACCES {
		err = unix.EACCES
	}
	return execErr(file, err)
}

// execFile execve(2)s the file name with argv. When the kernel refuses it
// with ENOEXEC (no "#!" line, no binary format it knows), it runs
// "/bin/sh name argv[1:]..." instead, as glibc's execvp does; the error is
// then the shell's.
func execFile(name string, argv, env []string) error {
	err := syscall.Exec(name, argv, env)
	if err != unix.ENOEXEC {
		return err
	}
	sh := append([]string{"/bin/sh", name}, argv[1:]...)
	return syscall.Exec("/bin/sh", sh, env)
}

func execErr(file string, err error) error {
	return &Error{Op: OpExec, Name: file, Err: os.NewSyscallError("execve", err)}
}
