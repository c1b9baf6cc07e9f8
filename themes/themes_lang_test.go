package themes

import (
	"testing"

	"github.com/participatiebot/participatiebot/lang"
)

// TestThemesInOtherLanguages: answers in English and Arabic are grouped by their
// own words, without their stop words becoming themes.
func TestThemesInOtherLanguages(t *testing.T) {
	for _, tc := range []struct {
		code  lang.Code
		texts []string
		want  string
	}{
		{lang.EN, []string{"More benches on the square", "The benches are too old", "I think the benches should be green", "Trees please"}, "benches"},
		{lang.AR, []string{"نريد المزيد من المقاعد في الساحة", "المقاعد قديمة جدا", "أعتقد أن المقاعد يجب أن تكون خضراء", "أشجار"}, "المقاعد"},
		{lang.UK, []string{"Більше лавок на площі", "Лавок замало", "Я думаю, що лавок треба більше"}, "лавок"},
	} {
		got := ThemesIn(tc.code, tc.texts, 0, 0)
		if len(got) == 0 || got[0].Term != tc.want || got[0].Count != 3 {
			t.Errorf("%s: themes %+v, want %q first in 3 answers", tc.code, got, tc.want)
		}
		for _, th := range got {
			if tongueOf(tc.code).stop[foldKey(th.Term)] {
				t.Errorf("%s: a stop word is a theme: %q", tc.code, th.Term)
			}
		}
	}
	// Dutch is as Themes always was
	texts := []string{"Meer groen in de kern", "meer groen graag", "Groen!"}
	if a, b := Themes(texts, 0, 0), ThemesIn(lang.NL, texts, 0, 0); len(a) == 0 || a[0].Term != b[0].Term {
		t.Errorf("Dutch: %+v and %+v", a, b)
	}
}
