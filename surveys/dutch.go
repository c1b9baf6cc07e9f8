package surveys

import "time"

// DutchDate formats a date the Dutch way: "15 februari 2027".
func DutchDate(t time.Time) string { return dutchDate(t) }

// Maand is the Dutch name of a month, lowercase.
func Maand(m time.Month) string { return dutchMonths[m-1] }

// DutchInt formats n with a point between thousands: 1234567 → "1.234.567".
func DutchInt(n int64) string { return dutchInt(n) }

// DutchDecimal formats x with the given number of decimals, a decimal comma and
// points between thousands: 1234.56 with 1 decimal → "1.234,6".
func DutchDecimal(x float64, decimals int) string { return dutchDecimal(x, decimals) }

// Plural is "1 antwoord" or "40 antwoorden".
func Plural(n int64, one, many string) string { return plural(n, one, many) }

// DutchMedian formats a median of whole scale values: "7", or "7,5" between two.
func DutchMedian(x float64) string { return dutchMedian(x) }
