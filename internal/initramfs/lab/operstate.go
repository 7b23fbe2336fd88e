package lab

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// WaitOperUp waits until the link called name, in the calling thread's
// network namespace, is operationally up (IFLA_OPERSTATE IF_OPER_UP), or
// until timeout or ctx ends. It joins rtnetlink's link group on one Conn,
// then asks for the link on another, so a change between the question and
// the answer still wakes it: every wait is on a kernel message, none is a
// sleep. A link that does not exist is an error wrapping unix.ENODEV.
func WaitOperUp(ctx context.Context, name string, timeout time.Duration) error {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = time.Until(d)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	up, err := waitOperUp(ctx, name)
	switch {
	case up:
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%s: not up after %v", name, timeout)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// waitOperUp is WaitOperUp's work: it returns true once name is up, or
// the first error.
func waitOperUp(ctx context.Context, name string) (up bool, err error) {
	ev, err := rtnl.Dial(nil)
	if err != nil {
		return false, err
	}
	defer ev.Close()
	if err := ev.Join(unix.RTNLGRP_LINK); err != nil {
		return false, err
	}
	c, err := rtnl.Dial(nil)
	if err != nil {
		return false, err
	}
	defer c.Close()
	index, err := c.LinkIndex(name) // an *rtnl.Error wrapping ENODEV when absent
	if err != nil {
		return false, err
	}
	// By index, the reply is the whole link, IFLA_OPERSTATE included.
	err = c.QueryContext(ctx, rtnl.AppendGetLink(nil, index, ""), func(m rtnl.Message) error {
		up, err = isUp(m, index)
		return err
	})
	if up || err != nil {
		return up, err
	}
	err = ev.EventsContext(ctx, func(m rtnl.Message) error {
		if up, err = isUp(m, index); up {
			return rtnl.StopEvents
		}
		return err
	})
	return up, err
}

// isUp reports whether m is an RTM_NEWLINK saying that the link index is
// operationally up.
func isUp(m rtnl.Message, index int32) (bool, error) {
	if m.Header.Type != unix.RTM_NEWLINK {
		return false, nil
	}
	l, err := rtnl.ParseLink(m.Data)
	if err != nil {
		return false, err
	}
	oper, ok := l.OperState()
	return l.Index == index && ok && oper == ifOperUp, nil
}

// ifOperUp is IF_OPER_UP of RFC 2863 operstate (include/uapi/linux/if.h);
// x/sys/unix does not define it.
const ifOperUp = 6
