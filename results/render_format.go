package results

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// lastDay is the last calendar day a round closing at t was open: a round that
// closes at midnight was last open the day before.
func lastDay(t time.Time) time.Time {
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1)
	}
	return t
}

// bar is a ten-block text bar for a percentage: 45 → "█████░░░░░" (rounded).
func bar(p float64) string {
	filled := int(math.Round(p / 10))
	filled = max(0, min(10, filled))
	return strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
}

// clip shortens s to at most n runes, ending in "…" when cut, and puts it on one
// line; n <= 0 keeps s whole (but still on one line).
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// padRight pads s with spaces to width runes.
func padRight(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
