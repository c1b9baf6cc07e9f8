package outbox

import (
	"fmt"
	"strings"
	"time"
)

// QuietHours is a daily window, in local time, in which invitations and reminders are
// held back until the window ends. Start after End wraps midnight (21:00–08:00).
type QuietHours struct {
	Start, End time.Duration // offsets from local midnight
	Loc        *time.Location
}

// ParseQuietHours parses "21:00-08:00"; "" or "off" gives no quiet hours. Anything
// else, trailing text included, is an error, so a mistyped setting is not half read.
func ParseQuietHours(s string, loc *time.Location) (QuietHours, error) {
	q := QuietHours{Loc: loc}
	if s == "" || s == "off" {
		return q, nil
	}
	from, to, ok := strings.Cut(s, "-")
	start, err1 := time.Parse("15:04", from)
	end, err2 := time.Parse("15:04", to)
	if !ok || err1 != nil || err2 != nil {
		return q, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM, e.g. 21:00-08:00", s)
	}
	q.Start = time.Duration(start.Hour())*time.Hour + time.Duration(start.Minute())*time.Minute
	q.End = time.Duration(end.Hour())*time.Hour + time.Duration(end.Minute())*time.Minute
	return q, nil
}

// Until returns when a quiet message may go out at t: t itself outside the window,
// otherwise the end of the window (local wall clock, so DST-correct).
func (q QuietHours) Until(t time.Time) time.Time {
	if q.Start == q.End || q.Loc == nil {
		return t
	}
	lt := t.In(q.Loc)
	midnight := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, q.Loc)
	// the wall-clock reading, not the time elapsed since midnight, so DST days work
	of := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute +
		time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
	end := func(dayOffset int) time.Time {
		d := midnight.AddDate(0, 0, dayOffset)
		return time.Date(d.Year(), d.Month(), d.Day(), int(q.End/time.Hour), int(q.End%time.Hour/time.Minute), 0, 0, q.Loc)
	}
	if q.Start < q.End { // same-day window, e.g. 12:00-13:00
		if of >= q.Start && of < q.End {
			return end(0)
		}
		return t
	}
	switch { // window wraps midnight
	case of >= q.Start:
		return end(1)
	case of < q.End:
		return end(0)
	}
	return t
}
