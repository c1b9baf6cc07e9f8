package charts

import (
	"image"
	"math"
	"strings"
	"testing"

	gtfont "github.com/go-text/typesetting/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// glyphOf is the glyph drawn for the character at rune index i of l's text;
// it fails the test when there is not exactly one.
func glyphOf(t *testing.T, l *shapedLine, i int) shapedGlyph {
	t.Helper()
	var found []shapedGlyph
	for _, g := range l.glyphs {
		if g.cluster == i {
			found = append(found, g)
		}
	}
	if len(found) != 1 {
		t.Fatalf("got %d glyphs for character %d, want 1", len(found), i)
	}
	return found[0]
}

// nominal is the glyph the character map of face gives r: for an Arabic
// letter its isolated form, for a presentation form (U+FB50–U+FEFF) that form.
func nominal(t *testing.T, face *gtfont.Face, r rune) gtfont.GID {
	t.Helper()
	g, ok := face.NominalGlyph(r)
	if !ok {
		t.Fatalf("the font has no glyph for %U", r)
	}
	return g
}

// TestShapeArabicForms checks that Arabic letters are drawn in their
// contextual forms, the glyphs the font also maps the Unicode presentation
// forms to, and that lam and alef become one ligature.
func TestShapeArabicForms(t *testing.T) {
	dejavu := faces()[0].fallback
	tests := []struct {
		word   string
		forms  map[int]rune // rune index → presentation form of its contextual glyph
		glyphs int
	}{
		// seen initial, lam-alef final ligature, meem isolated
		{"سلام", map[int]rune{0: 0xFEB3, 1: 0xFEFC}, 3},
		// alef, lam initial, meem medial, sheen medial, alef final, reh, kaf initial, teh marbuta final
		{"المشاركة", map[int]rune{1: 0xFEDF, 2: 0xFEE4, 3: 0xFEB8, 4: 0xFE8E, 6: 0xFEDB, 7: 0xFE94}, 8},
		// the isolated lam-alef ligature
		{"لا", map[int]rune{0: 0xFEFB}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			l := shape(tt.word, labelStyle.Font)
			if len(l.glyphs) != tt.glyphs {
				t.Fatalf("got %d glyphs, want %d", len(l.glyphs), tt.glyphs)
			}
			letters := []rune(tt.word)
			for i, form := range tt.forms {
				g := glyphOf(t, l, i)
				if g.face != dejavu {
					t.Errorf("character %d: drawn in another font than DejaVu Sans", i)
				}
				if iso := nominal(t, dejavu, letters[i]); g.id == iso {
					t.Errorf("character %d (%c): got its isolated form, glyph %d", i, letters[i], g.id)
				}
				if want := nominal(t, dejavu, form); g.id != want {
					t.Errorf("character %d (%c): got glyph %d, want %d, the form of %U", i, letters[i], g.id, want, form)
				}
			}
		})
	}
}

// xOf is the x of the glyph drawn for the character at rune index i.
func xOf(t *testing.T, l *shapedLine, i int) vg.Length {
	t.Helper()
	return glyphOf(t, l, i).x
}

