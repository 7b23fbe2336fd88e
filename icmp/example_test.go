package icmp_test

import (
	"fmt"
	"log"
	"net/netip"
	"time"

	"github.com/rawns/rawns/icmp"
	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// This example pings once, as `ip netns exec blue ping -c 1 127.0.0.1`
// does, in a new namespace whose loopback it first sets up.
func ExampleOpen() {
	d := nsfs.Dirs{}
	if err := d.Add("blue"); err != nil {
		log.Fatal(err)
	}
	defer d.Delete("blue")
	blue, err := d.Open("blue")
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(blue)

	// ip -n blue link set lo up
	c, err := rtnl.Dial(&rtnl.Config{NetNS: blue})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	lo, err := c.LinkIndex("lo")
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: lo, Flags: unix.IFF_UP, Change: unix.IFF_UP})); err != nil {
		log.Fatal(err)
	}

	p, err := icmp.Open(icmp.Config{Dst: netip.MustParseAddr("127.0.0.1"), NetNS: blue})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Send(1); err != nil {
		log.Fatal(err)
	}
	p.SetDeadline(time.Now().Add(5 * time.Second))
	var rep icmp.Reply
	if err := p.Receive(&rep); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes from %v: icmp_seq=%d ttl=%d %v\n", rep.Len, rep.From, rep.Seq, rep.TTL, rep.Kind)
	// Output:
	// 64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 echo-reply
}
