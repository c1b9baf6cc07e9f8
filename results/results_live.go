package results

import (
	"strconv"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Live coarsens the results of a round that is still open, for an export that
// can be taken again after the next response. Two exact exports taken around
// one new response differ by exactly that response: its answers, its kern and
// leeftijdsgroep. Rounding does not help for answers: when an option's count
// crosses a multiple of the threshold, the difference still names the option.
// So a live export holds only what no single answer moves: the respondents
// and those who completed, rounded down to a multiple of the threshold (a new
// respondent may move them across a band, which says nothing about what they
// answered), who was invited (which no response changes), and the questions
// without figures. The results per question and group follow at close.
func Live(r *Results) *Results {
	t := max(r.Threshold, 1)
	out := &Results{Survey: r.Survey, SurveyID: r.SurveyID, Title: r.Title, Round: r.Round,
		Threshold: r.Threshold, Invited: r.Invited, Live: true, Band: int64(t),
		Respondents: disclosure.Band(r.Respondents, t), Completed: disclosure.Band(r.Completed, t),
		Questions: make([]QuestionResult, 0, len(r.Questions)), ByKern: []Cell{}, ByLeeftijd: []Cell{},
		Message: LiveMessage(t)}
	if out.Invited > 0 {
		out.ResponseRate = float64(out.Respondents) / float64(out.Invited)
	}
	for _, q := range r.Questions {
		out.Questions = append(out.Questions, QuestionResult{ID: q.ID, Type: q.Type, Text: q.Text, Category: q.Category})
	}
	return out
}

// LiveMessage explains a live export.
func LiveMessage(band int) string {
	return "Tussenstand: de ronde is nog open. Deelnemers en volledig ingevuld zijn naar beneden afgerond op " +
		"een veelvoud van " + strconv.Itoa(band) + ", en per vraag en per groep tonen we nog niets, zodat twee " +
		"tussenstanden samen niets verraden over één antwoord. De uitslag volgt zodra de ronde gesloten is."
}

// InternalTooFew heads the figures of a round with fewer respondents than the
// threshold, shown to organisers only (Results.Internal).
func InternalTooFew(threshold int) string {
	return "INTERN — niet delen. Aan deze ronde deden minder dan " + strconv.Itoa(threshold) + " mensen mee. " +
		"Deze cijfers zijn alleen voor organisatoren; deelnemers en stuurgroep krijgen geen cijfers, omdat zo'n " +
		"kleine groep herkenbaar is. Deel ze niet en publiceer ze niet."
}

// InternalLive heads the exact figures of a round that is still open, shown
// to organisers only (Results.Internal).
func InternalLive() string {
	return "INTERN — niet delen. Exacte tussenstand van een ronde die nog open is: twee van zulke tussenstanden " +
		"naast elkaar tonen wat één deelnemer antwoordde. Alleen voor organisatoren; deel en publiceer ze niet."
}

// BandText is "10–19" for a count banded to multiples of band (Live); the
// count itself when band is 1 or less.
func BandText(n, band int64) string { return bandText(n, band) }

func bandText(n, band int64) string {
	if band <= 1 {
		return dutch.Int(n)
	}
	return dutch.Int(n) + "–" + dutch.Int(n+band-1)
}
