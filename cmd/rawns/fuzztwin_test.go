package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// The word fuzzers (FuzzIPWords, FuzzPingWords) run every input twice, each
// time in a network namespace of its own made for that input: once through
// rawns in this process, on a thread locked into namespace A, and once
// through the real tool, a process started from a thread in its twin B.
// Both namespaces start as twinBaseline makes them, so the two runs must
// end in the same state. Nothing outside them is reachable: they hold only
// lo and the veth pair tv0/tv1, and the vocabularies hold no namespace
// names, pids or paths (fuzzSafe checks every argv again).

// twinRun is what one run printed and how it exited, and the state of its
// namespace before and after.
type twinRun struct {
	stdout, stderr string
	code           int
	before, after  string
}

// twinPair is the outcome of one input: rawns in A, the real tool in B, and
// the host's view of named namespaces and mounts around rawns's run.
type twinPair struct {
	rawns, real         twinRun
	hostBefore, hostAft string
}

// runTwins makes the two namespaces on a fresh thread, runs rawns (through
// inProc) in A and real (a program with args) in B, and returns both runs.
// The thread is never unlocked: it ends with its goroutine, so no other
// goroutine ever runs in A or B.
func runTwins(inProc func(stdout *bufio.Writer, stderr *bytes.Buffer) int, real string, args []string) (*twinPair, error) {
	type res struct {
		p   *twinPair
		err error
	}
	ch := make(chan res, 1)
	go func() {
		runtime.LockOSThread()
		p, err := twinsOnThread(inProc, real, args)
		ch <- res{p, err}
	}()
	r := <-ch
	return r.p, r.err
}

// twinsOnThread is runTwins's body, on the locked thread.
func twinsOnThread(inProc func(*bufio.Writer, *bytes.Buffer) int, real string, args []string) (*twinPair, error) {
	a, err := newTwinNS()
	if err != nil {
		return nil, err
	}
	defer unix.Close(a)
	b, err := newTwinNS()
	if err != nil {
		return nil, err
	}
	defer unix.Close(b)
	p := &twinPair{hostBefore: hostState()}
	if p.rawns.before, err = netState(a); err != nil {
		return nil, err
	}
	if err := unix.Setns(a, unix.CLONE_NEWNET); err != nil {
		return nil, os.NewSyscallError("setns", err)
	}
	var out, errb bytes.Buffer
	w := bufio.NewWriter(&out)
	p.rawns.code = inProc(w, &errb)
	w.Flush()
	p.rawns.stdout, p.rawns.stderr = out.String(), errb.String()
	p.hostAft = hostState()
	if p.rawns.after, err = netState(a); err != nil {
		return nil, err
	}
	if p.real.before, err = netState(b); err != nil {
		return nil, err
	}
	if err := unix.Setns(b, unix.CLONE_NEWNET); err != nil {
		return nil, os.NewSyscallError("setns", err)
	}
	if p.real, err = runReal(p.real, real, args); err != nil {
		return nil, err
	}
	p.real.after, err = netState(b)
	return p, err
}

// runReal runs the real tool, bounded to 10 s, from the calling thread (a
// child starts in its thread's network namespace).
func runReal(r twinRun, path string, args []string) (twinRun, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Args[0] = path[strings.LastIndexByte(path, '/')+1:] // messages start with argv[0]
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return r, fmt.Errorf("%s %q: no exit within 10 s", path, args)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		return r, err
	}
	r.stdout, r.stderr = out.String(), errb.String()
	return r, nil
}

// twinSysctls make IPv6 add no link-local addresses and run no DAD on the
// links made after them.
var twinSysctls = [][2]string{
	{"ipv6/conf/default/addr_gen_mode", "1"},
	{"ipv6/conf/default/accept_dad", "0"},
}

// newTwinNS moves the calling (locked) thread into a new network
// namespace, lays twinBaseline in it and returns a descriptor of it.
func newTwinNS() (int, error) {
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return -1, os.NewSyscallError("unshare", err)
	}
	fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, os.NewSyscallError("open", err)
	}
	if err := twinBaseline(); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// twinBaseline lays in the calling thread's namespace the state both twins
