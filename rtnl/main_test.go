package rtnl_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

func TestMain(m *testing.M) {
	skipExamplesUnprivileged()
	sandbox.Main(m)
}

// skipExamplesUnprivileged adds the Examples to -test.skip when the tests
// run without root outside CI: sandbox.Main then runs them on the host,
// where they cannot make namespaces and links, and an Example cannot skip
// itself as a test calling sandbox.Require does. In CI (CI=true) they run
// and fail, as Require makes tests fail there.
func skipExamplesUnprivileged() {
	if os.Geteuid() == 0 || os.Getenv("CI") == "true" {
		return
	}
	flag.Parse()
	skip := flag.Lookup("test.skip").Value.String()
	switch {
	case skip == "":
		skip = "^Example"
	case !strings.Contains(skip, "/"):
		skip += "|^Example"
	}
	flag.Set("test.skip", skip)
}
