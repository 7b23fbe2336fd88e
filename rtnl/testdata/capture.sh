#!/bin/sh
# capture.sh regenerates the golden request files (*.hex) from what the
# installed iproute2 (/usr/sbin/ip, 6.1) sends, traced with strace. It
# must run inside a throwaway network and mount namespace:
#
#	unshare -n -m --propagation private sh rtnl/testdata/capture.sh rtnl/testdata
#
# Each NAME.hex holds one netlink message as hex (sequence and port id as
# sent; the tests zero them), preceded by '#' lines naming the command.
# Where iproute2 HEAD sends other bytes than 6.1, NAME.head.hex holds what
# HEAD sends (derived by hand, see its header); the tests expect HEAD.
set -eu
out=${1:-.}
mount -t tmpfs none /run
mkdir -p /run/netns
ip netns add ns2
ip netns add ns3

# cap NAME TYPE first|last ARGS...: trace `ip ARGS...` and keep the first or
# last sent message whose nlmsg_type is TYPE (decimal), cut to nlmsg_len.
cap() {
	name=$1 type=$2 which=$3
	shift 3
	strace -f -e trace=sendmsg,sendto -e write=all -xx -s 8192 ip "$@" 2>&1 >/dev/null |
		awk -v type="$type" -v which="$which" -v cmd="ip $*" '
		function hex(h,   i, v) {
			v = 0
			for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			return v
		}
		function flush() {
			if (n >= 16 && hex(b[5]) + 256 * hex(b[6]) == type &&
			    (which == "last" || got == "")) {
				len = hex(b[1]) + 256 * hex(b[2])
				s = ""
				for (i = 1; i <= len; i++) s = s b[i] (i % 16 == 0 ? "\n" : " ")
				got = s
			}
			n = 0
		}
		/^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
			for (i = 3; i <= 18 && $i ~ /^[0-9a-f][0-9a-f]$/; i++) b[++n] = $i
			next
		}
		{ flush() }
		END {
			flush()
			if (got == "") { print "no message of type " type " for: " cmd > "/dev/stderr"; exit 1 }
			print "# " cmd
			printf "%s\n", got
		}' | sed 's/ $//' >"$out/$name.hex"
}

cap veth 16 last link add rv0 type veth peer name rv1
cap veth-full 16 last link add va up mtu 1400 address 02:00:00:00:00:0a txqlen 500 type veth \
	peer name vb up mtu 1300 address 02:00:00:00:00:0b txqlen 600 netns ns2
cap link-up 16 last link set rv0 up
cap link-down 16 last link set rv0 down
cap link-rename 16 last link set rv0 name rv9
cap link-mtu 16 last link set rv9 mtu 1280
cap link-address 16 last link set rv9 address 02:00:00:00:00:99
cap link-netns 16 last link set rv1 netns ns3
cap getlink-name 18 first link show rv9
cap dump-links 18 last link show
cap dump-links-unspec 18 first addr show
cap dump-links-inet 18 first -4 addr show
cap dump-links-inet6 18 first -6 addr show
cap dump-addrs 22 last addr show
cap addr4 20 last addr add 10.9.0.1/24 dev rv9
cap addr4-brd 20 last addr add 10.9.1.1/30 broadcast 10.9.1.3 dev rv9
cap addr4-full 20 last addr add 10.9.2.1/24 peer 10.9.2.2 label rv9:x scope link \
	valid_lft 100 preferred_lft 50 dev rv9
cap addr6 20 last addr add fd99::1/64 dev rv9
cap addr6-flags 20 last addr add fd99::2/64 nodad noprefixroute dev rv9
cap deladdr4 21 last addr del 10.9.0.1/24 dev rv9
cap newnsid 88 last netns set ns2 7
cap getnsid 90 first netns list-id
cap dump-nsids 90 last netns list-id
cap link-set-mixed 16 last link set rv9 mtu 1400 up address 02:00:00:00:00:42 alias z txqlen 9 down
cap link-flags 16 last link set rv9 multicast on allmulticast off promisc on trailers off arp off dynamic on
cap link-broadcast 16 last link set rv9 broadcast 02:00:00:00:00:98
cap link-mode-state 16 last link set rv9 mode dormant state up
ip link add br0 type bridge
cap link-master 16 last link set rv9 master br0
cap link-nomaster 16 last link set rv9 nomaster
ip link add d9 type veth peer name d8
cap link-netns-index 16 last link set d9 netns ns3 index 55
cap newlink-attrs 16 last link add name x0 index 77 broadcast 02:00:00:00:00:fe type veth \
	peer name x1 index 78 broadcast 02:00:00:00:00:ff alias hi mode dormant state up
cap newlink-dummy 16 last link add x9 type dummy
cap newlink-kind-empty 16 last link add x8 type ""
cap getlink-show 18 last link show rv9
cap getlink-show6 18 last -6 link show dev rv9
ip link property add dev rv9 altname rv9-alternative-name
cap getlink-alt 18 last link show rv9-alternative-name
cap getlink-index 18 last -4 addr show dev rv9
cap addr4-order 20 last addr add 10.9.3.1/24 label rv9:y metric 5 brd + valid_lft forever \
	preferred_lft 30 noprefixroute dev rv9
cap addr4-peerfirst 20 last addr add peer 10.9.6.2/24 local 10.9.6.1 dev rv9
cap addr6-anycast 20 last -6 addr add fd98::1/64 anycast fd98::5 dev rv9
cap addr4-replace 20 last addr replace 10.9.0.1/24 dev rv9
cap addr4-change 20 last addr change 10.9.0.1/24 dev rv9 valid_lft 300 preferred_lft 100
cap deladdr4-wild 21 last addr del 10.9.2.1 dev rv9
cap dump-addrs-dev 22 last -4 addr show dev rv9
cap list-id-target 90 last netns list-id target-nsid 7
cap list-id-nsid 90 last netns list-id target-nsid 7 nsid 7
cap dellink 17 last link del rv9
