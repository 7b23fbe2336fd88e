package nsfs

import "context"

// AddWithRestore is Add with restore in place of the setns(2) that returns
// the thread to its namespace, to inject a restore failure.
func (d Dirs) AddWithRestore(name string, restore func(fd int) error) error {
	return d.add(name, restore)
}

// DoWithRestore is Do with an injected restore.
func DoWithRestore(fd int, fn func() error, restore func(fd int) error) error {
	return do(fd, fn, restore)
}

// MonitorReady is Monitor, calling ready once the inotify watch is set.
func (d Dirs) MonitorReady(ctx context.Context, fn func(op, name string), ready func()) error {
	return d.monitor(ctx, fn, ready)
}

// Events is the inotify record decoder of Monitor.
func Events(b []byte, fn func(op, name string)) { events(b, fn) }
