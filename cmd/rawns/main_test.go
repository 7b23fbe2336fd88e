package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// TestMain runs the tests in a sandbox. When the test binary is started
// through a link named ip, ping or rawns (see toolDir), it is rawns itself:
// tests run the real command line as a process without a separate build.
func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case "ip", "ping", "rawns":
		main()
	}
	sandbox.Main(m)
}

var (
	toolOnce sync.Once
	toolPath string
	toolErr  error
)

// toolDir returns a directory holding ip, ping and rawns: links to this test
// binary, which then behaves as rawns (see TestMain). Put it first in PATH
// to replace iproute2 and iputils.
func toolDir(t testing.TB) string {
	t.Helper()
	toolOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			toolErr = err
			return
		}
		dir, err := os.MkdirTemp("", "rawns-tools-")
		if err != nil {
			toolErr = err
			return
		}
		for _, n := range []string{"ip", "ping", "rawns"} {
			if err := os.Symlink(exe, filepath.Join(dir, n)); err != nil {
				toolErr = err
				return
			}
		}
		toolPath = dir
	})
	if toolErr != nil {
		t.Fatalf("toolDir: %v", toolErr)
	}
	return toolPath
}

// result is what a command printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// runCmd runs path with args and returns its output and exit status. env,
// when not nil, replaces the environment.
func runCmd(t testing.TB, env []string, path string, args ...string) result {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = env
	return runExecCmd(t, cmd)
}

// runExecCmd runs cmd, which must not have Stdout or Stderr set, and
// returns its output and exit status.
func runExecCmd(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%q: %v", cmd.Args, err)
	}
	return r
}

// rawns runs this binary as rawns invoked under name ("ip", "ping" or
// "rawns").
func rawns(t testing.TB, name string, args ...string) result {
	t.Helper()
	return runCmd(t, nil, filepath.Join(toolDir(t), name), args...)
}

// realIP runs the installed iproute2 ip.
func realIP(t testing.TB, args ...string) result {
	t.Helper()
	return runCmd(t, nil, "/usr/sbin/ip", args...)
}

// TestOptionsAndObjects checks the global options and the object table
// against iproute2's wording and exit statuses. These need no privileges.
func TestOptionsAndObjects(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want result
	}{
		{"unknown option", []string{"-x", "link"}, result{stderr: "Option \"-x\" is unknown, try \"ip -help\".\n", code: 255}},
		{"unknown object", []string{"bogus"}, result{stderr: "Object \"bogus\" is unknown, try \"ip help\".\n", code: 1}},
		{"bad family", []string{"-f", "foo", "link"}, result{stderr: "Error: argument \"foo\" is wrong: invalid protocol family\n", code: 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rawns(t, "ip", tt.args...)
			if got != tt.want {
				t.Errorf("ip %q = %+v, want %+v", tt.args, got, tt.want)
			}
			ref := realIP(t, tt.args...)
			if ref != tt.want {
				t.Errorf("iproute2 ip %q = %+v, want %+v (the reference moved?)", tt.args, ref, tt.want)
			}
		})
	}
}
