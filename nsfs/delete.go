package nsfs

// Delete removes the name of a network namespace, as "ip netns delete"
// does: it detaches the bind mount (umount2 MNT_DETACH, whose failure is
// ignored) and unlinks RUN_DIR/NAME. A missing file is an *Error with Op
// OpRemoveFile. The namespace itself lives on while anything uses it.
func (d Dirs) Delete(name string) error {
	if err := ValidName(name); err != nil {
		return err
	}
	path := d.Path(name)
	if err := remove(path); err != nil {
		return &Error{Op: OpRemoveFile, Name: name, Path: path, Err: err}
	}
	return nil
}

// DeleteAll deletes every name in the run directory in readdir order and
// stops at the first failure, which it returns ("ip -all netns delete"
// prints it but still exits 0). A missing run directory deletes nothing.
func (d Dirs) DeleteAll() error {
	names, err := d.List()
	if err != nil {
		return err
	}
	for _, name := range names {
		path := d.Path(name)
		if err := remove(path); err != nil {
			return &Error{Op: OpRemoveFile, Name: name, Path: path, Err: err}
		}
	}
	return nil
}