// TestShapeOrder checks the visual order of shaped lines: right-to-left
// words run from right to left, numbers in them from left to right, and
// a right-to-left phrase in a left-to-right sentence reads as a whole.
func TestShapeOrder(t *testing.T) {
	t.Run("arabic", func(t *testing.T) {
		s := "المشاركة"
		l := shape(s, labelStyle.Font)
		if first, last := xOf(t, l, 0), xOf(t, l, len([]rune(s))-1); first <= last {
			t.Errorf("got the first letter at x %.1f, the last at %.1f, want the first right of the last", first, last)
		}
	})
	t.Run("hebrew", func(t *testing.T) {
		s := "שלום עולם"
		l := shape(s, labelStyle.Font)
		if first, last := xOf(t, l, 0), xOf(t, l, len([]rune(s))-1); first <= last {
			t.Errorf("got the first letter at x %.1f, the last at %.1f, want the first right of the last", first, last)
		}
		if first, space := xOf(t, l, 0), xOf(t, l, 4); first <= space {
			t.Errorf("got the first word left of the space, want it right")
		}
	})
	t.Run("arabic with a percentage", func(t *testing.T) {
		s := "نعم 62,5%" // ن ع م, space, 6 2 , 5 %
		l := shape(s, labelStyle.Font)
		digits := []vg.Length{xOf(t, l, 4), xOf(t, l, 5), xOf(t, l, 6), xOf(t, l, 7)}
		for i := 1; i < len(digits); i++ {
			if digits[i] <= digits[i-1] {
				t.Errorf("got the digits of 62,5 at x %v, want them left to right", digits)
			}
		}
		if n, m := xOf(t, l, 0), xOf(t, l, 2); n <= m || m <= digits[3] {
			t.Errorf("got نعم at x %.1f..%.1f and the digits at %v, want the word right of the figure, read right to left", n, m, digits)
		}
	})
	t.Run("arabic in a dutch sentence", func(t *testing.T) {
		// Logical: "Straat ", the Arabic words "شارع" (street) and "مدينة"
		// (city) around a 12, then " x". The Arabic phrase reads right to
		// left as a whole: مدينة is the leftmost word, the 12 keeps its place
		// between the two words.
		s := "Straat شارع 12 مدينة x"
		l := shape(s, labelStyle.Font)
		straat, shar, twelve, madina, x := xOf(t, l, 0), xOf(t, l, 7), xOf(t, l, 12), xOf(t, l, 15), xOf(t, l, 21)
		if !(straat < madina && madina < twelve && twelve < shar && shar < x) {
			t.Errorf("got Straat %.1f, مدينة %.1f, 12 %.1f, شارع %.1f, x %.1f: want them in this order left to right", straat, madina, twelve, shar, x)
		}
		if one, two := xOf(t, l, 12), xOf(t, l, 13); one >= two {
			t.Errorf("got 1 at %.1f, 2 at %.1f, want 12 left to right", one, two)
		}
	})
	t.Run("number between arabic and latin", func(t *testing.T) {
		// In "x ا1 b" the 1 takes the direction of the alef before it
		// (level 2) but the " b" after it does not: x, 1, alef, b.
		l := shape("x ا1 b", labelStyle.Font)
		x, alef, one, b := xOf(t, l, 0), xOf(t, l, 2), xOf(t, l, 3), xOf(t, l, 5)
		if !(x < one && one < alef && alef < b) {
			t.Errorf("got x %.1f, 1 %.1f, alef %.1f, b %.1f: want them in this order left to right", x, one, alef, b)
		}
	})
}

func TestVisualOrder(t *testing.T) {
	tests := []struct {
		levels, want []int
	}{
		{nil, []int{}},
		{[]int{0, 0}, []int{0, 1}},
		{[]int{1, 1, 1}, []int{2, 1, 0}},
		{[]int{1, 2, 1}, []int{2, 1, 0}},
		{[]int{0, 1, 2, 1, 0}, []int{0, 3, 2, 1, 4}},
		{[]int{1, 2, 2, 1}, []int{3, 1, 2, 0}},
	}
	for _, tt := range tests {
		got := visualOrder(tt.levels)
		if len(got) != len(tt.want) {
			t.Fatalf("levels %v: got %v, want %v", tt.levels, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("levels %v: got %v, want %v", tt.levels, got, tt.want)
				break
			}
		}
	}
}

// fillBounds is the bounding box of the points of the filled path a.
func fillBounds(p vg.Path) (lo, hi vg.Length) {
	lo, hi = vg.Length(math.Inf(1)), vg.Length(math.Inf(-1))
	for _, c := range p {
		if c.Type == vg.CloseComp {
			continue
		}
		for _, q := range append([]vg.Point{c.Pos}, c.Control...) {
			lo, hi = min(lo, q.X), max(hi, q.X)
		}
	}
	return lo, hi
}

// TestDrawShaped draws labels through the chart text handler onto a
// recording canvas: a right-to-left label is filled glyph by glyph as
// outlines, the first letter right of the last, within the width the
// handler measures, so that a right-aligned label ends at its point.
func TestDrawShaped(t *testing.T) {
	tests := []struct{ name, label string }{
		{"arabic", "المشاركة"},
		{"hebrew", "שלום עולם"},
		{"arabic with a percentage", "نعم 62,5%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder.Canvas
			sty := labelStyle
			sty.XAlign = draw.XRight
			at := vg.Point{X: 900, Y: 500}
			sty.Handler.Draw(&rec, tt.label, sty, at)
			l := shape(tt.label, sty.Font)
			var fills []vg.Path
			for _, a := range rec.Actions {
				switch a := a.(type) {
				case *recorder.FillString:
					t.Errorf("got the text drawn as a string %q, want it shaped", a.String)
				case *recorder.Fill:
					fills = append(fills, a.Path)
				}
			}
			var outlined []shapedGlyph
			for _, g := range l.glyphs {
				if len(g.outline) > 0 {
					outlined = append(outlined, g)
				}
			}
			if len(fills) != len(outlined) || len(fills) == 0 {
				t.Fatalf("got %d fills, want one for each of the %d glyphs", len(fills), len(outlined))
			}
			left, right := vg.Length(math.Inf(1)), vg.Length(math.Inf(-1))
			firstLo, lastLo := vg.Length(0), vg.Length(0)
			n := len([]rune(tt.label))
			for i, p := range fills {
				lo, hi := fillBounds(p)
				left, right = min(left, lo), max(right, hi)
				switch outlined[i].cluster {
				case 0:
					firstLo = lo
				case n - 1:
					lastLo = lo
				}
			}
			if firstLo <= lastLo {
				t.Errorf("got the first letter filled from x %.1f, the last from %.1f, want the first right of the last", firstLo, lastLo)
			}
			w := sty.Width(tt.label)
			if w != l.width {
				t.Errorf("got width %.1f, want the shaped width %.1f", w, l.width)
			}
			if right > at.X+1 || left < at.X-w-1 {
				t.Errorf("got the glyphs filled over x %.1f..%.1f, want them within %.1f..%.1f", left, right, at.X-w, at.X)
			}
		})
	}
}

