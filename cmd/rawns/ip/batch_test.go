package ip

import (
	"strings"
	"testing"
)

// TestMakeArgs checks the batch line splitting against makeargs.
func TestMakeArgs(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string
	}{
		{"blank", " \t\r\n", nil},
		{"words", "link  set\tva up\n", []string{"link", "set", "va", "up"}},
		{"double quotes", `link set "v a" up`, []string{"link", "set", "v a", "up"}},
		{"single quotes", `addr add '10.0.0.1/24' dev x`, []string{"addr", "add", "10.0.0.1/24", "dev", "x"}},
		{"quote ends word", `"ab"cd e`, []string{"ab", "cd", "e"}},
		{"quote inside word", `ab"cd e`, []string{`ab"cd`, "e"}},
		{"empty quoted", `a "" b`, []string{"a", "", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := makeArgs(tt.line)
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("makeArgs(%q) = %q, %v, want %q", tt.line, got, err, tt.want)
			}
		})
	}
	if _, err := makeArgs(`a "b`); err == nil || err.Error() != "Unterminated quoted string" {
		t.Errorf(`makeArgs("a \"b") error = %v, want Unterminated quoted string`, err)
	}
}
