package nsfs_test

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// TestIntegrationMonitor watches a fresh run directory while nsfs and ip
// add and delete names.
func TestIntegrationMonitor(t *testing.T) {
	sandbox.Require(t)
	d := nsfs.Dirs{Run: "/run/mon/netns"}
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan string, 16)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- d.MonitorReady(ctx, func(op, name string) { events <- op + " " + name }, func() { close(ready) })
	}()
	<-ready
	if err := d.Add("m1"); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete("m1"); err != nil {
		t.Fatal(err)
	}
	want := []string{"add m1", "delete m1"}
	var got []string
	for len(got) < len(want) {
		got = append(got, <-events)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Monitor after cancel = %v, want context.Canceled", err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

// TestEvents decodes inotify records: several in one read, a padded name,
// and a record cut short (ignored).
func TestEvents(t *testing.T) {
	rec := func(mask uint32, name string, pad int) []byte {
		b := make([]byte, unix.SizeofInotifyEvent, unix.SizeofInotifyEvent+len(name)+pad)
		binary.NativeEndian.PutUint32(b[4:], mask)
		binary.NativeEndian.PutUint32(b[12:], uint32(len(name)+pad))
		b = append(b, name...)
		return append(b, make([]byte, pad)...)
	}
	var b []byte
	b = append(b, rec(unix.IN_CREATE, "a", 15)...)
	b = append(b, rec(unix.IN_DELETE, "bb", 2)...)
	b = append(b, rec(unix.IN_MODIFY, "c", 3)...)
	b = append(b, rec(unix.IN_CREATE, "cut", 13)[:20]...)
	var got []string
	nsfs.Events(b, func(op, name string) { got = append(got, op+" "+name) })
	if want := []string{"add a", "delete bb"}; !slices.Equal(got, want) {
		t.Errorf("Events = %q, want %q", got, want)
	}
}
