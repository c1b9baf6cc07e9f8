package digest

import (
	"bytes"

	"github.com/participatiebot/participatiebot/results"
	"regexp"
	"strconv"
	"strings"
)

// Section headings, shared by the Markdown and the HTML report.
const (
	headSummary      = "Samenvatting"
	headReading      = "Zo leest u de cijfers"
	headRounds       = "Rondes"
	headAfspiegeling = "Afspiegeling"
	headResults      = "Belangrijkste uitkomsten"
	headThemes       = "Thema's uit de open antwoorden"
	headProces       = "Procesevaluatie"
	headOverdue      = "Terugkoppeling te laat"
	headIndicators   = "Indicatoren"
)

// Fixed sentences of the report.
const (
	pendingNote    = "Deze ronde is nog open; de uitkomsten volgen als ze gesloten is."
	procesQuestion = "Hoe tevreden bent u over hoe deze ronde verliep? (cijfer 1–10)"
	procesNone     = "Geen antwoorden op de procesevaluatie in deze periode."
	procesWeights  = "elke ronde telt mee naar het aantal antwoorden"
	overdueNone    = "Geen: elke beloofde terugkoppeling is op tijd of er is besloten."
	themesNote     = "Alleen de thema's en hun aantallen; de antwoorden zelf staan niet in dit verslag."
)

// readingGuide explains every figure of the report once, in plain Dutch, in
// the words of every other report (package results).
var readingGuide = []string{
	results.ResponseHelp(1, 0, 0),
	results.RIndicatorHelp,
	results.RScoreHelp,
	results.WeightingHelp,
	results.IntervalHelp,
	results.RankHelp,
	results.RankBandHelp,
	results.RankTooFewHelp,
}

// markdown is the report in CommonMark with GFM tables; every text from a
// survey file goes through md, and images refer to the charts by file name.
func markdown(p *page) []byte {
	var b bytes.Buffer
	para := func(lines ...string) {
		b.WriteString(strings.Join(lines, "\n") + "\n\n")
	}
	list := func(items []string) {
		for _, it := range items {
			b.WriteString("- " + md(it) + "\n")
		}
		b.WriteString("\n")
	}
	para("# " + md(p.Heading))
	para("Periode: " + md(p.Period))
	para("## " + headSummary)
	list(p.Summary)
	para("## " + headReading)
	list(readingGuide)
	para("## " + headRounds)
	if len(p.Rounds) == 0 {
		para(md(noRounds))
	}
	for _, r := range p.Rounds {
		markdownRound(&b, r, para, list)
	}
	para("## " + headProces)
	para(md(procesQuestion))
	if len(p.Proces.Rows) == 0 {
		para(md(procesNone))
	} else {
		rows := make([][]string, len(p.Proces.Rows))
		for i, r := range p.Proces.Rows {
			rows[i] = []string{r.Round, r.Mean, r.N}
		}
		markdownTable(&b, []string{"Ronde", "Gemiddeld cijfer", "Antwoorden"}, "| --- | ---: | ---: |", rows)
		para(md("Gemiddeld over de periode: " + p.Proces.Overall + "; " + procesWeights + "."))
	}
	if len(p.Indicators) > 0 {
		para("## " + headIndicators)
		list(p.Indicators)
	}
	para("## " + headOverdue)
	if len(p.Overdue) == 0 {
		para(md(overdueNone))
	} else {
		rows := make([][]string, len(p.Overdue))
		for i, o := range p.Overdue {
			rows[i] = []string{o.Title, o.ID, o.Promised, o.Days, o.WieBeslist}
		}
		markdownTable(&b, []string{"Ronde", "Ronde-id", "Beloofd op", "Te laat", "Wie beslist"}, "| --- | --- | --- | ---: | --- |", rows)
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// markdownRound is one round: its facts, afspiegeling, headlines and themes.
func markdownRound(b *bytes.Buffer, r roundView, para func(...string), list func([]string)) {
	head := "### " + md(r.Title)
	if r.ID != "" {
		head += " (ronde " + md(r.ID) + ")"
	}
	para(head)
	list(r.Facts)
	para("#### " + headAfspiegeling)
	list(r.Afspiegeling)
	for _, c := range r.AfspiegelingCharts {
		para(image(c))
	}
	if r.Pending {
		para(md(pendingNote))
		return
	}
	if len(r.Results) > 0 {
		para("#### " + headResults)
		for i, q := range r.Results {
			b.WriteString(strconv.Itoa(i+1) + ". **" + md(q.Question) + "**\n")
			for _, l := range q.Lines {
				b.WriteString("   - " + md(l) + "\n")
			}
			if q.Chart != nil {
				b.WriteString("\n   " + image(*q.Chart) + "\n")
			}
			b.WriteString("\n")
		}
	}
	if len(r.Themes) > 0 {
		para("#### " + headThemes)
		para(md(themesNote))
		for _, t := range r.Themes {
			b.WriteString("- **" + md(t.Question) + "**\n")
			for _, it := range t.Items {
				b.WriteString("  - " + md(it) + "\n")
			}
		}
		b.WriteString("\n")
	}
}

// markdownTable writes a GFM table; align is its delimiter row.
func markdownTable(b *bytes.Buffer, head []string, align string, rows [][]string) {
	b.WriteString("| " + strings.Join(head, " | ") + " |\n" + align + "\n")
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = md(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n")
}

// image refers to a chart file, its alt text escaped.
func image(c chartView) string {
	return "![" + md(c.Alt) + "](" + c.Name + ")"
}

// mdInline escapes every character that could start emphasis, code, a link,
// an image, raw HTML, a table cell or strikethrough (CommonMark allows a
// backslash before any ASCII punctuation).
var mdInline = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"|", `\|`, "<", `\<`, ">", `\>`, "~", `\~`, "#", `\#`, "!", `\!`, "&", `\&`,
	"://", `\://`,
)

// mdWWW and mdBlockStart are what would still turn text into a link (GFM
// autolinks "www.") or start a block at the beginning of a line (a list, a
// heading underline).
var (
	mdWWW        = regexp.MustCompile(`(?i)(www)\.`)
	mdBlockStart = regexp.MustCompile(`^(\d+[.)]|[-+=])`)
)

// md makes text from a survey file safe to put in Markdown as one line of
// plain text: it shows as written and can start no link, image, HTML or block.
func md(s string) string {
	s = mdInline.Replace(oneLine(s, 0))
	s = mdWWW.ReplaceAllString(s, `$1\.`)
	if m := mdBlockStart.FindString(s); m != "" {
		s = m[:len(m)-1] + `\` + s[len(m)-1:]
	}
	return s
}
