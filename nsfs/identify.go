package nsfs

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Identify returns the name of the network namespace of process pid ("self"
// or decimal digits), as "ip netns identify" does: it compares the device
// and inode of /proc/PID/ns/net with every file in the run directory and
// keeps the last match in readdir order. No match, or a missing run
// directory, gives "". A pid that is not all digits gives an *Error with Op
// OpNotPid.
func (d Dirs) Identify(pid string) (string, error) {
	if pid != "self" && !isPid(pid) {
		return "", &Error{Op: OpNotPid, Name: pid}
	}
	want, err := statNetns("/proc/" + pid + "/ns/net")
	if err != nil {
		return "", err
	}
	run := d.RunDir()
	names, err := readNames(run)
	if err != nil {
		if os.IsNotExist(err) {
			return "", nil
		}
		return "", &Error{Op: OpIdentifyDir, Path: run, Err: err}
	}
	found := ""
	for _, n := range names {
		var st unix.Stat_t
		if unix.Stat(run+"/"+n, &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			found = n
		}
	}
	return found, nil
}

// Pids returns the processes (not threads) whose network namespace is the
// one named name, in /proc readdir order, as "ip netns pids" prints them.
func (d Dirs) Pids(name string) ([]int, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	want, err := statNetns(d.Path(name))
	if err != nil {
		return nil, err
	}
	names, err := readNames("/proc")
	if err != nil {
		return nil, &Error{Op: OpOpenProc, Path: "/proc", Err: err}
	}
	var pids []int
	for _, n := range names {
		if !isPid(n) {
			continue
		}
		var st unix.Stat_t
		if unix.Stat("/proc/"+n+"/ns/net", &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			if pid, err := strconv.Atoi(n); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids, nil
}

// statNetns opens path (O_RDONLY, as iproute2 does, so a dangling name
// fails like ip) and fstats it.
func statNetns(path string) (unix.Stat_t, error) {
	var st unix.Stat_t
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return st, &Error{Op: OpOpenPidNetns, Path: path, Err: os.NewSyscallError("open", err)}
	}
	defer unix.Close(fd)
	if err := unix.Fstat(fd, &st); err != nil {
		return st, &Error{Op: OpStatNetns, Path: path, Err: os.NewSyscallError("fstat", err)}
	}
	return st, nil
}

// isPid reports whether s is all decimal digits, iproute2's is_pid (which
// also accepts "").
func isPid(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
