package charts

import (
	"bytes"
	"slices"
	"sync"
	"unicode"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	gtbidi "github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	gtfont "github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// Text in right-to-left scripts, and in scripts Liberation has no letters for.
//
// The plot library draws a string glyph by glyph from the font's character
// map, left to right: Arabic would come out in isolated forms, and Arabic and
// Hebrew letter-reversed. A line that holds a right-to-left character (or a
// letter Liberation lacks and DejaVu Sans has) is instead laid out here: the
// Unicode bidi algorithm splits it into runs of one direction and finds
// their visual order, HarfBuzz (the go-text port) shapes each run, with
// Arabic joining and ligatures such as lam-alef, and the glyphs are filled
// as outlines. Arabic is set in DejaVu Sans, which has the Arabic forms and
// the init, medi, fina and rlig features; Latin, digits and Hebrew stay in
// Liberation Sans, so that a figure or a Latin word in an Arabic label looks
// like the rest of the chart. Every other text takes the plot library's way,
// unchanged.

// typeface is the pair of faces for one weight: Liberation first, DejaVu for
// what Liberation lacks and for Arabic.
type typeface struct {
	lib, fallback *gtfont.Face
}

// faces are the regular and the bold typeface; nil when the fonts cannot be
// read, and then every text takes the plot library's way.
var faces = sync.OnceValue(func() *[2]typeface {
	parse := func(ttf []byte) *gtfont.Face {
		f, err := gtfont.ParseTTF(bytes.NewReader(ttf))
		if err != nil {
			return nil
		}
		return f
	}
	t := [2]typeface{
		{parse(liberationsansregular.TTF), parse(dejavusans.TTF)},
		{parse(liberationsansbold.TTF), parse(dejavusansbold.TTF)},
	}
	for _, tf := range t {
		if tf.lib == nil || tf.fallback == nil {
			return nil
		}
	}
	return &t
})

// typefaceOf is the typeface of fnt's weight, nil without fonts.
func typefaceOf(fnt font.Font) *typeface {
	t := faces()
	if t == nil {
		return nil
	}
	if fnt.Weight >= xfont.WeightBold {
		return &t[1]
	}
	return &t[0]
}

// has reports whether f maps r to a glyph; safe for concurrent use, as it
// reads only the font's character map.
func has(f *gtfont.Face, r rune) bool {
	g, ok := f.Font.NominalGlyph(r)
	return ok && g != 0
}

// fallbackDraws reports whether the shaped path can draw r where Liberation
// cannot: a letter, mark, digit or punctuation that DejaVu Sans has. Symbols
// such as emoji stay out, as before: drawable drops them.
func (t *typeface) fallbackDraws(r rune) bool {
	return r != '\u200d' && has(t.fallback, r) &&
		(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || unicode.IsPunct(r))
}

// needsShaping reports whether s must be laid out here: it holds a
// right-to-left character or a character only DejaVu Sans can draw.
func needsShaping(s string, fnt font.Font) bool {
	t := typefaceOf(fnt)
	if t == nil {
		return false
	}
	for _, r := range s {
		if r < 0x80 {
			continue
		}
		if rtl(r) || !has(t.lib, r) && t.fallbackDraws(r) {
			return true
		}
	}
	return false
}

// rtl reports whether r is a right-to-left character or an Arabic digit.
func rtl(r rune) bool {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.R, bidi.AL, bidi.AN:
		return true
	}
	return false
}

// shapedGlyph is one glyph of a shaped line.
type shapedGlyph struct {
	face *gtfont.Face
	id   gtfont.GID
	// cluster is the index, in runes of the logical text, of the first
	// character the glyph stands for.
	cluster int
	// x, y is the glyph's origin from the left end of the line on its baseline.
	x, y vg.Length
	// outline is the glyph's outline around its origin; nil for a space.
	outline vg.Path
}

// shapedLine is one line of text shaped and in visual order, left to right.
type shapedLine struct {
	glyphs []shapedGlyph
	width  vg.Length
}

// maxShaped is how many shaped lines the cache keeps before it starts anew.
const maxShaped = 4096

type shapeKey struct {
	text string
	size vg.Length
	bold bool
}

type glyphKey struct {
	face *gtfont.Face
	id   gtfont.GID
	size vg.Length
}

// shaper shapes lines of text; the faces and the HarfBuzz shaper are not
// safe for concurrent use, so one lock guards it all. Shaped lines are kept,
// as a text is measured many times while it is wrapped and laid out.
var shaper struct {
	sync.Mutex
	hb       shaping.HarfbuzzShaper
	para     gtbidi.Paragraph
	lines    map[shapeKey]*shapedLine
	outlines map[glyphKey]vg.Path
}

