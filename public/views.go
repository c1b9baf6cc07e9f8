package public

import (
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// listItem is one published round in the list.
type listItem struct {
	ID, Title string
	// Period is when the round was open, in words; Participants how many took
	// part ("minder dan 10" for a round too small to show).
	Period, Participants string
	Decided              bool
	closed               time.Time
}

func (s *server) listItem(sum rounds.Summary) listItem {
	r := sum.Round
	it := listItem{ID: r.ID, Title: sum.Loaded.Title, Period: s.period(r), Decided: r.State == storage.Decided,
		Participants: participants(sum.Respondents, s.cfg.Threshold), closed: r.ClosedAt}
	if it.closed.IsZero() {
		it.closed = r.ClosesAt
	}
	return it
}

// participants is the number who took part in words; a round with fewer than
// the threshold says only that, as its results do (results.TooFew).
func participants(n int64, threshold int) string {
	if n > 0 && n < int64(threshold) {
		return "minder dan " + strconv.Itoa(threshold) + " deelnemers"
	}
	return dutch.Plural(n, "deelnemer", "deelnemers")
}

// period is when round r was open: "van 1 maart 2027 tot 15 maart 2027", or
// "op 1 maart 2027" for a round that closed the day it opened.
func (s *server) period(r *storage.Round) string {
	from, to := r.OpenedAt, r.ClosedAt
	if from.IsZero() {
		from = r.OpensAt
	}
	if to.IsZero() {
		to = r.ClosesAt
	}
	f, t := dutch.Date(from.In(s.cfg.Location)), dutch.Date(to.In(s.cfg.Location))
	if f == t {
		return "op " + f
	}
	return "van " + f + " tot " + t
}

// roundData is the page of one round.
type roundData struct {
	ID, Heading, Title, Period string
	Card                       cardView
	// Participants, Completed and Response are the headline counts in words;
	// empty for a round with too few participants (TooFew).
	Participants, Completed, Response string
	TooFew                            bool
	TooFewMessage                     string
	Threshold                         int
	// Decision is the decision text once it was sent, DecidedOn its date;
	// Promised the date the participatiekaart promised it for while it is awaited.
	Decision, DecidedOn, Promised string
	Questions                     []questionView
	HasOpen                       bool
	Afspiegeling                  afspiegeling
	// IntervalHelp and Weighting explain the figures once (results' words).
	IntervalHelp string
	Weighting    *results.Explanation
}

func (s *server) roundPage(rd *storage.Round, sv *surveys.Survey, res *results.Results) roundData {
	d := roundData{ID: rd.ID, Title: sv.Title, Heading: "Uitslag: " + sv.Title, Period: s.period(rd),
		Card: newCardView(sv.Card), TooFew: res.TooFew, Threshold: res.Threshold,
		TooFewMessage: results.TooFewMessage(res.Threshold), IntervalHelp: results.IntervalHelp}
	if rd.State == storage.Decided && rd.Decision != "" {
		d.Decision = rd.Decision
		d.DecidedOn = dutch.Date(rd.DecidedAt.In(s.cfg.Location))
	} else if !sv.Card.Terugkoppeling.IsZero() {
		d.Promised = dutch.Date(sv.Card.Terugkoppeling)
	}
	for _, q := range res.Questions {
		if q.Type == string(surveys.Open) {
			d.HasOpen = true
		}
	}
	if res.TooFew {
		return d
	}
	d.Participants = dutch.Int(res.Respondents)
	d.Completed = dutch.Int(res.Completed)
	if res.Invited > 0 {
		d.Response = percent(100 * res.ResponseRate)
	}
	d.Questions = questionViews(res)
	d.Afspiegeling = s.afspiegeling(res)
	if e, ok := results.WeightingExplained(res); ok {
		d.Weighting = &e
	}
	return d
}

// cardView is the participatiekaart as shown.
type cardView struct {
	Doel, WieBeslist, Trede, TredeUitleg, WatGebeurtErMee, Terugkoppeling string
}

func newCardView(c surveys.Card) cardView {
	v := cardView{Doel: c.Doel, WieBeslist: c.WieBeslist, Trede: string(c.Trede), TredeUitleg: c.Trede.Uitleg(),
		WatGebeurtErMee: c.WatGebeurtErMee, Terugkoppeling: "–"}
	if !c.Terugkoppeling.IsZero() {
		v.Terugkoppeling = dutch.Date(c.Terugkoppeling)
	}
	return v
}

// percent writes a percentage 0..100 with at most one decimal: "62,5%", "40%".
func percent(p float64) string {
	return strings.TrimSuffix(dutch.Decimal(p, 1), ",0") + "%"
}
