package ip

// words is a cursor over command-line words, in the manner of iproute2's
// NEXT_ARG: it never panics, and running out of words is an error the caller
// reports.
type words struct {
	w []string
	i int
}

// more reports whether words remain.
func (a *words) more() bool { return a.i < len(a.w) }

// peek returns the current word, or "" when none remain.
func (a *words) peek() string {
	if a.i < len(a.w) {
		return a.w[a.i]
	}
	return ""
}

// next returns the current word and advances.
func (a *words) next() (string, bool) {
	if a.i >= len(a.w) {
		return "", false
	}
	s := a.w[a.i]
	a.i++
	return s, true
}

// value returns the word after a keyword, or iproute2's incomplete-command
// error when there is none.
func (a *words) value() (string, error) {
	s, ok := a.next()
	if !ok {
		return "", errIncomplete()
	}
	return s, nil
}

// rest returns the words not consumed yet.
func (a *words) rest() []string { return a.w[a.i:] }

// matches reports whether arg is a non-empty prefix of keyword, as
// iproute2's matches() does.
func matches(arg, keyword string) bool {
	return len(arg) > 0 && len(arg) <= len(keyword) && keyword[:len(arg)] == arg
}
