package nsfs

// DefaultRunDir is the directory holding the namespace files, iproute2's
// NETNS_RUN_DIR on Debian and most distributions.
const DefaultRunDir = "/run/netns"

// DefaultEtcDir is the directory whose NAME subdirectory holds files bound
// over /etc inside namespace NAME, iproute2's NETNS_ETC_DIR.
const DefaultEtcDir = "/etc/netns"

// nameMax is NAME_MAX from <linux/limits.h>: the longest valid name.
const nameMax = 255

// Dirs names the directories nsfs works in. The zero value means
// DefaultRunDir and DefaultEtcDir; an empty field means its default.
type Dirs struct {
	Run string // the namespace files, such as /run/netns
	Etc string // the per-namespace /etc overlays, such as /etc/netns
}

// RunDir returns the run directory, d.Run or DefaultRunDir.
func (d Dirs) RunDir() string {
	if d.Run == "" {
		return DefaultRunDir
	}
	return d.Run
}

// EtcDir returns the etc directory, d.Etc or DefaultEtcDir.
func (d Dirs) EtcDir() string {
	if d.Etc == "" {
		return DefaultEtcDir
	}
	return d.Etc
}

// Path returns the file of namespace name, RUN_DIR/NAME. It does not check
// the name.
func (d Dirs) Path(name string) string { return d.RunDir() + "/" + name }
