package rtnl_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readHex reads testdata/name: hex bytes, with '#' comment lines.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		sb.WriteString(strings.ReplaceAll(line, " ", ""))
	}
	b, err := hex.DecodeString(sb.String())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// maskSeq returns a copy of the message b with its sequence number and
// port id zeroed, as the builders leave them.
func maskSeq(b []byte) []byte {
	b = append([]byte(nil), b...)
	if len(b) >= 16 {
		clear(b[8:16])
	}
	return b
}

// hexLines formats b 16 bytes a line for diffs.
func hexLines(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); i += 16 {
		sb.WriteString(hex.EncodeToString(b[i:min(i+16, len(b))]))
		sb.WriteByte('\n')
	}
	return sb.String()
}
