package ip

import (
	"bufio"
	"strconv"
)

// printer writes show output either as text or as JSON, the way iproute2's
// print_* helpers (lib/json_print.c) do: each value has a JSON key and a
// text form, and some parts exist only in one of them.
type printer struct {
	w  *bufio.Writer
	j  *jsonWriter // nil for text
	sl string      // what print_nl writes: "\n", or "\\" with -oneline
}

func newPrinter(e *env) *printer {
	p := &printer{w: e.stdout, sl: "\n"}
	if e.opts.oneline {
		p.sl = `\`
	}
	if e.opts.json {
		p.j = &jsonWriter{w: e.stdout, pretty: e.opts.pretty}
	}
	return p
}

// json reports whether the output is JSON.
func (p *printer) json() bool { return p.j != nil }

// nl is print_nl: the record separator in text, nothing in JSON.
func (p *printer) nl() {
	if p.j == nil {
		p.w.WriteString(p.sl)
	}
}

// text writes s in text mode only (PRINT_FP).
func (p *printer) text(s string) {
	if p.j == nil {
		p.w.WriteString(s)
	}
}

// str is print_string(PRINT_ANY, key, pre+"%s"+post, v).
func (p *printer) str(key, pre, v, post string) {
	if p.j != nil {
		p.j.str(key, v)
		return
	}
	p.w.WriteString(pre)
	p.w.WriteString(v)
	p.w.WriteString(post)
}

// int is print_int(PRINT_ANY, key, pre+"%d"+post, v).
func (p *printer) int(key, pre string, v int64, post string) {
	if p.j != nil {
		p.j.int(key, v)
		return
	}
	var b [24]byte
	p.w.WriteString(pre)
	p.w.Write(strconv.AppendInt(b[:0], v, 10))
	p.w.WriteString(post)
}

// uint is print_uint(PRINT_ANY, key, pre+"%u"+post, v).
func (p *printer) uint(key, pre string, v uint64, post string) {
	if p.j != nil {
		p.j.uint(key, v)
		return
	}
	var b [24]byte
	p.w.WriteString(pre)
	p.w.Write(strconv.AppendUint(b[:0], v, 10))
	p.w.WriteString(post)
}

// jsonOnly returns the JSON writer when the output is JSON, for values
// iproute2 prints only there (PRINT_JSON).
func (p *printer) jsonOnly() *jsonWriter { return p.j }

// openObject and closeObject are open_json_object(NULL) and
// close_json_object: JSON only.
func (p *printer) openObject() {
	if p.j != nil {
		p.j.startObject()
	}
}

func (p *printer) closeObject() {
	if p.j != nil {
		p.j.endObject()
	}
}

// openArray is open_json_array(PRINT_ANY, key-or-text).
func (p *printer) openArray(key, text string) {
	if p.j != nil {
		p.j.name(key)
		p.j.startArray()
		return
	}
	p.w.WriteString(text)
}

// closeArray is close_json_array(PRINT_ANY, text).
func (p *printer) closeArray(text string) {
	if p.j != nil {
		p.j.endArray()
		return
	}
	p.w.WriteString(text)
}

// begin and end are new_json_obj and delete_json_obj: the outer array of a
// JSON listing.
func (p *printer) begin() {
	if p.j != nil {
		p.j.startArray()
	}
}

func (p *printer) end() {
	if p.j != nil {
		p.j.endArray()
		p.j.finish()
	}
}

// pad returns s padded with spaces to width, as printf's %-Ns does.
func pad(s string, width int) string {
	for len(s) < width {
		s += " "
	}
	return s
}
