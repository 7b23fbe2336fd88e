package nsfs

import (
	"context"
	"encoding/binary"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Monitor calls fn("add", NAME) and fn("delete", NAME) as names appear in
// and vanish from the run directory, as "ip netns monitor" prints them. It
// creates the run directory when missing, watches it with inotify
// (IN_CREATE|IN_DELETE) and runs until ctx is done, when it returns
// ctx.Err(). fn runs on Monitor's goroutine, one event at a time.
func (d Dirs) Monitor(ctx context.Context, fn func(op, name string)) error {
	return d.monitor(ctx, fn, nil)
}

// monitor is Monitor, calling ready (when not nil) once the watch is in
// place; tests use it to know when events can no longer be missed.
func (d Dirs) monitor(ctx context.Context, fn func(op, name string), ready func()) error {
	ifd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return &Error{Op: OpInotifyInit, Err: os.NewSyscallError("inotify_init1", err)}
	}
	// The runtime poller owns the fd from here; closing f closes it.
	f := os.NewFile(uintptr(ifd), "inotify")
	defer f.Close()
	if err := d.mkdirRun(); err != nil {
		return err
	}
	run := d.RunDir()
	if _, err := unix.InotifyAddWatch(ifd, run, unix.IN_CREATE|unix.IN_DELETE); err != nil {
		return &Error{Op: OpInotifyWatch, Path: run, Err: os.NewSyscallError("inotify_add_watch", err)}
	}
	if ready != nil {
		ready()
	}
	stop := context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &Error{Op: OpInotifyRead, Path: run, Err: unwrapPath(err)}
		}
		events(buf[:n], fn)
	}
}

// events decodes struct inotify_event records (wd s32, mask u32, cookie u32,
// len u32, name[len] NUL-padded) and reports creations and deletions.
func events(b []byte, fn func(op, name string)) {
	for len(b) >= unix.SizeofInotifyEvent {
		mask := binary.NativeEndian.Uint32(b[4:])
		n := int(binary.NativeEndian.Uint32(b[12:]))
		end := unix.SizeofInotifyEvent + n
		if end > len(b) {
			return
		}
		name := cstring(b[unix.SizeofInotifyEvent:end])
		if mask&unix.IN_CREATE != 0 {
			fn("add", name)
		}
		if mask&unix.IN_DELETE != 0 {
			fn("delete", name)
		}
		b = b[end:]
	}
}

func cstring(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
