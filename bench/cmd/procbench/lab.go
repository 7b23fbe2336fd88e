package main

// seedLab is the seed lab of netns-tutorial.md as one command per process,
// in the tutorial's order. "ip" and "ping" resolve to the tool under test
// (also inside `ip netns exec`, through PATH). The tutorial deletes test1
// and goes on using it, so it is added again; its interactive ping is three
// probes at a 2 ms interval, and the lab ends by deleting test1.
var seedLab = [][]string{
	{"ip", "netns", "add", "test1"},
	{"ip", "netns", "list"},
	{"ip", "netns", "delete", "test1"},
	{"ip", "netns", "list"},
	{"ip", "netns", "add", "test1"},
	{"ip", "netns", "exec", "test1", "ip", "a"},
	{"ip", "netns", "exec", "test1", "ip", "link"},
	{"ip", "netns", "exec", "test1", "ip", "link", "set", "dev", "lo", "up"},
	{"ip", "netns", "exec", "test1", "ip", "link"},
	{"ip", "link", "add", "veth-a", "type", "veth", "peer", "name", "veth-b"},
	{"ip", "link"},
	{"ip", "link", "set", "veth-b", "netns", "test1"},
	{"ip", "link"},
	{"ip", "netns", "exec", "test1", "ip", "link"},
	{"ip", "addr", "add", "192.168.1.1/24", "dev", "veth-a"},
	{"ip", "link", "set", "veth-a", "up"},
	{"ip", "link"},
	{"ip", "netns", "exec", "test1", "ip", "addr", "add", "192.168.1.2/24", "dev", "veth-b"},
	{"ip", "netns", "exec", "test1", "ip", "link", "set", "dev", "veth-b", "up"},
	{"ip", "link"},
	{"ip", "netns", "exec", "test1", "ip", "link"},
	{"ping", "-c", "3", "-i", "0.002", "192.168.1.2"},
	{"ip", "netns", "delete", "test1"},
}
