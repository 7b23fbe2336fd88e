package ip

// exitError is a failure that ends a command with iproute2's message and exit
// status. Only main turns it into an exit.
type exitError struct {
	code int    // process exit status
	msg  string // printed to stderr with a newline, unless empty
}

func (e *exitError) Error() string { return e.msg }

// Exit statuses as iproute2 uses them.
const (
	exitFail   = 1   // a handler failed: Cannot find device, bad prefix...
	exitKernel = 2   // the kernel rejected the request
	exitUsage  = 255 // exit(-1): usage and parse errors
)

// usageErr returns a command-line error (exit 255).
func usageErr(msg string) error { return &exitError{code: exitUsage, msg: msg} }

// failErr returns a handler failure (exit 1).
func failErr(msg string) error { return &exitError{code: exitFail, msg: msg} }

// errIncomplete is iproute2's incomplete_command().
func errIncomplete() error {
	return usageErr(`Command line is not complete. Try option "help"`)
}

// errInvArg is iproute2's invarg(): `Error: argument "ARG" is wrong: MSG`.
func errInvArg(msg, arg string) error {
	return usageErr(`Error: argument "` + arg + `" is wrong: ` + msg)
}

// errDupArg is iproute2's duparg().
func errDupArg(key, arg string) error {
	return usageErr(`Error: duplicate "` + key + `": "` + arg + `" is the second value.`)
}

// errDupArg2 is iproute2's duparg2().
func errDupArg2(key, arg string) error {
	return usageErr(`Error: either "` + key + `" is duplicate, or "` + arg + `" is a garbage.`)
}
