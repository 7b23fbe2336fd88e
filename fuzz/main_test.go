package fuzz_test

import (
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

// TestMain runs the tests in a sandbox, for FuzzConnGet, which talks to the
// kernel.
func TestMain(m *testing.M) { sandbox.Main(m) }
