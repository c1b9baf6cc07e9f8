package digest

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// dutchNumber is x with at most one decimal, without a trailing ",0":
// 62.5 → "62,5", 40 → "40", 7.0 → "7".
func dutchNumber(x float64) string {
	return strings.TrimSuffix(dutch.Decimal(x, 1), ",0")
}

// dutchPercent is a percentage (0..100) with at most one decimal: "62,5%".
func dutchPercent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "-"
	}
	return dutchNumber(p) + "%"
}

// lastDay is the last calendar day before an exclusive end t: a period that
// ends at midnight ended the day before.
func lastDay(t time.Time) time.Time {
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1)
	}
	return t
}

// daysBetween is the number of calendar days from the date of a to the date
// of b, each in its own location; negative when b is earlier.
func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// oneLine puts s on one line, collapsing runs of white space, and clips it to
// at most n runes ending in "…" when cut; n <= 0 keeps it whole.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
