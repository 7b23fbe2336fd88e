#!/bin/sh
# The seed lab (Linux Network Namespace Introduction), command by command:
# each command is printed after a "~$ " prompt, then its output (stdout and
# stderr), then "[exit N]" when it fails. ip and ping are whatever PATH finds
# first. Run it only in a throwaway network and mount namespace with a
# private /run (make demo and TestIntegrationLab do that): it creates test1,
# veth-a and veth-b.
#
# With LAB_PING=count the final ping is `ping -c 3`; with LAB_PING=sigint
# (the default) it is the tutorial's `ping 192.168.1.2` stopped with ^C
# (SIGINT) once the third reply is printed.

step() {
	printf '~$ %s\n' "$*"
	"$@" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || printf '[exit %d]\n' "$rc"
}

# ping_sigint runs ping until its third reply line, then sends SIGINT and
# prints the rest of its output, with "^C" where the terminal would echo it.
ping_sigint() {
	printf '~$ %s\n' "$*"
	fifo=$(mktemp -u /run/lab-ping.XXXXXX)
	mkfifo "$fifo" || return
	"$@" >"$fifo" 2>&1 &
	pid=$!
	n=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		*icmp_seq=*)
			n=$((n + 1))
			if [ "$n" -eq 3 ]; then
				kill -INT "$pid"
				printf '^C'
			fi
			;;
		esac
	done <"$fifo"
	wait "$pid"
	rc=$?
	rm -f "$fifo"
	[ "$rc" -eq 0 ] || printf '[exit %d]\n' "$rc"
}

# Create and List Network Namespace
step ip netns add test1
step ip netns list

# Delete Network Namespace
step ip netns delete test1
step ip netns list

# The tutorial goes on as if test1 still existed; it has to be made again.
step ip netns add test1

# Execute CMD within Network Namespace
step ip netns exec test1 ip a
step ip netns exec test1 ip link
step ip netns exec test1 ip link set dev lo up
step ip netns exec test1 ip link

# Add Interface to a Network Namespace
step ip link add veth-a type veth peer name veth-b
step ip link
step ip link set veth-b netns test1
step ip link
step ip netns exec test1 ip link

# Assign IP address to veth interface
step ip addr add 192.168.1.1/24 dev veth-a
step ip link set veth-a up
step ip link
step ip netns exec test1 ip addr add 192.168.1.2/24 dev veth-b
step ip netns exec test1 ip link set dev veth-b up
step ip link
step ip netns exec test1 ip link

case ${LAB_PING:-sigint} in
count) step ping -c 3 192.168.1.2 ;;
both)
	step ping -c 3 192.168.1.2
	ping_sigint ping 192.168.1.2
	;;
*) ping_sigint ping 192.168.1.2 ;;
esac
