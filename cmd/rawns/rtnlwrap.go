package main

// The rtnl builders the CLI uses, in one place, so a rename in rtnl touches
// only this file.

import (
	"net/netip"

	"github.com/rawns/rawns/rtnl"
)

func rtnlHeader(b []byte, typ, flags uint16) ([]byte, int) { return rtnl.AppendHeader(b, typ, flags) }

func rtnlFinish(b []byte, start int) []byte { return rtnl.FinishMessage(b, start) }

func rtnlIfInfomsg(b []byte, family uint8, index int32, flags, change uint32) []byte {
	return rtnl.AppendIfInfomsg(b, rtnl.IfInfomsg{Family: family, Index: index, Flags: flags, Change: change})
}

func rtnlIfAddrmsg(b []byte, family, prefixLen, flags, scope uint8, index uint32) []byte {
	return rtnl.AppendIfAddrmsg(b, rtnl.IfAddrmsg{Family: family, PrefixLen: prefixLen, Flags: flags, Scope: scope, Index: index})
}

func rtnlAttr(b []byte, typ uint16, data []byte) []byte { return rtnl.AppendAttr(b, typ, data) }

func rtnlAttrU8(b []byte, typ uint16, v uint8) []byte { return rtnl.AppendAttrUint8(b, typ, v) }

func rtnlAttrU32(b []byte, typ uint16, v uint32) []byte { return rtnl.AppendAttrUint32(b, typ, v) }

func rtnlAttrString(b []byte, typ uint16, s string) []byte { return rtnl.AppendAttrString(b, typ, s) }

func rtnlAttrAddr(b []byte, typ uint16, a netip.Addr) []byte { return rtnl.AppendAttrAddr(b, typ, a) }

func rtnlBeginNest(b []byte, typ uint16) ([]byte, int) { return rtnl.BeginNest(b, typ) }

func rtnlEndNest(b []byte, start int) []byte { return rtnl.EndNest(b, start) }

func rtnlDumpLinks(b []byte, family uint8) []byte { return rtnl.AppendDumpLinks(b, family) }

func rtnlGetNSID(b []byte, fd int32) []byte { return rtnl.AppendGetNSID(b, fd) }
