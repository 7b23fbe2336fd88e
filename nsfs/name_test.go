package nsfs_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/ipmsg"
	"github.com/rawns/rawns/internal/sandbox"
	"github.com/rawns/rawns/nsfs"
)

var badNames = []struct{ name, in string }{
	{"slash", "a/b"},
	{"dot", "."},
	{"dotdot", ".."},
	{"empty", ""},
	{"256 bytes", strings.Repeat("a", 256)},
	{"escape", "../../etc"},
}

func TestValidName(t *testing.T) {
	for _, c := range badNames {
		t.Run(c.name, func(t *testing.T) {
			err := nsfs.ValidName(c.in)
			var ne *nsfs.NameError
			if !errors.As(err, &ne) || ne.Name != c.in {
				t.Fatalf("ValidName(%q) = %v, want *NameError for it", c.in, err)
			}
			if want := `Invalid netns name "` + c.in + `"`; ipmsg.NetnsName(ne) != want {
				t.Errorf("ipmsg.NetnsName(ValidName(%q)) = %q, want %q", c.in, ipmsg.NetnsName(ne), want)
			}
		})
	}
	for _, good := range []string{"a", "a.b", "..a", "a..", strings.Repeat("z", 255), "-x", "x y"} {
		if err := nsfs.ValidName(good); err != nil {
			t.Errorf("ValidName(%q) = %v, want nil", good, err)
		}
	}
}

// TestIntegrationBadNames proves every entry point that takes a name refuses
// the bad ones before it touches anything: no run directory, no /etc file,
// no mount appears.
func TestIntegrationBadNames(t *testing.T) {
	sandbox.Require(t)
	d := nsfs.Dirs{Run: "/run/badnames/netns", Etc: "/run/badnames/etc"}
	before := mountpoints(t)
	ops := []struct {
		op string
		f  func(name string) error
	}{
		{"Add", d.Add},
		{"Attach", func(n string) error { return d.Attach(n, os.Getpid()) }},
		{"Delete", d.Delete},
		{"Pids", func(n string) error { _, err := d.Pids(n); return err }},
		{"Exec", func(n string) error { return d.Exec(n, []string{"true"}, nil, nil) }},
	}
	for _, c := range badNames {
		for _, o := range ops {
			t.Run(c.name+"/"+o.op, func(t *testing.T) {
				var ne *nsfs.NameError
				if err := o.f(c.in); !errors.As(err, &ne) {
					t.Errorf("%s(%q) = %v, want *NameError", o.op, c.in, err)
				}
			})
		}
	}
	if _, err := os.Lstat("/run/badnames"); !os.IsNotExist(err) {
		t.Errorf("lstat /run/badnames = %v, want not exist", err)
	}
	after := mountpoints(t)
	if len(after) != len(before) {
		t.Errorf("mount points: %d before, %d after", len(before), len(after))
	}
	// The same names with the real ip: it refuses them too (rc 255).
	for _, c := range badNames[:4] {
		r := ip(t, "netns", "add", c.in)
		if want := `Invalid netns name "` + c.in + `"` + "\n"; r.code != 255 || r.stderr != want {
			t.Errorf("ip netns add %q = %d %q, want 255 %q", c.in, r.code, r.stderr, want)
		}
	}
}
