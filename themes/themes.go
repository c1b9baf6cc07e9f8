package themes

import (
	"html"
	"slices"
	"strings"
	"unicode"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
)

// Theme is a group of open answers that share a key term.
type Theme struct {
	// Term is the display word or two-word phrase: the surface form written most
	// often, e.g. "fietspad" or "openbaar vervoer".
	Term string `json:"term"`
	// Forms are the surface forms merged into the theme, sorted, e.g.
	// ["fietspad", "fietspaden"].
	Forms []string `json:"forms"`
	// Count is the number of answers in the theme.
	Count int `json:"count"`
	// Answers are indexes into the texts given to Themes, ascending.
	Answers []int `json:"answers"`
}

// Default limits of Themes.
const (
	themesMax      = 8
	themesMinCount = 2
)

// Themes groups open answers (texts, as given) into at most max themes (max <= 0:
// 8) by their key terms, with simple rules a reader can check by hand:
//
//  1. Each answer is unescaped (HTML entities), stripped of HTML tags, lower-cased
//     and split into words of letters and digits; punctuation, emoji and symbols
//     separate words. Words of one letter, words without a letter ("30") and stop
//     words (stopWordsNL) are dropped.
//  2. The other words are stemmed (stemNL), so "fietspad" and "fietspaden" are one
//     term. Two adjacent kept words, with only spaces or a hyphen between them, are
//     also a term ("openbaar vervoer"), as is "meer" or "minder" before a kept word
//     ("meer groen", bigramModifiers).
//  3. A term counts each answer once, however often the answer uses it. A term
//     shared by fewer than minCount answers (minCount <= 0: 2) is no theme.
//  4. Terms are taken greedily: most answers first; at equal counts a two-word term
//     before a single word, then alphabetically by Term. A term is passed over when
//     all its answers are already in a chosen theme it is linked to: one that shares
//     a word with it, or that forms with it a two-word term of at least minCount
//     answers. So a two-word term wins over its words when it covers as many
//     answers ("openbaar vervoer" rather than "openbaar" and "vervoer"), and a
//     single word wins when it covers more ("groen" takes in "meer groen").
//
// An answer may belong to more than one theme; answers in no theme are the caller's
// "overig". The result does not depend on the order of the texts, except for the
// indexes in Answers.
func Themes(texts []string, max, minCount int) []Theme {
	return ThemesIn(lang.NL, texts, max, minCount)
}

// ThemesIn is Themes for answers written in language c: Dutch as Themes does;
// another language with its own stop words (stopwords_other.go) and without
// stemming, so that a plural is a term of its own.
func ThemesIn(c lang.Code, texts []string, max, minCount int) []Theme {
	tg := tongueOf(c)
	if max <= 0 {
		max = themesMax
	}
	if minCount <= 0 {
		minCount = themesMinCount
	}
	terms := themeTerms(texts, tg)
	var cands []*themeTerm
	linked := map[[2]string]bool{}
	for _, t := range terms {
		if len(t.answers) < minCount {
			continue
		}
		t.term = t.display()
		cands = append(cands, t)
		if len(t.stems) == 2 {
			linked[[2]string{t.stems[0], t.stems[1]}] = true
			linked[[2]string{t.stems[1], t.stems[0]}] = true
		}
	}
	slices.SortFunc(cands, compareThemeTerms)
	var chosen []*themeTerm
	for _, c := range cands {
		if len(chosen) == max {
			break
		}
		if !c.coveredBy(chosen, linked) {
			chosen = append(chosen, c)
		}
	}
	themes := make([]Theme, 0, len(chosen))
	for _, c := range chosen {
		themes = append(themes, c.theme())
	}
	return themes
}

// ThemeLine renders one theme in Dutch for chat:
// `"fietspad" (fietspad, fietspaden): 4 antwoorden`. The forms are left out when
// the term is the only one: `"openbaar vervoer": 3 antwoorden`.
func ThemeLine(t Theme) string {
	line := `"` + t.Term + `"`
	if len(t.Forms) > 1 || len(t.Forms) == 1 && t.Forms[0] != t.Term {
		line += " (" + strings.Join(t.Forms, ", ") + ")"
	}
	return line + ": " + dutch.Plural(int64(t.Count), "antwoord", "antwoorden")
}

// themeTerm is a stem, or two stems, with the answers that use it.
type themeTerm struct {
	key     string         // the stem, or both stems with a space between
	stems   []string       // the stems of key
	answers []int          // ascending, each once
	forms   map[string]int // surface form → times written
	term    string         // display(), once the term is a candidate
}

