package ip

import (
	"errors"
	"io"
	"strconv"

	"golang.org/x/sys/unix"
)

// pipeline holds the modifying requests of a `-force` batch that have not
// been sent yet. With -force a failing line does not stop the batch, so
// the lines' requests can go to the kernel many per sendmsg (rtnl's
// ExecuteBatch) and their ACKs be matched afterwards, with the messages
// and "Command failed" lines printed in line order as iproute2 prints
// them. Without -force iproute2 stops at the first failure, which a
// request already in flight behind it would break, so requests go one at
// a time.
//
// The pipeline is also the commands' stderr (Write): what a command prints
// while requests are queued (a parse warning, another line's failure)
// waits for their reports, so that everything comes out in ip's order.
type pipeline struct {
	file   string
	stderr io.Writer // the real one
	reqs   []byte
	lines  []pendingLine
	held   []byte // written by the command being run, behind the queue
	fds    []int  // namespace files the queued requests refer to
	failed bool   // a queued request failed
}

// maxQueuedFDs bounds the namespace files held open for queued requests:
// past it the queue is sent, so that a batch naming many namespaces needs
// no more descriptors than ip, which holds one at a time.
const maxQueuedFDs = 8

// pendingLine is what the report of a queued request needs.
type pendingLine struct {
	line int
	dev  string // the device named in the request, when sent by name
	pre  []byte // what the line printed before its request was queued
}

// Write prints b, or holds it until the queued requests have been
// reported.
func (p *pipeline) Write(b []byte) (int, error) {
	if len(p.lines) == 0 {
		return p.stderr.Write(b)
	}
	p.held = append(p.held, b...)
	return len(b), nil
}

// send executes one modifying request, or queues it when a pipeline is
// on. byName is the device the request names with IFLA_IFNAME instead of
// an index (a kernel ENODEV then means iproute2's "Cannot find device").
func (r *resources) send(req []byte, byName string) error {
	if p := r.pipe; p != nil {
		p.reqs = append(p.reqs, req...)
		p.lines = append(p.lines, pendingLine{line: r.line, dev: byName, pre: p.held})
		p.held = nil
		// The request refers to the command's namespace files: they are
		// the queue's to close now.
		p.fds = append(p.fds, r.nsFDs...)
		r.nsFDs = r.nsFDs[:0]
		if len(p.fds) >= maxQueuedFDs {
			return r.flush()
		}
		return nil
	}
	c, err := r.rtnl()
	if err != nil {
		return err
	}
	return sendErr(c.execute(req), byName)
}

// sendErr turns the kernel's answer to a request into iproute2's report.
func sendErr(err error, byName string) error {
	if err == nil {
		return nil
	}
	if byName != "" && errors.Is(err, unix.ENODEV) {
		return failErr(`Cannot find device "` + byName + `"`)
	}
	return kernelErr(err)
}

// flush sends the queued requests and reports each failure as the batch
// reports a failed line, each line's own output first; then what the
// command being run has printed meanwhile. It returns only errors of the
// exchange itself.
func (r *resources) flush() error {
	p := r.pipe
	if p == nil || len(p.lines) == 0 {
		return nil
	}
	c := r.conn
	if c == nil {
		var err error
		r.pipe = nil // rtnl() would flush again
		c, err = r.rtnl()
		r.pipe = p
		if err != nil {
			return err
		}
	}
	err := c.executeBatch(p.reqs, func(i int, err error) {
		if i >= len(p.lines) {
			return
		}
		l := p.lines[i]
		p.stderr.Write(l.pre)
		if err == nil {
			return
		}
		io.WriteString(p.stderr, sendErr(err, l.dev).Error()+"\n")
		io.WriteString(p.stderr, "Command failed "+p.file+":"+strconv.Itoa(l.line)+"\n")
		p.failed = true
	})
	p.reqs, p.lines = p.reqs[:0], p.lines[:0]
	p.fds = closeFDs(p.fds)
	p.stderr.Write(p.held)
	p.held = nil
	return err
}

// cachedIndex returns the cached index of a device, or 0.
func (r *resources) cachedIndex(name string) int32 { return r.byName[name] }