// start in: lo up holding fd99::1/64, and the veth pair tv0/tv1 up with
// fixed MAC addresses, tv0 holding 10.9.0.1/24. IPv6 makes no link-local
// addresses and no DAD in them, so that nothing depends on random MACs or
// timers; its address is on lo because on tv0 it would wait for the
// carrier, which linkwatch reports up to a second later.
func twinBaseline() error {
	for _, kv := range twinSysctls {
		if err := os.WriteFile("/proc/sys/net/"+kv[0], []byte(kv[1]), 0); err != nil {
			return err
		}
	}
	c, err := rtnl.Dial(nil)
	if err != nil {
		return err
	}
	defer c.Close()
	up := uint32(unix.IFF_UP)
	reqs := [][]byte{
		rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: 1, Flags: up, Change: up}),
		rtnl.AppendNewVeth(nil, &rtnl.Veth{Name: "tv0", PeerName: "tv1",
			HWAddr: []byte{2, 0, 0, 0, 0, 0x10}, PeerHWAddr: []byte{2, 0, 0, 0, 0, 0x11},
			Flags: up, Change: up}),
	}
	for i, r := range reqs {
		if err := c.Execute(r); err != nil {
			return fmt.Errorf("baseline %d: %w", i, err)
		}
	}
	// A peer created up fails with ENOTCONN (iproute2's too): set it up after.
	peer, err := c.LinkIndex("tv1")
	if err != nil {
		return err
	}
	if err := c.Execute(rtnl.AppendSetLink(nil, &rtnl.LinkChange{Index: peer, Flags: up, Change: up})); err != nil {
		return err
	}
	idx, err := c.LinkIndex("tv0")
	if err != nil {
		return err
	}
	for _, a := range []rtnl.Addr{
		{PrefixLen: 24, Index: idx, Local: netip.MustParseAddr("10.9.0.1"),
			Broadcast: netip.MustParseAddr("10.9.0.255")},
		{PrefixLen: 64, Index: 1, Local: netip.MustParseAddr("fd99::1"), Flags: unix.IFA_F_NODAD},
	} {
		if err := c.Execute(rtnl.AppendNewAddr(nil, &a)); err != nil {
			return err
		}
	}
	return waitLocalRoute6("fd990000000000000000000000000001")
}

