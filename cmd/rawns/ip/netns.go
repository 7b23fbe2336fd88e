package ip

// ip netns (ip/ipnetns.c): the subcommand table, name validation, and the
// subcommands that only manage names. exec and -n are in netns_exec.go, the
// nsid ones (list, list-id, set) in netns_id.go.

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// netnsCommand is a row of the netns subcommand table.
type netnsCommand struct {
	name string
	run  func(e *env, a *words) error
}

// netnsCommands returns the subcommands in the order do_netns tries them,
// so that prefixes resolve as in iproute2: "l" and "s" list, "a" add, "d"
// delete, "e" exec, "list-" list-id.
func netnsCommands() []netnsCommand {
	return []netnsCommand{
		{"list", netnsList},
		{"show", netnsList},
		{"lst", netnsList},
		{"list-id", netnsListID},
		{"help", netnsHelp},
		{"add", netnsAdd},
		{"set", netnsSet},
		{"delete", netnsDelete},
		{"identify", netnsIdentify},
		{"pids", netnsPids},
		{"exec", netnsExec},
		{"monitor", netnsMonitor},
		{"attach", netnsAttach},
	}
}

// doNetns is `ip netns`. Bare `ip netns` lists. Whatever the subcommand,
// even an unknown one, the word after it must be a valid name unless -all
// is given (do_netns checks argv[1] before it looks at argv[0]).
func doNetns(e *env, a *words) error {
	if !a.more() {
		return netnsList(e, a)
	}
	argv := a.rest()
	if !e.opts.all && len(argv) > 1 {
		if err := nsfs.ValidName(argv[1]); err != nil {
			return netnsErr(err, exitUsage)
		}
	}
	for _, c := range netnsCommands() {
		if matches(argv[0], c.name) {
			return c.run(e, &words{w: argv[1:]})
		}
	}
	return usageErr(`Command "` + argv[0] + `" is unknown, try "ip netns help".`)
}

// netnsErr turns an nsfs failure into iproute2's message and the exit
// status code. It returns nil for nil.
func netnsErr(err error, code int) error {
	if err == nil {
		return nil
	}
	var ne *nsfs.Error
	if errors.As(err, &ne) {
		return &exitError{code: code, msg: ipmsg.Netns(ne)}
	}
	var name *nsfs.NameError
	if errors.As(err, &name) {
		return usageErr(ipmsg.NetnsName(name))
	}
	return &exitError{code: code, msg: err.Error()}
}

// netnsHelp is `ip netns help`: usage on stderr, exit 255.
func netnsHelp(e *env, a *words) error {
	io.WriteString(e.stderr, netnsUsage)
	return &exitError{code: exitUsage}
}

const netnsUsage = "Usage:\tip netns list\n" +
	"\tip netns add NAME\n" +
	"\tip netns attach NAME PID\n" +
	"\tip netns set NAME NETNSID\n" +
	"\tip [-all] netns delete [NAME]\n" +
	"\tip netns identify [PID]\n" +
	"\tip netns pids NAME\n" +
	"\tip [-all] netns exec [NAME] cmd ...\n" +
	"\tip netns monitor\n" +
	"\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]\n" +
	"NETNSID := auto | POSITIVE-INT\n"

// netnsAdd is `ip netns add NAME`; words after NAME are ignored, as in
// iproute2.
func netnsAdd(e *env, a *words) error {
	name, ok := a.next()
	if !ok {
		return failErr("No netns name specified")
	}
	return netnsErr(nsfs.Dirs{}.Add(name), exitFail)
}

// netnsAttach is `ip netns attach NAME PID`.
func netnsAttach(e *env, a *words) error {
	args := a.rest()
	if len(args) < 2 {
		return failErr("No netns name and PID specified")
	}
	pid, ok := cInt32(args[1])
	if !ok || pid == 0 {
		return failErr("Invalid PID: " + args[1])
	}
	return netnsErr(nsfs.Dirs{}.Attach(args[0], int(pid)), exitFail)
}

// netnsDelete is `ip netns delete NAME` and `ip -all netns delete`. With
// -all the first failure is printed and ends the walk, but the exit status
// stays 0, as it does when there is no run directory.
func netnsDelete(e *env, a *words) error {
	d := nsfs.Dirs{}
	if e.opts.all {
		if err := d.DeleteAll(); err != nil {
			io.WriteString(e.stderr, netnsErr(err, exitFail).Error()+"\n")
		}
		return nil
	}
	name, ok := a.next()
	if !ok {
		return failErr("No netns name specified")
	}
	return netnsErr(d.Delete(name), exitFail)
}

// runDirOpens reports whether opendir(RUN_DIR) would succeed, which tells
// a missing run directory (list prints nothing, not even "[]") from an
// empty one.
func runDirOpens(d nsfs.Dirs) bool {
	fd, err := unix.Open(d.RunDir(), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// netnsIdentify is `ip netns identify [PID]`: the name of the namespace
// of PID (default: this process), or an empty line.
func netnsIdentify(e *env, a *words) error {
	args := a.rest()
	// "self" would be the thread group leader, whose namespace is not the
	// one -n switched the main goroutine's thread into; ip, being single
	// threaded, means its own.
	pid := strconv.Itoa(unix.Gettid())
	switch {
	case len(args) > 1:
		return failErr("extra arguments specified")
	case len(args) == 1:
		pid = args[0]
		if !allDigits(pid) {
			return failErr("Specified string '" + pid + "' is not a pid")
		}
	}
	name, err := nsfs.Dirs{}.Identify(pid)
	if err != nil {
		return netnsErr(err, exitFail)
	}
	e.stdout.WriteString(name + "\n")
	return nil
}

// netnsPids is `ip netns pids NAME`.
func netnsPids(e *env, a *words) error {
	args := a.rest()
	switch {
	case len(args) < 1:
		return failErr("No netns name specified")
	case len(args) > 1:
		return failErr("extra arguments specified")
	}
	pids, err := nsfs.Dirs{}.Pids(args[0])
	if err != nil {
		return netnsErr(err, exitFail)
	}
	var b [12]byte
	for _, p := range pids {
		e.stdout.Write(strconv.AppendInt(b[:0], int64(p), 10))
		e.stdout.WriteByte('\n')
	}
	return nil
}

// netnsMonitor is `ip netns monitor`: "add NAME" and "delete NAME" as
// names come and go, until the process is killed. Unlike ip, each line is
// flushed as it is printed.
func netnsMonitor(e *env, a *words) error {
	err := nsfs.Dirs{}.Monitor(context.Background(), func(op, name string) {
		e.stdout.WriteString(op + " " + name + "\n")
		e.stdout.Flush()
	})
	return netnsErr(err, exitFail)
}

// allDigits reports whether s holds only decimal digits, iproute2's is_pid
// (true for "").
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
