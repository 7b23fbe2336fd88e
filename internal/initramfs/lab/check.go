package lab

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Check reads a transcript (a whole console log may hold it; lines may end
// in "\r\n") and reports every way it differs from steps: a step missing or
// out of order, a step that failed, an expected line not found in order, a
// line that must be absent, the marker missing. It returns nil when the lab
// passed.
func Check(console []byte, steps []Step) error {
	lines := strings.Split(string(bytes.ReplaceAll(console, []byte("\r"), nil)), "\n")
	var errs []error
	markerAt := -1
	for i, l := range lines {
		if strings.HasPrefix(l, Marker+" ") {
			markerAt = i
		}
	}
	if markerAt < 0 {
		errs = append(errs, fmt.Errorf("no line starts with %q: the lab did not finish", Marker))
		markerAt = len(lines)
	}
	lines = lines[:markerAt]
	pos := 0
	for i, s := range steps {
		out, next, ok := section(lines, pos, s.Command())
		if !ok {
			errs = append(errs, fmt.Errorf("step %d %q: not in the transcript", i+1, s.Command()))
			continue
		}
		pos = next
		if problems := checkStep(s, out); len(problems) > 0 {
			errs = append(errs, fmt.Errorf("step %d %q:\n  - %s\n%s",
				i+1, s.Command(), strings.Join(problems, "\n  - "), indent(out)))
		}
	}
	return errors.Join(errs...)
}

// section finds the prompt line of cmd at or after lines[from] and returns
// the output lines that follow it (without the runner's notes), and where
// the search for the next step goes on.
func section(lines []string, from int, cmd string) (out []string, next int, ok bool) {
	start := -1
	for i := from; i < len(lines); i++ {
		if lines[i] == Prompt+cmd {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, from, false
	}
	end := start
	for end < len(lines) && !strings.HasPrefix(lines[end], Prompt) {
		if !strings.HasPrefix(lines[end], notePrefix) {
			out = append(out, lines[end])
		}
		end++
	}
	return out, end, true
}

// checkStep judges the output of one step and returns what is wrong.
func checkStep(s Step, out []string) []string {
	var problems []string
	for _, l := range out {
		if strings.HasPrefix(l, failedPrefix) {
			problems = append(problems, "failed: "+strings.TrimSuffix(strings.TrimPrefix(l, failedPrefix), "]"))
		}
	}
	at := 0
	for _, w := range s.Want {
		re := regexp.MustCompile(w)
		found := -1
		for i := at; i < len(out); i++ {
			if re.MatchString(out[i]) {
				found = i
				break
			}
		}
		if found < 0 {
			problems = append(problems, fmt.Sprintf("no line matches %q (in order)", w))
			continue
		}
		at = found + 1
	}
	for _, a := range s.Absent {
		re := regexp.MustCompile(a)
		for _, l := range out {
			if re.MatchString(l) {
				problems = append(problems, fmt.Sprintf("line %q matches %q, which must not appear", l, a))
			}
		}
	}
	return problems
}

// indent shows output lines under an error.
func indent(out []string) string {
	if len(out) == 0 || len(out) == 1 && out[0] == "" {
		return "    (no output)"
	}
	return "    | " + strings.Join(out, "\n    | ")
}
