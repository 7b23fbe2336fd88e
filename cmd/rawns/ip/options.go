package ip

import (
	"bufio"
	"io"

	"github.com/rawns/rawns/cmd/rawns/ping"
	"golang.org/x/sys/unix"
)

// version is what -V prints.
const version = "ip utility, rawns-0.1.0 (iproute2-6.1.0 compatible)\n"

// Main is ip: global options, then one command or a batch file.
func Main(args []string, stdout *bufio.Writer, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	defer e.res.close()
	a := &words{w: args}
	err := parseOptions(e, a)
	if err == nil && e.opts.hasNetns && a.peek() == "ping" {
		// rawns -n NS ping ...: ping in NS (see switchNetns).
		return ping.Main(a.rest()[1:], stdout, stderr)
	}
	if err == nil {
		switch {
		case e.opts.hasBatch:
			err = runBatch(e, e.opts.batch)
		case !a.more():
			err = doHelp(e, a)
		default:
			err = doCmd(e, a.rest())
		}
	}
	return report(e, err)
}

// report prints err as iproute2 would and returns the exit status.
func report(e *env, err error) int {
	if err == nil {
		return 0
	}
	e.stdout.Flush()
	code := exitFail // an *exitNow, or any other failure
	if x, ok := err.(*exitError); ok {
		code = x.code
	}
	// An empty message (an *exitNow for a killed `netns exec` child, an
	// exit status alone) prints nothing, not an empty line.
	if msg := err.Error(); msg != "" {
		io.WriteString(e.stderr, msg+"\n")
	}
	return code
}

// parseOptions consumes ip's global options. Options are matched by prefix
// in iproute2's order (ip/ip.c main, the order of ipOptions), so -b is
// -batch, -br -brief, -n -netns, -h -human, -f -family.
func parseOptions(e *env, a *words) error {
	for a.more() {
		opt := a.peek()
		if opt == "--" {
			a.next()
			break
		}
		if len(opt) < 2 || opt[0] != '-' {
			break
		}
		a.next()
		if opt[1] == '-' {
			opt = opt[1:]
		}
		o := findOption(opt)
		if o == nil {
			return usageErr(`Option "` + opt + `" is unknown, try "ip -help".`)
		}
		if err := o.do(e, a, opt); err != nil {
			return err
		}
	}
	return nil
}

// ipOption is one of ip's global options: the names it answers to (a
// prefix of one of them, or only the name itself when exact) and what it
// does, consuming its value from a when it takes one.
type ipOption struct {
	names []string
	exact bool
	do    func(e *env, a *words, opt string) error
}

// findOption returns the first option in ipOptions that opt names, or nil.
func findOption(opt string) *ipOption {
	for i := range ipOptions {
		o := &ipOptions[i]
		for _, n := range o.names {
			if opt == n || !o.exact && matches(opt, n) {
				return o
			}
		}
	}
	return nil
}

// ipOptions are ip's global options in the order ip/ip.c tests them, which
// decides what a prefix means.
var ipOptions = [...]ipOption{
	{names: []string{"-loops"}, do: refuseOption},
	{names: []string{"-family"}, do: optFamily},
	{names: []string{"-4"}, exact: true, do: setFamily(unix.AF_INET)},
	{names: []string{"-6"}, exact: true, do: setFamily(unix.AF_INET6)},
	{names: []string{"-0"}, exact: true, do: setFamily(unix.AF_PACKET)},
	{names: []string{"-M", "-B"}, exact: true, do: refuseOption},
	// Only statistics are scaled, and rawns prints none.
	{names: []string{"-human", "-human-readable", "-iec"}, do: ignoreOption},
	{names: []string{"-stats", "-statistics", "-details"}, do: refuseOption},
	// Only addresses of routes and neighbours are resolved.
	{names: []string{"-resolve"}, do: ignoreOption},
	{names: []string{"-oneline"}, do: setFlag(func(o *options) *bool { return &o.oneline })},
	{names: []string{"-timestamp", "-tshort"}, do: refuseOption},
	{names: []string{"-Version"}, do: optVersion},
	{names: []string{"-force"}, do: setFlag(func(o *options) *bool { return &o.force })},
	{names: []string{"-batch"}, do: optBatch},
	{names: []string{"-brief"}, do: setFlag(func(o *options) *bool { return &o.brief })},
	{names: []string{"-json"}, do: setFlag(func(o *options) *bool { return &o.json })},
	{names: []string{"-pretty"}, do: setFlag(func(o *options) *bool { return &o.pretty })},
	{names: []string{"-rcvbuf", "-color", "-colour"}, do: refuseOption},
	{names: []string{"-help"}, do: func(e *env, a *words, _ string) error { return doHelp(e, a) }},
	{names: []string{"-netns"}, do: optNetns},
	// Numeric output changes nothing rawns prints.
	{names: []string{"-Numeric"}, do: ignoreOption},
	{names: []string{"-all"}, do: setFlag(func(o *options) *bool { return &o.all })},
	{names: []string{"-echo"}, do: refuseOption},
}

// ignoreOption accepts an option that changes nothing rawns prints.
func ignoreOption(*env, *words, string) error { return nil }

// refuseOption refuses an option iproute2 has and rawns does not.
func refuseOption(_ *env, _ *words, opt string) error { return unsupportedOption(opt) }

// setFamily returns the handler of -4, -6 and -0.
func setFamily(f uint8) func(*env, *words, string) error {
	return func(e *env, _ *words, _ string) error {
		e.opts.family = f
		return nil
	}
}

// setFlag returns the handler of an option that turns on the flag field
// returns.
func setFlag(field func(o *options) *bool) func(*env, *words, string) error {
	return func(e *env, _ *words, _ string) error {
		*field(&e.opts) = true
		return nil
	}
}

// optFamily is -family FAMILY.
func optFamily(e *env, a *words, _ string) error {
	v, ok := a.next()
	if !ok {
		return doHelp(e, a)
	}
	f, ok := readFamily(v)
	if !ok {
		if v == "help" {
			return doHelp(e, a)
		}
		return errInvArg("invalid protocol family", v)
	}
	e.opts.family = f
	return nil
}

// optVersion is -Version: it prints the version and ends ip with status 0.
func optVersion(e *env, _ *words, _ string) error {
	io.WriteString(e.stdout, version)
	return &exitError{code: 0}
}

// optBatch is -batch FILE.
func optBatch(e *env, a *words, _ string) error {
	v, ok := a.next()
	if !ok {
		return doHelp(e, a)
	}
	e.opts.batch, e.opts.hasBatch = v, true
	return nil
}

// optNetns is -netns NAME: it switches into the namespace at once.
func optNetns(e *env, a *words, _ string) error {
	v, ok := a.next()
	if !ok {
		// ip passes the missing argv[1], NULL, on; glibc prints it, and
		// looks it up, as "(null)".
		v = "(null)"
	}
	if err := switchNetns(e, v); err != nil {
		return err
	}
	e.opts.netns, e.opts.hasNetns = v, true
	return nil
}

// unsupportedOption refuses an option iproute2 has and rawns does not.
func unsupportedOption(opt string) error {
	return usageErr(`Option "` + opt + `" is not supported by rawns, try "ip -help".`)
}

// readFamily maps a -family word to an address family, as iproute2's
// read_family does for the families rawns handles.
func readFamily(s string) (uint8, bool) {
	switch s {
	case "inet":
		return unix.AF_INET, true
	case "inet6":
		return unix.AF_INET6, true
	case "link":
		return unix.AF_PACKET, true
	}
	return 0, false
}
