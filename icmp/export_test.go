package icmp

// BPFFilter exposes bpfFilter to the tests.
var BPFFilter = bpfFilter
