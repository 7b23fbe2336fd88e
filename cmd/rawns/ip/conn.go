package ip

import "github.com/rawns/rawns/rtnl"

// conn is the CLI's view of an rtnl.Conn: callbacks get the message type
// and payload, which is all the commands look at. The payload aliases the
// receive buffer: it is valid only during the callback.
type conn struct{ c *rtnl.Conn }

// execute sends one request answered by an ACK; a refusal is an
// *rtnl.Error.
func (c *conn) execute(req []byte) error { return c.c.Execute(req) }

// query sends one request answered by one message and passes it to fn.
func (c *conn) query(req []byte, fn func(typ uint16, data []byte) error) error {
	return c.c.Query(req, func(m rtnl.Message) error { return fn(m.Header.Type, m.Data) })
}

// dump sends a dump request and passes each message to fn. When the
// kernel interrupts the dump and it is repeated, fn first gets a message
// of type rtnl.DumpRestart: drop what was kept.
func (c *conn) dump(req []byte, fn func(typ uint16, data []byte) error) error {
	return c.c.Dump(req, func(m rtnl.Message) error { return fn(m.Header.Type, m.Data) })
}

// executeBatch sends several requests, each answered by an ACK, with few
// sendmsg calls, and reports each result to fn in order.
func (c *conn) executeBatch(reqs []byte, fn func(i int, err error)) error {
	return c.c.ExecuteBatch(reqs, fn)
}

func (c *conn) close() error { return c.c.Close() }
