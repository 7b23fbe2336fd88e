package bench_test

import (
	"testing"

	"github.com/rawns/rawns/bench"
	"github.com/rawns/rawns/internal/sandbox"
)

func TestMain(m *testing.M) { sandbox.Main(m) }

// Sinks keep the compiler from discarding the work of a benchmark.
var (
	sinkBytes []byte
	sinkInt   int
)

// cpuClock measures the process CPU time of a benchmark's timed loop.
type cpuClock struct{ start int64 }

// startCPU reads the CPU clock before the timed loop of b.
func startCPU(b *testing.B) cpuClock {
	b.Helper()
	b.ReportAllocs()
	d, err := bench.CPUTime()
	if err != nil {
		b.Fatal(err)
	}
	return cpuClock{int64(d)}
}

// stop reports the cpu-ns/op metric: CPU time used since startCPU over b.N.
func (c cpuClock) stop(b *testing.B) {
	b.Helper()
	d, err := bench.CPUTime()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(int64(d)-c.start)/float64(b.N), "cpu-ns/op")
}
