package rtnl_test

import (
	"fmt"
	"log"
	"net/netip"
	"time"

	"github.com/rawns/rawns/nsfs"
	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// This example does what these commands do, in two new named namespaces:
//
//	ip netns add blue; ip netns add red
//	ip -n blue link add v0 type veth peer name v1
//	ip -n blue link set v1 netns red
//	ip -n blue addr add 10.1.0.1/24 dev v0
//	ip -n blue link show; ip -n blue addr show
func Example() {
	d := nsfs.Dirs{} // /run/netns and /etc/netns
	for _, name := range []string{"blue", "red"} {
		if err := d.Add(name); err != nil {
			log.Fatal(err)
		}
		defer d.Delete(name)
	}
	red, err := d.Open("red")
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(red)

	c, err := rtnl.Dial(&rtnl.Config{NetNSName: "blue"}) // a socket in blue
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 0, 512) // one buffer for every request

	buf = rtnl.AppendNewVeth(buf[:0], &rtnl.Veth{Name: "v0", PeerName: "v1"})
	if err := c.Execute(buf); err != nil {
		log.Fatal(err)
	}
	v1, err := c.LinkIndex("v1")
	if err != nil {
		log.Fatal(err)
	}
	buf = rtnl.AppendSetLink(buf[:0], &rtnl.LinkChange{Index: v1, NetNSFD: int32(red)})
	if err := c.Execute(buf); err != nil {
		log.Fatal(err)
	}
	v0, err := c.LinkIndex("v0")
	if err != nil {
		log.Fatal(err)
	}
	buf = rtnl.AppendNewAddr(buf[:0], &rtnl.Addr{Index: v0, PrefixLen: 24, Local: netip.MustParseAddr("10.1.0.1")})
	if err := c.Execute(buf); err != nil {
		log.Fatal(err)
	}

	buf = rtnl.AppendDumpLinks(buf[:0], unix.AF_UNSPEC)
	err = c.Dump(buf, func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil // rtnl.DumpRestart: nothing kept to discard
		}
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return err
		}
		_, elsewhere := l.LinkNetNSID() // the peer is in another namespace
		fmt.Printf("link %d: %s kind %q peer elsewhere %t\n", l.Index, l.Name(), l.Kind(), elsewhere)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	buf = rtnl.AppendDumpAddrs(buf[:0], unix.AF_INET, 0)
	err = c.Dump(buf, func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWADDR {
			return nil
		}
		a, err := rtnl.ParseAddr(m.Data)
		if err != nil {
			return err
		}
		fmt.Printf("addr on link %d: %v/%d\n", a.Index, a.Local(), a.PrefixLen)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// link 1: lo kind "" peer elsewhere false
	// link 3: v0 kind "veth" peer elsewhere true
	// addr on link 3: 10.1.0.1/24
}

// This example watches link changes as `ip monitor link` does: one Conn
// joins the group and reads events, another sends requests.
func ExampleConn_Events() {
	d := nsfs.Dirs{}
	if err := d.Add("green"); err != nil {
		log.Fatal(err)
	}
	defer d.Delete("green")

	ev, err := rtnl.Dial(&rtnl.Config{NetNSName: "green"})
	if err != nil {
		log.Fatal(err)
	}
	defer ev.Close()
	if err := ev.Join(unix.RTNLGRP_LINK); err != nil {
		log.Fatal(err)
	}
	ev.SetDeadline(time.Now().Add(10 * time.Second))

	c, err := rtnl.Dial(&rtnl.Config{NetNSName: "green"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: "g0", PeerName: "g1"})); err != nil {
		log.Fatal(err)
	}

	err = ev.Events(func(m rtnl.Message) error {
		if m.Header.Type != unix.RTM_NEWLINK {
			return nil
		}
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return err
		}
		if string(l.Name()) != "g0" {
			return nil // g1 is announced too
		}
		fmt.Printf("new link %s kind %s\n", l.Name(), l.Kind())
		return rtnl.StopEvents
	})
	if err != nil {
		log.Fatal(err) // an *rtnl.OverrunError: dump the links again, then read on
	}
	// Output:
	// new link g0 kind veth
}
