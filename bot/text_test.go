package bot

import (
	"strings"
	"testing"
)

func TestSplitAndClip(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		{"short", "hallo", 10, []string{"hallo"}},
		{"at a line break", "aaaaa\nbbbbbb", 8, []string{"aaaaa\n", "bbbbbb"}},
		{"line break too early", "aaaa\nbbbbbb", 8, []string{"aaaa\nbbb", "bbb"}},
		{"hard cut without breaks", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"runes not bytes", "ééééé", 2, []string{"éé", "éé", "é"}},
		{"empty", "", 5, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Split(tc.text, tc.max); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if got, want := Clip("Helemaal mee eens", 8), "Helemaa…"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := Clip("Ja", 8), "Ja"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSplitByUTF16(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		// 😀 is two UTF-16 units: three of them fill 6, not 3
		{"emoji count two", "😀😀😀😀", 6, []string{"😀😀😀", "😀"}},
		{"never half an emoji", "a😀😀", 4, []string{"a😀", "😀"}},
		{"accent stays with its letter", "ee\u0308e", 2, []string{"e", "e\u0308", "e"}},
		{"joined emoji stay whole", "ab👩\u200d👧", 5, []string{"ab", "👩\u200d👧"}},
		{"skin tone stays", "ab👍🏽", 4, []string{"ab", "👍🏽"}},
		{"at a space", "één twee drie", 10, []string{"één twee ", "drie"}},
		{"line break before space", "aaaaaa\nb c", 9, []string{"aaaaaa\n", "b c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitBy(tc.text, tc.max, UTF16Len)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if strings.Join(got, "") != tc.text {
				t.Errorf("parts %q do not add up to %q", got, tc.text)
			}
			for _, p := range got {
				if n := UTF16Len(p); n > tc.max {
					t.Errorf("part %q has %d units, want at most %d", p, n, tc.max)
				}
			}
		})
	}
}

func TestLimitsClip(t *testing.T) {
	l := Limits{MaxText: 5, MaxCaption: 3, Unit: UTF16}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"text fits", l.ClipText("😀😀a"), "😀😀a"},
		{"text cut before an emoji", l.ClipText("😀😀😀"), "😀😀…"},
		{"caption", l.ClipCaption("ëëëë"), "ëë…"},
		{"caption of emoji", l.ClipCaption("😀😀"), "😀…"},
		{"no limit", Limits{}.ClipCaption("😀😀😀😀"), "😀😀😀😀"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	if got, want := (Limits{}).Len("😀ë"), 2; got != want {
		t.Errorf("length without Len: got %d, want %d (characters)", got, want)
	}
	if got, want := UTF16Len("😀ë"), 3; got != want {
		t.Errorf("UTF16Len: got %d, want %d", got, want)
	}
}
