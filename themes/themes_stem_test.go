package themes

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestStemNL(t *testing.T) {
	tests := []struct {
		name, word, want string
	}{
		{name: "plural -en", word: "fietspaden", want: "fietspad"},
		{name: "singular stays", word: "fietspad", want: "fietspad"},
		{name: "long vowel restored o", word: "bomen", want: "boom"},
		{name: "long vowel restored a", word: "straten", want: "straat"},
		{name: "long vowel restored in school", word: "scholen", want: "school"},
		{name: "long vowel restored e", word: "stenen", want: "steen"},
		{name: "short vowel kept in weg", word: "wegen", want: "weg"},
		{name: "short vowel kept at end of compound", word: "zwembaden", want: "zwembad"},
		{name: "diminutive plural", word: "bankjes", want: "bank"},
		{name: "diminutive -je", word: "bankje", want: "bank"},
		{name: "diminutive -je after t", word: "straatje", want: "straat"},
		{name: "diminutive -tje", word: "tuintje", want: "tuin"},
		{name: "diminutive -pje", word: "boompje", want: "boom"},
		{name: "diminutive -etje", word: "karretje", want: "kar"},
		{name: "not a diminutive after ij", word: "vrije", want: "vrij"},
		{name: "adjective -e", word: "groene", want: "groen"},
		{name: "groen keeps its -en", word: "groen", want: "groen"},
		{name: "adjective -e, long vowel", word: "grote", want: "groot"},
		{name: "adjective -e after ooi", word: "mooie", want: "mooi"},
		{name: "adjective -ige", word: "veilige", want: "veilig"},
		{name: "adjective -are", word: "openbare", want: "openbaar"},
		{name: "undouble", word: "bussen", want: "bus"},
		{name: "undouble after -e", word: "dikke", want: "dik"},
		{name: "-eren keeps e", word: "jongeren", want: "jongere"},
		{name: "-eren keeps e, elderly", word: "ouderen", want: "oudere"},
		{name: "-s after -er", word: "ouders", want: "ouder"},
		{name: "-s after -el", word: "winkels", want: "winkel"},
		{name: "-en after diphthong", word: "speeltuinen", want: "speeltuin"},
		{name: "-en after two consonants", word: "kernen", want: "kern"},
		{name: "z becomes s", word: "huizen", want: "huis"},
		{name: "v becomes f", word: "brieven", want: "brief"},
		{name: "unstressed -el not lengthened", word: "wandelen", want: "wandel"},
		{name: "apostrophe plural", word: "auto's", want: "auto"},
		{name: "diaeresis plural, folded", word: "ideeen", want: "idee"},
		{name: "irregular", word: "kinderen", want: "kind"},
		{name: "irregular at end of compound", word: "mogelijkheden", want: "mogelijkheid"},
		{name: "-ies is not a plural", word: "advies", want: "advies"},
		{name: "-ces is not a plural", word: "proces", want: "proces"},
		{name: "plural of proces", word: "processen", want: "proces"},
		{name: "-res is not a plural", word: "adres", want: "adres"},
		{name: "short -ens is not a plural", word: "grens", want: "grens"},
		{name: "-s after consonant and e", word: "rotondes", want: "rotond"},
		{name: "three letters stay", word: "bus", want: "bus"},
		{name: "two letters stay", word: "ov", want: "ov"},
		{name: "mens stays", word: "mens", want: "mens"},
		{name: "derivation stays", word: "verkeersveiligheid", want: "verkeersveiligheid"},
		{name: "other scripts pass", word: "حديقة", want: "حديقة"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stemNL(tt.word); got != tt.want {
				t.Errorf("stemNL(%q): got %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestStemNLPairs checks what the stemmer is for: forms of one word meet, and
// words that only look alike stay apart.
func TestStemNLPairs(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"bus", "bussen", true},
		{"boom", "bomen", true},
		{"straat", "straten", true},
		{"steen", "stenen", true},
		{"jongere", "jongeren", true},
		{"oudere", "ouderen", true},
		{"route", "routes", true},
		{"keuken", "keukens", true},
		{"fiets", "fietsen", true},
		{"mens", "mensen", true},
		{"grens", "grenzen", true},
		{"groen", "groene", true},
		{"prijs", "prijzen", true},
		{"woning", "woningen", true},
		{"ruimte", "ruimtes", true},
		{"ouders", "ouderen", false},
		{"groen", "groet", false},
		{"weg", "wegen", true},
		{"wegen", "wegje", true},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			sa, sb := stemNL(tt.a), stemNL(tt.b)
			if (sa == sb) != tt.same {
				t.Errorf("stems %q and %q: got same %v, want %v", sa, sb, sa == sb, tt.same)
			}
		})
	}
}

// TestStemNLNeverEmpty runs every word of the seed-like texts and some odd ones.
func TestStemNLNeverEmpty(t *testing.T) {
	words := []string{"je", "jes", "tje", "pje", "etje", "en", "een", "ende", "es", "'s",
		"a's", "ab's", "eeen", "eren", "ee", "e", "zz", "zzen", "eeeee", "sssss", "ampje"}
	for _, text := range themeRealisticAnswers {
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
			return !unicode.IsLetter(r)
		}) {
			words = append(words, foldKey(w))
		}
	}
	for _, w := range words {
		if got := stemNL(w); got == "" || len(got) > len(w)+1 {
			t.Errorf("stemNL(%q): got %q, want a non-empty stem", w, got)
		}
	}
}

func TestStopWordsSorted(t *testing.T) {
	if !slices.IsSorted(stopWordsNL) {
		t.Errorf("stopWordsNL: got unsorted, want sorted")
	}
	for i, w := range stopWordsNL {
		if i > 0 && stopWordsNL[i-1] == w {
			t.Errorf("stopWordsNL: got %q twice, want once", w)
		}
		if w != foldKey(strings.ToLower(w)) {
			t.Errorf("stopWordsNL: got %q, want it lower case and folded", w)
		}
	}
	for m := range bigramModifiers {
		if !stopWords[m] {
			t.Errorf("bigram modifier %q: got no stop word, want a stop word", m)
		}
	}
}