// shaped is s shaped in fnt, or nil when s takes the plot library's way.
func shaped(s string, fnt font.Font) *shapedLine {
	if !needsShaping(s, fnt) {
		return nil
	}
	return shape(s, fnt)
}

// shape lays out one line of text s in fnt; the result is shared, not to be
// changed.
func shape(s string, fnt font.Font) *shapedLine {
	t := typefaceOf(fnt)
	key := shapeKey{s, fnt.Size, fnt.Weight >= xfont.WeightBold}
	shaper.Lock()
	defer shaper.Unlock()
	if l, ok := shaper.lines[key]; ok {
		return l
	}
	if shaper.lines == nil || len(shaper.lines) >= maxShaped {
		shaper.lines = map[shapeKey]*shapedLine{}
		shaper.outlines = map[glyphKey]vg.Path{}
	}
	text := []rune(s)
	size := fixed.Int26_6(float64(fnt.Size)*64 + 0.5)
	type item struct {
		out   shaping.Output
		level int
	}
	var items []item
	for _, run := range levelRuns(&shaper.para, text) {
		dir := di.DirectionLTR
		if run.level%2 == 1 {
			dir = di.DirectionRTL
		}
		for _, sr := range scriptRuns(text, run.start, run.end) {
			in := shaping.Input{
				Text: text, RunStart: sr.start, RunEnd: sr.end,
				Direction: dir, Size: size, Script: sr.script, Language: languageOf(sr.script),
			}
			for _, part := range shaping.SplitByFace(in, fontmap{t, sr.script}) {
				items = append(items, item{shaper.hb.Shape(part), run.level})
			}
		}
	}
	levels := make([]int, len(items))
	for i, it := range items {
		levels[i] = it.level
	}
	l := &shapedLine{}
	var x fixed.Int26_6
	for _, i := range visualOrder(levels) {
		out := items[i].out
		// HarfBuzz gives the glyphs of a right-to-left run in visual order too.
		for _, g := range out.Glyphs {
			l.glyphs = append(l.glyphs, shapedGlyph{
				face:    out.Face,
				id:      g.GlyphID,
				cluster: g.TextIndex(),
				x:       px(x + g.XOffset),
				y:       px(g.YOffset),
				outline: outline(out.Face, g.GlyphID, fnt.Size),
			})
			x += g.Advance
		}
	}
	l.width = px(x)
	shaper.lines[key] = l
	return l
}

// px is a 26.6 pixel value as a length (one point is one pixel).
func px(v fixed.Int26_6) vg.Length { return vg.Length(v) / 64 }

// outline is the outline of glyph id of face at size, around its origin; the
// shaper's lock must be held.
func outline(face *gtfont.Face, id gtfont.GID, size vg.Length) vg.Path {
	key := glyphKey{face, id, size}
	if p, ok := shaper.outlines[key]; ok {
		return p
	}
	o, ok := face.GlyphData(id).(gtfont.GlyphOutline)
	if !ok {
		return nil
	}
	scale := size / vg.Length(face.Upem())
	pt := func(p ot.SegmentPoint) vg.Point {
		return vg.Point{X: vg.Length(p.X) * scale, Y: vg.Length(p.Y) * scale}
	}
	var p vg.Path
	for _, s := range o.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if len(p) > 0 {
				p.Close()
			}
			p.Move(pt(s.Args[0]))
		case ot.SegmentOpLineTo:
			p.Line(pt(s.Args[0]))
		case ot.SegmentOpQuadTo:
			p.QuadTo(pt(s.Args[0]), pt(s.Args[1]))
		case ot.SegmentOpCubeTo:
			p.CubeTo(pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2]))
		}
	}
	if len(p) > 0 {
		p.Close()
	}
	shaper.outlines[key] = p
	return p
}

// draw fills the glyphs of l with the canvas's colour, the left end of the
// line's baseline at pt.
func (l *shapedLine) draw(c vg.Canvas, pt vg.Point) {
	var p vg.Path
	for _, g := range l.glyphs {
		if len(g.outline) == 0 {
			continue
		}
		at := vg.Point{X: pt.X + g.x, Y: pt.Y + g.y}
		p = p[:0]
		for _, comp := range g.outline {
			comp.Pos = comp.Pos.Add(at)
			if len(comp.Control) > 0 {
				ctl := make([]vg.Point, len(comp.Control))
				for i, q := range comp.Control {
					ctl[i] = q.Add(at)
				}
				comp.Control = ctl
			}
			p = append(p, comp)
		}
		c.Fill(p)
	}
}

