package lab

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// StepTimeout bounds one command of the lab.
const StepTimeout = 30 * time.Second

// WaitUpTimeout bounds the wait of a Step's WaitUp. linkwatch runs within a
// second of a carrier change; the rest is slack for a slow emulated CPU.
const WaitUpTimeout = 10 * time.Second

// Run runs steps one after the other, as a person at a shell would, and
// writes the transcript to w (see the package doc). Commands are found
// through $PATH, get no standard input, and share one pipe for standard
// output and error, so their lines keep their order. A step's output is
// written when the step ends. Run returns the number of steps that failed;
// it goes on after a failure, so the transcript shows every step.
func Run(ctx context.Context, w io.Writer, steps []Step) (failed int) {
	start := time.Now()
	for _, s := range steps {
		if s.Note != "" {
			fmt.Fprintf(w, "%s%s\n", notePrefix, s.Note)
		}
		if s.WaitUp != "" {
			t := time.Now()
			if err := WaitOperUp(ctx, s.WaitUp, WaitUpTimeout); err != nil {
				fmt.Fprintf(w, "%swait for %s: %v\n", notePrefix, s.WaitUp, err)
			} else {
				fmt.Fprintf(w, "%s%s up after %v\n", notePrefix, s.WaitUp, time.Since(t).Round(time.Millisecond))
			}
		}
		out, err := runStep(ctx, s)
		fmt.Fprintf(w, "%s%s\n", Prompt, s.Command())
		w.Write(out)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			io.WriteString(w, "\n")
		}
		if err != nil {
			failed++
			fmt.Fprintf(w, "%s%v]\n", failedPrefix, err)
		}
	}
	fmt.Fprintf(w, "%slab took %v\n", notePrefix, time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(w, markerLine(len(steps), failed))
	return failed
}

// runStep runs one command and returns its combined output.
func runStep(ctx context.Context, s Step) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.Args[0], s.Args[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	return out.Bytes(), err
}
