package bot

import (
	"strings"
	"unicode/utf8"
)

// Split cuts text into parts of at most max characters, at a line break where one
// falls in the second half of a part, so a long results message stays readable on
// platforms with a length limit.
func Split(text string, max int) []string {
	var parts []string
	for utf8.RuneCountInString(text) > max {
		cut := byteIndex(text, max)
		if nl := strings.LastIndex(text[:cut], "\n"); nl > cut/2 {
			cut = nl + 1
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	return append(parts, text)
}

// Clip shortens text to at most max characters, ending in "…" when cut.
func Clip(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	return text[:byteIndex(text, max-1)] + "…"
}

// byteIndex is the byte offset of the n-th rune.
func byteIndex(s string, n int) int {
	i := 0
	for j := range s {
		if i == n {
			return j
		}
		i++
	}
	return len(s)
}
