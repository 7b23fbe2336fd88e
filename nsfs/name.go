package nsfs

import "strings"

// NameError reports a namespace name that iproute2 refuses (see ValidName).
type NameError struct {
	// Name is the refused name, as given.
	Name string
}

// Error returns `nsfs: invalid namespace name "NAME"`.
func (e *NameError) Error() string { return `nsfs: invalid namespace name "` + e.Name + `"` }

// ValidName returns a *NameError when name is empty, longer than 255 bytes,
// contains '/', or is exactly "." or "..", and nil otherwise. Dots inside a
// name ("a.b") are fine. Every entry point that takes a name calls it before
// it touches anything, except Switch (see there).
func ValidName(name string) error {
	if name == "" || len(name) > nameMax || strings.IndexByte(name, '/') >= 0 || name == "." || name == ".." {
		return &NameError{Name: name}
	}
	return nil
}
