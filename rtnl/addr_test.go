package rtnl_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/rawns/rawns/rtnl"
	"golang.org/x/sys/unix"
)

// TestDelAddrOfEchoesDump checks the deletion `ip address flush` sends for
// a dumped address: the dumped payload unchanged behind an RTM_DELADDR
// header (with NLM_F_ACK, which ip leaves out), built without allocating.
func TestDelAddrOfEchoesDump(t *testing.T) {
	m := readMessage(t, "newaddr.bin")
	a, err := rtnl.ParseAddr(m.Data)
	if err != nil {
		t.Fatal(err)
	}
	prefix := []byte{9, 9, 9, 9}
	got := rtnl.AppendDelAddrOf(prefix, &a)
	if !bytes.Equal(got[:4], prefix) {
		t.Fatalf("prefix overwritten: % x", got[:4])
	}
	got = got[4:]
	want := make([]byte, 16, 16+len(m.Data))
	binary.NativeEndian.PutUint32(want, uint32(16+len(m.Data)))
	binary.NativeEndian.PutUint16(want[4:], unix.RTM_DELADDR)
	binary.NativeEndian.PutUint16(want[6:], unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	want = append(want, m.Data...)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendDelAddrOf =\n% x\nwant\n% x", got, want)
	}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = rtnl.AppendDelAddrOf(buf[:0], &a) }); n != 0 {
		t.Errorf("AppendDelAddrOf allocates %v times per run, want 0", n)
	}
}
