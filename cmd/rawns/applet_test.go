package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rawns/rawns/cmd/rawns/ip"
	"github.com/rawns/rawns/internal/sandbox"
	"golang.org/x/sys/unix"
)

// TestApplets checks the multi-call dispatch: `rawns APPLET ARGS` runs the
// applet (busybox's convention), `rawns` alone and `rawns --help` list the
// applets, rawns without an applet word is ip, and ip itself takes no
// applet words (ip ip, ip ping are unknown objects, as in iproute2).
func TestApplets(t *testing.T) {
	for _, tt := range []struct {
		name string // rawns, ip or ping
		args []string
		want result
		ref  func() result // when not nil, gives want
	}{
		{name: "rawns", want: result{stderr: rawnsUsage, code: 255}},
		{name: "rawns", args: []string{"--help"}, want: result{stdout: rawnsUsage}},
		{name: "rawns", args: []string{"ip"}, want: result{stderr: ip.Usage, code: 255}},
		{name: "ip", want: result{stderr: ip.Usage, code: 255}},
		{name: "rawns", args: []string{"ip", "bogus"}, ref: func() result { return realIP(t, "bogus") }},
		{name: "rawns", args: []string{"ip", "-o", "link", "show", "lo"}, ref: func() result { return realIP(t, "-o", "link", "show", "lo") }},
		{name: "rawns", args: []string{"-o", "link", "show", "lo"}, ref: func() result { return realIP(t, "-o", "link", "show", "lo") }},
		{name: "rawns", args: []string{"ip", "ip"}, ref: func() result { return realIP(t, "ip") }},
		{name: "ip", args: []string{"ip", "link"}, ref: func() result { return realIP(t, "ip", "link") }},
		{name: "ip", args: []string{"ping", "127.0.0.1"}, ref: func() result { return realIP(t, "ping", "127.0.0.1") }},
		{name: "ip", args: []string{"--help"}, ref: func() result { return rawns(t, "rawns", "ip", "-help") }},
		{name: "rawns", args: []string{"ping"}, ref: func() result { return rawns(t, "ping") }},
		{name: "rawns", args: []string{"ping", "-c", "1", ""}, ref: func() result { return rawns(t, "ping", "-c", "1", "") }},
	} {
		got := rawns(t, tt.name, tt.args...)
		want := tt.want
		if tt.ref != nil {
			want = tt.ref()
		}
		if got != want {
			t.Errorf("%s %q:\ngot  %+v\nwant %+v", tt.name, tt.args, got, want)
		}
	}
}

// TestIntegrationSetuidIP installs a copy of rawns setuid-root (and then
// setgid-root), runs it as nobody, and checks that every ip form is
// refused with the message and exit status 1 and changes nothing, while
// ping, which may be installed that way, is not refused.
func TestIntegrationSetuidIP(t *testing.T) {
	sandbox.Require(t)
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a"})
	bin := installRawnsCopy(t, os.ModeSetuid|0o755)
	ipState := func() string {
		return realIP(t, "-o", "link").stdout + realIP(t, "-all", "netns", "exec", "ip", "-o", "link").stdout +
			realIP(t, "netns").stdout
	}
	before := ipState()
	for _, mode := range []struct {
		perm       os.FileMode
		euid, egid string
	}{{os.ModeSetuid | 0o755, "0", "65534"}, {os.ModeSetgid | 0o755, "65534", "0"}} {
		refusal := "rawns: ip must not run setuid or setgid, iproute2 does not support it (uid 65534, euid " +
			mode.euid + ", gid 65534, egid " + mode.egid + "); only ping may be installed that way\n"
		if err := os.Chmod(bin, mode.perm); err != nil {
			t.Fatal(err)
		}
		for _, argv := range [][]string{
			{"ip", "netns", "add", "x"},
			{"ip", "link", "add", "v0", "type", "veth"},
			{"ip", "netns", "exec", "a", "ip", "link", "add", "v1", "type", "veth"},
			{"ip", "-n", "a", "link", "add", "v2", "type", "veth"},
			{"ip", "-batch", "/etc/shadow"},
			{"rawns", "netns", "add", "y"},
			{"rawns", "ip", "netns", "add", "z"},
			{"rawns", "-n", "a", "ping", "-c", "1", "127.0.0.1"},
		} {
			got := runCopyAsNobody(t, filepath.Join(filepath.Dir(bin), argv[0]), argv[1:]...)
			if want := (result{stderr: refusal, code: 1}); got != want {
				t.Errorf("%v %q as nobody = %+v, want %+v", mode.perm, argv, got, want)
			}
		}
		// ping is not refused here (its own privilege handling is ping's).
		for _, argv := range [][]string{{"ping"}, {"rawns", "ping"}} {
			got := runCopyAsNobody(t, filepath.Join(filepath.Dir(bin), argv[0]), argv[1:]...)
			if want := rawns(t, "ping"); got != want {
				t.Errorf("%v %q as nobody = %+v, want %+v", mode.perm, argv, got, want)
			}
		}
	}
	if after := ipState(); after != before {
		t.Errorf("state changed by refused commands:\nbefore %s\nafter  %s", before, after)
	}
}

