package surveys

import "time"

// DutchDate formats a date the Dutch way: "15 februari 2027".
func DutchDate(t time.Time) string { return dutchDate(t) }

// Maand is the Dutch name of a month, lowercase.
func Maand(m time.Month) string { return dutchMonths[m-1] }
