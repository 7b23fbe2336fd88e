// Command rawns does what ip netns, ip link, ip addr and ping do for
// network-namespace work, on raw syscalls and hand-written rtnetlink
// messages. It is a multi-call binary: invoked through a link named ip or
// ping it is that tool; under any other name (rawns) it takes an applet
// word first, busybox's way (rawns ip ..., rawns ping ...), and without
// one it is ip.
//
// This package is only that dispatch; each applet is a package of its own:
// cmd/rawns/ip (ip netns, link, address) and cmd/rawns/ping, with what both
// use under cmd/rawns/internal.
package main

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/rawns/rawns/cmd/rawns/internal/privilege"
	"github.com/rawns/rawns/cmd/rawns/ip"
	"github.com/rawns/rawns/cmd/rawns/ping"
)

func main() {
	stdout := bufio.NewWriterSize(os.Stdout, 32<<10)
	code := run(os.Args, stdout, os.Stderr)
	stdout.Flush()
	os.Exit(code)
}

// run dispatches on the name the binary was invoked as and returns the exit
// status. stdout is buffered by the caller; commands that must show output
// as it happens (ping, netns monitor) flush it themselves.
func run(argv []string, stdout *bufio.Writer, stderr io.Writer) int {
	name := argv[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	args := argv[1:]
	if name != "ip" && name != "ping" {
		switch {
		case len(args) == 0:
			io.WriteString(stderr, rawnsUsage)
			return 255 // ip's exit(-1)
		case args[0] == "--help":
			stdout.WriteString(rawnsUsage)
			return 0
		case args[0] == "ip" || args[0] == "ping":
			name, args = args[0], args[1:]
		}
	}
	if name == "ping" {
		return ping.Main(args, stdout, stderr)
	}
	if msg := privilege.IP(); msg != "" {
		io.WriteString(stderr, msg)
		return 1
	}
	return ip.Main(args, stdout, stderr)
}

// rawnsUsage is what `rawns` alone (on stderr, exit 255) and `rawns --help`
// (on stdout, exit 0) print.
const rawnsUsage = `rawns: iproute2's ip (netns, link, address) and iputils' ping in one binary.

Usage: rawns APPLET [ARGUMENTS]...
   or: APPLET [ARGUMENTS]...     (through a link named ip or ping)
   or: rawns [OPTIONS] OBJECT {COMMAND | help}     (no applet word: ip)

Applets:
	ip, ping
`
