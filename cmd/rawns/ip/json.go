package ip

import (
	"bufio"
	"strconv"
)

// jsonWriter is a streaming JSON writer that reproduces iproute2's
// lib/json_writer.c byte for byte: compact by default, and with pretty set
// a newline and four spaces per level before each member, "[ " and " ]"
// around arrays, and array elements kept on one line.
type jsonWriter struct {
	w      *bufio.Writer
	depth  int
	pretty bool
	sep    byte // 0 or ','
}

func (j *jsonWriter) eol() {
	if !j.pretty {
		return
	}
	j.w.WriteByte('\n')
	for i := 0; i < j.depth; i++ {
		j.w.WriteString("    ")
	}
}

func (j *jsonWriter) eor() {
	if j.sep != 0 {
		j.w.WriteByte(j.sep)
	}
	j.sep = ','
}

// puts writes s as a JSON string with jsonw_puts's escapes (C escapes,
// nothing for other control bytes or Unicode).
func (j *jsonWriter) puts(s string) {
	w := j.w
	w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t':
			w.WriteString(`\t`)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\f':
			w.WriteString(`\f`)
		case '\b':
			w.WriteString(`\b`)
		case '\\':
			w.WriteString(`\\`)
		case '"':
			w.WriteString(`\"`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte('"')
}

func (j *jsonWriter) begin(c byte) {
	j.eor()
	j.w.WriteByte(c)
	j.depth++
	j.sep = 0
}

func (j *jsonWriter) end(c byte) {
	j.depth--
	if j.sep != 0 {
		j.eol()
	}
	j.w.WriteByte(c)
	j.sep = ','
}

// name writes a member name; the value follows.
func (j *jsonWriter) name(key string) {
	j.eor()
	j.eol()
	j.sep = 0
	j.puts(key)
	j.w.WriteByte(':')
	if j.pretty {
		j.w.WriteByte(' ')
	}
}

func (j *jsonWriter) startObject() { j.begin('{') }
func (j *jsonWriter) endObject()   { j.end('}') }

func (j *jsonWriter) startArray() {
	j.begin('[')
	if j.pretty {
		j.w.WriteByte(' ')
	}
}

func (j *jsonWriter) endArray() {
	if j.pretty && j.sep != 0 {
		j.w.WriteByte(' ')
	}
	j.sep = 0
	j.end(']')
}

// value starts a value: its member name when key is not "", then the
// separator before it.
func (j *jsonWriter) value(key string) {
	if key != "" {
		j.name(key)
	}
	j.eor()
}

// str writes a string value (with its member name when key is not "").
func (j *jsonWriter) str(key, v string) {
	j.value(key)
	j.puts(v)
}

// int writes a signed number.
func (j *jsonWriter) int(key string, v int64) {
	j.value(key)
	var b [24]byte
	j.w.Write(strconv.AppendInt(b[:0], v, 10))
}

// uint writes an unsigned number.
func (j *jsonWriter) uint(key string, v uint64) {
	j.value(key)
	var b [24]byte
	j.w.Write(strconv.AppendUint(b[:0], v, 10))
}

// bool writes true or false.
func (j *jsonWriter) bool(key string, v bool) {
	j.value(key)
	if v {
		j.w.WriteString("true")
	} else {
		j.w.WriteString("false")
	}
}

// null writes null.
func (j *jsonWriter) null(key string) {
	j.value(key)
	j.w.WriteString("null")
}

// finish ends the document as jsonw_destroy does, with a newline.
func (j *jsonWriter) finish() { j.w.WriteByte('\n') }
