package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split cuts text into parts of at most max characters (runes); see SplitBy.
func Split(text string, max int) []string {
	return SplitBy(text, max, nil)
}

// Clip shortens text to at most max characters, ending in "…" when cut.
func Clip(text string, max int) string {
	return ClipBy(text, max, nil)
}

// SplitBy cuts text into parts of at most max units of length (nil: runes), so a
// long results message stays readable on platforms with a length limit. A part
// ends at a line break where one falls in its second half, else at a space there,
// else where the limit falls; never inside a character, nor between a letter and
// the accent or emoji modifier that belongs to it.
func SplitBy(text string, max int, length func(string) int) []string {
	var parts []string
	for {
		cut := fit(text, max, length)
		if cut == len(text) {
			return append(parts, text)
		}
		if nl := strings.LastIndexByte(text[:cut], '\n'); nl > cut/2 {
			cut = nl + 1
		} else if sp := strings.LastIndexByte(text[:cut], ' '); sp > cut/2 {
			cut = sp + 1
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
}

// ClipBy shortens text to at most max units of length (nil: runes), ending in "…"
// when cut.
func ClipBy(text string, max int, length func(string) int) string {
	if fit(text, max, length) == len(text) {
		return text
	}
	const ellipsis = "…"
	return text[:fit(text, max-unitsOf(ellipsis, length), length)] + ellipsis
}

// fit is the byte length of the longest prefix of text within max units that
// does not end inside a character sequence (joined); at least one character when
// text is not empty, so that splitting always moves on.
func fit(text string, max int, length func(string) int) int {
	used, end := 0, 0
	for end < len(text) {
		_, size := utf8.DecodeRuneInString(text[end:])
		if used += unitsOf(text[end:end+size], length); used > max {
			break
		}
		end += size
	}
	if end == len(text) {
		return end
	}
	// step back over what binds to the character after the cut
	b := end
	for b > 0 {
		prev, size := utf8.DecodeLastRuneInString(text[:b])
		next, _ := utf8.DecodeRuneInString(text[b:])
		if !joined(prev, next) {
			break
		}
		b -= size
	}
	if b > 0 {
		end = b
	} // else one long sequence: cut it where the limit fell
	if end == 0 && text != "" {
		_, end = utf8.DecodeRuneInString(text)
	}
	return end
}

// joined reports whether next belongs to the character before it: a combining
// accent (a Dutch "ë" written as e + U+0308), a zero-width joiner sequence or
// variation selector (emoji such as 👩‍👧), or a skin-tone modifier.
func joined(prev, next rune) bool {
	switch {
	case prev == '\u200d', next == '\u200d':
		return true
	case next >= '\ufe00' && next <= '\ufe0f':
		return true
	case next >= 0x1f3fb && next <= 0x1f3ff:
		return true
	}
	return unicode.Is(unicode.Mn, next) || unicode.Is(unicode.Me, next)
}

func unitsOf(s string, length func(string) int) int {
	if length == nil {
		return utf8.RuneCountInString(s)
	}
	return length(s)
}
