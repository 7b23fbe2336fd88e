package nsfs_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// envHelper makes the test binary act as a helper process instead of
// running tests: "exec" calls Dirs.Exec, "adddel" adds and deletes names.
// It is checked before sandbox.Main, since a helper already runs inside the
// sandbox of its parent and must not set up another one over it.
const envHelper = "NSFS_TEST_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(envHelper) {
	case "exec":
		helperExec()
	case "adddel":
		helperAddDel()
	}
	sandbox.Main(m)
}

// helperExec runs `Dirs{}.Exec($NSFS_NAME, os.Args[1:], nil, warn)`, printing
// errors and warnings in ip's words (ipmsg), and exits as ip does: 255
// after a setup failure, 1 after an exec failure.
func helperExec() {
	warn := func(w *nsfs.Error) { fmt.Fprintln(os.Stderr, ipmsg.Netns(w)) }
	err := nsfs.Dirs{}.Exec(os.Getenv("NSFS_NAME"), os.Args[1:], nil, warn)
	var e *nsfs.Error
	if errors.As(err, &e) {
		fmt.Fprintln(os.Stderr, ipmsg.Netns(e))
		if e.Exec() {
			os.Exit(1)
		}
		os.Exit(255)
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(255)
}

// helperAddDel adds and deletes $NSFS_COUNT names $NSFS_PREFIX0... in
// $NSFS_RUN, exiting 1 on the first failure.
func helperAddDel() {
	d := nsfs.Dirs{Run: os.Getenv("NSFS_RUN")}
	n, _ := strconv.Atoi(os.Getenv("NSFS_COUNT"))
	for i := 0; i < n; i++ {
		name := os.Getenv("NSFS_PREFIX") + strconv.Itoa(i)
		if err := d.Add(name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := d.Delete(name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

// helper returns a command running the test binary in helper mode.
func helper(mode string, args []string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envHelper+"="+mode), env...)
	return cmd
}

// result is what a finished process printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

func run(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
}

// ipPath is iproute2's ip, the reference implementation.
func ipPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("iproute2's ip is not installed")
	return ""
}

// ip runs iproute2's ip with args.
func ip(t testing.TB, args ...string) result {
	t.Helper()
	return run(t, exec.Command(ipPath(t), args...))
}

// mountpoints returns the mount points of /proc/self/mountinfo, with the
// octal escapes of field 5 undone, and their optional fields.
func mountpoints(t testing.TB) map[string][]string {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string][]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		mp, err := strconv.Unquote(`"` + strings.ReplaceAll(fields[4], `"`, `\"`) + `"`)
		if err != nil {
			mp = fields[4]
		}
		opt := ""
		for _, f := range fields[6:] {
			if f == "-" {
				break
			}
			opt += f + " "
		}
		m[mp] = append(m[mp], opt)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// assertGone fails t when path exists or anything is mounted on it.
func assertGone(t testing.TB, path string) {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != unix.ENOENT {
		t.Errorf("lstat %s = %v, want ENOENT", path, err)
	}
	if n := len(mountpoints(t)[path]); n != 0 {
		t.Errorf("%s has %d mounts, want 0", path, n)
	}
}

// isNetns reports whether path is a network namespace file (nsfs).
func isNetns(t testing.TB, path string) bool {
	t.Helper()
	var fs unix.Statfs_t
	if err := unix.Statfs(path, &fs); err != nil {
		return false
	}
	return fs.Type == unix.NSFS_MAGIC
}

// inode returns the inode of path (following links).
func inode(t testing.TB, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// fdCount returns the number of open file descriptors of the process.
func fdCount(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// threadNamespaces returns the network namespace inode of every thread of
// the process, by tid. Threads that end while it reads are skipped.
func threadNamespaces(t testing.TB) map[int]uint64 {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	m := map[int]uint64{}
	for _, e := range ents {
		var st unix.Stat_t
		if unix.Stat("/proc/self/task/"+e.Name()+"/ns/net", &st) != nil {
			continue
		}
		tid, _ := strconv.Atoi(e.Name())
		m[tid] = st.Ino
	}
	return m
}
