package themes

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
)

// themeRealisticAnswers answer "Wat is voor u belangrijk in uw dorp/kern?". The
// themes expected from them are worked out by hand in TestThemesRealistic.
var themeRealisticAnswers = []string{
	/* 0 */ "Meer groen in het dorp en minder stenen.",
	/* 1 */ "Goede fietspaden naar school, vooral voor de jongeren.",
	/* 2 */ "Dat er een supermarkt en andere winkels in de kern blijven.",
	/* 3 */ "Openbaar vervoer! De bus rijdt nu maar één keer per uur.",
	/* 4 */ "Veilige fietspaden en een lagere snelheid op de doorgaande weg.",
	/* 5 */ "Een plek voor de jongeren om elkaar te ontmoeten.",
	/* 6 */ "Meer groen, meer bomen en bankjes om even te zitten.",
	/* 7 */ "Het openbaar vervoer naar Zwolle moet beter.",
	/* 8 */ "Verkeersveiligheid bij de basisschool, er wordt veel te hard gereden.",
	/* 9 */ "De winkels en de bakker moeten blijven.",
	/* 10 */ "Speeltuinen voor de kinderen en meer groen 🌳",
	/* 11 */ "Een goed fietspad langs de Vecht.",
	/* 12 */ "Voor ouderen: een bankje bij de bushalte en goed openbaar vervoer.",
	/* 13 */ "Activiteiten voor jongeren en ouderen in het dorpshuis.",
	/* 14 */ "Verkeersveiligheid! Auto's rijden veel te hard door de straten.",
	/* 15 */ "Dat de bomen blijven staan en het groen goed onderhouden wordt.",
	/* 16 */ "Ik vind het belangrijk dat de winkel blijft.",
	/* 17 */ "Betaalbare woningen voor starters en jongeren.",
	/* 18 */ "Niks, alles is prima zo 👍",
	/* 19 */ "Verkeersveiligheid: fietspaden verbreden, want het is druk met scholieren.",
}

// TestThemesRealistic: by hand, the terms shared by two or more answers are
//
//	fietspad 1 4 11 19 (fietspaden ×3, fietspad ×1)   groen 0 6 10 15
//	jongere 1 5 13 17                                  "meer groen" 0 6 10
//	"openbaar vervoer" 3 7 12, openbaar and vervoer the same
//	verkeersveiligheid 8 14 19     winkel 2 9 16 (winkels ×2, winkel ×1)
//	bank 6 12 (bankjes, bankje: a tie, the shorter shows)   boom 6 15
//	hard 8 14     oudere 12 13
//
// "meer groen" is inside groen, which is chosen first; "openbaar vervoer" wins from
// its words at equal count. Answer 18 is all stop words and lands in no theme.
func TestThemesRealistic(t *testing.T) {
	eight := []Theme{
		{Term: "fietspaden", Forms: []string{"fietspad", "fietspaden"}, Count: 4, Answers: []int{1, 4, 11, 19}},
		{Term: "groen", Forms: []string{"groen"}, Count: 4, Answers: []int{0, 6, 10, 15}},
		{Term: "jongeren", Forms: []string{"jongeren"}, Count: 4, Answers: []int{1, 5, 13, 17}},
		{Term: "openbaar vervoer", Forms: []string{"openbaar vervoer"}, Count: 3, Answers: []int{3, 7, 12}},
		{Term: "verkeersveiligheid", Forms: []string{"verkeersveiligheid"}, Count: 3, Answers: []int{8, 14, 19}},
		{Term: "winkels", Forms: []string{"winkel", "winkels"}, Count: 3, Answers: []int{2, 9, 16}},
		{Term: "bankje", Forms: []string{"bankje", "bankjes"}, Count: 2, Answers: []int{6, 12}},
		{Term: "bomen", Forms: []string{"bomen"}, Count: 2, Answers: []int{6, 15}},
	}
	ten := append(append([]Theme(nil), eight...),
		Theme{Term: "hard", Forms: []string{"hard"}, Count: 2, Answers: []int{8, 14}},
		Theme{Term: "ouderen", Forms: []string{"ouderen"}, Count: 2, Answers: []int{12, 13}},
	)
	tests := []struct {
		name          string
		max, minCount int
		want          []Theme
	}{
		{name: "defaults: 8 themes, 2 answers", want: eight},
		{name: "max 10", max: 10, want: ten},
		{name: "max 20 gives all", max: 20, want: ten},
		{name: "max 3", max: 3, want: eight[:3]},
		{name: "min count 3", max: 20, minCount: 3, want: eight[:6]},
		{name: "min count 5", minCount: 5, want: []Theme{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Themes(themeRealisticAnswers, tt.max, tt.minCount)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", themeLines(got), themeLines(tt.want))
			}
		})
	}
}

