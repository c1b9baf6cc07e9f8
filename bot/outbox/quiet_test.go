package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

func obAmsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatalf("load Europe/Amsterdam: %v", err)
	}
	return loc
}

func TestParseQuietHours(t *testing.T) {
	loc := obAmsterdam(t)
	tests := []struct {
		in        string
		wantStart time.Duration
		wantEnd   time.Duration
		wantErr   bool
	}{
		{in: "21:00-08:00", wantStart: 21 * time.Hour, wantEnd: 8 * time.Hour},
		{in: "9:30-17:45", wantStart: 9*time.Hour + 30*time.Minute, wantEnd: 17*time.Hour + 45*time.Minute},
		{in: "00:00-23:59", wantEnd: 23*time.Hour + 59*time.Minute},
		{in: ""},
		{in: "off"},
		{in: "21:00", wantErr: true},
		{in: "21-08", wantErr: true},
		{in: "24:00-08:00", wantErr: true},
		{in: "21:00-08:60", wantErr: true},
		{in: "-1:00-08:00", wantErr: true},
		{in: "21:00-08:00x", wantErr: true},
		{in: "21:00-08:00,12:00-13:00", wantErr: true},
		{in: "21:00-08:00-09:00", wantErr: true},
		{in: "21:0-08:00", wantErr: true},
		{in: "nachts", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := outbox.ParseQuietHours(tt.in, loc)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if q.Start != tt.wantStart || q.End != tt.wantEnd || q.Loc != loc {
				t.Errorf("got %s-%s in %v, want %s-%s in %v", q.Start, q.End, q.Loc, tt.wantStart, tt.wantEnd, loc)
			}
		})
	}
}

func TestQuietHoursUntil(t *testing.T) {
	ams := obAmsterdam(t)
	night, err := outbox.ParseQuietHours("21:00-08:00", ams)
	if err != nil {
		t.Fatal(err)
	}
	lunch, err := outbox.ParseQuietHours("12:00-13:00", ams)
	if err != nil {
		t.Fatal(err)
	}
	off, err := outbox.ParseQuietHours("off", ams)
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, ams) }
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    outbox.QuietHours
		t    time.Time
		want time.Time // the zero time: t itself
	}{
		{name: "evening before the window", q: night, t: at(2026, 6, 10, 20, 59)},
		{name: "window starts", q: night, t: at(2026, 6, 10, 21, 0), want: at(2026, 6, 11, 8, 0)},
		{name: "late evening", q: night, t: at(2026, 6, 10, 22, 0), want: at(2026, 6, 11, 8, 0)},
		{name: "after midnight", q: night, t: at(2026, 6, 11, 0, 30), want: at(2026, 6, 11, 8, 0)},
		{name: "just before the end", q: night, t: at(2026, 6, 11, 7, 59).Add(59 * time.Second), want: at(2026, 6, 11, 8, 0)},
		{name: "window ends", q: night, t: at(2026, 6, 11, 8, 0)},
		{name: "midday", q: night, t: at(2026, 6, 11, 12, 0)},
		{name: "given in UTC", q: night, t: utc(2026, 1, 15, 20, 30), want: at(2026, 1, 16, 8, 0)},
		{name: "new year's eve", q: night, t: at(2026, 12, 31, 23, 0), want: at(2027, 1, 1, 8, 0)},
		// 2026-03-29 02:00 CET becomes 03:00 CEST: the night is an hour shorter
		{name: "spring forward, evening before", q: night, t: at(2026, 3, 28, 22, 0), want: utc(2026, 3, 29, 6, 0)},
		{name: "spring forward, before the jump", q: night, t: utc(2026, 3, 29, 0, 30), want: utc(2026, 3, 29, 6, 0)},
		{name: "spring forward, after the jump", q: night, t: utc(2026, 3, 29, 1, 30), want: utc(2026, 3, 29, 6, 0)},
		{name: "spring forward, morning", q: night, t: utc(2026, 3, 29, 6, 0)},
		{name: "spring forward, last quiet minute", q: night, t: utc(2026, 3, 29, 5, 59), want: utc(2026, 3, 29, 6, 0)},
		// 2026-10-25 03:00 CEST becomes 02:00 CET: 02:00-03:00 happens twice
		{name: "fall back, evening before", q: night, t: at(2026, 10, 24, 22, 0), want: utc(2026, 10, 25, 7, 0)},
		{name: "fall back, first 02:30", q: night, t: utc(2026, 10, 25, 0, 30), want: utc(2026, 10, 25, 7, 0)},
		{name: "fall back, second 02:30", q: night, t: utc(2026, 10, 25, 1, 30), want: utc(2026, 10, 25, 7, 0)},
		{name: "fall back, last quiet minute", q: night, t: utc(2026, 10, 25, 6, 59), want: utc(2026, 10, 25, 7, 0)},
		{name: "fall back, morning", q: night, t: utc(2026, 10, 25, 7, 0)},
		{name: "fall back, evening after", q: night, t: at(2026, 10, 25, 21, 30), want: at(2026, 10, 26, 8, 0)},
		{name: "same-day window, before", q: lunch, t: at(2026, 6, 10, 11, 59)},
		{name: "same-day window, start", q: lunch, t: at(2026, 6, 10, 12, 0), want: at(2026, 6, 10, 13, 0)},
		{name: "same-day window, inside", q: lunch, t: at(2026, 6, 10, 12, 45), want: at(2026, 6, 10, 13, 0)},
		{name: "same-day window, end", q: lunch, t: at(2026, 6, 10, 13, 0)},
		{name: "same-day window, night", q: lunch, t: at(2026, 6, 10, 23, 0)},
		{name: "off", q: off, t: at(2026, 6, 10, 23, 0)},
		{name: "no location", q: outbox.QuietHours{Start: 21 * time.Hour, End: 8 * time.Hour}, t: at(2026, 6, 10, 23, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want.IsZero() {
				want = tt.t
			}
			if got := tt.q.Until(tt.t); !got.Equal(want) {
				t.Errorf("got %v, want %v", got.In(ams), want.In(ams))
			}
		})
	}
}

