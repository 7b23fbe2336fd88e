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
// Switches it, prints each /etc bind warning to standard error in
// iproute2's words, and execve(2)s argv[0], searched in PATH like execvp(3),
// with env (os.Environ() when env is nil). The program replaces the process,
// so its exit status is the process's.
//
// Exec returns only on failure, with the goroutine still locked to a thread
// that may be in the namespace (the caller should exit). A failure of the
// execve itself is an *Error with Op OpExec (Error.Exec reports true; ip
// exits 1); any other error is a setup failure (ip exits 255).
func (d Dirs) Exec(name string, argv []string, env []string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	if len(argv) == 0 || argv[0] == "" {
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
	for _, w := range warnings {
		os.Stderr.WriteString(w.IPRoute2() + "\n")
	}
	return execvp(argv, env)
}

// execvp tries argv[0] as a path when it contains '/', else each PATH
// directory in turn (the default "/bin:/usr/bin" of glibc when PATH is
// unset), like execvp(3) without its /bin/sh fallback for ENOEXEC. The
// error is from the last relevant attempt, EACCES winning as in glibc.
func execvp(argv, env []string) error {
	file := argv[0]
	if strings.IndexByte(file, '/') >= 0 {
		return execErr(file, syscall.Exec(file, argv, env))
	}
	path, ok := os.LookupEnv("PATH")
	if !ok {
		path = "/bin:/usr/bin"
	}
	err := error(unix.ENOENT)
	sawEACCES := false
	for _, dir := range strings.Split(path, ":") {
		if dir == "" {
			dir = "."
		}
		e := syscall.Exec(dir+"/"+file, argv, env)
		switch e {
		case unix.EACCES:
			sawEACCES = true
		case unix.ENOENT, unix.ENOTDIR, unix.ESTALE, unix.ENODEV, unix.ETIMEDOUT:
		default:
			return execErr(file, e)
		}
		err = e
	}
	if sawEACCES {
		err = unix.EACCES
	}
	return execErr(file, err)
}

func execErr(file string, err error) error {
	return &Error{Op: OpExec, Name: file, Err: os.NewSyscallError("execve", err)}
}
