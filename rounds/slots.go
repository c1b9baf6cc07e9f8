package rounds

import (
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
	"github.com/robfig/cron/v3"
)

// Slots are computed on the local wall clock, not on instants. robfig/cron v3 run in
// Europe/Amsterdam skips a 02:30 job on the spring-forward night and fires it twice on
// the autumn night; evaluated on a wall clock without DST (local readings placed in
// UTC) every wall time exists exactly once. The round id is derived from the wall-clock
// slot, so a round opens once however often it is looked at.

// SlotFormat is how a slot appears in round ids: "20261025-0230".
const SlotFormat = "20060102-1504"

// Wall is the local wall-clock reading of t, as a UTC time.
func Wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// Instant maps a wall-clock slot to the real instant in loc. A slot inside the
// spring-forward gap (02:30) maps to the moment after the jump (03:30 CEST); an
// ambiguous autumn slot maps to its first occurrence (02:30 CEST, not CET).
func Instant(slot time.Time, loc *time.Location) time.Time {
	t := time.Date(slot.Year(), slot.Month(), slot.Day(), slot.Hour(), slot.Minute(), 0, 0, loc)
	// time.Date picks the later of two instants with the same wall reading (Go 1.26
	// gives 02:30 CET on 2026-10-25); try the offsets in force a day either side and
	// keep the earliest instant that reads as the slot.
	want := time.Date(slot.Year(), slot.Month(), slot.Day(), slot.Hour(), slot.Minute(), 0, 0, time.UTC)
	best := t
	for _, probe := range []time.Time{t.AddDate(0, 0, -1), t.AddDate(0, 0, 1)} {
		_, off := probe.Zone()
		u := want.Add(-time.Duration(off) * time.Second)
		if u.Before(best) && Wall(u, loc).Equal(want) {
			best = u
		}
	}
	return best.In(loc)
}

// dstMargin widens the look-back for slots: on a spring-forward day a round's close
// reads up to an hour later on the wall clock than slot plus duration. Two hours also
// covers the historical double summer time; older slots are filtered by their close.
const dstMargin = 2 * time.Hour

// LatestSlot is the latest opening slot of a survey at or before wall-clock now that may
// still be open (not older than the round's duration plus dstMargin); ok false if there
// is none.
func LatestSlot(s *surveys.Survey, now time.Time) (time.Time, bool, error) {
	sch := s.Schedule
	if sch.Cron == "" {
		if !sch.Opens.IsZero() && !sch.Opens.After(now) {
			return sch.Opens, true, nil
		}
		return time.Time{}, false, nil
	}
	spec, err := cron.ParseStandard(sch.Cron)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("survey %s: schedule %q: %w", s.ID, sch.Cron, err)
	}
	var last time.Time
	// walk forward from one duration (plus the DST margin) ago: any earlier slot is
	// closed; ensureRound drops a slot in the window whose round closed already.
	t := spec.Next(now.Add(-sch.Duration - dstMargin))
	for i := 0; !t.IsZero() && !t.After(now) && i < 200000; i++ {
		last = t
		t = spec.Next(t)
	}
	return last, !last.IsZero(), nil
}

// RoundID names the round of a survey for a wall-clock slot.
func RoundID(surveyID string, slot time.Time) string {
	return surveyID + "-" + slot.Format(SlotFormat)
}