// fontmap picks the face of each character: DejaVu Sans for Arabic, which
// Liberation lacks, Liberation for every other character it has.
type fontmap struct {
	t      *typeface
	script language.Script
}

func (m fontmap) ResolveFace(r rune) *gtfont.Face {
	switch {
	case m.script == language.Arabic && has(m.t.fallback, r):
		return m.t.fallback
	case has(m.t.lib, r):
		return m.t.lib
	case has(m.t.fallback, r):
		return m.t.fallback
	}
	return m.t.lib
}

// languageOf is the language HarfBuzz shapes a script in.
func languageOf(s language.Script) language.Language {
	switch s {
	case language.Arabic:
		return language.NewLanguage("ar")
	case language.Hebrew:
		return language.NewLanguage("he")
	}
	return language.NewLanguage("nl")
}

// levelRun is a run of text of one bidi embedding level, text[start:end].
type levelRun struct {
	start, end, level int
}

// levelRuns splits text into runs of one embedding level, in logical order,
// by the Unicode bidi algorithm; the paragraph direction is that of the first
// strong character (rules P2 and P3), left to right without one.
func levelRuns(p *gtbidi.Paragraph, text []rune) []levelRun {
	dir := gtbidi.LeftToRight
	if paragraphRTL(text) {
		dir = gtbidi.RightToLeft
	}
	rs := p.Segment(text, dir)
	var out []levelRun
	for i := range rs.NumRuns() {
		r := rs.Run(i)
		if dir == gtbidi.LeftToRight && r.Level == 2 {
			// The bidi package joins neighbouring runs of one direction, so a
			// number right after right-to-left text (level 2) comes in one run
			// with the left-to-right text after it (level 0): split them.
			if end := r.Start + numberPrefix(text[r.Start:r.End]); end < r.End {
				out = append(out, levelRun{r.Start, end, 2}, levelRun{end, r.End, 0})
				continue
			}
		}
		out = append(out, levelRun{r.Start, r.End, int(r.Level)})
	}
	return out
}

// paragraphRTL reports whether the first strong character of text is
// right-to-left.
func paragraphRTL(text []rune) bool {
	for _, r := range text {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

// numberPrefix is the length of the number text starts with: digits with the
// separators between them and the signs after them, such as "62,5%".
func numberPrefix(text []rune) int {
	n, end := 0, 0
	for _, r := range text {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.EN, bidi.AN:
			n++
			end = n
		case bidi.ET, bidi.NSM, bidi.BN:
			n++
			if end == n-1 {
				end = n
			}
		case bidi.CS, bidi.ES:
			n++
		default:
			return end
		}
	}
	return end
}

// visualOrder is the order in which to draw runs of the given embedding
// levels, left to right: from the highest level down to the lowest odd one,
// every sequence of runs at that level or above is reversed (rule L2).
func visualOrder(levels []int) []int {
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	if len(levels) == 0 {
		return order
	}
	hi, lowOdd := slices.Max(levels), -1
	for _, l := range levels {
		if l%2 == 1 && (lowOdd < 0 || l < lowOdd) {
			lowOdd = l
		}
	}
	if lowOdd < 0 {
		return order
	}
	for lvl := hi; lvl >= lowOdd; lvl-- {
		for i := 0; i < len(order); {
			if levels[order[i]] < lvl {
				i++
				continue
			}
			j := i
			for j < len(order) && levels[order[j]] >= lvl {
				j++
			}
			slices.Reverse(order[i:j])
			i = j
		}
	}
	return order
}

// scriptRun is a run of text of one script, text[start:end].
type scriptRun struct {
	start, end int
	script     language.Script
}

// scriptRuns splits text[start:end] into runs of one script; spaces, digits,
// punctuation and marks belong to the run they stand in.
func scriptRuns(text []rune, start, end int) []scriptRun {
	var out []scriptRun
	cur := scriptRun{start: start, script: language.Common}
	for i := start; i < end; i++ {
		s := language.LookupScript(text[i])
		switch {
		case s == language.Common || s == language.Inherited || s == cur.script:
		case cur.script == language.Common:
			cur.script = s
		default:
			cur.end = i
			out = append(out, cur)
			cur = scriptRun{start: i, script: s}
		}
	}
	cur.end = end
	if cur.script == language.Common {
		cur.script = language.Latin
	}
	return append(out, cur)
}