// Quiet messages posted at night wait for the morning; others go at once.
func TestOutboxQuietHours(t *testing.T) {
	ams := obAmsterdam(t)
	night, err := outbox.ParseQuietHours("21:00-08:00", ams)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		at    time.Time
		quiet bool
		want  time.Time // when it is due; the zero time: at once
	}{
		{name: "invitation at 22:00", at: time.Date(2026, 5, 12, 22, 0, 0, 0, ams), quiet: true,
			want: time.Date(2026, 5, 13, 8, 0, 0, 0, ams)},
		{name: "invitation at 07:30", at: time.Date(2026, 5, 13, 7, 30, 0, 0, ams), quiet: true,
			want: time.Date(2026, 5, 13, 8, 0, 0, 0, ams)},
		{name: "invitation on the spring-forward night", at: time.Date(2026, 3, 28, 23, 0, 0, 0, ams), quiet: true,
			want: time.Date(2026, 3, 29, 8, 0, 0, 0, ams)},
		{name: "invitation at noon", at: time.Date(2026, 5, 13, 12, 0, 0, 0, ams), quiet: true},
		{name: "reply at 22:00", at: time.Date(2026, 5, 12, 22, 0, 0, 0, ams)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := obNewEnv(t)
			clock := obNewClock(tt.at)
			ch := &obChannel{limits: obFastLimits, now: clock.Now}
			cfg := outbox.Config{Quiet: night, Now: clock.Now}
			o := env.outbox([]bot.Channel{ch}, cfg)
			env.post(o, obMsg("1", "Uitnodiging"), bot.Post{Quiet: tt.quiet})
			env.run(o, cfg)
			if tt.want.IsZero() {
				testwait.For(t, 5*time.Second, "the message", func() bool { return len(ch.Sends()) == 1 })
				if got := ch.Sends()[0].At.Sub(tt.at); got > time.Minute {
					t.Errorf("sent %s after posting, want at once", got)
				}
				return
			}
			// a message posted after it, not quiet, shows the outbox has looked
			env.post(o, obMsg("2", "Bedankt"), bot.Post{})
			testwait.For(t, 5*time.Second, "the other message", func() bool {
				return len(ch.Sends()) == 1 && env.queued(obChannelName) == 1
			})
			if got := ch.Texts("1"); len(got) != 0 {
				t.Fatalf("got %q sent in quiet hours, want it held", got)
			}
			due, ok, err := env.store.NextDue(context.Background(), obChannelName)
			if err != nil || !ok || !due.Equal(tt.want) {
				t.Fatalf("got due %v (%v, %v), want %v", due.In(ams), ok, err, tt.want)
			}
			clock.Advance(tt.want.Sub(clock.Now()))
			testwait.For(t, 5*time.Second, "the morning send", func() bool { return len(ch.Texts("1")) == 1 })
			if got := ch.Sends()[1].At; got.Before(tt.want) {
				t.Errorf("sent at %v, want not before %v", got.In(ams), tt.want)
			}
		})
	}
}
