package ip

// parseVethPeer is link_veth.c's veth_parse_opt: "peer" and the peer's
// own link arguments (the link grammar again), which go in c.peer, sent
// in IFLA_INFO_DATA / VETH_INFO_PEER. The kernel creates both ends, in
// their namespaces, in one step, or neither.
func parseVethPeer(e *env, a *words, c *linkCmd) error {
	if w, _ := a.next(); w != "peer" {
		vethUsage(e)
		return &exitError{code: exitFail}
	}
	pq := &c.pa
	pq.init(&c.peer, true)
	c.req.Link.Peer = &c.peer
	if err := parseLinkArgs(e, a, pq); err != nil {
		return err
	}
	if pq.typSet {
		return errDupArg("type", pq.typ)
	}
	return nil
}
