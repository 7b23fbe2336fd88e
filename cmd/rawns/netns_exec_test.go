package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// runWith runs path with args, the environment env, stdin from /dev/null
// and extra as descriptor 3 (when not nil), and returns what it printed
// and how it exited.
func runWith(t *testing.T, env []string, extra *os.File, path string, args ...string) result {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = env
	if extra != nil {
		cmd.ExtraFiles = []*os.File{extra}
	}
	return runExecCmd(t, cmd)
}

// TestIntegrationNetnsExecEnvironment checks that the program `netns exec`
// runs, in every form (plain, -batch, -all, under -n), gets exactly the
// caller's environment, variables named like rawns's own and empty values
// included, and exactly the descriptors iproute2's would: 0, 1, 2 and what
// the caller passed down (here descriptor 3), nothing rawns opened.
func TestIntegrationNetnsExecEnvironment(t *testing.T) {
	sandbox.Require(t)
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a", "netns add b"})
	dir := t.TempDir()
	const show = "env; ls /proc/$$/fd"
	batch := filepath.Join(dir, "batch")
	text := "netns list\nnetns exec a sh -c '" + show + "'\nnetns exec b sh -c '" + show + "'\n"
	if err := os.WriteFile(batch, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	passed, err := os.Open(batch)
	if err != nil {
		t.Fatal(err)
	}
	defer passed.Close()
	env := append(os.Environ(), quickRaceExit, "RAWNS_NETNS_EXEC_CHILD=caller's", "RAWNS_EMPTY=", "PS1=$ ")
	for _, args := range [][]string{
		{"netns", "exec", "a", "sh", "-c", show},
		{"-batch", batch},
		{"-all", "netns", "exec", "sh", "-c", show},
		{"-n", "b", "-batch", batch},
		{"-n", "b", "-all", "netns", "exec", "sh", "-c", show},
	} {
		got := runWith(t, env, passed, filepath.Join(toolDir(t), "ip"), args...)
		want := runWith(t, env, passed, "/usr/sbin/ip", args...)
		if got != want {
			t.Errorf("ip %q:\nrawns    %+v\niproute2 %+v", args, got, want)
		}
		if !strings.Contains(got.stdout, "\nRAWNS_NETNS_EXEC_CHILD=caller's\n") {
			t.Errorf("ip %q: the program lost the caller's RAWNS_NETNS_EXEC_CHILD:\n%s", args, got.stdout)
		}
	}
}

// TestIntegrationNetnsExecScript checks that `netns exec` runs a script
// without a "#!" line through /bin/sh, as ip's execvp does, in the plain,
// -batch and -all forms, and that an empty program name is a program that
// is not found, not a missing one.
func TestIntegrationNetnsExecScript(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a"})
	dir := t.TempDir()
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte("echo \"$0 [$*]\"; exit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	batch := filepath.Join(dir, "batch")
	if err := os.WriteFile(batch, []byte("netns exec a "+script+" x 'y z'\nnetns exec a ''\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want result
	}{
		{[]string{"netns", "exec", "a", script, "x", "y z"}, result{stdout: script + " [x y z]\n", code: 3}},
		{[]string{"-force", "-batch", batch}, result{}},
		{[]string{"-all", "netns", "exec", script}, result{stdout: "\nnetns: a\n" + script + " []\n"}},
		{[]string{"netns", "exec", "a", ""}, result{stderr: `exec of "" failed: No such file or directory` + "\n", code: 1}},
	} {
		got := rawns(t, "ip", tt.args...)
		if tt.want != (result{}) && got != tt.want {
			t.Errorf("ip %q = %+v, want %+v", tt.args, got, tt.want)
		}
		if want := realIP(t, tt.args...); got != want {
			t.Errorf("ip %q:\nrawns    %+v\niproute2 %+v", tt.args, got, want)
		}
	}
}

// TestIntegrationNetnsExecRawEnvironment checks that `netns exec` passes
// on the environment entry for entry, as ip's execvp does, where os/exec
// and os.Environ would not: a name given twice keeps both entries, in
// order. The processes are started with os.StartProcess, which passes env
// as it is.
func TestIntegrationNetnsExecRawEnvironment(t *testing.T) {
	sandbox.Require(t)
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a"})
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte("netns exec a env\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"RAWNS_DUP=first", "PATH=" + os.Getenv("PATH"), "RAWNS_DUP=second", quickRaceExit, "RAWNS_DUP="}
	for _, args := range [][]string{{"netns", "exec", "a", "env"}, {"-batch", batch}, {"-all", "netns", "exec", "env"}} {
		got := startRaw(t, env, filepath.Join(toolDir(t), "ip"), args...)
		want := startRaw(t, env, "/usr/sbin/ip", args...)
		if got != want {
			t.Errorf("ip %q with env %q:\nrawns    %q\niproute2 %q", args, env, got, want)
		}
	}
}

// startRaw runs path with args and exactly the environment env, and
// returns its standard output.
func startRaw(t *testing.T, env []string, path string, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := os.StartProcess(path, append([]string{path}, args...), &os.ProcAttr{Env: env, Files: []*os.File{nil, w, os.Stderr}})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := p.Wait(); err != nil || !st.Success() {
		t.Fatalf("%s %q: %v %v", path, args, st, err)
	}
	return string(out)
}
