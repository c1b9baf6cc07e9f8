package charts

import (
	"gonum.org/v1/plot/vg"
)

// Where the labels of a bar chart go. On a phone the chart is shown about 390
// pixels wide, a third of its width: a column of labels beside the bars leaves
// room for a few words a line and thin bars. So a label goes above its bar,
// across the whole width, on as many lines as it needs; only labels short enough
// for one line of a narrow column (the marks 1–10 of a rating, "Ja", "Fiets")
// stand beside their bars. A question with so many options that the chart would
// grow past maxHeight even with thin bars gets its labels on fewer lines, cut
// between words with "…" (the alt text keeps them whole), and beyond that the
// column beside the bars, one line a bar.

// Label layout sizes in pixels.
const (
	sideWidth = 260 // the widest a label beside its bar may be in a chart of short labels
	labelGap  = 8   // between a label and the bar below it
	slotPad   = 30  // between one bar and the next label
	maxBar    = 56  // the thickest a bar gets
	minBar    = 28  // the thinnest a bar gets above a label
)

// barLayout is how the bars of a chart and their labels are set: the label
// lines of each bar (top bar first), whether they stand above their bars, the
// thickness of the bars and the height each bar takes with its label.
type barLayout struct {
	above bool
	lines [][]string
	thick vg.Length
	slots []vg.Length
}

// height is the height of all bars with their labels.
func (l barLayout) height() vg.Length {
	var h vg.Length
	for _, s := range l.slots {
		h += s
	}
	return h
}

// layoutBars sets the labels of a bar chart within room, the height left for
// its bars (see the comment above): above their bars unless all are short, on
// every line they need when that fits.
func layoutBars(labels []string, room vg.Length) barLayout {
	if short(labels) {
		return sideLayout(labels, room)
	}
	needed := 1
	for _, s := range labels {
		needed = max(needed, len(wrap(labelStyle, s, inner, allLines)))
	}
	for lines := needed; lines >= 1; lines-- {
		for _, thick := range []vg.Length{maxBar, minBar} {
			if l := aboveLayout(labels, lines, thick); l.height() <= room {
				return l
			}
		}
	}
	return sideLayout(labels, room)
}

// short reports whether every label fits on one line of the narrow column.
func short(labels []string) bool {
	for _, s := range labels {
		if len(wrap(labelStyle, s, sideWidth, allLines)) > 1 {
			return false
		}
	}
	return true
}

// aboveLayout puts each label above its bar on at most maxLines lines.
func aboveLayout(labels []string, maxLines int, thick vg.Length) barLayout {
	l := barLayout{above: true, thick: thick}
	for _, s := range labels {
		lines := wrap(labelStyle, s, inner, maxLines)
		l.lines = append(l.lines, lines)
		l.slots = append(l.slots, vg.Length(len(lines)*textLine)+labelGap+thick+slotPad)
	}
	return l
}

// sideLayout puts each label beside its bar: in a narrow column when all are
// short, else in a column of labelWidth on up to three lines, fewer when there
// are so many bars that the chart would grow past room; the height per bar
// shrinks to minSlot before the chart grows past it.
func sideLayout(labels []string, room vg.Length) barLayout {
	n := len(labels)
	lines := 3
	for lines > 1 && vg.Length(n*slotFor(lines)) > room {
		lines--
	}
	l := barLayout{}
	used := 1
	for _, s := range labels {
		w := wrap(labelStyle, s, labelWidth, lines)
		used = max(used, len(w))
		l.lines = append(l.lines, w)
	}
	slot := vg.Length(slotFor(used))
	if vg.Length(n)*slot > room {
		slot = max(minSlot, room/vg.Length(n))
	}
	l.thick = min(maxBar, slot*0.62)
	for range labels {
		l.slots = append(l.slots, slot)
	}
	return l
}

// slotFor is the height per bar beside labels of the given number of lines.
func slotFor(lines int) int { return max(baseSlot, lines*textLine+slotExtra) }
