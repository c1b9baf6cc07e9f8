package charts

import (
	"image"
	"strings"
	"testing"

	"gonum.org/v1/plot/text"

	"github.com/participatiebot/participatiebot/surveys"
)

// A phone shows a chart about 390 CSS pixels wide (an iPhone's width); text
// smaller than 14 there is hard to read.
const (
	phoneWidth     = 390
	minTextOnPhone = 14
)

// TestLabelsWrap: the labels of a bar chart are wrapped on as many lines as they
// need, each line within the chart, never cut; short labels stay on one line
// beside their bars.
func TestLabelsWrap(t *testing.T) {
	rol := []string{ // examples/goed-goan-wie-van-de-drie.yaml
		"De raad gaat zelf het gesprek aan met inwoners",
		"De raad stelt vooraf het doel en bepaalt wie beslist",
		"Het college voert het gesprek en betrekt de raad vanaf het begin, ook als het onderwerp gevoelig ligt in de kernen",
		"De raad besluit achteraf, op basis van de opbrengst",
		"Weet ik niet",
	}
	long := strings.Repeat("Een heel lang antwoord over de inrichting van de openbare ruimte, ", 4)[:200]
	tests := []struct {
		name     string
		labels   []string
		above    bool
		minLines []int // per label, at least
	}{
		{"rol van de raad", rol, true, []int{1, 1, 2, 1, 1}},
		{"200 characters", []string{long, "In de ontwerpfase"}, true, []int{4, 1}},
		{"rating marks", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, false, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := layoutBars(tt.labels, maxHeight-400)
			if l.above != tt.above {
				t.Errorf("got labels above %v, want %v", l.above, tt.above)
			}
			for i, lines := range l.lines {
				if len(lines) < tt.minLines[i] {
					t.Errorf("label %d: got %d lines %q, want at least %d", i, len(lines), lines, tt.minLines[i])
				}
				for _, line := range lines {
					if strings.HasSuffix(line, ellipsis) {
						t.Errorf("label %d: got the line %q cut, want it wrapped", i, line)
					}
					if w := labelStyle.Width(line); w > inner {
						t.Errorf("label %d: got the line %q %.0f px wide, want at most %d", i, line, w, inner)
					}
				}
				if got := strings.Join(lines, " "); got != tt.labels[i] {
					t.Errorf("label %d: got %q, want all of %q", i, got, tt.labels[i])
				}
			}
		})
	}

	// The third option of the rol question on two lines or more, drawn whole: a
	// chart of it is taller than the same chart with a short third option.
	counts := []int64{14, 11, 8, 3, 3}
	q := choice("rol-raad", surveys.Single, "Welke rol moet de raad spelen in de dialoog met de Dalfser gemeenschap?", rol, counts)
	c := render(t, q)
	if !strings.Contains(c.Alt, rol[2]+" 20,5% (8)") {
		t.Errorf("got alt %q, want every label whole in it", c.Alt)
	}
	shorter := append([]string(nil), rol...)
	shorter[2] = "Het college voert het gesprek"
	if a, b := decode(t, c).Bounds().Dy(), decode(t, render(t, choice("rol-raad", surveys.Single, q.Text, shorter, counts))).Bounds().Dy(); a <= b {
		t.Errorf("got height %d with the long label, %d with a short one, want the long one on more lines", a, b)
	}
}

// TestPhoneLegible: every text of a chart is at least minTextOnPhone pixels high
// when the chart is shown phoneWidth wide, and so is a label as drawn.
func TestPhoneLegible(t *testing.T) {
	styles := map[string]text.Style{"title": titleStyle, "subtitle": subtitleStyle, "labels and figures": labelStyle,
		"legend": newLegend().TextStyle}
	for name, sty := range styles {
		if got := float64(sty.Font.Size) * phoneWidth / width; got < minTextOnPhone {
			t.Errorf("%s: got %.1f px on a phone (%.0f of %d), want at least %d", name, got, float64(sty.Font.Size), width, minTextOnPhone)
		}
	}

	// The label "Zeer veel vertrouwen" above the first bar: the height of its
	// ink, capitals and ascenders, is its cap height, 0.69 of the font size.
	_, img := rendered(t, "vertrouwen")
	bars := runs(img, okBlue, 0, 2)
	b := bars[0]
	top, bottom := -1, -1
	for y := b.y0 - labelGap - textLine; y < b.y0-2; y++ {
		if darkIn(img, image.Rect(margin, y, width-margin, y+1)) > 0 {
			if top < 0 {
				top = y
			}
			bottom = y
		}
	}
	if top < 0 {
		t.Fatal("got no label above the first bar")
	}
	ink := float64(bottom - top + 1)
	if got, want := ink*phoneWidth/float64(img.Bounds().Dx()), capHeight*minTextOnPhone; got < want {
		t.Errorf("got a label %.0f px high in a chart %d wide: %.1f px on a phone, want at least %.1f (text of %d px)",
			ink, img.Bounds().Dx(), got, want, minTextOnPhone)
	}
}
