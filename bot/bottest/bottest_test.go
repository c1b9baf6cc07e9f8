package bottest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{nil, Class{Kind: OK}},
		{fmt.Errorf("send: %w", &bot.RateLimitedError{RetryAfter: 3 * time.Second}), Class{Kind: RateLimited, RetryAfter: 3 * time.Second}},
		{fmt.Errorf("send: %w", bot.ErrRecipientGone), Class{Kind: Gone}},
		{fmt.Errorf("send: %w", bot.ErrPermanent), Class{Kind: Permanent}},
		{errors.New("connection reset"), Class{Kind: Temporary}},
	}
	for _, tc := range tests {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("%v: got %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestDiffRequest(t *testing.T) {
	got := Request{Call: "sendMessage", Fields: map[string]string{"text": "Hallo", "reply_markup": `{"a": [1, 2]}`, "chat_id": "5"}}
	tests := []struct {
		name string
		want Request
		ok   bool
	}{
		{"subset", Request{Call: "sendMessage", Fields: map[string]string{"text": "Hallo"}}, true},
		{"JSON compared as JSON", Request{Call: "sendMessage", Fields: map[string]string{"reply_markup": `{"a":[1,2]}`}}, true},
		{"any", Request{Call: "sendMessage", Fields: map[string]string{"chat_id": Any}}, true},
		{"absent", Request{Call: "sendMessage", Fields: map[string]string{"parse_mode": Absent}}, true},
		{"present but want absent", Request{Call: "sendMessage", Fields: map[string]string{"text": Absent}}, false},
		{"other call", Request{Call: "sendPhoto"}, false},
		{"other value", Request{Call: "sendMessage", Fields: map[string]string{"text": "Dag"}}, false},
		{"other JSON", Request{Call: "sendMessage", Fields: map[string]string{"reply_markup": `{"a":[2,1]}`}}, false},
		{"missing", Request{Call: "sendMessage", Fields: map[string]string{"caption": "x"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := diffRequest(got, tc.want); (d == "") != tc.ok {
				t.Errorf("got %q, want ok %v", d, tc.ok)
			}
		})
	}
}

func TestDiffEvent(t *testing.T) {
	got := bot.Event{Kind: bot.TextEvent, Channel: "web", UpdateID: "n1", UserID: "u", ChatID: "u", Text: "Hallo"}
	if d := diffEvent(got, bot.Event{Kind: bot.TextEvent, Channel: "web", UserID: Any, ChatID: Any, Text: "Hallo"}); d != "" {
		t.Errorf("matching event: got %q", d)
	}
	if d := diffEvent(got, bot.Event{Kind: bot.TextEvent, Channel: "web", UserID: Any, ChatID: Any, Text: "Dag"}); d == "" {
		t.Errorf("other text: got no difference")
	}
	got.UpdateID = ""
	if d := diffEvent(got, bot.Event{Kind: bot.TextEvent}); !strings.Contains(d, "UpdateID") {
		t.Errorf("empty update id: got %q, want it named", d)
	}
}

func TestTextOf(t *testing.T) {
	for _, l := range []bot.Limits{{Unit: bot.UTF16}, {Unit: bot.Runes}} {
		for _, n := range []int{1, 2, 99, 100, 101, 4097} {
			text := TextOf(l, n)
			if got := l.Len(text); got != n {
				t.Errorf("unit %v, %d: got %d units", l.Unit, n, got)
			}
			if n > 200 && (!strings.Contains(text, "🌳") || !strings.Contains(text, "één")) {
				t.Errorf("unit %v, %d: want emoji and diacritics in %q", l.Unit, n, text[:40])
			}
		}
	}
}
