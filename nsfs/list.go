package nsfs

import (
	"errors"
	"io/fs"
	"os"
)

// List returns the names in the run directory in raw readdir order, without
// "." and "..", as "ip netns list" prints them. It does not check that they
// are namespace files. A missing run directory gives nil, nil.
func (d Dirs) List() ([]string, error) {
	names, err := readNames(d.RunDir())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, &Error{Op: OpReadRun, Path: d.RunDir(), Err: err}
	}
	return names, nil
}

// readNames returns the entries of dir in readdir order. os.File.Readdirnames
// already leaves out "." and "..". Its errors are *fs.PathError values
// wrapping the errno, which os.NewSyscallError would wrap twice.
func readNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, unwrapPath(err)
	}
	return names, nil
}

// unwrapPath turns os's *fs.PathError{Op, Path, Err} into the
// *os.SyscallError the rest of the package uses, since *Error already
// carries the path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return os.NewSyscallError(pe.Op, pe.Err)
	}
	return err
}
