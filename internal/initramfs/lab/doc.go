// Package lab is the seed lab (the network-namespace tutorial) as a list of
// commands with the output each must show, a runner that types them and
// writes a transcript, and a checker that reads the transcript back.
//
// # Transcript
//
// For each step the runner writes the prompt line "$ " and the command,
// then the command's combined output, then, if it failed, a line starting
// with "[failed: ". Lines starting with "# " are the runner's notes. The last
// line is the marker "RAWNS-LAB-END steps=N failed=M". The init program of
// the initramfs writes this transcript to the serial console; [Check] judges
// it, so neither the guest nor qemu's exit status has to be trusted.
//
// # Steps
//
// [Steps] are the tutorial's commands in its order, with two departures,
// each noted in its step: test1 is added again after the tutorial deletes
// it (the tutorial then goes on using it), and the interrupted ping is
// "ping -c 3". Two "ip a" steps at the end show the addresses, which the
// tutorial sets but never prints.
package lab
