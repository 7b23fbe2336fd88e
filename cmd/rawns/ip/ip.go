// Package ip is rawns's ip applet: iproute2 6.1's ip for the netns, link
// and address objects, with its global options, -batch, and its output
// modes (-j, -br, -o; output.go and json.go). Main is its entry point.
//
// The files follow iproute2's ip/: ip.go and options.go are ip.c (options,
// the object table), link*.go and veth.go are iplink.c and link_veth.c,
// addr*.go ipaddress.c, netns*.go and nsidnames.go ipnetns.c, show.go and
// linkstream.go the link and address listing both share, batch.go the
// -batch reader. Words become typed rtnl values and requests (conn.go,
// pipeline.go, resources.go); iproute2's number, address and error
// formats live in cnum.go, inetprefix.go, errors.go and kernelerr.go.
package ip

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
	io.WriteString(e.stderr, Usage)
	return &exitError{code: exitUsage}
}

// Usage is what `ip help` (and ip with no words) prints on stderr.
const Usage = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | netns | help }
       OPTIONS := { -V[ersion] | -4 | -6 | -0 | -f[amily] { inet | inet6 | link } |
                    -o[neline] | -br[ief] | -j[son] | -p[retty] | -force |
                    -b[atch] [filename] | -n[etns] name | -a[ll] | -h[elp] }
rawns also answers as ping: rawns ping [ OPTIONS ] ADDRESS
`
