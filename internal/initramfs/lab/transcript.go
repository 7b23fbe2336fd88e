package lab

import "fmt"

// Prompt starts the line that shows a command in the transcript.
const Prompt = "$ "

// Marker starts the transcript's last line.
const Marker = "RAWNS-LAB-END"

// failedPrefix starts the line that follows the output of a failed command.
const failedPrefix = "[failed: "

// notePrefix starts a line of the runner's own.
const notePrefix = "# "

// markerLine returns the last line of a transcript.
func markerLine(steps, failed int) string {
	return fmt.Sprintf("%s steps=%d failed=%d", Marker, steps, failed)
}
