package ip

// ip netns exec, ip -all netns exec, and ip -n NS: running in a named
// namespace with the environment iproute2's netns_switch sets up.

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/nsfs"
)

// switchNetns is `ip -n NAME` (or -netns): it locks the calling goroutine,
// which is the main one, to its OS thread for good and moves that thread
// into namespace NAME with the full `ip netns exec` environment (nsfs
// Dirs.Switch: setns, a private mount namespace, rslave /, a fresh /sys,
// the /etc/netns/NAME binds), all in-process, before any socket is opened.
//
// For every command after this: sockets (rtnetlink, ICMP) live in NAME only
// when they are opened from the main goroutine, the only one on this
// thread. Goroutines started afterwards run on other threads, which are
// still in the original namespaces. The thread is poisoned for good: it is
// never unlocked, so it never returns to the scheduler in NAME, and it ends
// with the process.
func switchNetns(e *env, name string) error {
	runtime.LockOSThread()
	warnings, err := nsfs.Dirs{}.Switch(name)
	for _, w := range warnings {
		io.WriteString(e.stderr, ipmsg.Netns(w)+"\n")
	}
	return netnsErr(err, exitUsage)
}

// netnsExec is `ip netns exec NAME CMD...` and `ip -all netns exec CMD...`.
// Outside a batch there is no fork: this process switches namespace and
// execs CMD, whose exit status is then the status (1 when the exec fails,
// 255 when the setup does). In a batch, and for -all, each command runs in
// a child process and the batch goes on. The program gets this process's
// environment as it is: nothing of rawns's is added or taken away.
func netnsExec(e *env, a *words) error {
	args := a.rest()
	if e.opts.all {
		if len(args) < 1 {
			return failErr("No command specified")
		}
		return netnsExecAll(e, args)
	}
	switch {
	case len(args) < 1:
		return failErr("No netns name specified")
	case len(args) < 2:
		return failErr("No command specified")
	}
	if e.opts.inBatch {
		code, killed, err := netnsRun(e, args[0], args[1:])
		switch {
		case err != nil || code == 0:
			return err
		case killed:
			return &exitNow{}
		}
		// Any status is just a failed line to the batch ("Command
		// failed"), which then exits 1; 255 must not read as exit(-1).
		return &exitError{code: exitFail}
	}
	e.stdout.Flush()
	err := nsfs.Dirs{}.Exec(args[0], args[1:], callerEnv(), func(w *nsfs.Error) {
		os.Stderr.WriteString(ipmsg.Netns(w) + "\n")
	})
	var ne *nsfs.Error
	if errors.As(err, &ne) && ne.Exec() {
		return netnsErr(err, exitFail)
	}
	return netnsErr(err, exitUsage)
}

// netnsExecAll runs args in every named namespace, in readdir order, each
// announced by "\nnetns: NAME\n". The commands' statuses are ignored; no
// run directory means nothing to do.
func netnsExecAll(e *env, args []string) error {
	names, err := nsfs.Dirs{}.List()
	if err != nil {
		return netnsErr(err, exitFail)
	}
	for _, name := range names {
		e.stdout.WriteString("\nnetns: " + name + "\n")
		_, killed, err := netnsRun(e, name, args)
		if err != nil {
			return err
		}
		if killed {
			if e.opts.inBatch {
				return &exitNow{}
			}
			return &exitError{code: exitFail}
		}
	}
	return nil
}

// netnsRun runs `netns exec NAME args...` in a child process (this binary
// again, as ip) and waits for it, as iproute2's cmd_exec does with
// do_fork. The child is started from the calling goroutine, so under -n it
// inherits the switched namespaces. It returns the child's exit status; a
// child killed by a signal gives status 1 and killed, on which ip exits.
// The child is told nothing beyond its arguments: its status only says
// whether the line failed (a setup failure is 255 in it, 1 in HEAD's
// forked child; either is "Command failed"), and so its environment stays
// the caller's.
func netnsRun(e *env, name string, args []string) (code int, killed bool, err error) {
	e.stdout.Flush()
	argv := append([]string{"ip", "netns", "exec", name}, args...)
	p, err := os.StartProcess("/proc/self/exe", argv, &os.ProcAttr{
		Env:   callerEnv(),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
	})
	if err != nil {
		return 0, false, failErr("fork: " + err.Error())
	}
	st, err := p.Wait()
	if err != nil {
		return 0, false, failErr("waitpid: " + err.Error())
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return exitFail, true, nil
	}
	return st.ExitCode(), false, nil
}

// callerEnv returns the environment this process was started with, entry
// for entry, as ip's execvp passes it on: /proc/self/environ keeps what
// os.Environ drops (a second entry for the same name; os/exec would drop
// it too). Without /proc it is os.Environ().
func callerEnv() []string {
	b, err := os.ReadFile("/proc/self/environ")
	if err != nil || len(b) == 0 {
		return os.Environ()
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}