// themeLines shows themes one a line, for failure messages.
func themeLines(themes []Theme) string {
	var b strings.Builder
	for _, th := range themes {
		fmt.Fprintf(&b, "%s %v\n", ThemeLine(th), th.Answers)
	}
	return b.String()
}

func TestThemesRules(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []Theme
	}{
		{
			name:  "empty input",
			texts: nil,
			want:  []Theme{},
		},
		{
			name:  "empty answers",
			texts: []string{"", "  ", "\n"},
			want:  []Theme{},
		},
		{
			name: "all stop words",
			texts: []string{"Ik vind het belangrijk dat we dat doen.", "Dat is toch wel heel erg goed!",
				"Meer, minder, meer.", "Nee, niks."},
			want: []Theme{},
		},
		{
			name:  "bigram is one theme",
			texts: []string{"Openbaar vervoer", "beter openbaar vervoer naar Zwolle", "het OPENBAAR VERVOER!"},
			want: []Theme{{Term: "openbaar vervoer", Forms: []string{"openbaar vervoer"}, Count: 3,
				Answers: []int{0, 1, 2}}},
		},
		{
			name: "a word with more answers takes in its bigram and the bigram's other word",
			texts: []string{"openbaar vervoer", "openbaar vervoer naar Zwolle", "vervoer voor ouderen",
				"Openbaar vervoer."},
			want: []Theme{{Term: "vervoer", Forms: []string{"vervoer"}, Count: 4, Answers: []int{0, 1, 2, 3}}},
		},
		{
			name:  "meer groen when groen never stands alone",
			texts: []string{"meer groen", "Meer groen!", "meer groen en bomen", "bomen"},
			want: []Theme{
				{Term: "meer groen", Forms: []string{"meer groen"}, Count: 3, Answers: []int{0, 1, 2}},
				{Term: "bomen", Forms: []string{"bomen"}, Count: 2, Answers: []int{2, 3}},
			},
		},
		{
			name:  "punctuation breaks a bigram",
			texts: []string{"groen, fietspaden", "groen. fietspaden", "groen 🌳 fietspaden"},
			want: []Theme{
				{Term: "fietspaden", Forms: []string{"fietspaden"}, Count: 3, Answers: []int{0, 1, 2}},
				{Term: "groen", Forms: []string{"groen"}, Count: 3, Answers: []int{0, 1, 2}},
			},
		},
		{
			name:  "unlinked subset is kept",
			texts: []string{"speeltuin voor de jongeren", "een speeltuin en jongeren", "jongeren"},
			want: []Theme{
				{Term: "jongeren", Forms: []string{"jongeren"}, Count: 3, Answers: []int{0, 1, 2}},
				{Term: "speeltuin", Forms: []string{"speeltuin"}, Count: 2, Answers: []int{0, 1}},
			},
		},
		{
			name:  "a term counts once per answer, the form by use",
			texts: []string{"bus bus bus bussen", "bussen", "bussen"},
			want:  []Theme{{Term: "bus", Forms: []string{"bus", "bussen"}, Count: 3, Answers: []int{0, 1, 2}}},
		},
		{
			name:  "HTML tags and entities",
			texts: []string{"<b>Fietspaden</b>", "<p>fietspaden&nbsp;&amp; bomen</p>", "<script>bomen</script>"},
			want: []Theme{
				{Term: "bomen", Forms: []string{"bomen"}, Count: 2, Answers: []int{1, 2}},
				{Term: "fietspaden", Forms: []string{"fietspaden"}, Count: 2, Answers: []int{0, 1}},
			},
		},
		{
			name:  "diacritics fold, forms keep them",
			texts: []string{"ideeën", "ideee\u0308n", "ideeen"},
			want: []Theme{{Term: "ideeen", Forms: []string{"ideeen", "ideee\u0308n", "ideeën"}, Count: 3,
				Answers: []int{0, 1, 2}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Themes(tt.texts, 0, 0)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", themeLines(got), themeLines(tt.want))
			}
		})
	}
}

