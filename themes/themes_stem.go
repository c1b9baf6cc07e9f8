package themes

import (
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// stemNL reduces a Dutch word to a key shared by its singular and plural, its
// diminutive and its inflected adjective, so "fietspad" and "fietspaden", "bank" and
// "bankjes", "groen" and "groene" count as one term. The word must be lower case and
// folded to ASCII (foldKey). It is a light stemmer: it removes one inflection and
// never a derivation ("verkeersveiligheid" stays whole), and the key it returns is
// never shown, only compared. The rules, tried in this order:
//
//  1. Words of at most three letters stay as they are ("bus", "ov", "weg").
//  2. A few irregular plurals are looked up, also at the end of a compound:
//     "steden" → "stad", "kinderen" → "kind", "mogelijkheden" → "mogelijkheid".
//  3. Diminutive, with or without plural -s: "-pje" after m, "-etje" after a doubled
//     consonant or m or ng, "-tje" after l, n, r or w, else "-je" (not after the i
//     of ij: "vrije"), so "boompje" → "boom", "karretje" → "kar", "tuintje" →
//     "tuin", "straatje" → "straat", "bankjes" → "bank".
//  4. Plural -s: "'s" ("auto's"); -s after -el or -em ("winkels"); after -en or -er
//     in words of six letters or more ("keukens", "ouders", not "grens", "adres");
//     after a consonant and e, except c, r and s ("routes", "rotondes", not
//     "proces", "adres"). Rules 5 and 6 then go on with what is left.
//  5. Plural or infinitive -en after a consonant, leaving at least three letters
//     ("kernen" → "kern", not "groen" or "open"); "-eën"/"-ieën" lose "-ën" ("ideeën"
//     → "idee"); "-eren" keeps its e ("jongeren" → "jongere", "ouderen" → "oudere"),
//     so the elderly stay apart from "ouders", the parents.
//  6. Adjective -e after a consonant ("groene" → "groen", "veilige" → "veilig"), or
//     after aai, ooi, oei ("mooie" → "mooi"), not in -ere ("jongere"), leaving at
//     least three letters.
//
// After rule 5 or 6 the new end is settled as Dutch spelling wants: a doubled
// consonant is undoubled ("bussen" → "bus"); otherwise a final z or v becomes s or f
// ("huizen" → "huis", "brieven" → "brief") and an open syllable gets its long vowel
// back by doubling a, e, o or u before a single final consonant ("bomen" → "boom",
// "straten" → "straat", "grote" → "groot"). The vowel is not doubled
//   - in an unstressed -el, -en, -er of a word of two or more syllables ("winkel",
//     "wandelen" → "wandel", "tekenen" → "teken"), while "stenen" → "steen";
//   - in the words whose vowel is short in the singular and long in the plural, also
//     at the end of a compound: "fietspaden" → "fietspad", "wegen" → "weg",
//     "zwembaden" → "zwembad" (shortVowelWords).
//
// Known limits, accepted for a key nobody reads: comparatives keep -ere ("grotere"
// is not "groter"), "panelen" gives "panel" rather than "paneel", and a singular in
// -en loses it like an infinitive ("keuken" and "keukens" both give "keuk").
func stemNL(w string) string {
	r := []rune(w)
	if len(r) <= 3 {
		return w
	}
	if s, ok := stemIrregular(w); ok {
		return s
	}
	if s, ok := stemDiminutive(r); ok {
		return string(s)
	}
	r = stemPluralS(r)
	if s, ok := stemEn(r); ok {
		return string(s)
	}
	if s, ok := stemE(r); ok {
		return string(s)
	}
	return string(r)
}

// stemIrregulars are plurals the rules get wrong, matched at the end of a word.
var stemIrregulars = []struct{ plural, singular string }{
	{"bladeren", "blad"}, {"eieren", "ei"}, {"heden", "heid"}, {"kinderen", "kind"},
	{"koeien", "koe"}, {"leden", "lid"}, {"liederen", "lied"}, {"schepen", "schip"},
	{"steden", "stad"}, {"volkeren", "volk"},
}

// shortVowelWords keep their short vowel though the plural has a long one ("dag",
// "dagen"); matched at the end of a stem, so "fietspad" and "zwembad" are covered.
var shortVowelWords = []string{
	"bad", "bedrag", "bevel", "blad", "dag", "dak", "dal", "gat", "gebed", "gebrek",
	"glas", "god", "graf", "hof", "lot", "oorlog", "pad", "slag", "slot", "spel",
	"staf", "vat", "verbod", "verdrag", "weg",
}

func stemIrregular(w string) (string, bool) {
	for _, ir := range stemIrregulars {
		if strings.HasSuffix(w, ir.plural) {
			return strings.TrimSuffix(w, ir.plural) + ir.singular, true
		}
	}
	return "", false
}

// stemDiminutive is rule 3.
func stemDiminutive(r []rune) ([]rune, bool) {
	if hasRuneSuffix(r, "jes") {
		r = r[:len(r)-1]
	}
	n := len(r)
	switch {
	case !hasRuneSuffix(r, "je") || n < 5 || r[n-3] == 'i':
		return r, false
	case hasRuneSuffix(r, "mpje") && n >= 6:
		return r[:n-3], true
	case hasRuneSuffix(r, "etje") && n >= 7 &&
		(doubledConsonant(r[:n-4]) || hasRuneSuffix(r[:n-4], "m") || hasRuneSuffix(r[:n-4], "ng")):
		return undouble(r[:n-4]), true
	case hasRuneSuffix(r, "tje") && n >= 6 && strings.ContainsRune("lnrw", r[n-4]):
		return r[:n-3], true
	default:
		return r[:n-2], true
	}
}

// stemPluralS is rule 4.
func stemPluralS(r []rune) []rune {
	if hasRuneSuffix(r, "'s") {
		r = r[:len(r)-2]
	}
	r = []rune(strings.ReplaceAll(string(r), "'", ""))
	n := len(r)
	if n < 5 || r[n-1] != 's' {
		return r
	}
	switch c, before := r[n-2], r[n-3]; {
	case before == 'e' && (c == 'l' || c == 'm'): // winkels
	case before == 'e' && (c == 'n' || c == 'r') && n >= 6: // keukens, ouders
	case c == 'e' && isConsonant(before) && !strings.ContainsRune("crs", before): // routes
	default:
		return r
	}
	return r[:n-1]
}

// stemEn is rule 5.
func stemEn(r []rune) ([]rune, bool) {
	n := len(r)
	if n < 5 || !hasRuneSuffix(r, "en") {
		return r, false
	}
	switch {
	case hasRuneSuffix(r, "eeen") || hasRuneSuffix(r, "ieen"):
		return r[:n-2], true
	case hasRuneSuffix(r, "eren"):
		return r[:n-1], true
	case !isConsonant(r[n-3]):
		return r, false
	}
	return settle(r[:n-2]), true
}

// stemE is rule 6.
func stemE(r []rune) ([]rune, bool) {
	n := len(r)
	if n < 4 || r[n-1] != 'e' || hasRuneSuffix(r, "ere") {
		return r, false
	}
	if hasRuneSuffix(r, "aaie") || hasRuneSuffix(r, "ooie") || hasRuneSuffix(r, "oeie") {
		return r[:n-1], true
	}
	if !isConsonant(r[n-2]) {
		return r, false
	}
	return settle(r[:n-1]), true
}

// settle restores the spelling of a stem whose ending was just removed: undouble
// a final doubled consonant, or devoice z and v and lengthen an open syllable.
func settle(r []rune) []rune {
	if doubledConsonant(r) {
		return undouble(r)
	}
	r = append([]rune(nil), r...)
	switch r[len(r)-1] {
	case 'z':
		r[len(r)-1] = 's'
	case 'v':
		r[len(r)-1] = 'f'
	}
	if !openSyllable(r) {
		return r
	}
	n := len(r)
	return append(r[:n-1:n-1], r[n-2], r[n-1])
}

// openSyllable reports whether the last vowel of r was long before its ending was
// removed, so it must be doubled in the stem: a single a, e, o or u between a
// consonant and a single final consonant, stressed, and not in shortVowelWords.
func openSyllable(r []rune) bool {
	n := len(r)
	if n < 3 {
		return false
	}
	last, v, before := r[n-1], r[n-2], r[n-3]
	if !isConsonant(last) || last == 'w' || last == 'j' || last == 'x' ||
		!strings.ContainsRune("aeou", v) || !isConsonant(before) {
		return false
	}
	if v == 'e' && strings.ContainsRune("lnr", last) && vowelGroups(r) > 1 {
		return false
	}
	s := string(r)
	for _, w := range shortVowelWords {
		if strings.HasSuffix(s, w) {
			return false
		}
	}
	return true
}

// vowelGroups counts the runs of vowels in r, roughly its syllables.
func vowelGroups(r []rune) int {
	groups, in := 0, false
	for _, c := range r {
		v := isVowel(c)
		if v && !in {
			groups++
		}
		in = v
	}
	return groups
}

func isVowel(c rune) bool { return strings.ContainsRune("aeiouy", c) }

// isConsonant is true for the ASCII consonants only, so the rules leave other
// scripts alone.
func isConsonant(c rune) bool { return c >= 'a' && c <= 'z' && !isVowel(c) }

func doubledConsonant(r []rune) bool {
	n := len(r)
	return n >= 2 && r[n-1] == r[n-2] && isConsonant(r[n-1])
}

func undouble(r []rune) []rune {
	if doubledConsonant(r) {
		return r[:len(r)-1]
	}
	return r
}

func hasRuneSuffix(r []rune, suffix string) bool {
	return strings.HasSuffix(string(r), suffix)
}

// foldKey is a lower-case word with its diacritics folded to ASCII where the
// letter has an ASCII base ("één" → "een", "ideeën" → "ideeen"); other scripts
// pass unchanged.
func foldKey(w string) string {
	var b strings.Builder
	for _, c := range w {
		if s, ok := dutch.Fold(c); ok {
			b.WriteString(s)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}
