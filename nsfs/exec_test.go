package nsfs_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
)

// TestIntegrationExec runs programs through Dirs.Exec in a helper process
// and through the real "ip netns exec", and compares exit code, stdout and
// stderr. The namespace has a bridge link the sandbox itself lacks, and an
// /etc/netns resolv.conf.
func TestIntegrationExec(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("ex"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("ex")
	if r := ip(t, "-n", "ex", "link", "add", "d0", "type", "bridge"); r.code != 0 {
		t.Fatalf("ip -n ex link add d0 type bridge = %+v", r)
	}
	// /etc/resolv.conf may be a symlink into the host's /run; the overlay
	// gets a plain file, so the bind has a target.
	os.Remove("/etc/resolv.conf")
	if err := os.WriteFile("/etc/resolv.conf", []byte("nameserver 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("/etc/netns/ex", 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll("/etc/netns/ex")
	if err := os.WriteFile("/etc/netns/ex/resolv.conf", []byte("nameserver 192.0.2.53 # ex\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := mountpoints(t)
	ipLinks := ip(t, "-n", "ex", "-o", "link").stdout

	cases := []struct {
		name       string
		ns         string
		argv       []string
		wantCode   int
		wantStdout string // checked when not empty
		wantStderr string
	}{
		{name: "sysfs", ns: "ex", argv: []string{"ls", "/sys/class/net"}, wantStdout: "d0\nlo\n"},
		{name: "netlink", ns: "ex", argv: []string{ipPath(t), "-o", "link"}, wantStdout: ipLinks},
		{name: "etc", ns: "ex", argv: []string{"cat", "/etc/resolv.conf"}, wantStdout: "nameserver 192.0.2.53 # ex\n"},
		{name: "exit status", ns: "ex", argv: []string{"sh", "-c", "exit 7"}, wantCode: 7},
		{name: "exec failure path", ns: "ex", argv: []string{"/nonexistent/cmd"}, wantCode: 1,
			wantStderr: `exec of "/nonexistent/cmd" failed: No such file or directory` + "\n"},
		{name: "exec failure PATH", ns: "ex", argv: []string{"no-such-cmd-rawns"}, wantCode: 1,
			wantStderr: `exec of "no-such-cmd-rawns" failed: No such file or directory` + "\n"},
		{name: "setup failure", ns: "nonexist", argv: []string{"true"}, wantCode: 255,
			wantStderr: `Cannot open network namespace "nonexist": No such file or directory` + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := run(t, helper("exec", c.argv, "NSFS_NAME="+c.ns))
			if got.code != c.wantCode || got.stderr != c.wantStderr || (c.wantStdout != "" && got.stdout != c.wantStdout) {
				t.Errorf("Exec(%q, %q) = %+v, want code %d stdout %q stderr %q", c.ns, c.argv, got, c.wantCode, c.wantStdout, c.wantStderr)
			}
			ref := ip(t, append([]string{"netns", "exec", c.ns}, c.argv...)...)
			if got != ref {
				t.Errorf("Exec(%q, %q) = %+v, ip netns exec gives %+v", c.ns, c.argv, got, ref)
			}
		})
	}

	// None of it leaked into the test process: its /sys, /etc and mounts.
	if _, err := os.Lstat("/sys/class/net/d0"); !os.IsNotExist(err) {
		t.Errorf("lstat /sys/class/net/d0 in the test = %v, want not exist", err)
	}
	if b, _ := os.ReadFile("/etc/resolv.conf"); strings.Contains(string(b), "# ex") {
		t.Errorf("/etc/resolv.conf of the test = %q, want the sandbox's", b)
	}
	if after := mountpoints(t); len(after) != len(before) {
		t.Errorf("mount points: %d before, %d after", len(before), len(after))
	}
}

// TestIntegrationExecBindWarning shows a failed /etc bind is a warning on
// stderr, not fatal, and worded like ip's.
func TestIntegrationExecBindWarning(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("warn"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("warn")
	if err := os.MkdirAll("/etc/netns/warn", 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll("/etc/netns/warn")
	// No /etc/rawns-no-such-file to bind over.
	if err := os.WriteFile("/etc/netns/warn/rawns-no-such-file", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got := run(t, helper("exec", []string{"echo", "ran"}, "NSFS_NAME=warn"))
	want := result{0, "ran\n", "Bind /etc/netns/warn/rawns-no-such-file -> /etc/rawns-no-such-file failed: No such file or directory\n"}
	if got != want {
		t.Errorf("Exec with a bad /etc entry = %+v, want %+v", got, want)
	}
	if ref := ip(t, "netns", "exec", "warn", "echo", "ran"); ref != want {
		t.Errorf("ip netns exec with a bad /etc entry = %+v, want %+v", ref, want)
	}
}

// TestIntegrationExecvp compares how Exec finds and starts a program with
// glibc's execvp(3) under the real "ip netns exec": a file without a "#!"
// line (ENOEXEC) runs through /bin/sh with its arguments, an empty PATH
// entry means the bare name, EACCES wins over ENOENT, "" is not found.
func TestIntegrationExecvp(t *testing.T) {
	sandbox.Require(t)
	ipBin := ipPath(t)
	var d nsfs.Dirs
	if err := d.Add("vp"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("vp")
	dir := t.TempDir()
	const script = "echo \"script: $0 [$*]\"\n"
	for _, f := range []struct {
		name, text string
		mode       os.FileMode
	}{
		{"script", script, 0o755},
		{"noexec", script, 0o644},
		{"sub/noexec", script, 0o644},
		{"garbage", "\x01(\n", 0o755},
	} {
		os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.text), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	const unset = "\x00unset"
	cases := []struct {
		path string // PATH, or unset
		argv []string
		want result // checked when code or stdout is set
	}{
		{os.Getenv("PATH"), []string{"./script", "a", "b c"}, result{0, "script: ./script [a b c]\n", ""}},
		{os.Getenv("PATH"), []string{filepath.Join(dir, "script")}, result{0, "script: " + dir + "/script []\n", ""}},
		{dir, []string{"script", "x"}, result{0, "script: " + dir + "/script [x]\n", ""}},
		{":/usr/bin", []string{"script"}, result{0, "script: script []\n", ""}},
		{"", []string{"script"}, result{0, "script: script []\n", ""}},
		{"/nonexistent:" + dir + "/sub:" + dir, []string{"noexec"}, result{1, "", `exec of "noexec" failed: Permission denied` + "\n"}},
		{dir, []string{"garbage"}, result{}},
		{os.Getenv("PATH"), []string{""}, result{1, "", `exec of "" failed: No such file or directory` + "\n"}},
		{os.Getenv("PATH"), []string{dir}, result{1, "", `exec of "` + dir + `" failed: Permission denied` + "\n"}},
		{unset, []string{"true"}, result{}},
		{unset, []string{"rawns-no-such-program"}, result{1, "", `exec of "rawns-no-such-program" failed: No such file or directory` + "\n"}},
	}
	for _, c := range cases {
		env := []string{"NSFS_NAME=vp"}
		if c.path != unset {
			env = append(env, "PATH="+c.path)
		}
		cmd := helper("exec", c.argv, env...)
		if c.path == unset {
			cmd.Env = withoutPath(cmd.Env)
		}
		cmd.Dir = dir
		got := run(t, cmd)
		if c.want != (result{}) && got != c.want {
			t.Errorf("PATH=%q Exec(%q) = %+v, want %+v", c.path, c.argv, got, c.want)
		}
		ref := exec.Command(ipBin, append([]string{"netns", "exec", "vp"}, c.argv...)...)
		ref.Env, ref.Dir = withoutPath(os.Environ()), dir
		if c.path != unset {
			ref.Env = append(ref.Env, "PATH="+c.path)
		}
		if want := run(t, ref); got != want {
			t.Errorf("PATH=%q Exec(%q) = %+v, ip netns exec gives %+v", c.path, c.argv, got, want)
		}
	}
}

// withoutPath returns env without its PATH entries.
func withoutPath(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PATH=") {
			out = append(out, kv)
		}
	}
	return out
}