func TestThemesOddInput(t *testing.T) {
	texts := []string{
		"🌳🌳🌳", "👍🏽👨‍👩‍👧", "أريد حديقة \u200fأريد حديقة\u200f", "\u202eroeverv raabnepo\u202c",
		"<<<>>>", "<", ">", "&", "&#0;", "\x00\xff\xfe", "e\u0301\u0301\u0301", "\u0301",
		"zo'n ' '' 's auto''s", "- -- groen- -fiets", strings.Repeat("fietspaden ", 10000),
		strings.Repeat("ä", 1000), "ＦＩＥＴＳＰＡＤＥＮ", "ǅemal", "İstanbul",
	}
	for _, max := range []int{-1, 0, 1, 100} {
		for _, minCount := range []int{-1, 0, 1, 2} {
			for _, th := range Themes(texts, max, minCount) {
				if th.Term == "" || th.Count != len(th.Answers) || len(th.Forms) == 0 {
					t.Errorf("theme: got %+v, want a term, forms and a count of its answers", th)
				}
				_ = ThemeLine(th)
			}
		}
	}
	// Arabic words count like any other, on both sides of the direction marks; the
	// phrase takes in its words.
	got := Themes(texts[2:3], 0, 1)
	if len(got) != 1 || got[0].Term != "أريد حديقة" || got[0].Count != 1 {
		t.Errorf("right-to-left: got %+v, want one theme, the phrase", got)
	}
}

func TestThemesDeterministic(t *testing.T) {
	want := Themes(themeRealisticAnswers, 20, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		perm := rng.Perm(len(themeRealisticAnswers))
		texts := make([]string, len(perm))
		for i, p := range perm {
			texts[i] = themeRealisticAnswers[p]
		}
		got := Themes(texts, 20, 0)
		if len(got) != len(want) {
			t.Fatalf("got %d themes, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Term != want[i].Term || got[i].Count != want[i].Count ||
				!reflect.DeepEqual(got[i].Forms, want[i].Forms) {
				t.Errorf("theme %d: got %s, want %s", i, ThemeLine(got[i]), ThemeLine(want[i]))
			}
			// The same answers, renumbered by the permutation, ascending.
			back := make([]int, 0, len(got[i].Answers))
			for j, a := range got[i].Answers {
				if j > 0 && got[i].Answers[j-1] >= a {
					t.Errorf("theme %s: got answers %v, want ascending", got[i].Term, got[i].Answers)
				}
				back = append(back, perm[a])
			}
			slices.Sort(back)
			if !slices.Equal(back, want[i].Answers) {
				t.Errorf("theme %s: got answers %v, want %v", got[i].Term, back, want[i].Answers)
			}
		}
	}
}

func TestThemeWordsStopWords(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // the kept words
	}{
		{name: "opinion verbs and echo", text: "Ik vind het belangrijk dat er meer groen komt", want: []string{"groen"}},
		{name: "auxiliaries", text: "Er moeten fietspaden worden gemaakt en dat kan wel", want: []string{"fietspaden"}},
		{name: "pronouns and prepositions", text: "Voor ons en onze kinderen bij de school", want: []string{"kinderen", "school"}},
		{name: "adverbs", text: "Nog veel meer heel erg veilige wegen, ook niet", want: []string{"veilige", "wegen"}},
		{name: "folded stop word", text: "Eén bakker, zo'n winkel", want: []string{"bakker", "winkel"}},
		{name: "numbers and single letters", text: "30 km a b c zone", want: []string{"km", "zone"}},
		{name: "place names stay", text: "In Dalfsen en Nieuwleusen", want: []string{"dalfsen", "nieuwleusen"}},
		{name: "gemeente is an echo", text: "De gemeente moet luisteren", want: []string{"luisteren"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range themeWords(tt.text, tongueOf(lang.NL)) {
				if !w.stop {
					got = append(got, w.surface)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestThemeLine(t *testing.T) {
	tests := []struct {
		name string
		in   Theme
		want string
	}{
		{name: "forms", in: Theme{Term: "fietspad", Forms: []string{"fietspad", "fietspaden"}, Count: 4},
			want: `"fietspad" (fietspad, fietspaden): 4 antwoorden`},
		{name: "only the term", in: Theme{Term: "openbaar vervoer", Forms: []string{"openbaar vervoer"}, Count: 3},
			want: `"openbaar vervoer": 3 antwoorden`},
		{name: "one answer", in: Theme{Term: "bus", Forms: []string{"bussen"}, Count: 1},
			want: `"bus" (bussen): 1 antwoord`},
		{name: "thousands", in: Theme{Term: "groen", Forms: []string{"groen"}, Count: 1234},
			want: `"groen": 1.234 antwoorden`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ThemeLine(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
