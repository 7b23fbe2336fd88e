package nsfs

import (
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// threadSelfNet is the calling thread's network namespace. /proc/self/ns/net
// would name the thread group leader's, which is another thread in Go.
const threadSelfNet = "/proc/thread-self/ns/net"

// restoreFunc returns the calling thread to the namespace of fd. The real
// one is setnsNet; tests inject failing ones through export_test.go.
type restoreFunc func(fd int) error

// setnsNet wraps setns(2) for a network namespace.
func setnsNet(fd int) error {
	if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
		return os.NewSyscallError("setns", err)
	}
	return nil
}

// inThread runs work on a new goroutine locked to a thread that is not the
// main thread, after saving that thread's network namespace, and then
// restores it with restore. work may move the thread to another network
// namespace and nothing else. If the restore fails, the goroutine exits
// still locked, so the runtime ends its thread (poisoned). The result is
// work's error, else the restore error.
func inThread(work func() error, restore restoreFunc) error {
	ch := make(chan error, 1)
	go lockedMain(work, restore, ch)
	return <-ch
}

// lockedMain locks the goroutine to its thread. On the main thread, which
// the runtime wedges instead of ending when a goroutine exits locked, it
// keeps that thread locked (so nothing else can run on it) until a second
// goroutine has locked a thread of its own, and hands the work over.
func lockedMain(work func() error, restore restoreFunc, ch chan<- error) {
	runtime.LockOSThread()
	if unix.Gettid() != unix.Getpid() {
		lockedRun(work, restore, ch)
		return
	}
	started := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		close(started)
		lockedRun(work, restore, ch)
	}()
	<-started
	runtime.UnlockOSThread()
}

// lockedRun runs on a locked thread other than the main one.
func lockedRun(work func() error, restore restoreFunc, ch chan<- error) {
	orig, err := unix.Open(threadSelfNet, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		ch <- &Error{Op: OpSave, Path: threadSelfNet, Err: os.NewSyscallError("open", err)}
		return
	}
	werr := work()
	rerr := restore(orig)
	unix.Close(orig)
	if rerr != nil {
		// Poisoned: the thread may still be in the foreign namespace. Return
		// without unlocking, so the runtime ends the thread with this
		// goroutine instead of scheduling others on it.
		if werr == nil {
			werr = &Error{Op: OpRestore, Err: rerr}
		}
		ch <- werr
		return
	}
	runtime.UnlockOSThread()
	ch <- werr
}
