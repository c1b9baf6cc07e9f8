package bottest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// Request is one request the channel made of its platform, as the harness
// renders it: the call ("sendMessage", "POST /channels/{chat}/messages", "append")
// and its fields (form parameters, the top-level fields of a JSON body, "files"
// for the names of uploaded files joined by commas).
type Request struct {
	Call   string
	Fields map[string]string
}

func (r Request) String() string {
	keys := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(r.Call)
	for _, k := range keys {
		v := r.Fields[k]
		if len(v) > 120 {
			v = v[:60] + fmt.Sprintf("…(%d bytes)", len(v))
		}
		fmt.Fprintf(&b, " %s=%q", k, v)
	}
	return b.String()
}

// Absent, as the value of a wanted Request field, wants the field left out.
const Absent = "\x00absent"

// Outbound is one outbound case: a message and the requests it must make.
type Outbound struct {
	Name string
	// Message is sent to the harness's chat unless its To names one.
	Message bot.Message
	// Before are sent first (e.g. the message an edit refers to); their requests
	// are not compared. EditRef "{last}" in Message is replaced by Last.
	Before []bot.Message
	// Last is the message reference of the newest message, for "{last}".
	Last func(h Harness) string
	// Want are the requests Message makes, in order: each with the Call and the
	// fields given (JSON values compared as JSON, Any for any value, Absent for
	// none); fields not given are not compared.
	Want []Request
	// WantErr, when set, is the error Send must return (errors.Is); then the
	// channel must make no request at all.
	WantErr error
}

// RunOutbound sends each case's message and compares the requests it made.
func RunOutbound(t *testing.T, newHarness func(*testing.T) Harness, cases []Outbound) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			h := newHarness(t)
			for _, m := range tc.Before {
				if err := send(h, m); err != nil {
					t.Fatalf("send %q first: %v", m.Text, err)
				}
			}
			m := tc.Message
			if m.EditRef == "{last}" && tc.Last != nil {
				m.EditRef = tc.Last(h)
			}
			before := len(h.Requests())
			err := send(h, m)
			CheckNoSecrets(t, h, err)
			got := h.Requests()[before:]
			if tc.WantErr != nil {
				if !errors.Is(err, tc.WantErr) {
					t.Errorf("got error %v, want %v", err, tc.WantErr)
				}
				if len(got) != 0 {
					t.Errorf("got requests %v after a refused message, want none", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if len(got) != len(tc.Want) {
				t.Fatalf("got %d requests %v, want %d %v", len(got), got, len(tc.Want), tc.Want)
			}
			for i, w := range tc.Want {
				if d := diffRequest(got[i], w); d != "" {
					t.Errorf("request %d: got %v, want %v (%s)", i, got[i], w, d)
				}
			}
			if v := h.Violations(); len(v) != 0 {
				t.Errorf("the fake refused %q, want no limit broken", v)
			}
		})
	}
}

// diffRequest names the first wanted part of want that got does not have.
func diffRequest(got, want Request) string {
	if got.Call != want.Call {
		return fmt.Sprintf("call %q, want %q", got.Call, want.Call)
	}
	for k, w := range want.Fields {
		g, present := got.Fields[k]
		switch {
		case w == Absent:
			if present {
				return fmt.Sprintf("field %s present (%q), want none", k, g)
			}
		case !present:
			return fmt.Sprintf("field %s missing", k)
		case w == Any:
			if g == "" {
				return fmt.Sprintf("field %s is empty", k)
			}
		case !sameValue(g, w):
			return fmt.Sprintf("field %s: got %q, want %q", k, g, w)
		}
	}
	return ""
}

// sameValue compares two values as JSON when both are JSON objects or arrays,
// else as text.
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	ta, tb := strings.TrimSpace(a), strings.TrimSpace(b)
	if !(strings.HasPrefix(ta, "{") || strings.HasPrefix(ta, "[")) || !(strings.HasPrefix(tb, "{") || strings.HasPrefix(tb, "[")) {
		return false
	}
	var va, vb any
	if json.Unmarshal([]byte(ta), &va) != nil || json.Unmarshal([]byte(tb), &vb) != nil {
		return false
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}
