package rtnl_test

import (
	"testing"

	"github.com/rawns/rawns/internal/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.Main(m)
}
