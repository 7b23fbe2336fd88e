package ip

import (
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// TestMain runs the tests in a sandbox (internal/sandbox): a fresh network
// namespace and a private mount namespace with its own /run.
func TestMain(m *testing.M) { sandbox.Main(m) }
