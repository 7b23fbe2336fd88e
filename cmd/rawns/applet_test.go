package main

import (
	"testing"
)

// TestApplets checks the multi-call dispatch: `rawns APPLET ARGS` runs the
// applet (busybox's convention), `rawns` alone and `rawns --help` list the
// applets, rawns without an applet word is ip, and ip itself takes no
// applet words (ip ip, ip ping are unknown objects, as in iproute2).
func TestApplets(t *testing.T) {
	for _, tt := range []struct {
		name string // rawns, ip or ping
		args []string
		want result
		ref  func() result // when not nil, gives want
	}{
		{name: "rawns", want: result{stderr: rawnsUsage, code: 255}},
		{name: "rawns", args: []string{"--help"}, want: result{stdout: rawnsUsage}},
		{name: "rawns", args: []string{"ip"}, want: result{stderr: ipUsage, code: 255}},
		{name: "ip", want: result{stderr: ipUsage, code: 255}},
		{name: "rawns", args: []string{"ip", "bogus"}, ref: func() result { return realIP(t, "bogus") }},
		{name: "rawns", args: []string{"ip", "-o", "link", "show", "lo"}, ref: func() result { return realIP(t, "-o", "link", "show", "lo") }},
		{name: "rawns", args: []string{"-o", "link", "show", "lo"}, ref: func() result { return realIP(t, "-o", "link", "show", "lo") }},
		{name: "rawns", args: []string{"ip", "ip"}, ref: func() result { return realIP(t, "ip") }},
		{name: "ip", args: []string{"ip", "link"}, ref: func() result { return realIP(t, "ip", "link") }},
		{name: "ip", args: []string{"ping", "127.0.0.1"}, ref: func() result { return realIP(t, "ping", "127.0.0.1") }},
		{name: "ip", args: []string{"--help"}, ref: func() result { return rawns(t, "rawns", "ip", "-help") }},
		{name: "rawns", args: []string{"ping"}, ref: func() result { return rawns(t, "ping") }},
		{name: "rawns", args: []string{"ping", "-c", "1", ""}, ref: func() result { return rawns(t, "ping", "-c", "1", "") }},
	} {
		got := rawns(t, tt.name, tt.args...)
		want := tt.want
		if tt.ref != nil {
			want = tt.ref()
		}
		if got != want {
			t.Errorf("%s %q:\ngot  %+v\nwant %+v", tt.name, tt.args, got, want)
		}
	}
}
