package nsfs_test

import (
	"errors"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/rawns/rawns/icmp"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// TestIntegrationDoStress enters and leaves namespaces from many goroutines
// at once, some of them with an injected restore failure and some opening
// an icmp.Prober in a namespace (its sockets are made through Do), and then
// proves that each poisoned thread ended and every remaining thread of the
// process is in the original namespace.
func TestIntegrationDoStress(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	names := []string{"s0", "s1", "s2", "s3"}
	fds := make([]int, len(names))
	want := make([]uint64, len(names))
	for i, n := range names {
		if err := d.Add(n); err != nil {
			t.Fatal(err)
		}
		defer d.Delete(n)
		fd, err := d.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Close(fd)
		fds[i] = fd
		want[i] = inode(t, d.Path(n))
		// Only namespace i routes to 10.99.i.1, so a Prober opened for
		// it proves its sockets were made there.
		for _, args := range [][]string{{"link", "set", "lo", "up"}, {"addr", "add", local(i).String() + "/32", "dev", "lo"}} {
			if r := ip(t, append([]string{"-n", n}, args...)...); r.code != 0 {
				t.Fatalf("ip -n %s %v: %d %s", n, args, r.code, r.stderr)
			}
		}
	}
	orig := inode(t, "/proc/thread-self/ns/net")
	failRestore := func(int) error { return os.NewSyscallError("setns", unix.EPERM) }

	const workers, rounds, poisoned = 1000, 3, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	pidfds := make(chan int, poisoned)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				i := (w + r) % len(fds)
				check := func() error {
					var st unix.Stat_t
					if err := unix.Stat("/proc/thread-self/ns/net", &st); err != nil {
						return err
					}
					if st.Ino != want[i] {
						return errors.New("inside Do: namespace " + strconv.FormatUint(st.Ino, 10) + ", want " + strconv.FormatUint(want[i], 10))
					}
					return nil
				}
				if w < poisoned && r == rounds-1 {
					// The thread's exit is awaited through a pidfd, opened
					// while the thread surely lives.
					var pidfd int
					err := nsfs.DoWithRestore(fds[i], func() error {
						var err error
						pidfd, err = unix.PidfdOpen(unix.Gettid(), unix.PIDFD_THREAD)
						if err != nil {
							return err
						}
						return check()
					}, failRestore)
					var e *nsfs.Error
					if !errors.As(err, &e) || e.Op != nsfs.OpRestore {
						errs <- errors.New("DoWithRestore: " + err.Error() + ", want OpRestore")
					}
					pidfds <- pidfd
					continue
				}
				if w%50 == 49 {
					p, err := icmp.Open(icmp.Config{Dst: local(i), Raw: true, NetNS: fds[i]})
					if err != nil {
						errs <- errors.New("icmp.Open in namespace " + names[i] + ": " + err.Error())
						continue
					}
					p.Close()
				}
				if err := nsfs.Do(fds[i], check); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(pidfds)
	for err := range errs {
		t.Error(err)
	}
	n := 0
	for pidfd := range pidfds {
		// Readable when the thread has exited.
		fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
		for {
			_, err := unix.Poll(fds, -1)
			if err != unix.EINTR {
				break
			}
		}
		if fds[0].Revents&unix.POLLIN == 0 {
			t.Errorf("pidfd of a poisoned thread: revents %#x, want POLLIN (exited)", fds[0].Revents)
		}
		unix.Close(pidfd)
		n++
	}
	if n != poisoned {
		t.Errorf("%d poisoned threads, want %d", n, poisoned)
	}
	threads := threadNamespaces(t)
	for tid, ino := range threads {
		if ino != orig {
			t.Errorf("thread %d is in namespace %d, want the original %d", tid, ino, orig)
		}
	}
	t.Logf("%d threads, all in namespace %d", len(threads), orig)
}

// local is the address TestIntegrationDoStress puts on lo in namespace i.
func local(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 99, byte(i), 1}) }

// TestIntegrationDoPoisonedThreadDies checks one poisoned thread: its tid
// disappears from /proc/self/task.
func TestIntegrationDoPoisonedThreadDies(t *testing.T) {
	sandbox.Require(t)
	var d nsfs.Dirs
	if err := d.Add("poison"); err != nil {
		t.Fatal(err)
	}
	defer d.Delete("poison")
	fd, err := d.Open("poison")
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	var tid, pidfd int
	err = nsfs.DoWithRestore(fd, func() error {
		tid = unix.Gettid()
		pidfd, err = unix.PidfdOpen(tid, unix.PIDFD_THREAD)
		return err
	}, func(int) error { return os.NewSyscallError("setns", unix.EINVAL) })
	if !errors.Is(err, unix.EINVAL) {
		t.Fatalf("DoWithRestore = %v, want the restore's EINVAL", err)
	}
	defer unix.Close(pidfd)
	if tid == os.Getpid() {
		t.Fatal("Do ran on the main thread, which cannot die")
	}
	pfd := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	for {
		if _, err := unix.Poll(pfd, -1); err != unix.EINTR {
			break
		}
	}
	if _, err := os.Stat("/proc/self/task/" + strconv.Itoa(tid)); !os.IsNotExist(err) {
		t.Errorf("stat /proc/self/task/%d = %v, want gone", tid, err)
	}
	if _, ok := threadNamespaces(t)[tid]; ok {
		t.Errorf("thread %d still listed", tid)
	}
}
