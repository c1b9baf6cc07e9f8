package bottest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// Inbound is one inbound case: a platform payload and the event it must become.
type Inbound struct {
	Name string
	// Payload is the platform's payload as the fake delivers it (a Telegram
	// Update, a Discord interaction, a web form), usually read from testdata.
	Payload string
	// Want is the event; nil when the channel must pass nothing on (a group
	// chat, a bot, a message type the bot does not take). Fields set to Any
	// match any value that is not empty; UpdateID must never be empty; a zero At
	// matches any.
	Want *bot.Event
}

// recorder is the Handler of inbound cases.
type recorder struct {
	mu     sync.Mutex
	events []bot.Event
}

func (r *recorder) Handle(_ context.Context, ev bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return nil
}

func (r *recorder) seen() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// RunInbound delivers each case's payload to a running channel and compares the
// event it hands to the engine. A case that wants no event is followed by probe,
// whose event must then be the first one.
func RunInbound(t *testing.T, newHarness func(*testing.T) Harness, cases []Inbound, probe Inbound) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			h := newHarness(t)
			rec := &recorder{}
			h.Start(t, rec)
			h.Deliver(t, tc.Payload)
			want := tc.Want
			if want == nil {
				if probe.Want == nil {
					t.Fatal("suite has no probe: a payload that becomes an event")
				}
				h.Deliver(t, probe.Payload)
				want = probe.Want
			}
			testwait.Until(t, 5*time.Second, "the event", func() (bool, string) {
				got := rec.seen()
				return len(got) > 0, fmt.Sprintf("events %+v", got)
			})
			got := rec.seen()[0]
			if d := diffEvent(got, *want); d != "" {
				what := "event"
				if tc.Want == nil {
					what = "first event (want none before the probe's)"
				}
				t.Errorf("%s: got %+v, want %+v (%s)", what, got, *want, d)
			}
			CheckNoSecrets(t, h, nil)
		})
	}
}

// diffEvent names the first field of got that want does not match; "" when all do.
func diffEvent(got, want bot.Event) string {
	if got.UpdateID == "" {
		return "UpdateID is empty"
	}
	if want.UpdateID == "" {
		want.UpdateID = Any
	}
	if want.At.IsZero() {
		want.At = got.At // the platform's time, which a fake makes up: checked by each channel's own tests
	}
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range g.NumField() {
		gf, wf := g.Field(i), w.Field(i)
		if wf.Kind() == reflect.String && wf.String() == Any {
			if gf.String() == "" {
				return g.Type().Field(i).Name + " is empty"
			}
			continue
		}
		if !reflect.DeepEqual(gf.Interface(), wf.Interface()) {
			return fmt.Sprintf("%s: got %v, want %v", g.Type().Field(i).Name, gf.Interface(), wf.Interface())
		}
	}
	return ""
}
