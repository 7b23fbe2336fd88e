// Package nsfs manages named network namespaces the way iproute2's
// "ip netns" does: bind mounts of nsfs files under /run/netns, per-name
// configuration under /etc/netns, and the exec environment of
// "ip netns exec" and "ip -n".
//
// # Directories
//
// A [Dirs] value names the run directory (the bind-mount files) and the etc
// directory (per-namespace files bound over /etc). Its zero value means
// [DefaultRunDir] and [DefaultEtcDir]. There is no other state.
//
// # Threads
//
// A network namespace belongs to an OS thread, not to a Go process. Every
// function that enters a namespace does so on a goroutine locked to its
// thread. [Do], [Dirs.Add] and [Dirs.Attach] use a throwaway goroutine and
// return its thread to the original namespace; if that restore fails, the
// goroutine exits still locked and the Go runtime ends the thread (it is
// poisoned), so no goroutine is ever scheduled on a thread in a foreign
// namespace. [Dirs.Switch] and [Dirs.Exec] move the calling thread for good.
//
// # Errors
//
// Failures are returned as [*NameError] (an invalid name, found before
// anything is touched) or [*Error], whose Op names the step that failed,
// with the name and files it acted on and the unix.Errno that stopped it
// (inside an *os.SyscallError). The package never prints: [Dirs.Exec]
// hands the non-fatal warnings of "ip netns exec" to a callback before it
// replaces the process. Wording (iproute2's messages) and exit codes are
// the caller's business.
package nsfs
