package rtnl_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
)

// The tests below run on a Conn without a deadline, whose requests take
// the fast path (raw syscalls in RawConn.Control), and check that a
// receive that finds nothing queued still waits in the poller, where
// Close and a deadline set from another goroutine end it.

// waitingReceive applies a request answered by nothing on c and starts a
// receive waiting for its reply; the receive's error comes on the channel.
func waitingReceive(t *testing.T, c *rtnl.Conn, name string) <-chan error {
	t.Helper()
	idx, err := c.LinkIndex(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendUnread(noAck(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: idx, MTU: 1420}))); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.ReceiveContext(context.Background()) }()
	return done
}

// result waits for the receive's error; the long bound only keeps a hung
// receive from hanging the test binary.
func result(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("the waiting receive did not return")
		return nil
	}
}

func TestIntegrationFastPathClose(t *testing.T) {
	sandbox.Require(t)
	c, err := rtnl.Dial(&rtnl.Config{RawSyscalls: true})
	if err != nil {
		t.Fatal(err)
	}
	owner := dial(t, nil) // deletes the veth after c is closed
	addVeth(t, owner, "fc0", "fc1")
	execute(t, c, "set without deadline", rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: mustIndex(t, c, "fc0"), MTU: 1410}))
	if got := links(t, owner)["fc0"].mtu; got != 1410 {
		t.Fatalf("mtu = %d, want 1410", got)
	}
	done := waitingReceive(t, c, "fc0")
	time.Sleep(20 * time.Millisecond) // let it reach the poller; either way Close ends it
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// The poller's error for a closed file ("use of closed file").
	if err := result(t, done); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("receive interrupted by Close: error = %v, want the poller's closed-file error", err)
	}
	if err := c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, MTU: 65536})); err == nil {
		t.Errorf("Execute after Close: error = nil, want the poller's closed-file error")
	}
}

func TestIntegrationFastPathDeadlineSetLater(t *testing.T) {
	sandbox.Require(t)
	c, err := rtnl.Dial(&rtnl.Config{RawSyscalls: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	addVeth(t, c, "fd0", "fd1")
	done := waitingReceive(t, c, "fd0")
	time.Sleep(20 * time.Millisecond)
	if err := c.SetDeadline(time.Now()); err != nil { // from another goroutine
		t.Fatal(err)
	}
	if err := result(t, done); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("receive after SetDeadline: error = %v, want os.ErrDeadlineExceeded", err)
	}
	if err := c.SetDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The applied request's reply never comes; the Conn goes on working.
	if got := links(t, c)["fd0"].mtu; got != 1420 {
		t.Errorf("mtu = %d, want 1420", got)
	}
}

// mustIndex returns the index of the link named name.
func mustIndex(t *testing.T, c *rtnl.Conn, name string) int32 {
	t.Helper()
	idx, err := c.LinkIndex(name)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}
