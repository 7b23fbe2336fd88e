package main

import (
	"bufio"
	"io"

	"golang.org/x/sys/unix"
)

// version is what -V prints.
const version = "ip utility, rawns-0.1.0 (iproute2-6.1.0 compatible)\n"

// ipMain is ip: global options, then one command or a batch file.
func ipMain(args []string, stdout *bufio.Writer, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	defer e.res.close()
	a := &words{w: args}
	err := parseOptions(e, a)
	if err == nil && e.opts.hasNetns && a.peek() == "ping" {
		// rawns -n NS ping ...: ping in NS (see switchNetns).
		return pingMain(a.rest()[1:], stdout, stderr)
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
// in iproute2's order (ip/ip.c main), so -b is -batch, -br -brief, -n
// -netns, -h -human, -f -family.
func parseOptions(e *env, a *words) error {
	o := &e.opts
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
		switch {
		case matches(opt, "-loops"):
			return unsupportedOption(opt)
		case matches(opt, "-family"):
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
			o.family = f
		case opt == "-4":
			o.family = unix.AF_INET
		case opt == "-6":
			o.family = unix.AF_INET6
		case opt == "-0":
			o.family = unix.AF_PACKET
		case opt == "-M", opt == "-B":
			return unsupportedOption(opt)
		case matches(opt, "-human"), matches(opt, "-human-readable"), matches(opt, "-iec"):
			// Only statistics are scaled, and rawns prints none.
		case matches(opt, "-stats"), matches(opt, "-statistics"), matches(opt, "-details"):
			return unsupportedOption(opt)
		case matches(opt, "-resolve"):
			// Only addresses of routes and neighbours are resolved.
		case matches(opt, "-oneline"):
			o.oneline = true
		case matches(opt, "-timestamp"), matches(opt, "-tshort"):
			return unsupportedOption(opt)
		case matches(opt, "-Version"):
			io.WriteString(e.stdout, version)
			return &exitError{code: 0}
		case matches(opt, "-force"):
			o.force = true
		case matches(opt, "-batch"):
			v, ok := a.next()
			if !ok {
				return doHelp(e, a)
			}
			o.batch, o.hasBatch = v, true
		case matches(opt, "-brief"):
			o.brief = true
		case matches(opt, "-json"):
			o.json = true
		case matches(opt, "-pretty"):
			o.pretty = true
		case matches(opt, "-rcvbuf"), matches(opt, "-color"), matches(opt, "-colour"):
			return unsupportedOption(opt)
		case matches(opt, "-help"):
			return doHelp(e, a)
		case matches(opt, "-netns"):
			v, ok := a.next()
			if !ok {
				// ip passes the missing argv[1], NULL, on; glibc prints
				// it, and looks it up, as "(null)".
				v = "(null)"
			}
			if err := switchNetns(e, v); err != nil {
				return err
			}
			o.netns, o.hasNetns = v, true
		case matches(opt, "-Numeric"):
			// Numeric output changes nothing rawns prints.
		case matches(opt, "-all"):
			o.all = true
		case matches(opt, "-echo"):
			return unsupportedOption(opt)
		default:
			return usageErr(`Option "` + opt + `" is unknown, try "ip -help".`)
		}
	}
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
