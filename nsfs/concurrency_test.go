package nsfs_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
)

// TestIntegrationConcurrentAddDelete adds and deletes 100 namespaces from
// parallel goroutines and, at the same time, from 4 helper processes, on a
// run directory that is not a mount point at first (so the flock-guarded
// setup races too). Afterwards no name, fd or mount is left, and the run
// directory is mounted exactly once.
func TestIntegrationConcurrentAddDelete(t *testing.T) {
	sandbox.Require(t)
	const runDir = "/run/conc/netns"
	d := nsfs.Dirs{Run: runDir}
	fdsBefore := fdCount(t)
	mountsBefore := mountpoints(t)

	var wg sync.WaitGroup
	results := make(chan result, 4)
	for p := 0; p < 4; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- run(t, helper("adddel", nil, "NSFS_RUN="+runDir, "NSFS_COUNT=10", "NSFS_PREFIX=p"+strconv.Itoa(p)+"-"))
		}()
	}
	errs := make(chan error, 200)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "g" + strconv.Itoa(i)
			if err := d.Add(name); err != nil {
				errs <- err
				return
			}
			if !isNetns(t, d.Path(name)) {
				errs <- &nsfs.Error{Op: "check", Path: d.Path(name)}
			}
			if err := d.Delete(name); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(results)
	for err := range errs {
		t.Error(err)
	}
	for r := range results {
		if r.code != 0 {
			t.Errorf("helper process = %+v, want exit 0", r)
		}
	}
	if names, err := d.List(); len(names) != 0 || err != nil {
		t.Errorf("List() = %q, %v, want nothing", names, err)
	}
	if got := fdCount(t); got != fdsBefore {
		t.Errorf("open fds = %d, want %d", got, fdsBefore)
	}
	after := mountpoints(t)
	if n := len(after[runDir]); n != 1 {
		t.Errorf("%s mounted %d times, want 1", runDir, n)
	}
	for mp := range after {
		if strings.HasPrefix(mp, runDir+"/") {
			t.Errorf("mount left at %s", mp)
		}
	}
	wantMounts := len(mountsBefore)
	if _, ok := mountsBefore[runDir]; !ok {
		wantMounts++ // the run directory, made a mount point once
	}
	if len(after) != wantMounts {
		t.Errorf("mount points: %d before, %d after, want %d", len(mountsBefore), len(after), wantMounts)
	}
}
