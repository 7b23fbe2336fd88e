package fuzz_test

import (
	"bytes"
	"testing"

	"github.com/rawns/rawns/rtnl"
)

// TestBuilderLengthOverflow checks what the builders do at the edge of
// nla_len (16 bits): an attribute of 65531 bytes of data is the largest
// that fits, and must come back whole; a larger one cannot be encoded, and
// whatever the builder then writes must not decode as something else. The
// fuzz targets stay below this range (maxFieldBytes).
func TestBuilderLengthOverflow(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"largest", 0xffff - 4},
		{"one too many", 0xffff - 3},
		{"wraps to 4468", 70000},
	} {
		data := bytes.Repeat([]byte{0x08, 0x00, 0x03, 0x00}, tc.n/4+1)[:tc.n] // looks like attributes inside
		b := rtnl.AppendAttr(nil, 3, data)
		got, err := rtnlAttrs(b)
		switch {
		case err != nil:
			if tc.n <= 0xffff-4 {
				t.Errorf("%s: AppendAttr(%d bytes) does not decode: %v", tc.name, tc.n, err)
			}
		case len(got) != 1 || !bytes.Equal(got[0].data, data):
			t.Errorf("%s: AppendAttr(%d bytes) decodes as %d attributes, the first of %d bytes, want the one attribute or an error: an oversized nla_len wraps silently",
				tc.name, tc.n, len(got), len(got[0].data))
		}
	}
}
