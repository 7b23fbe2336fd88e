package rtnl

// AttrOrder is the order in which a builder sends the optional attributes
// that iproute2 appends as it reads a command's words, so that a request
// can carry ip's exact bytes: `ip link set D alias A mtu M` sends
// IFLA_IFALIAS before IFLA_MTU, `... mtu M alias A` the other way round.
// The builders that take one (Addr.Order, LinkSpec.Order) document which
// types it may list, and their default order (DefaultAddrOrder,
// DefaultLinkOrder).
//
// It lists attribute types, each once, up to the first 0. A listed type
// is sent, in its place, with its field's value even when that is zero
// (ip sent the word: `mtu 0`, `label ""`, `nomaster`). Then every type of
// the default order that is not listed follows, in the default order,
// when its field is set. So the zero AttrOrder sends the set fields in
// the default order, and a caller that records each word with Add gets
// ip's layout. Types the builder has no field for are ignored.
type AttrOrder [16]uint16

// Add appends typ to o unless o lists it already (a word given twice is
// sent once, at its first place, with its last value) or is full.
func (o *AttrOrder) Add(typ uint16) {
	for i, t := range o {
		if t == typ {
			return
		}
		if t == 0 {
			o[i] = typ
			return
		}
	}
}

// plan returns the types to send, in order: the types o lists that
// allowed holds (once each), then the types of def that are in set and not
// yet sent; and the set of the types it returns. allowed must hold no more
// than def's types. Bit t of a mask stands for type t; types from 64 up
// are never sent. It does not allocate.
func (o *AttrOrder) plan(def *AttrOrder, allowed, set uint64) (seq AttrOrder, sent uint64) {
	n := 0
	for _, t := range o {
		if t == 0 {
			break
		}
		if t < 64 && allowed&^sent&(1<<t) != 0 {
			seq[n], n, sent = t, n+1, sent|1<<t
		}
	}
	if set&^sent == 0 {
		return seq, sent
	}
	for _, t := range def {
		if t == 0 {
			break
		}
		if set&^sent&(1<<t) != 0 {
			seq[n], n, sent = t, n+1, sent|1<<t
		}
	}
	return seq, sent
}

// listed returns the set of the types o lists (below 64).
func (o *AttrOrder) listed() uint64 {
	var m uint64
	for _, t := range o {
		if t == 0 {
			break
		}
		if t < 64 {
			m |= 1 << t
		}
	}
	return m
}

// bitIf returns the mask bit of type t when ok, else 0.
func bitIf(ok bool, t uint16) uint64 {
	if ok {
		return 1 << t
	}
	return 0
}
