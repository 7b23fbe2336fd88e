package ip

import (
	"bufio"
	"bytes"
	"errors"
	"testing"
)

// TestReport checks what report prints and returns for each kind of
// failure; an empty message prints nothing at all.
func TestReport(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		stderr string
		code   int
	}{
		{"nil", nil, "", 0},
		{"exitNow without message", &exitNow{}, "", exitFail},
		{"exitNow", &exitNow{msg: "Too many arguments to command"}, "Too many arguments to command\n", exitFail},
		{"exitError without message", &exitError{code: exitUsage}, "", exitUsage},
		{"exitError", &exitError{code: exitKernel, msg: "RTNETLINK answers: File exists"}, "RTNETLINK answers: File exists\n", exitKernel},
		{"other", errors.New("socket: permission denied"), "socket: permission denied\n", exitFail},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		e := &env{stdout: bufio.NewWriter(&out), stderr: &errb}
		e.stdout.WriteString("partial output\n")
		code := report(e, tc.err)
		if errb.String() != tc.stderr || code != tc.code {
			t.Errorf("%s: report printed %q, returned %d; want %q, %d", tc.name, errb.String(), code, tc.stderr, tc.code)
		}
		if tc.err != nil && out.String() != "partial output\n" {
			t.Errorf("%s: stdout = %q, want it flushed before the report", tc.name, out.String())
		}
	}
}
