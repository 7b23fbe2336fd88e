package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// quickRaceExit stops the race runtime of this test binary, when it runs
// as ip, from sleeping a second at exit (GORACE atexit_sleep_ms defaults to
// 1000), which would make each command take a second.
const quickRaceExit = "GORACE=atexit_sleep_ms=0"

// resetNetns removes every named namespace (with iproute2, so that a rawns
// bug cannot hide itself) and checks the run directory is empty.
func resetNetns(t *testing.T) {
	t.Helper()
	if r := realIP(t, "-all", "netns", "delete"); r.code != 0 {
		t.Fatalf("ip -all netns delete = %+v", r)
	}
	if names := runDirEntries(t); len(names) != 0 {
		t.Fatalf("/run/netns still holds %q after ip -all netns delete", names)
	}
}

// runDirEntries lists /run/netns.
func runDirEntries(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("/run/netns")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// setupIP runs each line (space-separated ip arguments) with iproute2 and
// fails the test if one fails.
func setupIP(t *testing.T, lines []string) {
	t.Helper()
	for _, l := range lines {
		if r := realIP(t, strings.Fields(l)...); r.code != 0 {
			t.Fatalf("setup: ip %s = %+v", l, r)
		}
	}
}

// TestIntegrationNetnsMatchesIP runs each command once with rawns and once
// with iproute2, each time from the same starting state (made by iproute2),
// and requires the same stdout, stderr and exit status, and the same
// entries in /run/netns afterwards.
func TestIntegrationNetnsMatchesIP(t *testing.T) {
	sandbox.Require(t)
	long := strings.Repeat("n", 256)
	max := strings.Repeat("m", 255)
	tests := []struct {
		name  string
		setup []string // iproute2 command lines run first
		args  []string
	}{
		{"bare list empty", nil, []string{"netns"}},
		{"bare list", []string{"netns add a", "netns add b"}, []string{"netns"}},
		{"list", []string{"netns add a", "netns add b"}, []string{"netns", "list"}},
		{"show prefix", []string{"netns add a"}, []string{"netns", "s"}},
		{"lst", []string{"netns add a"}, []string{"netns", "lst"}},
		{"list extra words", []string{"netns add a"}, []string{"netns", "list", "extra"}},
		{"list ids", []string{"netns add a", "netns add b", "netns add c", "netns set a 5", "netns set b auto"}, []string{"netns", "list"}},
		{"list json", []string{"netns add a", "netns add b", "netns set a 5"}, []string{"-j", "netns", "list"}},
		{"list json empty", nil, []string{"-j", "netns"}},
		{"list json pretty", []string{"netns add a", "netns add b", "netns set b 3"}, []string{"-j", "-p", "netns"}},
		{"list json pretty empty", nil, []string{"-j", "-p", "netns"}},
		{"unknown subcommand", nil, []string{"netns", "bogus"}},
		{"unknown subcommand bad name", nil, []string{"netns", "bogus", "a/b"}},
		{"help", nil, []string{"netns", "help"}},
		{"help prefix h", nil, []string{"netns", "h"}},

		{"add", nil, []string{"netns", "add", "x"}},
		{"add prefix", nil, []string{"netns", "a", "x"}},
		{"add dotted name", nil, []string{"netns", "add", "a.b"}},
		{"add 255 chars", nil, []string{"netns", "add", max}},
		{"add exists", []string{"netns add x"}, []string{"netns", "add", "x"}},
		{"add no name", nil, []string{"netns", "add"}},
		{"add extra words", nil, []string{"netns", "add", "x", "y"}},
		{"add slash", nil, []string{"netns", "add", "a/b"}},
		{"add dot", nil, []string{"netns", "add", "."}},
		{"add dotdot", nil, []string{"netns", "add", ".."}},
		{"add empty", nil, []string{"netns", "add", ""}},
		{"add 256 chars", nil, []string{"netns", "add", long}},
		{"add traversal", nil, []string{"netns", "add", "../../etc"}},
		{"add with -all skips check", nil, []string{"-all", "netns", "add", "x"}},

		{"delete", []string{"netns add x", "netns add y"}, []string{"netns", "delete", "x"}},
		{"delete prefix d", []string{"netns add x"}, []string{"netns", "d", "x"}},
		{"delete missing", nil, []string{"netns", "delete", "x"}},
		{"delete no name", nil, []string{"netns", "delete"}},
		{"delete slash", []string{"netns add x"}, []string{"netns", "delete", "a/b"}},
		{"delete traversal", nil, []string{"netns", "delete", "../../etc/passwd"}},
		{"delete dotdot", nil, []string{"netns", "del", ".."}},
		{"delete all", []string{"netns add x", "netns add y", "netns add z"}, []string{"-all", "netns", "delete"}},
		{"delete all empty", nil, []string{"-all", "netns", "delete"}},

		{"set", []string{"netns add x"}, []string{"netns", "set", "x", "7"}},
		{"set hex", []string{"netns add x"}, []string{"netns", "set", "x", "0x10"}},
		{"set auto", []string{"netns add x"}, []string{"netns", "set", "x", "auto"}},
		{"set again", []string{"netns add x", "netns set x 1"}, []string{"netns", "set", "x", "2"}},
		{"set bad value", []string{"netns add x"}, []string{"netns", "set", "x", "foo"}},
		{"set negative", []string{"netns add x"}, []string{"netns", "set", "x", "-3"}},
		{"set no nsid", []string{"netns add x"}, []string{"netns", "set", "x"}},
		{"set no name", nil, []string{"netns", "set"}},
		{"set missing ns", nil, []string{"netns", "set", "nope", "1"}},

		{"list-id", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7"}, []string{"netns", "list-id"}},
		{"list-id json", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7"}, []string{"-j", "netns", "list-id"}},
		{"list-id json pretty", []string{"netns add a", "netns set a 5"}, []string{"-j", "-p", "netns", "list-id"}},
		{"list-id empty", nil, []string{"netns", "list-id"}},
		{"list-id json empty", nil, []string{"-j", "netns", "list-id"}},
		{"list-id nsid", []string{"netns add a", "netns set a 5"}, []string{"netns", "list-id", "nsid", "5"}},
		{"list-id nsid json", []string{"netns add a", "netns set a 5"}, []string{"-j", "netns", "list-id", "nsid", "5"}},
		{"list-id nsid missing", []string{"netns add a", "netns set a 5"}, []string{"netns", "list-id", "nsid", "6"}},
		{"list-id target", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7", "netns exec a ip netns set b 3"}, []string{"netns", "list-id", "target-nsid", "5"}},
		{"list-id target json", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7", "netns exec a ip netns set b 3"}, []string{"-j", "netns", "list-id", "target-nsid", "5"}},
		{"list-id target nsid", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7", "netns exec a ip netns set b 3"}, []string{"netns", "list-id", "target-nsid", "5", "nsid", "7"}},
		{"list-id target unassigned", []string{"netns add a", "netns add b", "netns set a 5", "netns set b 7"}, []string{"netns", "list-id", "target-nsid", "5", "nsid", "7"}},
		{"list-id bad target", nil, []string{"netns", "list-id", "target-nsid", "99"}},
		{"list-id nsid incomplete", nil, []string{"netns", "list-id", "nsid"}},
		{"list-id nsid invalid", nil, []string{"netns", "list-id", "nsid", "x"}},
		{"list-id nsid negative", nil, []string{"netns", "list-id", "nsid", "-1"}},
		{"list-id nsid negative more", nil, []string{"netns", "list-id", "nsid", "-1", "foo"}},
		{"list-id nsid twice", nil, []string{"netns", "list-id", "nsid", "1", "nsid", "2"}},
		{"list-id target twice", nil, []string{"netns", "list-id", "target-nsid", "1", "target-nsid", "2"}},
		{"list-id unknown word", nil, []string{"netns", "list-id", "target", "5"}},

		{"identify self none", []string{"netns add a"}, []string{"netns", "identify"}},
		{"identify pid 1", []string{"netns add a"}, []string{"netns", "identify", "1"}},
		{"identify not pid", nil, []string{"netns", "identify", "abc"}},
		{"identify self word", nil, []string{"netns", "identify", "self"}},
		{"identify extra", nil, []string{"netns", "identify", "1", "2"}},
		{"identify no process", nil, []string{"netns", "identify", "999999999"}},
		{"identify in netns", []string{"netns add a"}, []string{"-n", "a", "netns", "identify"}},

		{"pids none", []string{"netns add a"}, []string{"netns", "pids", "a"}},
		{"pids missing", nil, []string{"netns", "pids", "a"}},
		{"pids no name", nil, []string{"netns", "pids"}},
		{"pids extra", nil, []string{"netns", "pids", "a", "b"}},

		{"attach", []string{"netns add a"}, []string{"netns", "attach", "b", "@PID@"}},
		{"attach exists", []string{"netns add a"}, []string{"netns", "attach", "a", "@PID@"}},
		{"attach no pid", nil, []string{"netns", "attach", "b"}},
		{"attach bad pid", nil, []string{"netns", "attach", "b", "abc"}},
		{"attach pid 0", nil, []string{"netns", "attach", "b", "0"}},
		{"attach no process", nil, []string{"netns", "attach", "b", "999999999"}},
		{"attach bad name", nil, []string{"netns", "attach", "a/b", "1"}},

		{"exec status", []string{"netns add a"}, []string{"netns", "exec", "a", "sh", "-c", "exit 7"}},
		{"exec output", []string{"netns add a"}, []string{"netns", "exec", "a", "sh", "-c", "echo out; echo err >&2"}},
		{"exec prefix e", []string{"netns add a"}, []string{"netns", "e", "a", "true"}},
		{"exec identify", []string{"netns add a"}, []string{"netns", "exec", "a", "/usr/sbin/ip", "netns", "identify"}},
		{"exec sees its links", []string{"netns add a"}, []string{"netns", "exec", "a", "cat", "/sys/class/net/lo/ifindex"}},
		{"exec missing ns", nil, []string{"netns", "exec", "nope", "true"}},
		{"exec missing program", []string{"netns add a"}, []string{"netns", "exec", "a", "/nonexistent/cmd"}},
		{"exec program not in PATH", []string{"netns add a"}, []string{"netns", "exec", "a", "no-such-program-rawns"}},
		{"exec no command", []string{"netns add a"}, []string{"netns", "exec", "a"}},
		{"exec no name", nil, []string{"netns", "exec"}},
		{"exec bad name", nil, []string{"netns", "exec", "../x", "true"}},
		{"exec all", []string{"netns add a", "netns add b"}, []string{"-all", "netns", "exec", "sh", "-c", "echo hi; exit 3"}},
		{"exec all no command", nil, []string{"-all", "netns", "exec"}},
		{"exec all empty", nil, []string{"-all", "netns", "exec", "true"}},

		// Entries that are not namespaces, and a missing run directory.
		{"list plain file", []string{"netns add a", "netns set a 2", "!touch /run/netns/plain"}, []string{"netns", "list"}},
		{"list-id plain file", []string{"netns add a", "netns set a 2", "!touch /run/netns/plain"}, []string{"netns", "list-id"}},
		{"identify plain file", []string{"!touch /run/netns/plain"}, []string{"netns", "identify"}},
		{"delete all plain file", []string{"netns add a", "!touch /run/netns/plain"}, []string{"-all", "netns", "delete"}},
		{"delete all directory", []string{"netns add a", "!mkdir /run/netns/d"}, []string{"-all", "netns", "delete"}},
		{"exec all plain file", []string{"!touch /run/netns/plain", "netns add a"}, []string{"-all", "netns", "exec", "echo", "x"}},
		{"list-id two names", []string{"netns add a", "!touch /run/netns/b", "!mount --bind /run/netns/a /run/netns/b", "netns set a 5"}, []string{"netns", "list-id"}},
		{"list two names", []string{"netns add a", "!touch /run/netns/b", "!mount --bind /run/netns/a /run/netns/b", "netns set a 5"}, []string{"netns", "list"}},
		{"list no run dir", []string{"!rmdir /run/netns"}, []string{"netns", "list"}},
		{"list json no run dir", []string{"!rmdir /run/netns"}, []string{"-j", "netns", "list"}},
		{"list-id no run dir", []string{"!rmdir /run/netns"}, []string{"netns", "list-id"}},
		{"identify no run dir", []string{"!rmdir /run/netns"}, []string{"netns", "identify"}},
		{"delete all no run dir", []string{"!rmdir /run/netns"}, []string{"-all", "netns", "delete"}},
		{"exec all no run dir", []string{"!rmdir /run/netns"}, []string{"-all", "netns", "exec", "true"}},
		{"add no run dir", []string{"!rmdir /run/netns"}, []string{"netns", "add", "x"}},
		{"list-id nsid missing json", []string{"netns add a", "netns set a 5"}, []string{"-j", "netns", "list-id", "nsid", "6"}},
		{"list-id bad target json", nil, []string{"-j", "netns", "list-id", "target-nsid", "99"}},

		{"-n missing", nil, []string{"-n", "nope", "netns", "list"}},
		{"-n path", []string{"netns add a"}, []string{"-n", "/run/netns/a", "netns", "list"}},
		{"-n dotdot", nil, []string{"-n", "..", "netns", "list"}},
		{"-netns", []string{"netns add a"}, []string{"-netns", "a", "netns", "exec", "a", "true"}},
		{"-n no name", nil, []string{"-n"}},
		{"-n sysfs", []string{"netns add a"}, []string{"-n", "a", "netns", "exec", "a", "ls", "/sys/class/net"}},

		// Names that are odd but valid, and words that are not what they
		// should be: each is taken as ip takes it.
		{"add space", nil, []string{"netns", "add", "a b"}},
		{"add blank", nil, []string{"netns", "add", " "}},
		{"add tab", nil, []string{"netns", "add", "\t"}},
		{"add percent", nil, []string{"netns", "add", "%"}},
		{"add three dots", nil, []string{"netns", "add", "..."}},
		{"add dots inside", nil, []string{"netns", "add", "a..b"}},
		{"add dash", nil, []string{"netns", "add", "-x"}},
		{"add then use space", []string{"!ip netns add 'a b'"}, []string{"-n", "a b", "netns", "identify"}},
		{"delete space", []string{"!ip netns add 'a b'"}, []string{"netns", "delete", "a b"}},
		{"-n percent missing", nil, []string{"-n", "%", "link"}},
		{"-n dir", nil, []string{"-n", "/run/netns", "link"}},
		{"-n root", nil, []string{"-n", "/", "link"}},
		{"-n long", nil, []string{"-n", long, "link"}},
		{"-n number", nil, []string{"-n", "4194304", "link"}},
		{"set nsid too big", []string{"netns add x"}, []string{"netns", "set", "x", "2147483648"}},
		{"set nsid spaces", []string{"netns add x"}, []string{"netns", "set", "x", " 7"}},
		{"set nsid hex", []string{"netns add x"}, []string{"netns", "set", "x", "0x7fffffff"}},
		{"attach pid too big", nil, []string{"netns", "attach", "b", "4294967296"}},
		{"attach pid none", nil, []string{"netns", "attach", "b", "4194304"}},
		{"attach pid negative", nil, []string{"netns", "attach", "b", "-5"}},
		{"attach pid hex", nil, []string{"netns", "attach", "b", "0x400000"}},
		{"identify pid too big", nil, []string{"netns", "identify", "99999999999999999999"}},
		{"identify pid spaces", nil, []string{"netns", "identify", " 1"}},
		{"pids percent", nil, []string{"netns", "pids", "%"}},
		{"list-id nsid too big", nil, []string{"netns", "list-id", "nsid", "2147483648"}},
		{"list-id target hex", nil, []string{"netns", "list-id", "target-nsid", "0x7fffffff"}},
		{"batch missing", nil, []string{"-batch", "/nonexistent/file"}},
		{"batch space", nil, []string{"-batch", "a b"}},
		{"batch dir", nil, []string{"-batch", "/run/netns"}},
		{"batch empty", nil, []string{"-batch", ""}},
		{"force batch empty", nil, []string{"-force", "-batch", ""}},
		{"-n empty", nil, []string{"-n", "", "link"}},
		{"-n empty batch", nil, []string{"-n", "", "-batch", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotDir := runIsolated(t, filepath.Join(toolDir(t), "ip"), tt.setup, tt.args...)
			want, wantDir := runIsolated(t, "/usr/sbin/ip", tt.setup, tt.args...)
			if got != want {
				t.Errorf("ip %q:\nrawns    %+v\niproute2 %+v", tt.args, got, want)
			}
			if gotDir != wantDir {
				t.Errorf("ip %q: /run/netns after rawns = %q, after iproute2 %q", tt.args, gotDir, wantDir)
			}
		})
	}
}

// isolatedScript runs in a fresh sandbox made by sandbox.Command: it gives
// the sandbox an empty /run, runs the setup lines (up to "--": words of an
// ip command line, run with iproute2, or a shell command after "!"), then
// the command after "--" with @PID@ replaced by the shell's pid (a process
// in the sandbox's own namespaces), and finally lists /run/netns in readdir
// order on fd 3.
const isolatedScript = `mount --make-rprivate / && mount -t tmpfs iso-run /run && mkdir /run/netns || exit 90
while [ "$1" != "--" ]; do
	case $1 in
	!*) sh -c "${1#!}" >/dev/null 2>&1 ;;
	*) /usr/sbin/ip $1 >/dev/null 2>&1 ;;
	esac || { echo "setup failed: $1" >&3; exit 91; }
	shift
done
shift
for a in "$@"; do
	shift
	[ "$a" = @PID@ ] && a=$$
	set -- "$@" "$a"
done
"$@"
rc=$?
ls -U -A /run/netns >&3 2>/dev/null
exit $rc`

// runIsolated runs setup (ip command lines, with iproute2) and then bin
// with args in a fresh network and mount namespace of their own, so that
// nothing (nsids in particular, which outlive a deleted namespace for a
// while) carries over from other tests. It returns what bin printed and how
// it exited, and the entries of /run/netns afterwards.
func runIsolated(t *testing.T, bin string, setup []string, args ...string) (result, string) {
	t.Helper()
	argv := append([]string{"-c", isolatedScript, "sh"}, setup...)
	argv = append(append(argv, "--", bin), args...)
	cmd := sandbox.Command("/bin/sh", argv...)
	cmd.Env = append(cmd.Env, quickRaceExit)
	var out, errb, dir bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{pw}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	_, err = dir.ReadFrom(pr)
	pr.Close()
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %q: %v", bin, args, err)
	}
	if strings.HasPrefix(dir.String(), "setup failed") || r.code == 90 {
		t.Fatalf("%s %q: %s%s", bin, args, dir.String(), r.stderr)
	}
	return r, dir.String()
}

// TestIntegrationNetnsBadNames checks that every invalid name is refused
// by every subcommand before anything is created, with ip's message and
// status, and that nothing appears outside /run/netns either.
func TestIntegrationNetnsBadNames(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	names := []string{"a/b", ".", "..", "", strings.Repeat("x", 256), "../../etc", "../escape",
		"/", "a/", "/a", "./x", "a/..", " /", strings.Repeat("x", 300), strings.Repeat("x", 4097)}
	for _, sub := range []string{"add", "delete", "attach", "exec", "pids", "set", "identify", "list"} {
		for _, name := range names {
			args := []string{"netns", sub, name, "1"}
			got := rawns(t, "ip", args...)
			want := result{stderr: `Invalid netns name "` + name + `"` + "\n", code: 255}
			if got != want {
				t.Errorf("rawns ip %q = %+v, want %+v", args, got, want)
			}
			if ref := realIP(t, args...); ref != want {
				t.Errorf("iproute2 ip %q = %+v, want %+v (the reference moved?)", args, ref, want)
			}
		}
	}
	if e := runDirEntries(t); len(e) != 0 {
		t.Errorf("/run/netns holds %q after refused names", e)
	}
	for _, p := range []string{"/run/escape", "/etc/1"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists after refused names", p)
		}
	}
}

// TestIntegrationNetnsInterop checks that namespaces made by one tool are
// usable by the other.
func TestIntegrationNetnsInterop(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	defer resetNetns(t)

	check := func(r result, want result, what string) {
		t.Helper()
		if r != want {
			t.Errorf("%s = %+v, want %+v", what, r, want)
		}
	}
	check(rawns(t, "ip", "netns", "add", "byrawns"), result{}, "rawns netns add byrawns")
	check(realIP(t, "netns", "add", "byip"), result{}, "ip netns add byip")

	// Each tool lists, identifies and enters the other's namespace.
	lo := "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n" +
		"    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
	check(realIP(t, "netns", "exec", "byrawns", "/usr/sbin/ip", "link"), result{stdout: lo}, "ip netns exec byrawns ip link")
	check(realIP(t, "-n", "byrawns", "netns", "identify"), result{stdout: "byrawns\n"}, "ip -n byrawns netns identify")
	check(rawns(t, "ip", "netns", "exec", "byip", "/usr/sbin/ip", "netns", "identify"), result{stdout: "byip\n"}, "rawns netns exec byip ip netns identify")
	check(rawns(t, "ip", "-n", "byip", "netns", "identify"), result{stdout: "byip\n"}, "rawns -n byip netns identify")
	list := realIP(t, "netns", "list")
	check(rawns(t, "ip", "netns", "list"), list, "rawns netns list")
	if !strings.Contains(list.stdout, "byrawns\n") || !strings.Contains(list.stdout, "byip\n") {
		t.Errorf("ip netns list = %q, want both byrawns and byip", list.stdout)
	}

	// A link moved into a rawns namespace by ip is seen there by both.
	setupIP(t, []string{"link add va type veth peer name vb", "link set vb netns byrawns"})
	check(realIP(t, "netns", "exec", "byrawns", "cat", "/sys/class/net/vb/mtu"), result{stdout: "1500\n"}, "ip netns exec byrawns cat vb/mtu")
	check(rawns(t, "ip", "netns", "exec", "byrawns", "cat", "/sys/class/net/vb/mtu"), result{stdout: "1500\n"}, "rawns netns exec byrawns cat vb/mtu")
	// ...and ids the kernel assigned for that show up the same in both.
	check(rawns(t, "ip", "netns", "list"), realIP(t, "netns", "list"), "rawns netns list after the move")
	check(rawns(t, "ip", "netns", "list-id"), realIP(t, "netns", "list-id"), "rawns netns list-id after the move")

	// Each deletes the other's.
	check(rawns(t, "ip", "netns", "delete", "byip"), result{}, "rawns netns delete byip")
	check(realIP(t, "netns", "delete", "byrawns"), result{}, "ip netns delete byrawns")
	if e := runDirEntries(t); len(e) != 0 {
		t.Errorf("/run/netns holds %q after both deletes", e)
	}
}

// TestIntegrationNetnsPids compares `netns pids` and `netns identify PID`
// while a process lives in the namespace.
func TestIntegrationNetnsPids(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add p"})

	cmd := exec.Command("/usr/sbin/ip", "netns", "exec", "p", "sh", "-c", "echo ready; exec cat")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	// The process is in the namespace once it has said so.
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("ip netns exec p sh: read %q, %v", line, err)
	}
	pid := cmd.Process.Pid

	want := realIP(t, "netns", "pids", "p")
	if !strings.Contains(want.stdout, "\n") || want.code != 0 {
		t.Fatalf("ip netns pids p = %+v, want the pid of the process", want)
	}
	if got := rawns(t, "ip", "netns", "pids", "p"); got != want {
		t.Errorf("rawns netns pids p = %+v, ip %+v", got, want)
	}
	args := []string{"netns", "identify", strconv.Itoa(pid)}
	want = realIP(t, args...)
	if want != (result{stdout: "p\n"}) {
		t.Fatalf("ip %q = %+v, want p", args, want)
	}
	if got := rawns(t, "ip", args...); got != want {
		t.Errorf("rawns %q = %+v, ip %+v", args, got, want)
	}
}

// TestIntegrationNetnsBatchExec checks that in a batch `netns exec` forks,
// waits and reports the program's status, so later lines still run, with
// and without -force, and under -n.
func TestIntegrationNetnsBatchExec(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a", "netns add b"})
	dir := t.TempDir()
	tests := []struct {
		name  string
		opts  []string
		batch string
	}{
		{"statuses", nil, "netns exec a sh -c 'echo one'\nnetns exec b sh -c 'exit 4'\nnetns exec a sh -c 'echo three'\n"},
		{"force", []string{"-force"}, "netns exec a sh -c 'exit 4'\nnetns exec b sh -c 'echo two'\nnetns exec a true\n"},
		{"identify in child", nil, "netns exec b /usr/sbin/ip netns identify\nnetns identify\n"},

		{"exec failure", []string{"-force"}, "netns exec a /nonexistent/cmd\nnetns exec a echo after\n"},
		{"under -n", []string{"-n", "a"}, "netns identify\nnetns exec b /usr/sbin/ip netns identify\nnetns identify\n"},
	}
	batchFile := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}

	// A setup failure in the forked child: 6.1's child does not exit but
	// goes on running the rest of the batch itself (so "after" comes
	// twice); HEAD's child exits 1, and rawns follows HEAD (iproute2.md §1).
	f := batchFile("missing", "netns exec nope true\nnetns exec a echo after\n")
	failed := "Command failed " + f + ":1\n"
	setup := "Cannot open network namespace \"nope\": No such file or directory\n"
	ref := realIP(t, "-force", "-batch", f)
	if ref != (result{stdout: "after\nafter\n", stderr: setup + failed + failed, code: 1}) {
		t.Errorf("iproute2 6.1 -force -batch with a missing namespace = %+v; its defect changed?", ref)
	}
	want := result{stdout: "after\n", stderr: setup + failed, code: 1}
	if got := rawns(t, "ip", "-force", "-batch", f); got != want {
		t.Errorf("rawns -force -batch with a missing namespace = %+v, want %+v", got, want)
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(f, []byte(tt.batch), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append(append([]string{}, tt.opts...), "-batch", f)
			got := rawns(t, "ip", args...)
			want := realIP(t, args...)
			if got != want {
				t.Errorf("ip %q with\n%s\nrawns    %+v\niproute2 %+v", args, tt.batch, got, want)
			}
		})
	}
}

// TestIntegrationNetnsMonitor compares the add/delete lines of `netns
// monitor` with iproute2's (line-buffered through stdbuf, since ip does not
// flush).
func TestIntegrationNetnsMonitor(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	if _, err := exec.LookPath("stdbuf"); err != nil {
		t.Skip("stdbuf is needed to read ip netns monitor as it goes")
	}
	resetNetns(t)
	defer resetNetns(t)
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		defer func() {
			cmd.Process.Kill()
			for range lines {
			}
			cmd.Wait()
		}()
		go func() {
			defer close(lines)
			r := bufio.NewReader(out)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				lines <- strings.TrimSuffix(line, "\n")
			}
		}()
		// Events before the watch is in place are lost: a prober creates
		// and removes a file until the monitor has reported one.
		stop, stopped := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(stopped)
			for {
				select {
				case <-stop:
					return
				default:
				}
				os.WriteFile("/run/netns/probe", nil, 0)
				os.Remove("/run/netns/probe")
			}
		}()
		for line := range lines {
			if line == "add probe" {
				break
			}
		}
		close(stop)
		<-stopped
		setupIP(t, []string{"netns add m1", "netns add m2", "netns delete m1", "netns delete m2"})
		var b strings.Builder
		for line := range lines {
			if strings.HasSuffix(line, " probe") {
				continue
			}
			b.WriteString(line + "\n")
			if line == "delete m2" {
				return b.String()
			}
		}
		t.Fatalf("%s: output ended after %q", name, b.String())
		return ""
	}
	got := run(filepath.Join(toolDir(t), "ip"), "netns", "monitor")
	want := run("stdbuf", "-oL", "/usr/sbin/ip", "netns", "monitor")
	if got != want {
		t.Errorf("netns monitor:\nrawns\n%s\niproute2\n%s", got, want)
	}
	if want != "add m1\nadd m2\ndelete m1\ndelete m2\n" {
		t.Errorf("iproute2 netns monitor printed %q", want)
	}
}

