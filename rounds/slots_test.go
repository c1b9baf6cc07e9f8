package rounds

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatalf("load Europe/Amsterdam: %v", err)
	}
	return loc
}

// TestRobfigCronDST pins the behaviour of robfig/cron v3 that slots.go works around.
// Evaluated on times in Europe/Amsterdam, "30 2 * * *" (v3.0.1):
//   - on the spring-forward night (2026-03-29, 02:00 CET → 03:00 CEST) it SKIPS the day:
//     the next run after 2026-03-28 23:00 is 2026-03-30 02:30;
//   - on the fall-back night (2026-10-25, 03:00 CEST → 02:00 CET) it fires TWICE: at
//     02:30 CEST and again an hour later at 02:30 CET.
//
// If an upgrade changes this, this test fails; the wall-clock slots stay right either way.
func TestRobfigCronDST(t *testing.T) {
	loc := amsterdam(t)
	spec, err := cron.ParseStandard("30 2 * * *")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		from time.Time
		want []time.Time // the next runs, in order
	}{
		{"spring forward skips the night", time.Date(2026, 3, 28, 23, 0, 0, 0, loc), []time.Time{
			time.Date(2026, 3, 30, 0, 30, 0, 0, time.UTC), // 02:30 CEST on the 30th
		}},
		{"fall back fires twice", time.Date(2026, 10, 24, 23, 0, 0, 0, loc), []time.Time{
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // 02:30 CEST
			time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), // 02:30 CET, the same wall time
			time.Date(2026, 10, 26, 1, 30, 0, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.from
			for i, want := range tt.want {
				at = spec.Next(at)
				if !at.Equal(want) {
					t.Fatalf("run %d: got %v, want %v", i+1, at, want.In(loc))
				}
			}
		})
	}
}

// TestInstant checks how a wall-clock slot maps to an instant on the DST nights.
func TestInstant(t *testing.T) {
	loc := amsterdam(t)
	tests := []struct {
		name string
		slot time.Time
		want time.Time
	}{
		{"winter", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)},
		{"summer", time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC)},
		{"spring gap moves past the jump", time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC),
			time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)}, // 03:30 CEST
		{"fall back takes the first 02:30", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC),
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)}, // 02:30 CEST
		{"fall back takes the first 02:00", time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC),
			time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)}, // 02:00 CEST
		{"after the repeated hour", time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC),
			time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC)}, // 03:00 CET
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Instant(tt.slot, loc); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want.In(loc))
			}
		})
	}
}
