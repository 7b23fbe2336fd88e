package ip

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
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
