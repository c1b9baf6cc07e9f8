package digest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
)

// Round is one round in the period, with its computed results.
type Round struct {
	// Results are computed with afspiegeling and weighting when available;
	// Results.Survey is set (Card.Terugkoppeling is the promised date,
	// Card.WieBeslist who decides).
	Results *results.Results
	// State is "open", "closed", "published" or "decided".
	State string
	// DecidedAt is when the decision was taken; zero if there is none yet.
	DecidedAt time.Time
}

// The states of a round.
const (
	StateOpen      = "open"
	StateClosed    = "closed"
	StatePublished = "published"
	StateDecided   = "decided"
)

// Input is what a digest covers.
type Input struct {
	// Title heads the digest, e.g. "Gemeente Dalfsen — participatie".
	Title string
	// From and To are the period: rounds closed (or opened, for open ones) in
	// [From, To).
	From, To time.Time
	// Rounds are the rounds of the period.
	Rounds []Round
	// Overdue are rounds of any time whose promised terugkoppeling date is
	// before To and that have no decision; Build leaves out any that has one.
	Overdue []Round
	// Indicators are the indicators of the recurring surveys, each in one line
	// ("Burgerpeiling: ‘…’: 60% … doel ≥ 50% in 2027 (wethouder): op koers"): the
	// caller gives those whose figure changed in the period and every one not on
	// course (trend.Status.Line).
	Indicators []string
	// Location is where dates are read; nil uses the location of From.
	Location *time.Location
}

// Report is a built digest.
type Report struct {
	// Chat is one chat message in Dutch, at most ChatLimit runes.
	Chat string
	// Markdown is the full report; its images refer to Charts by name.
	Markdown []byte
	// HTML is the full report as one standalone page: lang="nl", inline CSS,
	// the charts embedded as data: URLs with their alt text, no script.
	HTML []byte
	// Name is the file base name, ASCII, e.g. "participatie-digest-2026-11".
	Name string
	// Charts are the charts the report shows, each named as the Markdown
	// refers to it, for the caller to send or store next to the report.
	Charts []charts.Chart
}

// ChatLimit is the most runes Report.Chat has: under Telegram's 4096
// characters per message (https://core.telegram.org/bots/api#sendmessage);
// the Discord channel splits longer messages itself.
const ChatLimit = 4000

// Build makes the digest of a period. Rounds are shown in the order they
// closed (open rounds by opening), overdue rounds by their promised date, so
// the same input always gives the same report.
func Build(in Input) (*Report, error) {
	if err := check(in); err != nil {
		return nil, fmt.Errorf("build digest: %w", err)
	}
	loc := in.Location
	if loc == nil {
		loc = in.From.Location()
	}
	rounds := sortedRounds(in.Rounds)
	overdue := sortedOverdue(in.Overdue)
	p, err := newPage(in, rounds, overdue, loc)
	if err != nil {
		return nil, fmt.Errorf("build digest: %w", err)
	}
	md := markdown(p)
	page, err := renderHTML(p)
	if err != nil {
		return nil, fmt.Errorf("build digest: %w", err)
	}
	return &Report{Chat: chat(p), Markdown: md, HTML: page, Name: p.Name, Charts: p.charts()}, nil
}

// check rejects input the digest cannot be made from.
func check(in Input) error {
	if in.From.IsZero() || !in.To.After(in.From) {
		return errors.New("period must have From before To")
	}
	for i, r := range in.Rounds {
		if r.Results == nil {
			return fmt.Errorf("round %d has no results", i+1)
		}
	}
	for i, r := range in.Overdue {
		if r.Results == nil || r.Results.Survey == nil {
			return fmt.Errorf("overdue round %d has no results with its survey", i+1)
		}
	}
	return nil
}

// sortedRounds are the rounds by their closing (open rounds: opening) time,
// then survey and round id.
func sortedRounds(in []Round) []Round {
	out := slices.Clone(in)
	at := func(r Round) time.Time {
		if c := r.Results.Round.Closed; !c.IsZero() && r.State != StateOpen {
			return c
		}
		return r.Results.Round.Opened
	}
	slices.SortStableFunc(out, func(a, b Round) int {
		return cmp.Or(at(a).Compare(at(b)),
			cmp.Compare(a.Results.SurveyID, b.Results.SurveyID),
			cmp.Compare(a.Results.Round.ID, b.Results.Round.ID))
	})
	return out
}

// sortedOverdue are the overdue rounds without a decision, longest overdue
// first, then by survey and round id.
func sortedOverdue(in []Round) []Round {
	var out []Round
	for _, r := range in {
		if r.DecidedAt.IsZero() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Round) int {
		return cmp.Or(promised(a).Compare(promised(b)),
			cmp.Compare(a.Results.SurveyID, b.Results.SurveyID),
			cmp.Compare(a.Results.Round.ID, b.Results.Round.ID))
	})
	return out
}

// promised is the date the terugkoppeling was promised for; zero without a survey.
func promised(r Round) time.Time {
	if r.Results.Survey == nil {
		return time.Time{}
	}
	return r.Results.Survey.Card.Terugkoppeling
}

// reportName is "participatie-digest-2026-11" for a calendar month, else
// "participatie-digest-<first day>-<last day>".
func reportName(from, to time.Time) string {
	const base = "participatie-digest-"
	y, m, d := from.Date()
	h, mi, s := from.Clock()
	if d == 1 && h == 0 && mi == 0 && s == 0 && from.Nanosecond() == 0 && from.AddDate(0, 1, 0).Equal(to) {
		return base + fmt.Sprintf("%04d-%02d", y, int(m))
	}
	return base + from.Format("2006-01-02") + "-" + lastDay(to).Format("2006-01-02")
}
