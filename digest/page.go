package digest

import (
	"cmp"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
)

// page is the digest as plain-text pieces; chat, Markdown and HTML render the
// same page, each escaping the text its own way.
type page struct {
	Heading string // "Participatie-digest — Gemeente Dalfsen"
	Period  string // "1 november 2026 t/m 30 november 2026"
	Name    string
	Summary []string // the key lines, also the heart of the chat message
	Rounds  []roundView
	Proces  procesView
	Overdue []overdueView
	// Indicators are the indicators' lines (Input.Indicators).
	Indicators []string
}

// roundView is one round of the period.
type roundView struct {
	Title string
	ID    string
	// Chat is the round in one line for the chat message.
	Chat string
	// Facts are the state, dates, response and promised terugkoppeling.
	Facts []string
	// Afspiegeling are the R-indicator, R-score and weighting lines, with their
	// charts.
	Afspiegeling       []string
	AfspiegelingCharts []chartView
	// Pending is set for an open round: its results come after it closes.
	Pending bool
	Results []resultView
	Themes  []themeView
}

// resultView is the headline of one closed question.
type resultView struct {
	Question string
	Lines    []string
	Chart    *chartView
}

// themeView are the themes of one open question, "overig" last.
type themeView struct {
	Question string
	Items    []string
}

// chartView is a chart as the report shows it.
type chartView struct {
	charts.Chart
	// Src is the PNG as a data: URL, for the HTML page.
	Src string
}

// procesView is the procesevaluatie per round and over the period.
type procesView struct {
	Rows    []procesRow
	Overall string // empty when no round has an answer
}

type procesRow struct {
	Round string
	Mean  string
	N     string
}

// overdueView is one round whose terugkoppeling is late.
type overdueView struct {
	Title      string
	ID         string
	Promised   string
	Days       string
	WieBeslist string
}

// charts are all charts of the page, in the order shown.
func (p *page) charts() []charts.Chart {
	var out []charts.Chart
	for _, r := range p.Rounds {
		for _, c := range r.AfspiegelingCharts {
			out = append(out, c.Chart)
		}
		for _, q := range r.Results {
			if q.Chart != nil {
				out = append(out, q.Chart.Chart)
			}
		}
	}
	return out
}

// newPage turns the sorted rounds into the page.
func newPage(in Input, rounds, overdue []Round, loc *time.Location) (*page, error) {
	from, to := in.From.In(loc), in.To.In(loc)
	p := &page{
		Heading: "Participatie-digest",
		Period:  dutch.Date(from) + " t/m " + dutch.Date(lastDay(to)),
		Name:    reportName(from, to),
	}
	if t := oneLine(in.Title, 200); t != "" {
		p.Heading += " — " + t
	}
	names := newChartNames()
	for _, r := range rounds {
		rv, err := newRoundView(r, loc, names)
		if err != nil {
			return nil, err
		}
		p.Rounds = append(p.Rounds, rv)
	}
	p.Proces = newProcesView(rounds)
	for _, l := range in.Indicators {
		p.Indicators = append(p.Indicators, oneLine(l, 0))
	}
	for _, r := range overdue {
		p.Overdue = append(p.Overdue, newOverdueView(r, to))
	}
	p.Summary = summary(rounds, p.Proces, len(p.Overdue))
	return p, nil
}

// summary are the key lines of the period.
func summary(rounds []Round, pv procesView, overdue int) []string {
	var lines []string
	if len(rounds) == 0 {
		lines = append(lines, noRounds)
	} else {
		lines = append(lines, "Rondes in deze periode: "+dutch.Int(int64(len(rounds)))+stateCounts(rounds))
		// A round with too few respondents does not count: the total minus the
		// other rounds' figures would give its number. Live rounds count with
		// their banded tussenstand.
		var total int64
		var left, live bool
		for _, r := range rounds {
			switch {
			case r.Results.TooFew:
				left = true
			default:
				total += r.Results.Respondents
				live = live || r.Results.Live
			}
		}
		line := "Deelnemers, opgeteld over de rondes: " + dutch.Int(total)
		switch {
		case left && live:
			line += " (zonder de rondes met te weinig deelnemers; open rondes afgerond)"
		case left:
			line += " (zonder de rondes met te weinig deelnemers)"
		case live:
			line += " (open rondes afgerond naar beneden)"
		}
		lines = append(lines, line)
	}
	if pv.Overall != "" {
		lines = append(lines, "Procesevaluatie gemiddeld: "+pv.Overall)
	} else {
		lines = append(lines, "Procesevaluatie: nog geen antwoorden")
	}
	late := "geen"
	if overdue > 0 {
		late = dutch.Plural(int64(overdue), "ronde", "rondes")
	}
	return append(lines, "Terugkoppeling te laat: "+late)
}

// noRounds says the period had no rounds.
const noRounds = "Geen rondes in deze periode."

// stateCounts is " (1 open, 2 gesloten)", the states in a fixed order.
func stateCounts(rounds []Round) string {
	counts := map[string]int64{}
	for _, r := range rounds {
		counts[stateWord(r.State)]++
	}
	var parts []string
	for _, s := range []string{StateOpen, StateClosed, StatePublished, StateDecided} {
		if n := counts[stateWord(s)]; n > 0 {
			parts = append(parts, dutch.Int(n)+" "+stateWord(s))
			delete(counts, stateWord(s))
		}
	}
	if n := sumCounts(counts); n > 0 {
		parts = append(parts, dutch.Int(n)+" met een andere status")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func sumCounts(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// stateWord is the Dutch word for a round's state.
func stateWord(s string) string {
	switch s {
	case StateOpen:
		return "open"
	case StateClosed:
		return "gesloten"
	case StatePublished:
		return "uitslag gepubliceerd"
	case StateDecided:
		return "besluit genomen"
	}
	if s = oneLine(s, 40); s != "" {
		return s
	}
	return "onbekend"
}

// roundTitle is the title of a round's survey.
func roundTitle(r *results.Results) string {
	switch {
	case r.Title != "":
		return oneLine(r.Title, 200)
	case r.Survey != nil && r.Survey.Title != "":
		return oneLine(r.Survey.Title, 200)
	case r.SurveyID != "":
		return oneLine(r.SurveyID, 200)
	}
	return "Ronde"
}

// newOverdueView is one late terugkoppeling, counted in days up to the end
// of the period.
func newOverdueView(r Round, to time.Time) overdueView {
	card := r.Results.Survey.Card
	days := max(0, daysBetween(card.Terugkoppeling, to))
	return overdueView{
		Title:      roundTitle(r.Results),
		ID:         oneLine(r.Results.Round.ID, 80),
		Promised:   dutch.Date(card.Terugkoppeling),
		Days:       dutch.Plural(int64(days), "dag", "dagen"),
		WieBeslist: cmp.Or(oneLine(card.WieBeslist, 120), "onbekend"),
	}
}
