package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

// nobody is the unprivileged user the user-limit tests run as.
const nobody = 65534

var (
	userOnce sync.Once
	userPath string
	userErr  error
)

// userDir returns a directory that user nobody can read, holding ping: a
// copy of this test binary (which then behaves as rawns, see TestMain).
// The test binary lives in a 0700 go-build directory, so a link will not
// do. The directory is a tmpfs mounted in the sandbox's own /run, without
// nosuid so that a copy may be made setuid; it goes with the sandbox.
func userDir(t testing.TB) string {
	t.Helper()
	userOnce.Do(func() {
		dir := "/run/rawns-user"
		if userErr = os.Mkdir(dir, 0o755); userErr != nil {
			return
		}
		if err := unix.Mount("rawns-user", dir, "tmpfs", unix.MS_NODEV, "mode=0755"); err != nil {
			userErr = os.NewSyscallError("mount", err)
			return
		}
		exe, err := os.Executable()
		if err != nil {
			userErr = err
			return
		}
		userErr = copyFile(exe, filepath.Join(dir, "ping"), 0o755)
		userPath = dir
	})
	if userErr != nil {
		t.Fatalf("userDir: %v", userErr)
	}
	return userPath
}

// copyFile copies the file src to dst with mode perm.
func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, perm) // past the umask
}

// asUser runs path with args as uid and gid id, with no supplementary
// groups, and returns its masked output (stdout and stderr on one pipe, so
// in the order written) and exit status. argv[0] is "ping", which error
// messages start with.
func asUser(t testing.TB, id uint32, path string, args []string) (string, int) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Args[0] = "ping"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: id, Gid: id, Groups: []uint32{}}}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s as uid %d: %v", path, id, err)
	}
	return pingMask(out.String()), code
}

// allowPingSockets lets every group open ICMP datagram sockets in the
// sandbox's network namespace (net.ipv4.ping_group_range is per namespace
// and a new one starts with "1 0"), so that a user without CAP_NET_RAW can
// ping. The value is restored when the test ends.
func allowPingSockets(t *testing.T) {
	t.Helper()
	const f = "/proc/sys/net/ipv4/ping_group_range"
	old, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte("0 2147483647"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(f, old, 0o644) })
}

// TestIntegrationPingUserLimits runs rawns and iputils ping as user nobody
// and compares them: a user other than root may not flood, send more often
// than every 2 ms, preload more than 3 probes, or ping a multicast address
// more often than once a second. iputils refuses by real uid, not by
// capability: the installed ping has cap_net_raw=ep and still refuses.
func TestIntegrationPingUserLimits(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	pingLinkLocal(t)
	allowPingSockets(t)
	if out, err := exec.Command("ip", "route", "add", "224.0.0.0/4", "dev", "pva").CombinedOutput(); err != nil {
		t.Fatalf("ip route add: %v\n%s", err, out)
	}
	ping := filepath.Join(userDir(t), "ping")
	for _, tc := range []struct {
		name, args string
		fails      bool // exits non-zero
	}{
		{"plain", "-c 2 -i 0.2 10.90.0.2", false},
		{"flood", "-f -c 2 10.90.0.2", true},
		{"flood ipv6", "-6 -f -c 2 fd90::2", true},
		{"interval 1ms", "-c 2 -i 0.001 10.90.0.2", true},
		{"interval 1.9ms", "-q -c 2 -i 0.0019 10.90.0.2", true},
		{"interval 2ms", "-q -c 3 -i 0.002 10.90.0.2", false},
		{"flood at 2ms", "-q -f -c 3 -i 0.002 10.90.0.2", false},
		{"negative interval", "-c 1 -i -1 10.90.0.2", true},
		{"preload 4", "-c 2 -l 4 10.90.0.2", true},
		{"preload 3", "-q -c 3 -l 3 -i 0.2 10.90.0.2", false},
		{"preload before count", "-l 4 -c 0 10.90.0.2", true},
		{"count before preload", "-c 0 -l 4 10.90.0.2", true},
		{"preload before bad option", "-l 4 -Z 10.90.0.2", true},
		{"multicast", "-c 1 -i 0.5 224.0.0.1", true},
		{"unreachable flood", "-f -c 1 10.90.0.9", true},
		{"multicast ipv6", "-c 1 -i 0.5 ff02::1%pva", true},
		// A datagram socket needs a scope for a link-local address:
		// iputils warns, and the send fails silently.
		{"link-local without scope", "-c 1 -W 1 fe80::2", true},
		{"link-local with -I", "-c 1 -I pva fe80::2", false},
		{"link-local with scope", "-c 1 fe80::2%pva", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := strings.Fields(tc.args)
			want, wantCode := asUser(t, nobody, "/usr/bin/ping", args)
			got, gotCode := asUser(t, nobody, ping, args)
			if cut, _, ok := strings.Cut(want, "\nUsage\n"); ok {
				want = cut // rawns lists only the options it has
				got, _, _ = strings.Cut(got, "\nUsage\n")
			}
			if got != want || gotCode != wantCode {
				t.Errorf("ping %s as nobody: rawns (exit %d):\n%s\niputils (exit %d):\n%s", tc.args, gotCode, got, wantCode, want)
			}
			if fails := gotCode != 0; fails != tc.fails {
				t.Errorf("ping %s as nobody: fails %v, want %v:\n%s", tc.args, fails, tc.fails, got)
			}
		})
	}
}