// themeTerms counts every term of every answer.
func themeTerms(texts []string, tg tongue) map[string]*themeTerm {
	terms := map[string]*themeTerm{}
	add := func(i int, key, surface string, stems ...string) {
		t := terms[key]
		if t == nil {
			t = &themeTerm{key: key, stems: stems, forms: map[string]int{}}
			terms[key] = t
		}
		t.forms[surface]++
		if n := len(t.answers); n == 0 || t.answers[n-1] != i {
			t.answers = append(t.answers, i)
		}
	}
	for i, text := range texts {
		words := themeWords(text, tg)
		for j, w := range words {
			if !w.stop {
				add(i, w.stem, w.surface, w.stem)
			}
			if j == 0 || !w.joined || w.stop {
				continue
			}
			prev := words[j-1]
			if (prev.stop && !tg.modifiers[prev.key]) || prev.stem == w.stem {
				continue
			}
			add(i, prev.stem+" "+w.stem, prev.surface+" "+w.surface, prev.stem, w.stem)
		}
	}
	return terms
}

// display is the surface form written most often; ties go to the shortest, then
// alphabetically.
func (t *themeTerm) display() string {
	best, bestN := "", 0
	for f, n := range t.forms {
		if n > bestN || n == bestN && themeFormBefore(f, best) {
			best, bestN = f, n
		}
	}
	return best
}

func themeFormBefore(a, b string) bool {
	la, lb := len([]rune(a)), len([]rune(b))
	if la != lb {
		return la < lb
	}
	return a < b
}

// compareThemeTerms orders candidates by rule 4 of Themes.
func compareThemeTerms(a, b *themeTerm) int {
	if d := len(b.answers) - len(a.answers); d != 0 {
		return d
	}
	if d := len(b.stems) - len(a.stems); d != 0 {
		return d
	}
	if c := strings.Compare(a.term, b.term); c != 0 {
		return c
	}
	return strings.Compare(a.key, b.key)
}

// coveredBy reports whether all of t's answers are in a chosen theme linked to t.
func (t *themeTerm) coveredBy(chosen []*themeTerm, linked map[[2]string]bool) bool {
	for _, c := range chosen {
		if t.linkedTo(c, linked) && subsetSorted(t.answers, c.answers) {
			return true
		}
	}
	return false
}

func (t *themeTerm) linkedTo(c *themeTerm, linked map[[2]string]bool) bool {
	for _, a := range t.stems {
		for _, b := range c.stems {
			if a == b || linked[[2]string{a, b}] {
				return true
			}
		}
	}
	return false
}

// subsetSorted reports whether every element of a is in b; both ascending.
func subsetSorted(a, b []int) bool {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
	}
	return true
}

func (t *themeTerm) theme() Theme {
	forms := make([]string, 0, len(t.forms))
	for f := range t.forms {
		forms = append(forms, f)
	}
	slices.Sort(forms)
	return Theme{Term: t.term, Forms: forms, Count: len(t.answers), Answers: slices.Clone(t.answers)}
}

// themeWord is one word of an answer as Themes sees it.
type themeWord struct {
	surface string // lower case, as written
	key     string // surface with diacritics folded (foldKey)
	stem    string // stemNL(key)
	stop    bool   // a stop word, a single letter or without letters
	joined  bool   // follows the previous word with only spaces or a hyphen between
}

// themeWords splits an answer into words by rule 1 of Themes.
func themeWords(text string, tg tongue) []themeWord {
	rs := []rune(stripTags(html.UnescapeString(text)))
	var words []themeWord
	var cur []rune
	broken := true // a separator other than space or hyphen since the last word
	flush := func() {
		if len(cur) > 0 {
			words = append(words, newThemeWord(string(cur), !broken && len(words) > 0, tg))
			cur = cur[:0]
		}
		broken = false
	}
	for i, c := range rs {
		letterNext := i+1 < len(rs) && unicode.IsLetter(rs[i+1])
		switch {
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			cur = append(cur, unicode.ToLower(c))
		case unicode.Is(unicode.Mn, c) && len(cur) > 0 && !unicode.Is(unicode.Variation_Selector, c):
			cur = append(cur, c) // a combining accent; foldKey drops it
		case isApostrophe(c) && len(cur) > 0 && letterNext:
			cur = append(cur, '\'')
		case unicode.IsSpace(c), isHyphen(c) && len(cur) > 0 && letterNext:
			if len(cur) > 0 {
				flush()
			}
		default:
			flush()
			broken = true
		}
	}
	flush()
	return words
}

func newThemeWord(surface string, joined bool, tg tongue) themeWord {
	key := foldKey(strings.Map(func(c rune) rune {
		if unicode.Is(unicode.Mn, c) {
			return -1
		}
		return c
	}, surface))
	letters := 0
	for _, c := range key {
		if unicode.IsLetter(c) {
			letters++
		}
	}
	stop := letters == 0 || len([]rune(key)) < 2 || tg.stop[key]
	return themeWord{surface: surface, key: key, stem: tg.stem(key), stop: stop, joined: joined}
}

func isApostrophe(c rune) bool { return c == '\'' || c == '’' || c == '‘' }

func isHyphen(c rune) bool { return c == '-' || c == '‐' || c == '‑' }

// stripTags removes HTML tags: from a "<" to the next ">", when no other "<" comes
// between. Answers are plain text, but a web form or a paste may carry markup.
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 || strings.IndexByte(s[i+1:i+j], '<') >= 0 {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
