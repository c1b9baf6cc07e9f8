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
// ends where it reads best (breakAt): after a paragraph, else at a line break,
// else between words; only a word longer than a whole part is cut inside, and
// never inside a character, nor between a letter and the accent or emoji
// modifier that belongs to it. The parts joined are the text.
func SplitBy(text string, max int, length func(string) int) []string {
	var parts []string
	for {
		cut := fit(text, max, length)
		if cut == len(text) {
			return append(parts, text)
		}
		cut = breakAt(text, cut)
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
}

// breakAt is where a part of text that may take at most its first cut bytes
// ends, in this order: after the last blank line (the end of a paragraph, such
// as a question of the results) unless that leaves less than a quarter of the
// room used; after the last line break in the second half; at cut itself when a
// space follows it; after the last space in the second half; after the last line
// break or space at all, since a short part reads better than a word cut in two;
// and only then, within a word longer than the part, at cut. A part never holds
// only spaces, which a platform would refuse as an empty message.
func breakAt(text string, cut int) int {
	head := text[:cut]
	ok := func(q int) bool { return q > 0 && strings.TrimSpace(head[:q]) != "" }
	if p := strings.LastIndex(head, "\n\n"); p >= 0 && p+2 > cut/4 && ok(p+2) {
		return p + 2
	}
	nl := strings.LastIndexByte(head, '\n') + 1
	if nl > cut/2 && ok(nl) {
		return nl
	}
	if r, _ := utf8.DecodeRuneInString(text[cut:]); unicode.IsSpace(r) && ok(cut) {
		return cut
	}
	sp := strings.LastIndexFunc(head, unicode.IsSpace) + 1
	if sp > cut/2 && ok(sp) {
		return sp
	}
	if q := max(nl, sp); ok(q) {
		return q
	}
	return cut
}

// ClipBy shortens text to at most max units of length (nil: runes), ending in "…"
// when cut. The cut falls between words ("ziet u de…", never "ziet u de uits…");
// only a first word longer than max is cut inside.
func ClipBy(text string, max int, length func(string) int) string {
	if fit(text, max, length) == len(text) {
		return text
	}
	const ellipsis = "…"
	cut := fit(text, max-unitsOf(ellipsis, length), length)
	before, _ := utf8.DecodeLastRuneInString(text[:cut])
	after, _ := utf8.DecodeRuneInString(text[cut:])
	if inWord(before) && inWord(after) {
		if sp := strings.LastIndexFunc(text[:cut], unicode.IsSpace); sp > 0 {
			cut = len(strings.TrimRightFunc(text[:sp], func(r rune) bool {
				return unicode.IsSpace(r) || strings.ContainsRune(",;:-–", r)
			}))
		}
	}
	return text[:cut] + ellipsis
}

// inWord reports whether r is part of a word: a letter, digit or accent.
func inWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
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