// installRawnsCopy copies this test binary, owned by root with mode perm, into
// a directory every user can search, with links ip, ping and rawns to it
// (see TestMain), and returns its path. A copy is needed because go test's
// own directory is private to root.
func installRawnsCopy(t *testing.T, perm os.FileMode) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "rawns-bin")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(bin, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(bin, perm); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"ip", "ping", "rawns"} {
		if err := os.Symlink(bin, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return bin
}

// runCopyAsNobody runs path with args as user and group nobody (65534),
// with no supplementary groups.
func runCopyAsNobody(t *testing.T, path string, args ...string) result {
	t.Helper()
	return runCopyAsNobodyWith(t, nil, path, args...)
}

// runCopyAsNobodyWith is runCopyAsNobody with the attributes attr (for
// ambient capabilities) besides the credentials.
func runCopyAsNobodyWith(t *testing.T, attr *syscall.SysProcAttr, path string, args ...string) result {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = append(os.Environ(), quickRaceExit)
	a := syscall.SysProcAttr{}
	if attr != nil {
		a = *attr
	}
	a.Credential = &syscall.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{}}
	cmd.SysProcAttr = &a
	return runExecCmd(t, cmd)
}

// TestIntegrationCapsExec runs `netns exec`, plain and in a batch, as
// nobody holding CAP_SYS_ADMIN and CAP_NET_ADMIN, through rawns and through
// iproute2's ip, and requires the same outcome: with file capabilities on
// the binary (setcap cap_sys_admin,cap_net_admin+ep) both drop them and
// fail (ip's drop_cap); with the capabilities ambient (a program that runs
// ip with them) both keep them and the program started gets exactly the
// sets ip's gets.
func TestIntegrationCapsExec(t *testing.T) {
	sandbox.Require(t)
	resetNetns(t)
	defer resetNetns(t)
	setupIP(t, []string{"netns add a"})
	bin := installRawnsCopy(t, 0o755)
	dir := filepath.Dir(bin)
	data, err := os.ReadFile("/usr/sbin/ip")
	if err != nil {
		t.Fatal(err)
	}
	const show = "grep ^Cap /proc/self/status"
	batch := filepath.Join(dir, "batch")
	if err := os.WriteFile(batch, []byte("netns exec a "+show+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// struct vfs_cap_data, revision 2, effective: permitted CAP_NET_ADMIN
	// (12) and CAP_SYS_ADMIN (21), nothing inheritable.
	fileCaps := []byte{1, 0, 0, 2, 0, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for _, ambient := range []bool{false, true} {
		rawnsBin := filepath.Join(dir, "ip")
		ipBin := filepath.Join(dir, "iproute2-ip")
		if err := os.WriteFile(ipBin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		var attr *syscall.SysProcAttr
		if ambient {
			attr = &syscall.SysProcAttr{AmbientCaps: []uintptr{unix.CAP_NET_ADMIN, unix.CAP_SYS_ADMIN}}
		} else {
			for _, f := range []string{bin, ipBin} {
				if err := unix.Setxattr(f, "security.capability", fileCaps, 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, args := range [][]string{
			append([]string{"netns", "exec", "a"}, strings.Fields(show)...),
			{"-batch", batch},
		} {
			got := runCopyAsNobodyWith(t, attr, rawnsBin, args...)
			want := runCopyAsNobodyWith(t, attr, ipBin, args...)
			if failed := "Command failed " + batch + ":1\n"; !ambient && args[0] == "-batch" {
				// 6.1's forked child goes on with the batch after a failed
				// setup, so its failure is reported twice; rawns follows
				// HEAD (iproute2.md §1).
				want.stderr = strings.Replace(want.stderr, failed+failed, failed, 1)
			}
			if got != want {
				t.Errorf("ip %q as nobody, ambient %v:\nrawns    %+v\niproute2 %+v", args, ambient, got, want)
			}
			if ambient && !strings.Contains(got.stdout, "CapEff:\t0000000000201000\n") {
				t.Errorf("ip %q as nobody, ambient: the program did not get the caller's capabilities:\n%s", args, got.stdout)
			}
			if !ambient && got.code == 0 {
				t.Errorf("ip %q as nobody with file capabilities = %+v, want them dropped", args, got)
			}
		}
		if err := unix.Removexattr(bin, "security.capability"); err != nil && !ambient {
			t.Fatal(err)
		}
	}
}
