package digest

import (
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// newRoundView is one round: its facts and afspiegeling, and unless it is
// still open its headlines, charts and themes.
//
// A round with fewer respondents than the threshold shows no numbers at all,
// and a live tussenstand (results.Live) only its banded response.
func newRoundView(r Round, loc *time.Location, names *chartNames) (roundView, error) {
	res := r.Results
	rv := roundView{
		Title:        roundTitle(res),
		ID:           oneLine(res.Round.ID, 80),
		Facts:        facts(r, loc),
		Afspiegeling: afspiegelingLines(res),
		Pending:      r.State == StateOpen,
	}
	rv.Chat = chatRound(rv, r)
	if res.TooFew {
		return rv, nil
	}
	prefix := names.prefix(res)
	var err error
	if rv.AfspiegelingCharts, err = afspiegelingCharts(res, prefix, names); err != nil {
		return roundView{}, err
	}
	if rv.Pending {
		return rv, nil
	}
	for _, q := range res.Questions {
		switch {
		case q.ID == surveys.ProcesevaluatieID:
			// shown in its own section
		case q.Type == string(surveys.Open):
			rv.Themes = append(rv.Themes, themesOf(q))
		default:
			res := resultView{Question: oneLine(q.Text, 0), Lines: headline(q)}
			if res.Chart, err = questionChart(q, prefix, names); err != nil {
				return roundView{}, err
			}
			rv.Results = append(rv.Results, res)
		}
	}
	return rv, nil
}

// facts are the state, the dates, the response and the promised terugkoppeling.
func facts(r Round, loc *time.Location) []string {
	res := r.Results
	state := "Status: " + stateWord(r.State)
	if !r.DecidedAt.IsZero() {
		state += " op " + dutch.Date(r.DecidedAt.In(loc))
	}
	lines := []string{state}
	if d := roundDates(res.Round, loc); d != "" {
		lines = append(lines, d)
	}
	lines = append(lines, responseLine(res))
	if s := res.Survey; s != nil {
		var parts []string
		if !s.Card.Terugkoppeling.IsZero() {
			parts = append(parts, "Terugkoppeling beloofd op "+dutch.Date(s.Card.Terugkoppeling))
		}
		if w := oneLine(s.Card.WieBeslist, 120); w != "" {
			parts = append(parts, "wie beslist: "+w)
		}
		if len(parts) > 0 {
			lines = append(lines, strings.Join(parts, "; "))
		}
	}
	return lines
}

// roundDates is "Looptijd: 1 november 2026 t/m 14 november 2026", or "Open
// sinds 3 november 2026".
func roundDates(ri results.RoundInfo, loc *time.Location) string {
	switch {
	case !ri.Opened.IsZero() && !ri.Closed.IsZero():
		return "Looptijd: " + dutch.Date(ri.Opened.In(loc)) + " t/m " + dutch.Date(lastDay(ri.Closed.In(loc)))
	case !ri.Opened.IsZero():
		return "Open sinds " + dutch.Date(ri.Opened.In(loc))
	case !ri.Closed.IsZero():
		return "Gesloten op " + dutch.Date(ri.Closed.In(loc))
	}
	return ""
}

// responseLine is "Respons: 42 deelnemers, 38 volledig; 120 uitgenodigd,
// responspercentage 31,7%"; for a live tussenstand "Tussenstand: 10–19
// deelnemers, 0–9 volledig; 120 uitgenodigd", and for a round with fewer
// respondents than the threshold no number.
func responseLine(r *results.Results) string {
	switch {
	case r.TooFew:
		return tooFewLine(r)
	case r.Live:
		s := "Tussenstand: " + results.BandText(r.Respondents, r.Band) + " deelnemers, " +
			results.BandText(r.Completed, r.Band) + " volledig (afgerond: de ronde is nog open)"
		if r.Invited > 0 {
			s += "; " + dutch.Int(r.Invited) + " uitgenodigd"
		}
		return s
	}
	s := "Respons: " + dutch.Plural(r.Respondents, "deelnemer", "deelnemers") + ", " + dutch.Int(r.Completed) + " volledig"
	if r.Invited > 0 {
		return s + "; " + dutch.Int(r.Invited) + " uitgenodigd, responspercentage " + dutchPercent(100*r.ResponseRate)
	}
	return s + "; nog niemand uitgenodigd (wie via de webchat meedoet, komt zonder uitnodiging)"
}

// rScore is "0,62 (redelijke afspiegeling)", or "niet te berekenen", for the
// chat line (results.RScoreShort).
func rScore(r *results.Results) string { return results.RScoreShort(r) }

// tooFewLine says why a round with fewer respondents than the threshold shows
// no numbers.
func tooFewLine(r *results.Results) string {
	return "Te weinig deelnemers om de uitslag te tonen: minder dan " + dutch.Int(int64(r.Threshold)) +
		". Zo'n kleine groep tonen we nooit, ook niet in dit overzicht."
}

// afspiegelingLines are the R-indicator with the response rates per group,
// the R-score, the groups taken together and how the results were weighted.
func afspiegelingLines(r *results.Results) []string {
	switch {
	case r.TooFew:
		return []string{"Afspiegeling: niet te tonen (te weinig deelnemers)."}
	case r.Live:
		return []string{"Afspiegeling: volgt zodra de ronde gesloten is."}
	}
	var lines []string
	for _, explained := range []func(*results.Results) (results.Explanation, bool){results.RIndicatorExplained, results.RScoreExplained, results.WeightingExplained} {
		if e, ok := explained(r); ok {
			lines = append(append(lines, e.Line), e.Notes...)
		}
	}
	if len(lines) == 0 && r.Panel == nil {
		return []string{"Afspiegeling: niet bekend: er zijn geen bevolkingscijfers om mee te vergelijken."}
	}
	// a round with a lottery-drawn panel: its response and whether the
	// self-selected residents answered otherwise
	return append(lines, results.PanelSummaryLines(r.Panel)...)
}

// themesOf are the themes of an open question by term and count, never the
// answers themselves.
func themesOf(q results.QuestionResult) themeView {
	tv := themeView{Question: oneLine(q.Text, 0)}
	if q.Category != "" {
		tv.Question += " (" + oneLine(q.Category, 60) + ")"
	}
	if q.N == 0 {
		tv.Items = []string{"Nog geen antwoorden."}
		return tv
	}
	if len(q.Themes) == 0 {
		tv.Items = []string{dutch.Plural(q.N, "open antwoord", "open antwoorden") + ", geen terugkerende thema's"}
		return tv
	}
	for _, t := range q.Themes {
		tv.Items = append(tv.Items, "“"+oneLine(t.Term, 60)+"”: "+dutch.Plural(int64(t.Count), "antwoord", "antwoorden"))
	}
	if q.Other > 0 {
		tv.Items = append(tv.Items, "overig: "+dutch.Plural(int64(q.Other), "antwoord", "antwoorden"))
	}
	return tv
}
