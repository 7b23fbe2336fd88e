package nsfs

// Op names the step of an nsfs operation that failed. Its value is a short
// lowercase description used by Error.Error. (rawns's ip maps each Op to
// iproute2's wording; the comments below name the system call or file the
// step acts on.)
type Op string

// The steps, with the fields of Error each one sets besides Op and Err.
const (
	OpMkdirRun     Op = "mkdir"                         // mkdir(2) of the run directory, Path
	OpOpenRun      Op = "open runtime directory"        // open(2) of the run directory, Path
	OpLockRun      Op = "lock runtime directory"        // flock(2) of the run directory, Path
	OpMakeShared   Op = "make shared"                   // mount(2) MS_SHARED of Path
	OpBindRun      Op = "bind runtime directory"        // mount(2) MS_BIND of Path onto itself
	OpMakePrivate  Op = "make private"                  // mount(2) MS_PRIVATE of Path
	OpCreateFile   Op = "create namespace file"         // open(2) O_CREAT|O_EXCL of Path
	OpSave         Op = "open current namespace"        // open(2) of the thread's own namespace
	OpUnshareNet   Op = "create namespace"              // unshare(2) CLONE_NEWNET for Name
	OpBindNetns    Op = "bind namespace"                // mount(2) MS_BIND of Source onto Path
	OpRestore      Op = "restore namespace"             // setns(2) back to the thread's namespace
	OpRemoveFile   Op = "remove namespace file"         // unmounting and removing Path
	OpReadRun      Op = "read runtime directory"        // reading the run directory, Path
	OpIdentifyDir  Op = "read runtime directory for id" // reading the run directory, Path, for Identify
	OpOpenNetns    Op = "open namespace"                // open(2) of namespace Name at Path
	OpOpenPidNetns Op = "open namespace of"             // open(2) of a process's namespace, Path
	OpStatNetns    Op = "stat namespace"                // fstat(2) of a namespace file, Path
	OpNotPid       Op = "parse pid"                     // Name is not a process id (no Err)
	OpOpenProc     Op = "read /proc"                    // reading /proc
	OpSetns        Op = "enter namespace"               // setns(2) into namespace Name
	OpUnshareMnt   Op = "unshare mount namespace"       // unshare(2) CLONE_NEWNS
	OpMakeRslave   Op = "make / rslave"                 // mount(2) MS_SLAVE|MS_REC of /
	OpMountSys     Op = "mount sysfs"                   // mount(2) of sysfs on /sys
	OpBindEtc      Op = "bind etc file"                 // mount(2) MS_BIND of Source onto Path (a warning)
	OpExec         Op = "exec"                          // execve(2) of program Name
	OpInotifyInit  Op = "inotify init"                  // inotify_init1(2)
	OpInotifyWatch Op = "inotify watch"                 // inotify_add_watch(2)
	OpInotifyRead  Op = "inotify read"                  // read(2) of inotify events
	OpNoCommand    Op = "exec without command"          // Exec given no program (no Err)
	OpInvalidPid   Op = "attach"                        // Attach given pid Name, not positive (no Err)
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

func quote(s string) string { return `"` + s + `"` }
