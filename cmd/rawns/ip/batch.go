package ip

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// runBatch is `ip -batch FILE` (FILE "-" is stdin): each line is a
// command, read as iproute2's getcmdline and makeargs read it, run with
// the options of the real command line. A failing command prints "Command
// failed FILE:LINE" and ends the batch unless -force; errors for which ip
// calls exit() end it even with -force.
func runBatch(e *env, file string) error {
	var in io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return failErr(`Cannot open file "` + file + `" for reading: ` + pathErrText(err))
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	family := e.opts.family
	e.opts.inBatch = true
	r := &e.res
	if e.opts.force {
		r.pipe = &pipeline{file: file, stderr: e.stderr}
		e.stderr = r.pipe
	}
	lineNo := 0
	failed := false
	for {
		line, ok, err := readCmdLine(br, &lineNo, e.stderr)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		argv, err := makeArgs(line)
		if err != nil {
			return flushThen(r, err)
		}
		if len(argv) == 0 {
			continue
		}
		if !queueable(argv) {
			// Anything but a link or address command (netns exec runs a
			// child; netns commands work on files) sees the queue's effects.
			if err := r.flush(); err != nil {
				return err
			}
		}
		e.opts.family = family
		r.line = lineNo
		err = doCmd(e, argv)
		if err == nil {
			continue
		}
		if fatal(err) {
			return flushThen(r, err)
		}
		if ferr := r.flush(); ferr != nil {
			return ferr
		}
		e.stdout.Flush()
		if msg := err.Error(); msg != "" {
			io.WriteString(e.stderr, msg+"\n")
		}
		io.WriteString(e.stderr, "Command failed "+file+":"+strconv.Itoa(lineNo)+"\n")
		failed = true
		if !e.opts.force {
			break
		}
	}
	if err := r.flush(); err != nil {
		return err
	}
	if failed || (r.pipe != nil && r.pipe.failed) {
		return &exitError{code: exitFail}
	}
	return nil
}

// flushThen sends what is queued (iproute2 would have run those lines
// before this one) and returns err.
func flushThen(r *resources, err error) error {
	if ferr := r.flush(); ferr != nil {
		return ferr
	}
	return err
}

// queueable reports whether a batch line is a link or address command,
// whose modifying requests may be queued.
func queueable(argv []string) bool {
	return matches(argv[0], "address") || (matches(argv[0], "link") && !matches(argv[0], "l2tp"))
}

// fatal reports whether err is one for which iproute2 calls exit(), which
// ends a batch at once.
func fatal(err error) bool {
	switch x := err.(type) {
	case *exitNow:
		return true
	case *exitError:
		return x.code == exitUsage || x.code == 0
	}
	return false
}

// readCmdLine is getcmdline: one line, '#' comments cut, lines ending in
// a backslash joined with the next. ok is false at the end of input. lineNo
// counts physical lines.
func readCmdLine(br *bufio.Reader, lineNo *int, stderr io.Writer) (line string, ok bool, err error) {
	l, rerr := br.ReadString('\n')
	if l == "" && rerr != nil {
		return "", false, nil
	}
	*lineNo++
	l = cutComment(l)
	for {
		i := strings.Index(l, "\\\n")
		if i < 0 {
			break
		}
		next, rerr := br.ReadString('\n')
		if next == "" && rerr != nil {
			io.WriteString(stderr, "Missing continuation line\n")
			return "", false, nil
		}
		*lineNo++
		l = l[:i] + cutComment(next)
	}
	return l, true, nil
}

func cutComment(l string) string {
	if i := strings.IndexByte(l, '#'); i >= 0 {
		return l[:i]
	}
	return l
}

// makeArgs is makeargs: words split on space, tab, CR and LF; a word that
// starts with ' or " runs to the same quote.
func makeArgs(line string) ([]string, error) {
	const ws = " \t\r\n"
	var argv []string
	for {
		for line != "" && strings.IndexByte(ws, line[0]) >= 0 {
			line = line[1:]
		}
		if line == "" {
			return argv, nil
		}
		if len(argv) >= 511 {
			return nil, &exitNow{msg: "Too many arguments to command"}
		}
		if q := line[0]; q == '\'' || q == '"' {
			end := strings.IndexByte(line[1:], q)
			if end < 0 {
				return nil, &exitNow{msg: "Unterminated quoted string"}
			}
			argv = append(argv, line[1:1+end])
			line = line[end+2:]
			continue
		}
		end := strings.IndexAny(line, ws)
		if end < 0 {
			return append(argv, line), nil
		}
		argv = append(argv, line[:end])
		line = line[end+1:]
	}
}

// pathErrText is strerror of the errno inside an *os.PathError.
func pathErrText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		if en, ok := pe.Err.(unix.Errno); ok {
			return strerror(en)
		}
		return pe.Err.Error()
	}
	return err.Error()
}