// TestWrapShaped wraps a long Arabic text: every line is measured by its
// shaped glyphs, so none is wider than the room it gets, and the words all
// stay.
func TestWrapShaped(t *testing.T) {
	s := "هل توافق على خطة الساحة الجديدة في وسط المدينة مع الأشجار والمقاعد وموقف الدراجات؟"
	for _, width := range []vg.Length{labelWidth, sideWidth, inner} {
		lines := wrap(labelStyle, s, width, allLines)
		if strings.Join(lines, " ") != s {
			t.Errorf("width %.0f: got lines %q, want all of %q", width, lines, s)
		}
		for _, line := range lines {
			l := shape(line, labelStyle.Font)
			if l.width > width {
				t.Errorf("width %.0f: got line %q %.0f wide", width, line, l.width)
			}
			if w := labelStyle.Width(line); w != l.width {
				t.Errorf("got line %q measured %.1f, shaped %.1f", line, w, l.width)
			}
		}
	}
	if lines := wrap(labelStyle, s, labelWidth, allLines); len(lines) < 3 {
		t.Errorf("got %d lines at width %d, want the text wrapped", len(lines), labelWidth)
	}
}

// TestLatinNotShaped checks that Latin text keeps the plot library's way, so
// that every chart without right-to-left text is drawn exactly as before.
func TestLatinNotShaped(t *testing.T) {
	for _, s := range []string{
		"Zeer tevreden", "Niet veel, niet weinig vertrouwen", "62,5% (25)", "Één café, ĳs en ç",
		"Ελληνικά", "Русский", "🚲 Fietsen 👍🏽", "…", "",
	} {
		for _, sty := range []text.Style{labelStyle, titleStyle} {
			if needsShaping(s, sty.Font) {
				t.Errorf("got %q shaped, want it drawn as before", s)
			}
		}
	}
	for _, s := range []string{"نعم", "שלום", "٦٢٫٥", "Ja (نعم)", "ქართული"} {
		if !needsShaping(s, labelStyle.Font) {
			t.Errorf("got %q drawn as a plain string, want it shaped", s)
		}
	}
	if got := drawable(labelStyle, "🚲 نعم، أوافق"); got != "نعم، أوافق" {
		t.Errorf("got drawable %q, want the Arabic kept and the emoji dropped", got)
	}
}

// TestArabicChart renders a question whose texts are all Arabic: every
// option gets its bar and its label, no text runs into the margins, and the
// alt text keeps the Arabic words.
func TestArabicChart(t *testing.T) {
	q := woonomgevingArabisch()
	c := render(t, q)
	img := decode(t, c)
	bars := runs(img, okBlue, 0, 1)
	if len(bars) != len(q.Options) {
		t.Fatalf("got %d bars, want %d", len(bars), len(q.Options))
	}
	for i := range bars {
		if n := labelPixels(img, bars, i, bars[i].minX); n < 100 {
			t.Errorf("bar %d: got %d label pixels, want its label drawn", i, n)
		}
	}
	b := img.Bounds()
	if n := darkIn(img, image.Rect(0, 0, margin-2, b.Max.Y)) + darkIn(img, image.Rect(width-margin+2, 0, width, b.Max.Y)); n > 0 {
		t.Errorf("got %d dark pixels in the margins, want the texts within them", n)
	}
	for _, o := range q.Options {
		if !strings.Contains(c.Alt, o.Label) {
			t.Errorf("got alt %q, want it to hold %q", c.Alt, o.Label)
		}
	}
}
