package nsfs_test

import (
	"fmt"
	"log"
	"net"

	"github.com/rawns/rawns/nsfs"
	"golang.org/x/sys/unix"
)

// This example opens a named namespace, as `ip netns exec blue` finds it,
// and runs a function inside it: the interfaces it sees are blue's, a
// loopback that is still down.
func ExampleDo() {
	d := nsfs.Dirs{} // /run/netns and /etc/netns
	if err := d.Add("blue"); err != nil {
		log.Fatal(err)
	}
	defer d.Delete("blue")

	fd, err := d.Open("blue") // a name, a path, or a pid
	if err != nil {
		log.Fatal(err)
	}
	defer unix.Close(fd)
	err = nsfs.Do(fd, func() error {
		ifs, err := net.Interfaces() // on Do's thread, in blue
		if err != nil {
			return err
		}
		for _, ifi := range ifs {
			fmt.Println(ifi.Name, ifi.Flags&net.FlagUp != 0)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// lo false
}

// This example does what `ip netns add red`, `ip netns list` and `ip
// netns del red` do.
func ExampleDirs_Add() {
	d := nsfs.Dirs{}
	if err := d.Add("red"); err != nil {
		log.Fatal(err)
	}
	names, err := d.List()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)
	if err := d.Delete("red"); err != nil {
		log.Fatal(err)
	}
	names, err = d.List()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)
	// Output:
	// [red]
	// []
}
