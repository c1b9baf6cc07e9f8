package surveys

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Dutch formatting of numbers and dates for the text renderings: a decimal comma,
// a point between thousands, whole percentages and Dutch month names.

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"}

// dutchInt formats n with a point between thousands: 1234567 → "1.234.567".
func dutchInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dutchDecimal formats x with the given number of decimals and a decimal comma:
// 7.36 with 1 decimal → "7,4".
func dutchDecimal(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	scale := math.Pow(10, float64(decimals))
	x = math.Round(x*scale) / scale
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := dutchInt(n)
	if frac != "" {
		out += "," + frac
	}
	if x < 0 {
		out = "-" + out
	}
	return out
}

// dutchMedian is a median of whole scale values: "7", or "7,5" between two.
func dutchMedian(x float64) string {
	if x == math.Trunc(x) {
		return dutchDecimal(x, 0)
	}
	return dutchDecimal(x, 1)
}

// dutchPercent formats a percentage (0..100) rounded to a whole number: "32%".
func dutchPercent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "-"
	}
	return dutchInt(int64(math.Round(p))) + "%"
}

// dutchDate formats the calendar date of t in its own location: "15 februari 2027".
func dutchDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + dutchMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// lastDay is the last calendar day a round closing at t was open: a round that
// closes at midnight was last open the day before.
func lastDay(t time.Time) time.Time {
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1)
	}
	return t
}

// plural picks the singular or plural noun for n: plural(1, "antwoord",
// "antwoorden") → "1 antwoord".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return dutchInt(n) + " " + many
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
