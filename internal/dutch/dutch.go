// Package dutch formats numbers, dates and counted nouns the Dutch way, for every text a
// resident, organiser or the stuurgroep reads: a decimal comma, a point between
// thousands, whole percentages, Dutch month and day names. It also folds the letters
// with diacritics to ASCII (Fold), for ids and for matching words.
package dutch

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var months = [...]string{"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"}

var days = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// Month is the Dutch name of a month, lowercase: "februari".
func Month(m time.Month) string { return months[m-1] }

// Weekday is the Dutch name of a day of the week, lowercase: "dinsdag".
func Weekday(d time.Weekday) string { return days[d] }

// Int formats n with a point between thousands: 1234567 → "1.234.567".
func Int(n int64) string {
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

// Decimal formats x with the given number of decimals, a decimal comma and points
// between thousands: 1234.56 with 1 decimal → "1.234,6"; NaN and ±Inf are "-".
func Decimal(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	scale := math.Pow(10, float64(decimals))
	x = math.Round(x*scale) / scale
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Int(n)
	if frac != "" {
		out += "," + frac
	}
	if x < 0 {
		out = "-" + out
	}
	return out
}

// Median formats a median of whole scale values: "7", or "7,5" between two.
func Median(x float64) string {
	if x == math.Trunc(x) {
		return Decimal(x, 0)
	}
	return Decimal(x, 1)
}

// Percent formats a percentage (0..100) rounded to a whole number: "32%".
func Percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return "-"
	}
	return Int(int64(math.Round(p))) + "%"
}

// Date formats the calendar date of t in its own location: "15 februari 2027".
func Date(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + Month(t.Month()) + " " + strconv.Itoa(t.Year())
}

// DateTime formats t as "1 maart 2027, 09:00" in its own location.
func DateTime(t time.Time) string {
	return fmt.Sprintf("%s, %02d:%02d", Date(t), t.Hour(), t.Minute())
}

// Plural is the count with the singular or plural noun: Plural(1, "antwoord",
// "antwoorden") → "1 antwoord", Plural(1200, …) → "1.200 antwoorden".
func Plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Int(n) + " " + many
}

// foldTable maps the lowercase letters with diacritics used in Dutch (and its
// neighbours) to ASCII.
var foldTable = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae",
	'ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y",
	'ß': "ss", 'ĳ': "ij",
}

// Fold is the ASCII spelling of a lowercase letter with a diacritic ("é" → "e",
// "ĳ" → "ij"); ok is false for every other rune, which keeps its own spelling.
func Fold(r rune) (s string, ok bool) {
	s, ok = foldTable[r]
	return s, ok
}

// And writes a list the Dutch way: "a, b en c".
func And(items []string) string { return joinLast(items, " en ") }

// Or writes a list of choices the Dutch way: "a, b of c".
func Or(items []string) string { return joinLast(items, " of ") }

func joinLast(items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}
