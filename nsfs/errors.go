package nsfs

import (
	"errors"

	"golang.org/x/sys/unix"
)

// Op names the step of an nsfs operation that failed. Its value is a short
// lowercase description used by Error.Error; Error.IPRoute2 maps it to
// iproute2's wording.
type Op string

// The steps. Each comment gives the iproute2 message that Error.IPRoute2
// produces for it (%n the name, %p Path, %s Source, %e the error text).
const (
	OpMkdirRun     Op = "mkdir"                         // mkdir %p failed: %e
	OpOpenRun      Op = "open runtime directory"        // Cannot open netns runtime directory "%p": %e
	OpLockRun      Op = "lock runtime directory"        // Warning: could not flock netns runtime directory "%p": %e
	OpMakeShared   Op = "make shared"                   // mount --make-shared %p failed: %e
	OpBindRun      Op = "bind runtime directory"        // mount --bind %p %p failed: %e
	OpMakePrivate  Op = "make private"                  // mount --make-private %p failed: %e
	OpCreateFile   Op = "create namespace file"         // Cannot create namespace file "%p": %e
	OpSave         Op = "open current namespace"        // Cannot open init namespace: %e
	OpUnshareNet   Op = "create namespace"              // Failed to create a new network namespace "%n": %e
	OpBindNetns    Op = "bind namespace"                // Bind %s -> %p failed: %e
	OpRestore      Op = "restore namespace"             // setns: %e
	OpRemoveFile   Op = "remove namespace file"         // Cannot remove namespace file "%p": %e
	OpReadRun      Op = "read runtime directory"        // Failed to open directory %p: %e
	OpIdentifyDir  Op = "read runtime directory for id" // Failed to open directory %p:%e (sic, no space)
	OpOpenNetns    Op = "open namespace"                // Cannot open network namespace "%n": %e
	OpOpenPidNetns Op = "open namespace of"             // Cannot open network namespace: %e
	OpStatNetns    Op = "stat namespace"                // Stat of netns failed: %e
	OpNotPid       Op = "parse pid"                     // Specified string '%n' is not a pid
	OpOpenProc     Op = "read /proc"                    // Open of /proc failed: %e
	OpSetns        Op = "enter namespace"               // setting the network namespace "%n" failed: %e
	OpUnshareMnt   Op = "unshare mount namespace"       // unshare failed: %e
	OpMakeRslave   Op = "make / rslave"                 // "mount --make-rslave /" failed: %e
	OpMountSys     Op = "mount sysfs"                   // mount of /sys failed: %e
	OpBindEtc      Op = "bind etc file"                 // Bind %s -> %p failed: %e (a warning)
	OpExec         Op = "exec"                          // exec of "%n" failed: %e
	OpInotifyInit  Op = "inotify init"                  // inotify_init failed: %e
	OpInotifyWatch Op = "inotify watch"                 // inotify_add_watch failed: %e
	OpInotifyRead  Op = "inotify read"                  // read failed: %e
	OpNoCommand    Op = "exec without command"          // No command specified
	OpInvalidPid   Op = "attach"                        // Invalid PID: %n
)

// Error is a failed step of an nsfs operation. Err is usually an
// *os.SyscallError, so errors.Is(err, unix.EEXIST) and the like hold.
type Error struct {
	Op     Op     // the step that failed
	Name   string // the namespace name, pid string or program, as the step needs
	Path   string // the file or directory the step acted on, if any
	Source string // the source of a bind mount, if any
	Err    error  // the cause
}

// Error returns a Go-style message: the step, its path, and the cause.
func (e *Error) Error() string {
	s := string(e.Op)
	switch {
	case e.Source != "":
		s += " " + e.Source + " -> " + e.Path
	case e.Path != "":
		s += " " + e.Path
	case e.Name != "":
		s += " " + quote(e.Name)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Exec reports whether e is a failure of the final execve of Dirs.Exec
// (ip exits 1) rather than of the namespace setup before it (ip exits 255).
func (e *Error) Exec() bool { return e.Op == OpExec }

// IPRoute2 returns the message iproute2 6.1 prints for this failure, without
// the trailing newline, such as
// `Cannot create namespace file "/run/netns/x": File exists`.
func (e *Error) IPRoute2() string {
	m := strerror(e.Err)
	switch e.Op {
	case OpMkdirRun:
		return "mkdir " + e.Path + " failed: " + m
	case OpOpenRun:
		return "Cannot open netns runtime directory " + quote(e.Path) + ": " + m
	case OpLockRun:
		return "Warning: could not flock netns runtime directory " + quote(e.Path) + ": " + m
	case OpMakeShared:
		return "mount --make-shared " + e.Path + " failed: " + m
	case OpBindRun:
		return "mount --bind " + e.Path + " " + e.Path + " failed: " + m
	case OpMakePrivate:
		return "mount --make-private " + e.Path + " failed: " + m
	case OpCreateFile:
		return "Cannot create namespace file " + quote(e.Path) + ": " + m
	case OpSave:
		return "Cannot open init namespace: " + m
	case OpUnshareNet:
		return "Failed to create a new network namespace " + quote(e.Name) + ": " + m
	case OpBindNetns, OpBindEtc:
		return "Bind " + e.Source + " -> " + e.Path + " failed: " + m
	case OpRestore:
		return "setns: " + m
	case OpRemoveFile:
		return "Cannot remove namespace file " + quote(e.Path) + ": " + m
	case OpReadRun:
		return "Failed to open directory " + e.Path + ": " + m
	case OpIdentifyDir:
		return "Failed to open directory " + e.Path + ":" + m
	case OpOpenNetns:
		return "Cannot open network namespace " + quote(e.Name) + ": " + m
	case OpOpenPidNetns:
		return "Cannot open network namespace: " + m
	case OpStatNetns:
		return "Stat of netns failed: " + m
	case OpNotPid:
		return "Specified string '" + e.Name + "' is not a pid"
	case OpOpenProc:
		return "Open of /proc failed: " + m
	case OpSetns:
		return "setting the network namespace " + quote(e.Name) + " failed: " + m
	case OpUnshareMnt:
		return "unshare failed: " + m
	case OpMakeRslave:
		return `"mount --make-rslave /" failed: ` + m
	case OpMountSys:
		return "mount of /sys failed: " + m
	case OpExec:
		return "exec of " + quote(e.Name) + " failed: " + m
	case OpInotifyInit:
		return "inotify_init failed: " + m
	case OpInotifyWatch:
		return "inotify_add_watch failed: " + m
	case OpInotifyRead:
		return "read failed: " + m
	case OpNoCommand:
		return "No command specified"
	case OpInvalidPid:
		return "Invalid PID: " + e.Name
	}
	return e.Error()
}

func quote(s string) string { return `"` + s + `"` }

// strerror returns the C library's text for the errno inside err ("File
// exists"): Go's text with its first letter upper-cased, which matches
// glibc for the errors these steps meet. Anything else gives err.Error().
func strerror(err error) string {
	if err == nil {
		return ""
	}
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return err.Error()
	}
	s := errno.Error()
	if s != "" && 'a' <= s[0] && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
