// Package ipmsg holds iproute2's wording for failures that rawns's
// libraries report as typed values: the C library's strerror text for an
// errno, and ip's message for each failed nsfs step. The libraries speak
// the kernel's language (Op, Path, unix.Errno); the ip applet, and tests
// that compare the libraries with the real ip, turn that into ip's words
// here, in one place.
package ipmsg

import (
	"errors"

	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// Strerror is glibc's strerror text for errno, rawns's one errno-to-text
// table: Go's text (x/sys/unix's table) with its first letter capitalised.
func Strerror(errno unix.Errno) string { return Capitalize(errno.Error()) }

// Cause is the text C prints for a failure's cause: Strerror of the errno
// err wraps, or err's own text when it wraps none.
func Cause(err error) string {
	var errno unix.Errno
	if errors.As(err, &errno) {
		return Strerror(errno)
	}
	return err.Error()
}

// Capitalize returns s with its first letter, when a lowercase ASCII one,
// upper-cased.
func Capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// netnsMsgs are iproute2 6.1's messages for each failed nsfs step, with
// %n the name, %p the path, %s the source and %e the cause's text.
var netnsMsgs = map[nsfs.Op]string{
	nsfs.OpMkdirRun:     "mkdir %p failed: %e",
	nsfs.OpOpenRun:      `Cannot open netns runtime directory "%p": %e`,
	nsfs.OpLockRun:      `Warning: could not flock netns runtime directory "%p": %e`,
	nsfs.OpMakeShared:   "mount --make-shared %p failed: %e",
	nsfs.OpBindRun:      "mount --bind %p %p failed: %e",
	nsfs.OpMakePrivate:  "mount --make-private %p failed: %e",
	nsfs.OpCreateFile:   `Cannot create namespace file "%p": %e`,
	nsfs.OpSave:         "Cannot open init namespace: %e",
	nsfs.OpUnshareNet:   `Failed to create a new network namespace "%n": %e`,
	nsfs.OpBindNetns:    "Bind %s -> %p failed: %e",
	nsfs.OpBindEtc:      "Bind %s -> %p failed: %e", // a warning
	nsfs.OpRestore:      "setns: %e",
	nsfs.OpRemoveFile:   `Cannot remove namespace file "%p": %e`,
	nsfs.OpReadRun:      "Failed to open directory %p: %e",
	nsfs.OpIdentifyDir:  "Failed to open directory %p:%e", // sic, no space
	nsfs.OpOpenNetns:    `Cannot open network namespace "%n": %e`,
	nsfs.OpOpenPidNetns: "Cannot open network namespace: %e",
	nsfs.OpStatNetns:    "Stat of netns failed: %e",
	nsfs.OpNotPid:       "Specified string '%n' is not a pid",
	nsfs.OpOpenProc:     "Open of /proc failed: %e",
	nsfs.OpSetns:        `setting the network namespace "%n" failed: %e`,
	nsfs.OpUnshareMnt:   "unshare failed: %e",
	nsfs.OpMakeRslave:   `"mount --make-rslave /" failed: %e`,
	nsfs.OpMountSys:     "mount of /sys failed: %e",
	nsfs.OpExec:         `exec of "%n" failed: %e`,
	nsfs.OpInotifyInit:  "inotify_init failed: %e",
	nsfs.OpInotifyWatch: "inotify_add_watch failed: %e",
	nsfs.OpInotifyRead:  "read failed: %e",
	nsfs.OpNoCommand:    "No command specified",
	nsfs.OpInvalidPid:   "Invalid PID: %n",
}

// NetnsName returns ip's message for a name nsfs refuses,
// `Invalid netns name "NAME"`.
func NetnsName(e *nsfs.NameError) string { return `Invalid netns name "` + e.Name + `"` }

// Netns returns the message iproute2 6.1 prints for the nsfs failure e,
// without the trailing newline, such as
// `Cannot create namespace file "/run/netns/x": File exists`; for a step
// it has no message for, e's own text.
func Netns(e *nsfs.Error) string {
	m, ok := netnsMsgs[e.Op]
	if !ok {
		return e.Error()
	}
	b := make([]byte, 0, len(m)+len(e.Path)+len(e.Source)+len(e.Name)+32)
	for i := 0; i < len(m); i++ {
		if m[i] != '%' || i+1 == len(m) {
			b = append(b, m[i])
			continue
		}
		i++
		switch m[i] {
		case 'n':
			b = append(b, e.Name...)
		case 'p':
			b = append(b, e.Path...)
		case 's':
			b = append(b, e.Source...)
		case 'e':
			if e.Err != nil {
				b = append(b, Cause(e.Err)...)
			}
		default:
			b = append(b, '%', m[i])
		}
	}
	return string(b)
}