// installed returns a copy of the ping in userDir at name, owned by root
// with mode perm (os.ModeSetuid for a setuid install) and, when caps is not
// empty, the file capabilities caps (setcap's syntax). path, when not
// empty, is copied instead.
func installed(t *testing.T, path, name string, perm os.FileMode, caps string) string {
	t.Helper()
	if path == "" {
		path = filepath.Join(userDir(t), "ping")
	}
	dst := filepath.Join(userDir(t), name)
	if err := copyFile(path, dst, perm&os.ModePerm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dst, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dst, perm); err != nil { // after chown, which clears setuid
		t.Fatal(err)
	}
	if caps != "" {
		if out, err := exec.Command("setcap", caps, dst).CombinedOutput(); err != nil {
			t.Fatalf("setcap %s: %v\n%s", caps, err, out)
		}
	}
	return dst
}

// threadCreds returns the Uid, Gid, CapPrm and CapEff lines of
// /proc/PID/task/TID/status for every thread of process pid: once when
// all threads agree, else each thread's, one after the other.
func threadCreds(t *testing.T, pid int) string {
	t.Helper()
	tasks, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/status")
	if err != nil || len(tasks) == 0 {
		t.Fatalf("threads of %d: %v", pid, err)
	}
	seen := map[string]bool{}
	var all string
	for _, f := range tasks {
		status, _ := os.ReadFile(f)
		var c string
		for _, l := range strings.Split(string(status), "\n") {
			if k, _, _ := strings.Cut(l, ":"); k == "Uid" || k == "Gid" || k == "CapPrm" || k == "CapEff" {
				c += l + "\n"
			}
		}
		if !seen[c] {
			seen[c] = true
			all += c
		}
	}
	return all
}

// statusAfterFirstReply runs path with args as nobody, reads the
// credentials of its threads (threadCreds) once the first reply is
// printed, and returns them, the masked output and the exit status.
func statusAfterFirstReply(t *testing.T, path string, args []string) (creds, out string, code int) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Args[0] = "ping"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := stdout.Read(buf)
		b.Write(buf[:n])
		if creds == "" && strings.Contains(b.String(), " bytes from ") {
			creds = threadCreds(t, cmd.Process.Pid)
		}
		if err != nil {
			break
		}
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return creds, pingMask(b.String() + errb.String()), code
}

// TestIntegrationPingDropsPrivileges installs rawns as ping the two ways
// ping is installed, setuid root and with cap_net_raw=ep, and runs it as
// nobody with ICMP datagram sockets refused (ping_group_range "1 0", a new
// namespace's default), so only the raw socket opened before the drop
// works. It must reach the peer, and its /proc/PID/task/*/status, read
// while it runs, must show on every thread every uid and gid set to
// nobody's and no capability left. A flood is refused as for any user,
// with iputils' words.
func TestIntegrationPingDropsPrivileges(t *testing.T) {
	sandbox.Require(t)
	pingTopo(t)
	const dropped = "Uid:\t65534\t65534\t65534\t65534\nGid:\t65534\t65534\t65534\t65534\n" +
		"CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
	static := filepath.Join(userDir(t), "ping-static")
	if _, err := os.Stat(static); err != nil {
		// The file-capability drop acts on every thread through
		// AllThreadsSyscall, which a cgo (-race) binary does not have.
		build := exec.Command("go", "build", "-trimpath", "-o", static, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	for _, tc := range []struct {
		name, from string
		perm       os.FileMode
		caps       string
	}{
		{"setuid root", "", os.ModeSetuid | 0o755, ""},
		{"setuid root static", static, os.ModeSetuid | 0o755, ""},
		{"cap_net_raw=ep", static, 0o755, "cap_net_raw=ep"},
		{"cap_net_raw=p", static, 0o755, "cap_net_raw=p"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ping := installed(t, tc.from, "ping-"+strings.NewReplacer(" ", "-", "=", "-").Replace(tc.name), tc.perm, tc.caps)
			args := strings.Fields("-c 3 -i 0.3 10.90.0.2")
			creds, got, code := statusAfterFirstReply(t, ping, args)
			want, wantCode := asUser(t, nobody, "/usr/bin/ping", args)
			if got != want || code != wantCode {
				t.Errorf("ping %q as nobody: rawns (exit %d):\n%s\niputils (exit %d):\n%s", args, code, got, wantCode, want)
			}
			if creds != dropped {
				t.Errorf("rawns kept privileges while pinging; /proc/PID/status:\n%swant:\n%s", creds, dropped)
			}
			args = strings.Fields("-f -c 1 10.90.0.2")
			want, wantCode = asUser(t, nobody, "/usr/bin/ping", args)
			got, code = asUser(t, nobody, ping, args)
			if got != want || code != wantCode || code != 2 {
				t.Errorf("ping %q as nobody: rawns (exit %d):\n%s\niputils (exit %d):\n%s", args, code, got, wantCode, want)
			}
		})
	}
}
