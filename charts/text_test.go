package charts

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

func TestDutchNumbers(t *testing.T) {
	tests := []struct{ got, want string }{
		{dutch.Int(0), "0"},
		{dutch.Int(808), "808"},
		{dutch.Int(11144), "11.144"},
		{dutch.Int(-1234567), "-1.234.567"},
		{dutch.Decimal(0.6444, 2), "0,64"},
		{dutch.Decimal(1234.56, 1), "1.234,6"},
		{dutch.Decimal(-2.25, 1), "-2,3"},
		{dutchPercent(62.5), "62,5%"},
		{dutchPercent(100), "100,0%"},
		{dutchPercent(100.0 / 3), "33,3%"},
		{dutch.Median(7), "7"},
		{dutch.Median(7.5), "7,5"},
		{dutch.Plural(1, "antwoord", "antwoorden"), "1 antwoord"},
		{dutch.Plural(1250, "antwoord", "antwoorden"), "1.250 antwoorden"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		maxLines int
		lines    int
		clipped  bool
	}{
		{"short", "Geen rol", 3, 1, false},
		{"two lines", "Niet veel, niet weinig vertrouwen", 3, 2, false},
		{"clipped", strings.Repeat("openbare ruimte ", 20), 3, 3, true},
		{"long word", strings.Repeat("x", 200), 2, 2, true},
		{"empty", "", 3, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(labelStyle, tt.in, labelWidth, tt.maxLines)
			if len(got) != tt.lines {
				t.Fatalf("got %d lines %q, want %d", len(got), got, tt.lines)
			}
			for _, l := range got {
				if w := labelStyle.Width(l); w > labelWidth {
					t.Errorf("got line %q %.0f px wide, want at most %d", l, w, labelWidth)
				}
			}
			if len(got) > 0 && strings.HasSuffix(got[len(got)-1], ellipsis) != tt.clipped {
				t.Errorf("got %q, want clipped %v", got, tt.clipped)
			}
		})
	}
}
