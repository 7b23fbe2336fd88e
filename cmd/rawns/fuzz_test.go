package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// refBatchLine is one command line as iproute2 reads it: its words, the
// physical line number it ends on, or the message of the exit() that
// makeargs takes.
type refBatchLine struct {
	argv   []string
	lineNo int
	fatal  string
}

// refBatch reads a -batch file the way iproute2's lib/utils.c does,
// transliterated from C: getcmdline (getline, cut at the first '#', join a
// line ending in backslash-newline with the next, cut at its '#' too; a
// missing continuation line ends the input) and makeargs (split on space,
// tab, CR and LF; a word starting with ' or " runs to the same quote; at
// most MAX_ARGS-1 = 511 words). missing reports "Missing continuation
// line". It stops at the first fatal line.
func refBatch(data string) (lines []refBatchLine, missing bool) {
	var phys []string
	for data != "" {
		i := strings.IndexByte(data, '\n')
		if i < 0 {
			phys, data = append(phys, data), ""
			break
		}
		phys, data = append(phys, data[:i+1]), data[i+1:]
	}
	cut := func(l string) string {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			return l[:i]
		}
		return l
	}
	no := 0
	for len(phys) > 0 {
		l := cut(phys[0])
		phys = phys[1:]
		no++
		for {
			i := strings.Index(l, "\\\n")
			if i < 0 {
				break
			}
			if len(phys) == 0 {
				return lines, true
			}
			l = l[:i] + cut(phys[0])
			phys = phys[1:]
			no++
		}
		argv, fatal := refMakeArgs(l)
		lines = append(lines, refBatchLine{argv, no, fatal})
		if fatal != "" {
			return lines, false
		}
	}
	return lines, false
}

// refMakeArgs is iproute2's makeargs with MAX_ARGS 512.
func refMakeArgs(cp string) (argv []string, fatal string) {
	const ws = " \t\r\n"
	for cp != "" {
		cp = strings.TrimLeft(cp, ws)
		if cp == "" {
			break
		}
		if len(argv) >= 512-1 {
			return nil, "Too many arguments to command"
		}
		if q := cp[0]; q == '\'' || q == '"' {
			cp = cp[1:]
			end := strings.IndexByte(cp, q)
			if end < 0 {
				return nil, "Unterminated quoted string"
			}
			argv = append(argv, cp[:end])
			cp = cp[end+1:]
			continue
		}
		end := strings.IndexAny(cp, ws)
		if end < 0 {
			argv = append(argv, cp)
			break
		}
		argv = append(argv, cp[:end])
		cp = cp[end+1:]
	}
	return argv, ""
}

// FuzzBatchReader reads arbitrary -batch file contents with readCmdLine
// and makeArgs and compares every command line, its line number and every
// refusal with refBatch. Input holding a NUL byte is only checked not to
// panic: C's string functions stop at the NUL, so iproute2 drops the rest
// of such a line, while rawns keeps it inside a word.
func FuzzBatchReader(f *testing.F) {
	for _, s := range []string{
		"",
		"link add v0 type veth peer name v1\naddress add 10.0.0.1/24 dev v0\n",
		"# a comment\n\n  link show # trailing comment\n",
		"link \\\nshow \\\n dev lo\n",
		"link show \\\n", // missing continuation line
		"link show dev 'a b' \"c'd\"'e\"f'\n",
		"link show dev 'unterminated\n",
		"a\tb\rc\n\"\"''x\n",
		"link set lo up\r\nlink set lo down",
		strings.Repeat("w ", 511) + "\n",
		strings.Repeat("w ", 510) + "\n",
		"#\\\nlink show\n", // a backslash inside a comment does not continue
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantMissing := refBatch(string(data))
		var stderr bytes.Buffer
		br := bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		no := 0
		var got []refBatchLine
		for len(got) <= len(data)+1 {
			line, ok, err := readCmdLine(br, &no, &stderr)
			if err != nil {
				t.Fatalf("readCmdLine error = %v", err)
			}
			if !ok {
				break
			}
			argv, err := makeArgs(line)
			l := refBatchLine{argv: argv, lineNo: no}
			if err != nil {
				x, isExit := err.(*exitNow)
				if !isExit || x.msg == "" {
					t.Fatalf("makeArgs(%q) error = %#v, want an *exitNow with a message", line, err)
				}
				l.argv, l.fatal = nil, x.msg
			}
			got = append(got, l)
			if l.fatal != "" {
				break
			}
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return
		}
		if gotMissing := strings.Contains(stderr.String(), "Missing continuation line\n"); gotMissing != wantMissing {
			t.Fatalf("batch %q: missing continuation reported %t, iproute2 %t", data, gotMissing, wantMissing)
		}
		if len(got) != len(want) {
			t.Fatalf("batch %q: %d command lines, iproute2 reads %d", data, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.lineNo != w.lineNo || g.fatal != w.fatal || strings.Join(g.argv, "\x00") != strings.Join(w.argv, "\x00") || len(g.argv) != len(w.argv) {
				t.Fatalf("batch %q line %d: got %q at %d (%q), iproute2 %q at %d (%q)",
					data, i, g.argv, g.lineNo, g.fatal, w.argv, w.lineNo, w.fatal)
			}
		}
	})
}