// waitLocalRoute6 waits, at most a second, until the calling thread's
// namespace routes the IPv6 address hex (32 digits) to itself. The kernel
// adds that route from a work queue after the address, so under load a
// ping sent at once can go unanswered.
func waitLocalRoute6(hex string) error {
	for try := 0; try < 1000; try++ {
		b, err := os.ReadFile("/proc/thread-self/net/ipv6_route")
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(hex+" 80 ")) {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("no local route to %s after 1 s", hex)
}

// twinFlags are the link flags a request sets; carrier and operational
// flags (RUNNING, LOWER_UP, DORMANT) settle asynchronously and are left out.
const twinFlags = unix.IFF_UP | unix.IFF_BROADCAST | unix.IFF_LOOPBACK | unix.IFF_POINTOPOINT |
	unix.IFF_NOARP | unix.IFF_PROMISC | unix.IFF_ALLMULTI | unix.IFF_MULTICAST | unix.IFF_DYNAMIC

// netState is the state of the network namespace ns as sorted lines: each
// link (name, kind, settable flags, mtu, txqlen, alias, group, master, MAC
// when it is one of the 02:00:00 addresses the vocabularies use, since
// others are random) and each address (link, prefix, peer, broadcast,
// label, scope, flags but tentative, lifetimes finite or not). It reads
// with rtnl in this process, not with ip, to keep an execution cheap.
func netState(ns int) (string, error) {
	c, err := rtnl.Dial(&rtnl.Config{NetNS: ns})
	if err != nil {
		return "", err
	}
	defer c.Close()
	names := map[int32]string{}
	var lines []string
	err = c.Dump(rtnl.AppendDumpLinks(nil, 0), func(m rtnl.Message) error {
		l, err := rtnl.ParseLink(m.Data)
		if err != nil {
			return err
		}
		names[l.Index] = string(l.Name())
		lines = append(lines, linkLine(&l))
		return nil
	})
	if err != nil {
		return "", err
	}
	err = c.Dump(rtnl.AppendDumpAddrs(nil, 0, 0), func(m rtnl.Message) error {
		a, err := rtnl.ParseAddr(m.Data)
		if err != nil {
			return err
		}
		lines = append(lines, addrLine(&a, names[int32(a.Index)]))
		return nil
	})
	for i, l := range lines { // masters by name: indexes differ between twins
		if j := strings.Index(l, " master "); j >= 0 {
			var idx int32
			fmt.Sscan(l[j+8:], &idx)
			lines[i] = l[:j] + " master " + names[idx]
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n"), err
}

// linkLine is one link of netState.
func linkLine(l *rtnl.Link) string {
	mtu, _ := l.MTU()
	txq, _ := l.TxQLen()
	group, _ := l.Group()
	s := fmt.Sprintf("link %q kind %q flags %#x mtu %d txqlen %d group %d alias %q",
		l.Name(), l.Kind(), l.Flags&twinFlags, mtu, txq, group, l.IfAlias())
	if mac := l.Address(); len(mac) == 6 && mac[0] == 2 && mac[1] == 0 && mac[2] == 0 {
		s += fmt.Sprintf(" mac % x", mac)
	}
	for it := l.AltNames(); it.Next(); {
		s += fmt.Sprintf(" altname %q", bytes.TrimRight(it.Data(), "\x00"))
	}
	if m, ok := l.Master(); ok {
		s += fmt.Sprintf(" master %d", m)
	}
	return s
}

// addrLine is one address of netState, on the link named dev.
func addrLine(a *rtnl.AddrMessage, dev string) string {
	valid, pref, ok := a.CacheInfo()
	lft := "none"
	if ok {
		lft = fmt.Sprintf("valid %t preferred %t", valid != ^uint32(0), pref != ^uint32(0))
	}
	return fmt.Sprintf("addr %q %v local %v peer %v brd %v label %q scope %d flags %#x %s",
		dev, a.Prefix(), a.Local(), a.Address(), a.Broadcast(), a.Label(), a.Scope,
		a.Flags()&^(unix.IFA_F_TENTATIVE|unix.IFA_F_OPTIMISTIC), lft)
}

// hostState is what the sandbox's host side shows of a run: the named
// namespaces in /run/netns and the mounts (mount point, root, type,
// source; ids change on remounts of the same thing), as .ci/run records.
func hostState() string {
	var b strings.Builder
	ents, _ := os.ReadDir("/run/netns")
	for _, e := range ents {
		b.WriteString("netns " + e.Name() + "\n")
	}
	mi, _ := os.ReadFile("/proc/self/mountinfo")
	var mounts []string
	for _, l := range strings.Split(string(mi), "\n") {
		f := strings.Fields(l)
		if i := slices.Index(f, "-"); i > 4 && i+2 < len(f) {
			mounts = append(mounts, f[4]+" "+f[3]+" "+f[i+1]+" "+f[i+2])
		}
	}
	slices.Sort(mounts)
	return b.String() + strings.Join(mounts, "\n")
}

// wordsOf turns fuzz input into an argument vector: each byte picks a word
// of vocab, at most max of them.
func wordsOf(data []byte, vocab []string, max int) []string {
	argv := make([]string, 0, min(len(data), max))
	for _, c := range data[:min(len(data), max)] {
		argv = append(argv, vocab[int(c)%len(vocab)])
	}
	return argv
}

// bytesOf is wordsOf's inverse for seeds: the index of each word in vocab.
// It panics on a word not in vocab, a mistake in a seed.
func bytesOf(vocab []string, words ...string) []byte {
	b := make([]byte, len(words))
	for i, w := range words {
		j := slices.Index(vocab, w)
		if j < 0 {
			panic(fmt.Sprintf("seed word %q is not in the vocabulary", w))
		}
		b[i] = byte(j)
	}
	return b
}

// exitClass names an exit status as the comparison sees it.
func exitClass(code int) string {
	if code == 0 {
		return "success"
	}
	return "failure"
}
