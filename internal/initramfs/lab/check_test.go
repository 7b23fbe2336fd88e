package lab_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/initramfs/lab"
)

// TestCheck feeds Check the transcript of the real iproute2 and iputils
// (recorded by TestIntegrationLabIproute2 -update), whole and with each kind
// of defect the boot test must catch.
func TestCheck(t *testing.T) {
	golden, err := os.ReadFile("testdata/iproute2.txt")
	if err != nil {
		t.Fatal(err)
	}
	good := string(golden)
	tests := []struct {
		name    string
		console string
		wantErr []string // substrings of the error; none means nil
	}{
		{name: "iproute2", console: good},
		{name: "console CRLF and kernel lines around",
			console: "[    1.0] kernel line\r\n" + strings.ReplaceAll(good, "\n", "\r\n") + "[    3.7] reboot: Power down\r\n"},
		{name: "no marker",
			console: good[:strings.Index(good, lab.Marker)],
			wantErr: []string{"the lab did not finish"}},
		{name: "step missing",
			console: strings.Replace(good, "$ ip link set veth-b netns test1\n", "", 1),
			wantErr: []string{`step 12 "ip link set veth-b netns test1": not in the transcript`}},
		{name: "step failed",
			console: strings.Replace(good, "$ ip netns add test1\n", "$ ip netns add test1\n[failed: exit status 1]\n", 1),
			wantErr: []string{`step 1 "ip netns add test1"`, "failed: exit status 1"}},
		{name: "ping loss",
			console: strings.Replace(good, "3 received, 0% packet loss", "2 received, 33.3333% packet loss", 1),
			wantErr: []string{`"ping -c 3 192.168.1.2"`, `0% packet loss`}},
		{name: "ping reply missing",
			console: cutLine(good, "icmp_seq=2 "),
			wantErr: []string{`icmp_seq=2`}},
		{name: "namespace not listed",
			console: strings.Replace(good, "$ ip netns list\ntest1\n", "$ ip netns list\n", 1),
			wantErr: []string{`step 2 "ip netns list"`}},
		{name: "namespace not deleted",
			console: strings.Replace(good, "$ ip netns list\n#", "$ ip netns list\ntest1\n#", 1),
			wantErr: []string{`step 4 "ip netns list"`, "must not appear"}},
		{name: "link not moved",
			console: strings.Replace(good, "link-netns test1\n$ ip netns exec test1 ip link\n",
				"link-netns test1\n2: veth-b@if3: <BROADCAST,MULTICAST> mtu 1500\n$ ip netns exec test1 ip link\n", 1),
			wantErr: []string{`step 13 "ip link"`, "veth-b"}},
		{name: "address not set",
			console: cutLine(good, "inet 192.168.1.2/24"),
			wantErr: []string{`step 25 "ip netns exec test1 ip a"`, `192\\.168\\.1\\.2/24`}},
		{name: "link not up",
			console: strings.Replace(good, "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode", "<BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode", 1),
			wantErr: []string{`step 20 "ip link"`, "UP,LOWER_UP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lab.Check([]byte(tt.console), lab.Steps())
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check() = nil, want an error with %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check() = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}

// cutLine removes the first line of s that contains sub.
func cutLine(s, sub string) string {
	i := strings.Index(s, sub)
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := i + strings.IndexByte(s[i:], '\n') + 1
	return s[:start] + s[end:]
}

// TestStepsCommands checks the lab's shape: every command is ip or ping, and
// the tutorial's key commands are there in its order.
func TestStepsCommands(t *testing.T) {
	var cmds []string
	for _, s := range lab.Steps() {
		if s.Args[0] != "ip" && s.Args[0] != "ping" {
			t.Errorf("step %q runs %s, want ip or ping", s.Command(), s.Args[0])
		}
		cmds = append(cmds, s.Command())
	}
	all := strings.Join(cmds, "\n")
	order := []string{"ip netns add test1", "ip netns exec test1 ip a", "ip link add veth-a type veth peer name veth-b",
		"ip link set veth-b netns test1", "ip addr add 192.168.1.1/24 dev veth-a",
		"ip netns exec test1 ip link set dev veth-b up", "ping -c 3 192.168.1.2"}
	at := 0
	for _, c := range order {
		i := strings.Index(all[at:], c)
		if i < 0 {
			t.Fatalf("Steps() lacks %q after position %d", c, at)
		}
		at += i + len(c)
	}
}
