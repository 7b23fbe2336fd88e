// Package sandbox runs a test binary inside its own network and mount
// namespaces, so that privileged tests never touch the host.
//
// A test package opts in from its TestMain:
//
//	func TestMain(m *testing.M) { sandbox.Main(m) }
//
// When the process is root, Main re-executes the test binary in a fresh
// network namespace and a private mount namespace. Inside it, / is made
// private, /run gets its own tmpfs (with an empty /run/netns on a tmpfs of its
// own), and /etc is covered by an overlay whose writes land in a tmpfs. Every
// link, address, named namespace, bind mount and /etc/netns file a test makes
// disappears with the process. The parent only waits and passes the exit
// status through.
//
// Tests that need privileges call Require first: outside a sandbox it skips
// with the reason, or fails when the environment variable CI is "true".
package sandbox

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// envInside marks a process that runs inside a sandbox made by Main or
// Command. Its value is "1".
const envInside = "RAWNS_SANDBOX"

// envHost carries the network and mount namespace inodes of the process that
// made the sandbox, as "NET:MNT" in decimal, so tests can prove they differ.
const envHost = "RAWNS_SANDBOX_HOST"

// envReady marks a process whose sandbox is already set up: a child that a
// sandboxed test starts (a fuzz worker, a helper process) inherits it and
// must not lay /run and /etc again over what its parent made.
const envReady = "RAWNS_SANDBOX_READY"

// Inside reports whether the calling process runs inside a sandbox.
func Inside() bool { return os.Getenv(envInside) == "1" }

// HostNamespaces returns the inodes of the network and mount namespaces of
// the process that made the sandbox. ok is false outside a sandbox.
func HostNamespaces() (net, mnt uint64, ok bool) {
	_, err := fmt.Sscanf(os.Getenv(envHost), "%d:%d", &net, &mnt)
	return net, mnt, err == nil && Inside()
}

// nsInode returns the inode of the calling thread's namespace of kind
// ("net", "mnt").
func nsInode(kind string) uint64 {
	var st unix.Stat_t
	if err := unix.Stat("/proc/thread-self/ns/"+kind, &st); err != nil {
		return 0
	}
	return st.Ino
}

// Main runs the tests of m inside a sandbox when it can make one, and exits
// with their status. It never returns.
func Main(m *testing.M) {
	switch {
	case Inside() && os.Getenv(envReady) == "1":
		os.Exit(m.Run())
	case Inside():
		if err := setup(); err != nil {
			fmt.Fprintf(os.Stderr, "sandbox: %v\n", err)
			os.Exit(3)
		}
		os.Setenv(envReady, "1")
		os.Exit(m.Run())
	case os.Geteuid() != 0:
		skipExamplesUnprivileged()
		os.Exit(m.Run())
	}
	cmd := Command(os.Args[0], os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: %v\n", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// skipExamplesUnprivileged adds the Examples to -test.skip when the tests
// run without root outside CI: Main then runs them on the host, where they
// cannot make namespaces and links, and an Example cannot skip itself as a
// test calling Require does. In CI (CI=true) they run and fail, as Require
// makes tests fail there.
func skipExamplesUnprivileged() {
	if os.Getenv("CI") == "true" {
		return
	}
	flag.Parse()
	skip := flag.Lookup("test.skip").Value.String()
	switch {
	case skip == "":
		skip = "^Example"
	case !strings.Contains(skip, "/"):
		skip += "|^Example"
	}
	flag.Set("test.skip", skip)
}

// Command returns a command that runs name with args in a new sandbox: a
// fresh network namespace and a private mount namespace, set up as Main
// describes before the program starts. The program must call Setup (Main
// does) before it relies on the private /run and /etc; a program that does
// not know about sandboxes can be wrapped with the rawns-sandbox helper in
// internal/sandbox/cmd.
func Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	host := fmt.Sprintf("%s=%d:%d", envHost, nsInode("net"), nsInode("mnt"))
	env := make([]string, 0, len(os.Environ())+2)
	for _, kv := range os.Environ() {
		// A new sandbox is laid afresh even when made from inside one.
		if !strings.HasPrefix(kv, envReady+"=") && !strings.HasPrefix(kv, envHost+"=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, envInside+"=1", host)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS,
		Pdeathsig:  syscall.SIGKILL,
	}
	return cmd
}

// Setup makes the calling process's mount namespace private and lays the
// sandbox's /run, /run/netns and /etc over the host's. It must run in a
// mount namespace of its own, such as the one Command gives.
func Setup() error { return setup() }

func setup() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return os.NewSyscallError("mount --make-rprivate /", err)
	}
	if err := unix.Mount("sandbox-run", "/run", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return os.NewSyscallError("mount tmpfs /run", err)
	}
	if err := os.Mkdir("/run/netns", 0o755); err != nil {
		return err
	}
	if err := unix.Mount("sandbox-netns", "/run/netns", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return os.NewSyscallError("mount tmpfs /run/netns", err)
	}
	// /etc gets an overlay so that tests may write /etc/netns/NAME/... .
	if err := os.MkdirAll("/run/sandbox-etc/upper", 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll("/run/sandbox-etc/work", 0o755); err != nil {
		return err
	}
	opts := "lowerdir=/etc,upperdir=/run/sandbox-etc/upper,workdir=/run/sandbox-etc/work"
	if err := unix.Mount("sandbox-etc", "/etc", "overlay", 0, opts); err != nil {
		return os.NewSyscallError("mount overlay /etc", err)
	}
	return nil
}

// Require skips t unless the test runs inside a sandbox as root. When the
// environment variable CI is "true" it fails t instead, so that a CI run
// cannot pass by skipping its privileged tests.
func Require(t testing.TB) {
	t.Helper()
	var why string
	switch {
	case os.Geteuid() != 0:
		why = "needs root to make a sandbox (network and mount namespaces)"
	case !Inside():
		why = "runs only inside a sandbox; call sandbox.Main from TestMain"
	default:
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("privileged test cannot run: %s (CI=true, so this fails instead of skipping)", why)
	}
	t.Skip(why)
}
