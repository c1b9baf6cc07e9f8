package rounds

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// stateLabels are the round states as organisers read them (dashboard, CLI).
var stateLabels = map[storage.State]string{
	storage.Scheduled: "gepland",
	storage.Opened:    "open",
	storage.Closed:    "gesloten",
	storage.Published: "uitslag verstuurd",
	storage.Decided:   "besluit teruggekoppeld",
}

// StateLabel is a round state as organisers read it ("uitslag verstuurd"); the
// state itself for one without a label.
func StateLabel(st storage.State) string {
	if l, ok := stateLabels[st]; ok {
		return l
	}
	return string(st)
}

// Step is what happens next to a round.
type Step int

// The steps, in the order a round takes them.
const (
	// StepOpen: the round opens at OpensAt.
	StepOpen Step = iota
	// StepClose: the round is open and closes at ClosesAt.
	StepClose
	// StepPublish: the round closed; its results are being sent.
	StepPublish
	// StepDecide: the results went out; the decision (terugkoppeling) is awaited.
	StepDecide
	// StepDone: the decision was sent; nothing more happens but the purge at the
	// end of the bewaartermijn.
	StepDone
)

// NextStep is what happens next to a round, and whether the promised terugkoppeling
// is overdue.
type NextStep struct {
	Step Step
	// DecisionDue is the date the participatiekaart promised the terugkoppeling for,
	// while the decision is awaited (StepDecide); zero when it promised none or the
	// survey is not loaded.
	DecisionDue time.Time
	// Overdue is set when DecisionDue is a day that has passed (in the location).
	Overdue bool
}

// Next works out a round's next step at now; sv is its survey (nil when not loaded),
// loc the time zone in which the promised day ends.
func Next(r *storage.Round, sv *surveys.Survey, now time.Time, loc *time.Location) NextStep {
	n := NextStep{Step: stepAfter(r.State)}
	if n.Step == StepDecide && sv != nil && !sv.Card.Terugkoppeling.IsZero() {
		n.DecisionDue = sv.Card.Terugkoppeling
		// the promised date is a calendar day: overdue from the day after
		n.Overdue = now.In(loc).Format("2006-01-02") > n.DecisionDue.Format("2006-01-02")
	}
	return n
}

// stepAfter is the step that follows a state.
func stepAfter(st storage.State) Step {
	switch st {
	case storage.Scheduled:
		return StepOpen
	case storage.Opened:
		return StepClose
	case storage.Closed:
		return StepPublish
	case storage.Published:
		return StepDecide
	}
	return StepDone
}

// Summary is a round with its counts, from its tallies, and its next step: what every
// list of rounds (the CLI, the organiser's chat command, the dashboard) shows.
type Summary struct {
	*storage.Round
	Respondents, Completed, Invited int64
	// ResponseRate is as the results give it (results.Results.ResponseRate):
	// completed (or, before anyone completed, respondents) per invitation.
	ResponseRate float64
	Next         NextStep
	// Loaded is the round's survey; nil when its file is not loaded (any more).
	Loaded *surveys.Survey
}

// Summarize reads one round's counts and works out its next step at now.
func (s *Service) Summarize(ctx context.Context, r *storage.Round, now time.Time) (Summary, error) {
	t, err := s.store.Tallies(ctx, r.ID)
	if err != nil {
		return Summary{}, fmt.Errorf("count round %s: %w", r.ID, err)
	}
	// the counts as every report has them: results.Compute reads exactly these
	res := results.Compute(nil, results.RoundInfo{ID: r.ID}, t, nil, s.cfg.Threshold)
	sum := Summary{Round: r, Respondents: res.Respondents, Completed: res.Completed, Invited: res.Invited,
		ResponseRate: res.ResponseRate}
	sum.Loaded, _ = s.catalog.Survey(r.Survey)
	sum.Next = Next(r, sum.Loaded, now, s.cfg.Location)
	return sum, nil
}

// List is every live round (not yet purged) with its counts and next step at now,
// oldest opening first. Its cost grows with the live rounds only (storage.Rounds).
func (s *Service) List(ctx context.Context, now time.Time) ([]Summary, error) {
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	return s.summarize(ctx, all, now)
}

// Archive is List of every round ever held, those purged at the end of their
// bewaartermijn too (their counts stay): for an organiser who asks for it. Its cost
// grows with every round held.
func (s *Service) Archive(ctx context.Context, now time.Time) ([]Summary, error) {
	all, err := s.store.ArchivedRounds(ctx)
	if err != nil {
		return nil, err
	}
	return s.summarize(ctx, all, now)
}

func (s *Service) summarize(ctx context.Context, all []*storage.Round, now time.Time) ([]Summary, error) {
	out := make([]Summary, 0, len(all))
	for _, r := range all {
		sum, err := s.Summarize(ctx, r, now)
		if err != nil {
			return nil, err
		}
		out = append(out, sum)
	}
	return out, nil
}
