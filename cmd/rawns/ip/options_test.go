package ip

import (
	"bufio"
	"bytes"
	"testing"

	"golang.org/x/sys/unix"
)

// TestParseOptionsPrefixes checks which option each prefix names, in
// iproute2's order (ip/ip.c main): what parseOptions sets, the error it
// returns, and the words it leaves.
func TestParseOptionsPrefixes(t *testing.T) {
	unsupported := func(opt string) string {
		return `Option "` + opt + `" is not supported by rawns, try "ip -help".`
	}
	for _, c := range []struct {
		args []string
		want options
		err  string
		left int
	}{
		{args: []string{"-o", "-br", "-j", "-p", "-a", "-force", "link"}, want: options{oneline: true, brief: true, json: true, pretty: true, all: true, force: true}, left: 1},
		{args: []string{"--oneline", "-b", "f"}, want: options{oneline: true, batch: "f", hasBatch: true}},
		{args: []string{"-ba", ""}, want: options{hasBatch: true}},
		{args: []string{"-4"}, want: options{family: unix.AF_INET}},
		{args: []string{"-6", "-0"}, want: options{family: unix.AF_PACKET}},
		{args: []string{"-f", "inet6"}, want: options{family: unix.AF_INET6}},
		{args: []string{"-fam", "link", "x"}, want: options{family: unix.AF_PACKET}, left: 1},
		{args: []string{"-f", "foo"}, err: `Error: argument "foo" is wrong: invalid protocol family`},
		{args: []string{"-h", "-human-readable", "-iec", "-r", "-N", "-Numeric"}},
		{args: []string{"-l"}, err: unsupported("-l")},
		{args: []string{"-s"}, err: unsupported("-s")},
		{args: []string{"-statistics"}, err: unsupported("-statistics")},
		{args: []string{"-d"}, err: unsupported("-d")},
		{args: []string{"-t"}, err: unsupported("-t")},
		{args: []string{"-ts"}, err: unsupported("-ts")},
		{args: []string{"-c"}, err: unsupported("-c")},
		{args: []string{"-rc"}, err: unsupported("-rc")},
		{args: []string{"-e"}, err: unsupported("-e")},
		{args: []string{"-M"}, err: unsupported("-M")},
		{args: []string{"-B"}, err: unsupported("-B")},
		{args: []string{"-Mx"}, err: `Option "-Mx" is unknown, try "ip -help".`},
		{args: []string{"-44"}, err: `Option "-44" is unknown, try "ip -help".`},
		{args: []string{"-x"}, err: `Option "-x" is unknown, try "ip -help".`},
		{args: []string{"-V"}, err: ""},
		{args: []string{"--", "-o"}, left: 1},
		{args: []string{"-", "-o"}, left: 2},
	} {
		var out bytes.Buffer
		e := &env{stdout: bufio.NewWriter(&out), stderr: &out}
		a := &words{w: c.args}
		err := parseOptions(e, a)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if msg != c.err || err == nil && e.opts != c.want || len(a.rest()) != c.left {
			t.Errorf("parseOptions(%q) = %+v, %q, %d words left; want %+v, %q, %d", c.args, e.opts, msg, len(a.rest()), c.want, c.err, c.left)
		}
	}
}
