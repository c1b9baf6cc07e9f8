package results

import (
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/lang"
)

// lastDay is the last calendar day a round closing at t was open: a round that
// closes at midnight was last open the day before.
func lastDay(t time.Time) time.Time {
	if h, m, s := t.Clock(); h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1)
	}
	return t
}

// bar is a ten-block text bar for a percentage: 45 → "█████░░░░░" (rounded).
func bar(p float64) string {
	filled := int(math.Round(p / 10))
	filled = max(0, min(10, filled))
	return strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
}

// clip shortens s to at most n runes, ending in "…" when cut, and puts it on one
// line; n <= 0 keeps s whole (but still on one line). The cut falls between words
// ("ziet u de…", never "ziet u de uits…"); only a single word longer than n is
// cut inside.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	head := string(r[:n-1]) // room for "…"
	// a cut that falls inside a word leaves that word out
	if n >= 2 && inWord(r[n-2]) && inWord(r[n-1]) {
		if sp := strings.LastIndexByte(head, ' '); sp > 0 {
			head = head[:sp]
		}
	}
	return strings.TrimRight(head, " ,;:-–") + "…"
}

// inWord reports whether r is part of a word: a letter, digit or accent.
func inWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// AgreeText is AgreeLabel as it reads inside a sentence: "helemaal mee eens of mee
// eens" (only the first letter lowered, so a name in a label keeps its capital).
func AgreeText(q QuestionResult) string { return lowerFirst(AgreeLabel(q)) }

// lowerFirst lower-cases the first letter: "Mee eens" → "mee eens".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// AgreeLabel names a likert question's top-2 box (QuestionResult.Agree) with the
// question's own labels of its two agreeing points, as the buttons said them:
// "Helemaal mee eens of mee eens". A point without a label gets the default one.
func AgreeLabel(q QuestionResult) string { return agreeLabelIn(lang.Dutch(), q) }

// agreeLabelIn is AgreeLabel in the language of pr: the words between the labels,
// and those of a point without a label, are the catalogue's.
func agreeLabelIn(pr *lang.Printer, q QuestionResult) string {
	four, five := pr.T("result.agree_default_4"), pr.T("result.agree_default_5")
	for _, o := range q.Options {
		switch l := clip(o.Label, 0); {
		case l == "":
		case o.ID == "4":
			four = l
		case o.ID == "5":
			five = l
		}
	}
	return pr.T("result.agree_label", "Vijf", five, "Vier", lowerFirst(four))
}

// padRight pads s with spaces to width runes.
func padRight(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}
