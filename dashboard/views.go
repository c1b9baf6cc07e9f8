package dashboard

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/robfig/cron/v3"
)

// cardView is the participatiekaart as shown.
type cardView struct {
	Doel, WieBeslist, Trede, TredeUitleg, WatGebeurtErMee, Terugkoppeling string
}

func newCardView(c surveys.Card) cardView {
	return cardView{Doel: c.Doel, WieBeslist: c.WieBeslist, Trede: string(c.Trede),
		TredeUitleg: c.Trede.Uitleg(), WatGebeurtErMee: c.WatGebeurtErMee,
		Terugkoppeling: dutchDate(c.Terugkoppeling)}
}

// roundView is one round in the overview and on its own page.
type roundView struct {
	ID, SurveyID, SurveyTitle string
	State                     storage.State
	StateLabel                string
	Opens, Closes             time.Time
	OpensText, ClosesText     string
	// Next is the next transition and when it happens, in words.
	Next string
	// Overdue is set when the promised terugkoppeling date has passed without a decision.
	Overdue                         bool
	Respondents, Completed, Invited int64
	ResponseRate                    float64
	// InvitedText is Invited as shown ("nog niemand" for 0), ResponseRateText
	// the rate ("niet te berekenen" without invitations), ResponseHelp what
	// they mean (results.ResponseHelp).
	InvitedText, ResponseRateText, ResponseHelp string
	CanClose, SurveyKnown                       bool
	// CanDecide is set when the results went out and no decision was given yet.
	CanDecide bool
	// Decision is the decision text once given.
	Decision string
}

// roundView describes a round with its counts and next step (rounds.Summary), so
// they are the numbers every list of rounds and every report shows.
func (s *server) roundView(ctx context.Context, r *storage.Round) (roundView, error) {
	sum, err := s.rounds.Summarize(ctx, r, s.now())
	if err != nil {
		return roundView{}, err
	}
	return s.summaryView(sum), nil
}

// summaryView is a round of a list as shown.
func (s *server) summaryView(sum rounds.Summary) roundView {
	r := sum.Round
	v := roundView{ID: r.ID, SurveyID: r.Survey, SurveyTitle: r.Survey, State: r.State,
		StateLabel: rounds.StateLabel(r.State), Opens: r.OpensAt, Closes: r.ClosesAt,
		OpensText: dutchTime(r.OpensAt, s.cfg.Location), ClosesText: dutchTime(r.ClosesAt, s.cfg.Location),
		Respondents: sum.Respondents, Completed: sum.Completed, Invited: sum.Invited,
		ResponseRate: sum.ResponseRate, ResponseRateText: rateText(sum), InvitedText: invitedText(sum.Invited),
		ResponseHelp: results.ResponseHelp(sum.Invited, sum.Respondents, sum.ResponseRate),
		CanClose:     r.State == storage.Opened, SurveyKnown: sum.Loaded != nil,
		CanDecide: r.State == storage.Published && r.Decision == "", Decision: r.Decision,
		Next: s.nextText(r, sum.Next), Overdue: sum.Next.Overdue}
	if sum.Loaded != nil {
		v.SurveyTitle = sum.Loaded.Title
	}
	return v
}

// rateText is the response rate, or "niet te berekenen" when nobody was
// invited (yet): without invitations there is nothing to divide by.
func rateText(sum rounds.Summary) string {
	if sum.Invited <= 0 {
		return "niet te berekenen"
	}
	return dutchPercent(100 * sum.ResponseRate)
}

// invitedText is the number invited, or "nog niemand".
func invitedText(n int64) string {
	if n <= 0 {
		return "nog niemand"
	}
	return dutchInt(n)
}

// nextTransition says what happens next to a round, and whether the promised
// terugkoppeling is overdue.
func (s *server) nextTransition(r *storage.Round, sv *surveys.Survey) (string, bool) {
	n := rounds.Next(r, sv, s.now(), s.cfg.Location)
	return s.nextText(r, n), n.Overdue
}

// nextText says a round's next step in words.
func (s *server) nextText(r *storage.Round, n rounds.NextStep) string {
	loc := s.cfg.Location
	switch n.Step {
	case rounds.StepOpen:
		return "opent op " + dutchTime(r.OpensAt, loc)
	case rounds.StepClose:
		return "sluit op " + dutchTime(r.ClosesAt, loc)
	case rounds.StepPublish:
		return "uitslag wordt verstuurd"
	case rounds.StepDecide:
		switch {
		case n.DecisionDue.IsZero():
			return "besluit (terugkoppeling) volgt"
		case n.Overdue:
			return "besluit (terugkoppeling) te laat: beloofd voor " + dutchDate(n.DecisionDue)
		}
		return "besluit (terugkoppeling) verwacht op " + dutchDate(n.DecisionDue)
	}
	if r.State == storage.Decided {
		return "afgerond: besluit teruggekoppeld op " + dutchTime(r.DecidedAt, loc)
	}
	return "–"
}

// surveyView is one survey in the overview.
type surveyView struct {
	ID, Title string
	Card      cardView
	// Schedule says when rounds open, how long they last and when reminders go.
	Schedule, Cron, Next string
	Questions            int
	OpenRounds           []string
	// Trend is set when the survey links to its trend page (hasTrend).
	Trend bool
}

func (s *server) surveyView(sv *surveys.Survey, rounds []roundView) surveyView {
	v := surveyView{ID: sv.ID, Title: sv.Title, Card: newCardView(sv.Card), Questions: len(sv.Questions),
		Trend: hasTrend(sv)}
	sch := sv.Schedule
	parts := []string{}
	if sch.Cron != "" {
		v.Cron = sch.Cron
		parts = append(parts, "volgens een vast schema")
		if spec, err := cron.ParseStandard(sch.Cron); err == nil {
			// slots are wall-clock readings (see scheduler): evaluate on the local
			// reading placed in UTC, and show that reading
			if next := spec.Next(wallClock(s.now(), s.cfg.Location)); !next.IsZero() {
				v.Next = dutchTime(next, time.UTC)
			}
		}
	} else if !sch.Opens.IsZero() {
		parts = append(parts, "eenmalig, vanaf "+dutchTime(sch.Opens, time.UTC))
	}
	parts = append(parts, dutchDuration(sch.Duration)+" open")
	if len(sch.Reminders) > 0 {
		rs := make([]string, len(sch.Reminders))
		for i, d := range sch.Reminders {
			rs[i] = dutchDuration(d)
		}
		parts = append(parts, "herinnering "+dutch.And(rs)+" voor het sluiten")
	}
	v.Schedule = strings.Join(parts, "; ")
	for _, r := range rounds {
		if r.SurveyID == sv.ID && r.State == storage.Opened {
			v.OpenRounds = append(v.OpenRounds, r.ID)
		}
	}
	return v
}

// wallClock is the local wall-clock reading of t, as a UTC time.
func wallClock(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// roundList lists the live rounds (rounds.Service.List), newest first.
func (s *server) roundList(ctx context.Context) ([]roundView, error) {
	list, err := s.rounds.List(ctx, s.now())
	if err != nil {
		return nil, err
	}
	out := make([]roundView, 0, len(list))
	for _, sum := range slices.Backward(list) {
		out = append(out, s.summaryView(sum))
	}
	return out, nil
}
