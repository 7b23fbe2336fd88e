package ip

import (
	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// exitNow is a failure for which iproute2 calls exit(1) in the middle of a
// command (get_prefix, get_addr, makeargs...): it ends a whole batch, even
// with -force. main prints it and exits 1.
type exitNow struct{ msg string }

func (e *exitNow) Error() string { return e.msg }

// replyError is a kernel reply that rtnl could not decode (ParseLink,
// ParseAddr or ParseNetNSID failed). It is never skipped: the command
// fails with its message and exit status 1.
type replyError struct{ err error }

func (e *replyError) Error() string {
	return "rawns: cannot decode the kernel's reply: " + e.err.Error()
}

// Unwrap returns the decoder's error.
func (e *replyError) Unwrap() error { return e.err }

// badReply wraps a decoder's error on a kernel reply.
func badReply(err error) error { return &replyError{err: err} }

// isReplyErr reports whether err is an undecodable reply (*replyError).
func isReplyErr(err error) bool {
	_, ok := err.(*replyError)
	return ok
}

// kernelErr turns an error from the rtnetlink connection into iproute2's
// report: "Error: <extack>." or "RTNETLINK answers: <strerror>", exit 2.
// Errors that are not kernel answers (a failed socket call) exit 1.
func kernelErr(err error) error {
	ke, ok := err.(*rtnl.Error)
	if !ok {
		return &exitError{code: exitFail, msg: err.Error()}
	}
	return &exitError{code: exitKernel, msg: kernelMsg(ke)}
}

// kernelMsg is the text iproute2 prints for a kernel error.
func kernelMsg(ke *rtnl.Error) string {
	if ke.Msg != "" {
		m := ke.Msg
		if m[len(m)-1] != '.' {
			m += "."
		}
		return "Error: " + m
	}
	return "RTNETLINK answers: " + strerror(ke.Errno)
}

// strerror is glibc's strerror text for errno (ipmsg.Strerror, the one
// table).
func strerror(errno unix.Errno) string { return ipmsg.Strerror(errno) }
