// Package rtnl speaks route netlink (NETLINK_ROUTE) to the Linux kernel:
// a socket layer on github.com/mdlayher/socket, Append-style request
// builders, and in-place decoders, none of which allocate in steady state.
//
// # A request, from builder to reply
//
// Open a Conn, optionally inside another network namespace:
//
//	c, err := rtnl.Dial(&rtnl.Config{NetNSName: "blue"}) // or NetNS: fd, or nil
//	if err != nil { ... }
//	defer c.Close()
//
// Build a request into a buffer you own and reuse. Each Append* builder
// writes one whole message (header, fixed part, attributes) in the layout
// iproute2 sends, and returns the extended buffer, like
// encoding/binary.Append*:
//
//	buf := make([]byte, 0, 512)
//	buf = rtnl.AppendNewVeth(buf[:0], &rtnl.Veth{Name: "v0", PeerName: "v1"})
//
// AppendNewVeth, AppendSetLink and AppendDelLink are shorthands of
// AppendLinkRequest, which builds any `ip link add`, `set`, `replace` or
// `delete` request from a LinkRequest: the LinkSpec of the link (and of a
// veth peer), with its attributes in the order ip's words give them.
// AppendLinkQuery builds each RTM_GETLINK ip sends for one link:
//
//	buf = rtnl.AppendLinkRequest(buf[:0], &rtnl.LinkRequest{
//		Type: unix.RTM_NEWLINK,
//		Link: rtnl.LinkSpec{Index: 3, MTU: 1400, Alias: "uplink",
//			Order: rtnl.AttrOrder{unix.IFLA_IFALIAS, unix.IFLA_MTU}}, // `alias uplink mtu 1400`
//	})
//
// Send it. Execute stamps the next sequence number into the header, sets
// NLM_F_ACK, sends the message with one sendto(2), and reads replies until
// the NLMSG_ERROR that acknowledges this sequence number:
//
//	err = c.Execute(buf)
//	if errors.Is(err, unix.EEXIST) { ... } // err is an *rtnl.Error
//
// Every datagram is checked before use: it must come from the kernel (port
// id 0), each message must carry the Conn's port id and the request's
// sequence number (replies to an abandoned request, older numbers, are
// dropped), and lengths are checked at every level. A failed request comes
// back as an *Error holding the errno and the kernel's extended-ack message
// and offset.
//
// Requests answered by data go through Query (one reply, such as
// AppendGetLink by name) or Dump (a multipart dump, such as
// AppendDumpLinks); the callback decodes each Message in place:
//
//	var l rtnl.Link // decoded into again for each message
//	buf = rtnl.AppendDumpLinks(buf[:0], unix.AF_PACKET)
//	err = c.Dump(buf, func(m rtnl.Message) error {
//		if m.Header.Type != unix.RTM_NEWLINK {
//			return nil // e.g. rtnl.DumpRestart
//		}
//		if err := l.Decode(m.Data); err != nil {
//			return err
//		}
//		mtu, _ := l.MTU()
//		fmt.Printf("%d: %s mtu %d <%v>\n", l.Index, l.Name(), mtu, rtnl.IfFlags(l.Flags))
//		return nil
//	})
//
// # Lifetimes
//
// Message.Data, and every slice a decoder (Link.Decode, AddrMessage.Decode,
// ParseLink, ParseAddr, ParseNetNSID, AttrIter) returns, alias the Conn's receive buffer. They
// are valid until the callback returns; copy what you keep.
//
// # Batches
//
// ExecuteBatch takes many messages appended to one buffer, sends them with
// as few sendto calls as Config.BatchBytes allows, and matches each
// acknowledgement to its request by sequence number, reporting every
// request's result; no ACK is left unread.
//
// # Notifications
//
// A Conn that joins multicast groups (Join, with unix.RTNLGRP_LINK,
// unix.RTNLGRP_IPV4_IFADDR, ...) receives the kernel's notifications of
// changes, which Events reads and validates as it does replies. Such a
// Conn is for events only (its requests fail with ErrEventConn): join on
// one Conn, then dump and send requests on another, as `ip monitor` does.
// When notifications are lost to a full receive buffer Events returns an
// *OverrunError; dump again and read on.
//
// # Deadlines and cancellation
//
// SetDeadline bounds every send and receive (errors.Is(err,
// os.ErrDeadlineExceeded) after it passes); the *Context variants of the
// request methods return ctx.Err() when the context ends first. There is
// no default deadline, and none is needed for a well-behaved kernel: every
// request the Conn sends is one the kernel answers (Execute and
// ExecuteBatch set NLM_F_ACK; Query and Dump refuse, unsent, a request
// without NLM_F_ACK that is not a GET with a payload), and the kernel
// queues the answer before the sending system call returns. A kernel
// that overflows the socket's receive buffer yields an *OverrunError
// (errors.Is(err, rtnl.ErrOverrun)); an interrupted dump is retried and, if
// it keeps being interrupted, yields ErrDumpInterrupted.
//
// # Allocation
//
// Builders, decoders, and a request/ACK round trip on a warm Conn allocate
// nothing: the socket's I/O runs through syscall.RawConn with closures
// built once, and replies land in one reused buffer. Errors allocate.
//
// # System calls
//
// By default every send and receive goes through the runtime's poller.
// With Config.RawSyscalls, while no deadline has passed and no context has
// ended, a send is one sendto(2) and a receive one non-blocking
// recvfrom(2), made as raw system calls on the socket's descriptor (held by
// RawConn.Control) without the poller; only a receive that finds nothing
// queued waits in the poller, where deadlines, cancellation and Close
// apply. A raw system call keeps its goroutine's P while the kernel handles
// the request, which spares the runtime a P hand-off and the wake-ups that
// follow it per slow rtnetlink request (creating a veth takes hundreds of
// microseconds, moving one to another namespace milliseconds), but makes a
// stop-the-world pause wait for the request.
package rtnl
