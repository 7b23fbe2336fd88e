package rtnl

import (
	"context"
	"errors"

	"golang.org/x/sys/unix"
)

// StopEvents is returned by an Events callback to end Events without an
// error.
var StopEvents = errors.New("rtnl: stop reading events")

// ErrEventConn is returned, before anything is sent, by a request on a
// Conn that has joined a multicast group (see Join).
var ErrEventConn = errors.New("rtnl: request on a Conn that has joined a multicast group: send requests on another Conn")

// Join subscribes c to the rtnetlink multicast group group (an RTNLGRP_*
// number such as unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_IFADDR,
// unix.RTNLGRP_IPV6_IFADDR or unix.RTNLGRP_NSID; any group the kernel
// knows) with NETLINK_ADD_MEMBERSHIP. The kernel then queues a
// notification on c for every change in that group, in the Conn's network
// namespace, until Leave; Events reads them.
//
// Join makes c an event Conn for the rest of its life: its request methods
// (Execute, Query, Dump, ExecuteBatch, LinkIndex) fail without sending,
// because notifications and replies would share one receive queue, and a
// busy group would fill it while a request waits. As iproute2's `ip
// monitor` does, use one Conn for events and another for requests. To see
// every change to a table without a gap, Join first and dump (on the
// other Conn) after: a change made between the two is then both in the
// dump and among the events, never in neither.
//
// Join may be called while another goroutine waits in Events.
func (c *Conn) Join(group uint32) error {
	c.joined.Store(true)
	return c.sc.SetsockoptInt(unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, int(group))
}

// Leave unsubscribes c from group (NETLINK_DROP_MEMBERSHIP).
// Notifications already queued are still read by Events; c stays an event
// Conn.
func (c *Conn) Leave(group uint32) error {
	return c.sc.SetsockoptInt(unix.SOL_NETLINK, unix.NETLINK_DROP_MEMBERSHIP, int(group))
}

// Events reads the notifications of the groups c has joined and passes
// each message to fn, in the order the kernel sent them, until fn returns
// an error (returned as is, except StopEvents, which ends Events with nil)
// or a receive fails. After fn's error the messages left in the datagram
// being read are passed to fn by the next call. Decode a message by its
// Header.Type with Link.Decode (RTM_NEWLINK, RTM_DELLINK),
// AddrMessage.Decode (RTM_NEWADDR, RTM_DELADDR) or ParseNetNSID
// (RTM_NEWNSID, RTM_DELNSID).
//
// Every datagram is validated as replies are: it must come whole from the
// kernel (port id 0) and its messages must frame. Netlink control
// messages (NLMSG_ERROR, NLMSG_DONE, ...) are refused, except that replies
// to a request c made before Join (carrying c's port id, which no
// notification on an event Conn does) are dropped. The messages' sequence
// numbers and port ids are those of the request that caused the change,
// or 0; they are not checked.
//
// When notifications come faster than they are read, the kernel drops
// what does not fit in the socket's receive buffer (Config.ReadBuffer) and
// Events returns an *OverrunError (errors.Is(err, ErrOverrun) and
// errors.Is(err, unix.ENOBUFS) hold). Before it returns, Events discards
// the notifications still queued: they are older than what a dump made
// now shows, and only an empty queue makes the kernel report the next
// loss. c stays usable and stays in its groups, but which changes were
// lost is unknown: recover by dumping the tables again (on a request
// Conn), then calling Events again. The events that follow may repeat
// what the dump showed; none is lost without another *OverrunError.
//
// SetDeadline bounds the wait, and EventsContext ends it with the context.
// m.Data aliases the receive buffer: it is valid only until fn returns.
// Events does not allocate.
func (c *Conn) Events(fn func(m Message) error) error {
	return c.EventsContext(context.Background(), fn)
}

// EventsContext is Events, ended with ctx.Err() when ctx is done.
func (c *Conn) EventsContext(ctx context.Context, fn func(m Message) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stop, fired := c.watch(ctx)
	err := c.events(fn)
	return c.unwatch(ctx, stop, fired, err)
}

// events runs Events' loop. c.pending holds the rest of the last datagram,
// so that messages after a StopEvents are not lost.
func (c *Conn) events(fn func(m Message) error) error {
	for {
		for c.pending.Next() {
			m := c.pending.Message()
			if m.Header.PortID == c.pid {
				continue // a reply to an abandoned request made before Join
			}
			if m.Header.Type < unix.NLMSG_MIN_TYPE {
				c.pending = MessageIter{}
				return errControl(m.Header.Type)
			}
			if err := fn(m); err != nil {
				if err == StopEvents {
					return nil
				}
				return err
			}
		}
		if err := c.pending.Err(); err != nil {
			c.pending = MessageIter{}
			return err
		}
		b, err := c.recv()
		if errors.Is(err, ErrOverrun) {
			c.drain()
		}
		if err != nil {
			return err
		}
		c.pending = NewMessageIter(b)
	}
}

// drain discards every datagram queued on the socket, without waiting.
// The kernel reports a lost notification (ENOBUFS) only once until the
// queue has been emptied (netlink_rcv_wake clears NETLINK_S_CONGESTED), so
// without the drain notifications dropped after the report would be lost
// silently; with it, every loss after Events returns is reported again.
// An injected test socket has no queue to drain.
func (c *Conn) drain() {
	if c.fake != nil {
		return
	}
	c.rc.Control(func(fd uintptr) {
		for {
			e := c.sysRecvfrom(fd, unix.MSG_DONTWAIT, true)
			if e != 0 && e != unix.ENOBUFS {
				return // EAGAIN: empty
			}
		}
	})
}
