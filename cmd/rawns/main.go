// Command rawns does what ip netns, ip link, ip addr and ping do for
// network-namespace work, on raw syscalls and hand-written rtnetlink
// messages. Invoked through a link named ip or ping, it is that tool.
package main

import (
	"bufio"
	"io"
	"os"
	"strings"
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
	if name == "ping" {
		return pingMain(args, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "ping" {
		return pingMain(args[1:], stdout, stderr)
	}
	return ipMain(args, stdout, stderr)
}
