package charts

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// dutchPercent formats a percentage (0..100) with one decimal: "62,5%".
func dutchPercent(p float64) string { return dutch.Decimal(p, 1) + "%" }

// clamp keeps x in lo..hi; NaN becomes lo.
func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

// clean makes a label safe to draw and to quote: valid UTF-8, on one line,
// without control characters or bidi overrides (format characters other than
// the zero-width joiner of emoji sequences), spaces collapsed.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u200d':
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// sentence ends s with a full stop unless it already ends in punctuation
// (also the Arabic question mark).
func sentence(s string) string {
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".?!:") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, "؟") {
		return s
	}
	return s + "."
}

// slug turns an id into a safe file-name part: lower-case ASCII letters,
// digits and single dashes, at most 60 bytes; "" when nothing is left.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
		dash = false
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// ellipsis is appended to text that had to be cut.
const ellipsis = "…"

// allLines is a maxLines for wrap that never cuts.
const allLines = 1 << 20

// wrap breaks s into lines no wider than width in style sty, at most maxLines
// of them (allLines: as many as it takes); when s does not fit, the last line
// ends in "…", cut between words. A word wider than a whole line is broken
// between characters.
func wrap(sty text.Style, s string, width vg.Length, maxLines int) []string {
	maxLines = max(maxLines, 1)
	s = drawable(sty, s)
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		if cur != "" && sty.Width(cur+" "+w) <= width {
			cur += " " + w
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = w
		for sty.Width(cur) > width && utf8.RuneCountInString(cur) > 1 {
			head := fitRunes(sty, cur, width)
			lines = append(lines, head)
			cur = cur[len(head):]
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) <= maxLines {
		return lines
	}
	last := strings.Join(lines[maxLines-1:maxLines+1], " ")
	lines = lines[:maxLines]
	lines[maxLines-1] = clipTo(sty, last, width)
	return lines
}

// unshown replaces a text of which the font can show nothing.
const unshown = "(niet te tonen)"

// drawable drops the characters the font has no glyph for, such as emoji,
// which would otherwise take room and show nothing; a text left without
// letters becomes unshown. The alt text keeps them. Letters that only the
// font of shaped text has, such as Arabic, stay (shape.go).
func drawable(sty text.Style, s string) string {
	face := sty.Handler.Cache().Lookup(sty.Font, sty.Font.Size).Face
	if face == nil {
		return s
	}
	t := typefaceOf(sty.Font)
	var buf sfnt.Buffer
	dropped := false
	kept := strings.Map(func(r rune) rune {
		if i, err := face.GlyphIndex(&buf, r); err != nil || i == 0 || r == '\u200d' {
			if t != nil && t.fallbackDraws(r) {
				return r
			}
			dropped = true
			return -1
		}
		return r
	}, s)
	if !dropped {
		return s
	}
	kept = strings.Join(strings.Fields(kept), " ")
	if strings.IndexFunc(kept, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return unshown
	}
	return kept
}

// fitRunes is the longest prefix of s (at least one rune) no wider than width.
func fitRunes(sty text.Style, s string, width vg.Length) string {
	end := 0
	for i := range s {
		if i > 0 && sty.Width(s[:i]) > width {
			break
		}
		end = i
	}
	if sty.Width(s) <= width {
		return s
	}
	if end == 0 {
		_, size := utf8.DecodeRuneInString(s)
		end = size
	}
	return s[:end]
}

// clipTo cuts s so that s plus "…" is no wider than width: whole words off its
// end, and only a first word too wide on its own between characters.
func clipTo(sty text.Style, s string, width vg.Length) string {
	trim := func(s string) string { return strings.TrimRight(s, " ,;:-–") }
	words := strings.Fields(s)
	for len(words) > 1 {
		if cut := trim(strings.Join(words, " ")); sty.Width(cut+ellipsis) <= width {
			return cut + ellipsis
		}
		words = words[:len(words)-1]
	}
	r := []rune(strings.Join(words, " "))
	for len(r) > 0 {
		cut := trim(string(r))
		if sty.Width(cut+ellipsis) <= width {
			return cut + ellipsis
		}
		r = r[:len(r)-1]
	}
	return ellipsis
}

// wrapParts puts parts on lines joined by " · ", breaking between parts where
// it can and inside a part only when the part alone is wider than a line; at
// most maxLines lines, the last one cut with "…" when they do not fit.
func wrapParts(sty text.Style, parts []string, width vg.Length, maxLines int) []string {
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case p == "":
		case cur == "":
			cur = p
		case sty.Width(cur+" · "+p) <= width:
			cur += " · " + p
		default:
			lines = append(lines, cur)
			cur = p
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	var out []string
	for _, l := range lines {
		out = append(out, wrap(sty, l, width, maxLines+1)...)
	}
	if len(out) > maxLines {
		last := strings.Join(out[maxLines-1:maxLines+1], " ")
		out = append(out[:maxLines-1], clipTo(sty, last, width))
	}
	return out
}
