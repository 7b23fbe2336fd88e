package lab_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rawns/rawns/internal/initramfs/lab"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/rtnl"
)

// newVeth creates the veth pair name/peer, down, and returns a Conn to
// change it with; both go at the end of the test.
func newVeth(t *testing.T, name, peer string) *rtnl.Conn {
	t.Helper()
	c, err := rtnl.Dial(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Execute(rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: name, PeerName: peer})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Execute(rtnl.AppendDelLink(nil, 0, name)) })
	return c
}

// setUp sets the link called name up.
func setUp(t *testing.T, c *rtnl.Conn, name string) {
	t.Helper()
	index, err := c.LinkIndex(name)
	if err == nil {
		err = c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: index, Flags: unix.IFF_UP, Change: unix.IFF_UP}))
	}
	if err != nil {
		t.Fatalf("set %s up: %v", name, err)
	}
}

// TestIntegrationWaitOperUpEvent checks that a wait that starts with the
// link down ends when the link comes up: the event wakes it.
func TestIntegrationWaitOperUpEvent(t *testing.T) {
	sandbox.Require(t)
	c := newVeth(t, "wu0", "wu1")
	done := make(chan error, 1)
	go func() { done <- lab.WaitOperUp(context.Background(), "wu0", time.Minute) }()
	time.Sleep(50 * time.Millisecond) // most likely waiting on events by now; either way it must end
	setUp(t, c, "wu1")
	setUp(t, c, "wu0")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("WaitOperUp(wu0) = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("WaitOperUp(wu0) still waiting 30s after the link came up")
	}
	// Already up: it returns at once, from the answer to its question.
	if err := lab.WaitOperUp(context.Background(), "wu0", time.Second); err != nil {
		t.Fatalf("WaitOperUp(wu0) when up = %v, want nil", err)
	}
}

// TestIntegrationWaitOperUpTimeout checks that a link that stays down ends
// the wait with the timeout's error.
func TestIntegrationWaitOperUpTimeout(t *testing.T) {
	sandbox.Require(t)
	c := newVeth(t, "wt0", "wt1")
	setUp(t, c, "wt0") // its peer is down: no carrier, operstate LOWERLAYERDOWN
	err := lab.WaitOperUp(context.Background(), "wt0", 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "wt0: not up after 200ms") {
		t.Fatalf("WaitOperUp(wt0) = %v, want \"wt0: not up after 200ms\"", err)
	}
}
