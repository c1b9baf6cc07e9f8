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
