package main

import (
	"bufio"
	"io"
)

// options are ip's global options, parsed once from the command line and
// shared by every command of a batch.
type options struct {
	family  uint8  // preferred family: 0, AF_INET, AF_INET6 or AF_PACKET
	oneline bool   // -o
	brief   bool   // -br
	json    bool   // -j
	pretty  bool   // -p
	force   bool   // -force
	all     bool   // -all
	batch   string // -batch FILE ("-" = stdin), when hasBatch
	inBatch bool   // set while running the lines of a batch
	netns   string // -n NS, already switched into, when hasNetns

	// An empty word is a name like any other (it names no file and no
	// namespace), never "not given": these record that the option was.
	hasBatch, hasNetns bool
}

// env is what a command handler works with: the options, the output streams
// and the resources opened on first use (the rtnetlink connection, request
// buffers).
type env struct {
	opts   options
	stdout *bufio.Writer
	stderr io.Writer
	res    resources
	link   linkCmd // the link request being built, reused by each link command
}

// object is a row of ip's object table. Rows are in iproute2's order (ip/ip.c
// cmds[]), so that prefix matching picks what ip picks: "a" is address, "l"
// link, "n" neighbor, "net" netns. A nil run marks an object rawns does not
// implement.
type object struct {
	name string
	run  func(e *env, a *words) error
}

// objects returns the object table. It is built on each call, not at
// package init, so start-up does no work for it.
func objects() []object {
	return []object{
		{"address", doAddr},
		{"addrlabel", nil},
		{"maddress", nil},
		{"route", nil},
		{"rule", nil},
		{"neighbor", nil},
		{"neighbour", nil},
		{"ntable", nil},
		{"ntbl", nil},
		{"link", doLink},
		{"l2tp", nil},
		{"fou", nil},
		{"ila", nil},
		{"macsec", nil},
		{"tunnel", nil},
		{"tunl", nil},
		{"tuntap", nil},
		{"tap", nil},
		{"token", nil},
		{"tcpmetrics", nil},
		{"tcp_metrics", nil},
		{"monitor", nil},
		{"xfrm", nil},
		{"mroute", nil},
		{"mrule", nil},
		{"netns", doNetns},
		{"netconf", nil},
		{"vrf", nil},
		{"sr", nil},
		{"nexthop", nil},
		{"mptcp", nil},
		{"ioam", nil},
		{"stats", nil},
		{"help", doHelp},
	}
}

// doCmd runs one command line (the words after the options): it finds the
// object by prefix and hands it the remaining words.
func doCmd(e *env, argv []string) error {
	for _, o := range objects() {
		if !matches(argv[0], o.name) {
			continue
		}
		if o.run == nil {
			return failErr(`Object "` + o.name + `" is not implemented by rawns, try "ip help".`)
		}
		err := o.run(e, &words{w: argv[1:]})
		e.res.endCommand()
		if bad := e.res.bad; bad != nil {
			// A lookup made while printing met a reply it could not
			// decode: the output is not to be trusted.
			e.res.bad = nil
			if err == nil {
				err = bad
			}
		}
		return err
	}
	return failErr(`Object "` + argv[0] + `" is unknown, try "ip help".`)
}

// doHelp is `ip help`: usage on stderr, exit 255.
func doHelp(e *env, a *words) error {
	io.WriteString(e.stderr, ipUsage)
	return &exitError{code: exitUsage}
}

const ipUsage = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | netns | help }
       OPTIONS := { -V[ersion] | -4 | -6 | -0 | -f[amily] { inet | inet6 | link } |
                    -o[neline] | -br[ief] | -j[son] | -p[retty] | -force |
                    -b[atch] [filename] | -n[etns] name | -a[ll] | -h[elp] }
rawns also answers as ping: rawns ping [ OPTIONS ] ADDRESS
`
