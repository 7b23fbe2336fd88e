package bench

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// CPUTime returns the user plus system CPU time the calling process has used
// so far, over all its threads (getrusage(2) with RUSAGE_SELF).
// It does not allocate.
func CPUTime() (time.Duration, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, os.NewSyscallError("getrusage", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
