package nsfs

import (
	"os"

	"golang.org/x/sys/unix"
)

// Do runs fn on a throwaway goroutine locked to an OS thread that it first
// moves into the network namespace of fd (an nsfs file such as one from
// Dirs.Open), and returns fn's error. Sockets that fn opens stay in that
// namespace after Do returns. Goroutines that fn starts do not run in the
// namespace. Afterwards the thread returns to its original namespace; if
// that fails, the thread is ended rather than reused (poisoned) and Do
// returns fn's error or else an *Error with Op OpRestore.
func Do(fd int, fn func() error) error {
	return do(fd, fn, setnsNet)
}

func do(fd int, fn func() error, restore restoreFunc) error {
	return inThread(func() error {
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			return &Error{Op: OpSetns, Err: os.NewSyscallError("setns", err)}
		}
		return fn()
	}, restore)
}
