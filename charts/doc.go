// Package charts renders round results as PNG charts to send with the
// results on Telegram, Discord and the web chat: horizontal bars for choice
// and rating questions, a stacked 100% bar for Likert statements, a ranking
// with uncertainty bands for wie van de drie, the afspiegeling of the
// respondents against the population, and the trend of one figure over the
// rounds of a recurring survey as a line with its target (Trend).
//
// The charts are made for a phone: 1080 pixels wide (the width Telegram
// keeps for a photo), text of at least 42 pixels, which a phone showing the
// chart 390 pixels wide draws at 15, labels above their bars across the whole
// width and wrapped on as many lines as they need (layout.go; cut, between
// words, only in a chart of so many options that it would grow past
// maxHeight), the Okabe–Ito colour-blind safe palette on white, figures in
// Dutch notation next to every bar. Every chart comes with a Dutch alt text
// that carries the same figures and every label in words, for screen readers
// and for channels that show no images. The charts residents get of their
// questions also come in their language (QuestionIn): the charts' own words
// from lang/locales/chart.<language>.yaml, the figures as that language
// writes them, and for Arabic title, subtitle and labels right-aligned; the
// dashboard's and the stuurgroep's charts (Afspiegeling, Trend) stay Dutch. Drawing uses gonum.org/v1/plot with its
// embedded Liberation fonts, so the output is the same for the same input on
// every machine. Text in Arabic or Hebrew (a translated survey) is shaped and
// set in visual order by go-text/typesetting, Arabic in the embedded DejaVu
// Sans (shape.go); Latin text is drawn by the plot library as before.
//
// Examples are in docs/charts; CHARTS_WRITE_DOCS=1 go test ./charts -run
// WriteDocs writes them anew.
package charts