// fuzzSafe reports whether argv may run in the test's sandbox: nothing
// that reaches another network namespace (the netns object, `netns` and
// `link-netns` arguments, -n, -all), runs a program (netns exec) or reads
// a batch file. The sandbox's network namespace can see the host's
// through /proc/1/ns/net, so these are left out rather than trusted.
func fuzzSafe(argv []string) bool {
	for _, w := range argv {
		if strings.Contains(w, "netns") || matches(w, "netns") {
			return false
		}
		if opt := strings.TrimPrefix(w, "-"); len(w) > 1 && w[0] == '-' {
			opt = "-" + strings.TrimPrefix(opt, "-")
			if matches(opt, "-batch") || matches(opt, "-netns") || matches(opt, "-all") {
				return false
			}
		}
	}
	return true
}

// FuzzIPArgs runs the ip grammar (ipMain) on arbitrary words, in the test's
// sandbox network namespace, and checks that it never panics, exits with
// one of iproute2's statuses, and explains every refusal: a non-zero exit
// prints a message (or, as iproute2 sometimes does, usage on stdout) that
// ends in a newline and shows no formatting or runtime failure. Words are the input split on spaces; inputs that could
// leave the sandbox (see fuzzSafe) are skipped.
func FuzzIPArgs(f *testing.F) {
	for _, s := range []string{
		"link",
		"link show dev lo",
		"-o -4 address show",
		"-j -p link show",
		"link add v0 type veth peer name v1",
		"link add v0 type veth peer v1 mtu 1400 address 02:00:00:00:00:01",
		"link set lo up",
		"link set dev lo mtu 70000",
		"link set lo address zz:00",
		"link del nodev",
		"address add 10.9.0.1/24 brd + dev lo label lo:x",
		"address add 10.9.0.1/33 dev lo",
		"address add fd99::1/64 dev lo valid_lft 100 preferred_lft 50",
		"address add 10.9.0.1/24 brd - scope link dev",
		"address del 10.9.0.1/24 dev lo",
		"address flush dev lo",
		"a",
		"l h",
		"link help veth",
		"-family inet6 addr show",
		"-f bogus link",
		"-V",
		"help",
		"link add name a dev b type veth",
		"link add x type veth type veth",
		"",
		" ",
		"link add  type",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, " ")
		if s == "" {
			argv = nil
		}
		if !fuzzSafe(argv) {
			t.Skip("could reach outside the sandbox")
		}
		sandbox.Require(t)
		var stderr, out bytes.Buffer
		stdout := bufio.NewWriter(&out)
		code := ipMain(argv, stdout, &stderr)
		stdout.Flush()
		msg := stderr.String()
		switch code {
		case 0, exitFail, exitKernel, exitUsage:
		default:
			t.Fatalf("ip %q: exit %d, not one of iproute2's 0, 1, 2, 255; stderr %q", argv, code, msg)
		}
		// A refusal is explained on stderr, or, as iproute2 does for the
		// veth usage (`link add X type veth type veth`), by usage on stdout.
		if code != 0 && strings.TrimSpace(msg) == "" && !strings.HasPrefix(out.String(), "Usage:") {
			t.Fatalf("ip %q: exit %d with nothing on stderr and no usage on stdout %q", argv, code, out.String())
		}
		if msg != "" && !strings.HasSuffix(msg, "\n") {
			t.Fatalf("ip %q: stderr %q does not end in a newline", argv, msg)
		}
		for _, bad := range []string{"%!", "runtime error", "<nil>", "goroutine "} {
			if strings.Contains(msg, bad) && !strings.Contains(s, bad) {
				t.Fatalf("ip %q: stderr %q shows %q", argv, msg, bad)
			}
		}
	})
}
