package rtnl

// SendUnread stamps and sends req without reading its replies, leaving
// them queued as a request abandoned after a deadline would.
func (c *Conn) SendUnread(req []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.stamp(req, 0); err != nil {
		return err
	}
	return c.send(req)
}