// TestIntegrationSwitchThread checks that -n moves the thread the command
// runs on and that sockets opened afterwards are in the namespace: the
// rtnetlink socket answers with the namespace's own view (nsid list and
// identify agree with iproute2 run there).
func TestIntegrationSwitchThread(t *testing.T) {
	sandbox.Require(t)
	batch := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(batch, []byte("netns identify\nlink show lo\nnetns list-id\nnetns exec s2 /usr/sbin/ip netns identify\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	setup := []string{"netns add s1", "netns add s2", "netns set s2 4", "netns exec s1 ip netns set s2 9", "netns exec s1 ip link set lo up"}
	for _, args := range [][]string{
		{"-n", "s1", "netns", "list"},
		{"-n", "s1", "netns", "list-id"},
		{"-n", "s2", "netns", "identify"},
		{"-n", "s1", "-j", "netns", "list"},
		{"-n", "s1", "netns", "exec", "s1", "ls", "/sys/class/net"},
		{"-n", "s1", "link", "show", "lo"},
		{"-n", "s1", "-batch", batch},
	} {
		got, _ := runIsolated(t, filepath.Join(toolDir(t), "ip"), setup, args...)
		want, _ := runIsolated(t, "/usr/sbin/ip", setup, args...)
		if got != want {
			t.Errorf("ip %q: rawns %+v, iproute2 %+v", args, got, want)
		}
	}

	// rawns -n NS ping: the ICMP socket is in s1, whose lo is up, while the
	// sandbox's own lo is down.
	rawnsBin := filepath.Join(toolDir(t), "rawns")
	got, _ := runIsolated(t, rawnsBin, setup, "-n", "s1", "ping", "-c", "1", "127.0.0.1")
	if got.code != 0 || !strings.Contains(got.stdout, "1 packets transmitted, 1 received") {
		t.Errorf("rawns -n s1 ping -c 1 127.0.0.1 = %+v, want one reply", got)
	}
	got, _ = runIsolated(t, rawnsBin, setup, "ping", "-c", "1", "127.0.0.1")
	if got.code == 0 {
		t.Errorf("rawns ping -c 1 127.0.0.1 outside s1 = %+v, want a failure (lo is down there)", got)
	}
}

// TestIntegrationNetnsExecNoFork checks that outside a batch `netns exec`
// replaces the ip process instead of forking: the program's pid is ip's.
func TestIntegrationNetnsExecNoFork(t *testing.T) {
	sandbox.Require(t)
	t.Setenv("GORACE", strings.TrimPrefix(quickRaceExit, "GORACE="))
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a"})
	cmd := exec.Command(filepath.Join(toolDir(t), "ip"), "netns", "exec", "a", "sh", "-c", "echo $$")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ip netns exec a sh: %v", err)
	}
	if got, want := strings.TrimSpace(string(out)), strconv.Itoa(cmd.Process.Pid); got != want {
		t.Errorf("pid of the program run by ip netns exec = %s, want ip's own %s", got, want)
	}
}
