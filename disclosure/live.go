package disclosure

// Band rounds a count of an open round down to a multiple of the threshold:
// with 10, 0–9 gives 0, 10–19 gives 10. A live export shows bands only, and
// only of figures no single answer can move across a band on its own: the
// respondents and who completed (a new respondent may move them, which says
// nothing about what they answered). An option's count is never banded into a
// live export: when it crosses a band, the difference of two exports taken
// around that response names the option chosen. A threshold of 0 or less
// leaves n as it is.
func Band(n int64, threshold int) int64 {
	if threshold <= 0 || n <= 0 {
		return max(n, 0)
	}
	t := int64(threshold)
	return n / t * t
}
