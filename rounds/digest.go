package rounds

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

// DefaultDigestTitle heads the stuurgroep digest unless the caller says otherwise.
const DefaultDigestTitle = "Participatie — overzicht voor de stuurgroep"

// Digest builds the stuurgroep digest of [from, to) from the live rounds: those
// closed in the period or open in it, and, whenever they ran, those whose promised
// terugkoppeling date is before to without a decision. The scheduler sends it
// (SendDigest); the CLI writes it to files.
func (s *Service) Digest(ctx context.Context, title string, from, to time.Time) (*digest.Report, digest.Input, error) {
	in := digest.Input{Title: title, From: from, To: to, Location: s.cfg.Location}
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, in, err
	}
	for _, r := range all {
		sv, ok := s.catalog.Survey(r.Survey)
		if !ok {
			continue
		}
		inPeriod := r.State == storage.Opened && r.OpensAt.Before(to) ||
			!r.ClosedAt.IsZero() && !r.ClosedAt.Before(from) && r.ClosedAt.Before(to)
		overdue := r.DecidedAt.IsZero() && !r.ClosedAt.IsZero() && !sv.Card.Terugkoppeling.IsZero() &&
			sv.Card.Terugkoppeling.Before(to)
		if !inPeriod && !overdue {
			continue
		}
		res, err := s.View(ctx, sv, r)
		if err != nil {
			return nil, in, fmt.Errorf("round %s: %w", r.ID, err)
		}
		if r.State == storage.Opened || r.State == storage.Scheduled {
			// A digest can be made again after the next response (the digest
			// command): an open round shows only its banded tussenstand.
			res = results.Live(res)
		}
		res.Survey = sv
		dr := digest.Round{Results: res, State: digestState(r.State), DecidedAt: r.DecidedAt}
		if inPeriod {
			in.Rounds = append(in.Rounds, dr)
		}
		if overdue {
			in.Overdue = append(in.Overdue, dr)
		}
	}
	if in.Indicators, err = s.digestIndicators(ctx, from, to); err != nil {
		return nil, in, err
	}
	rep, err := digest.Build(in)
	return rep, in, err
}

// digestIndicators are the indicators of every survey that has them, for the
// digest of [from, to): those whose last figure comes from a round closed in the
// period, and every one not on course.
func (s *Service) digestIndicators(ctx context.Context, from, to time.Time) ([]string, error) {
	var lines []string
	for _, sv := range s.catalog.All() {
		if len(sv.Indicators) == 0 {
			continue
		}
		t, err := s.Trend(ctx, sv)
		if err != nil {
			return nil, err
		}
		closed := map[string]bool{}
		all, err := s.store.ArchivedRounds(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range all {
			if r.Survey == sv.ID && !r.ClosedAt.IsZero() && !r.ClosedAt.Before(from) && r.ClosedAt.Before(to) {
				closed[r.ID] = true
			}
		}
		for _, st := range t.Indicators {
			if closed[st.Round] || st.Verdict != "op koers" {
				lines = append(lines, sv.Title+": "+st.Line())
			}
		}
	}
	return lines, nil
}

// SendDigest queues the stuurgroep digest of a period (named period, covering
// [from, to)) unless it was sent, and marks it sent. Marked after queueing; the
// Messenger's dedupe keys make a repeat after a crash harmless.
func (s *Service) SendDigest(ctx context.Context, period, title string, from, to, now time.Time) error {
	if s.msg == nil {
		return errNoMessenger
	}
	if sent, err := s.store.DigestSent(ctx, period); err != nil || sent {
		return err
	}
	rep, in, err := s.Digest(ctx, title, from, to)
	if err != nil {
		return fmt.Errorf("digest %s: %w", period, err)
	}
	if err := s.msg.SendDigest(ctx, period, rep); err != nil {
		return fmt.Errorf("send digest %s: %w", period, err)
	}
	s.log.Info("digest queued", "period", period, "rounds", len(in.Rounds), "overdue", len(in.Overdue))
	return s.store.MarkDigest(ctx, period, now)
}

// digestState is a round's state as the digest names it.
func digestState(st storage.State) string {
	switch st {
	case storage.Opened:
		return digest.StateOpen
	case storage.Closed:
		return digest.StateClosed
	case storage.Published:
		return digest.StatePublished
	case storage.Decided:
		return digest.StateDecided
	}
	return string(st)
}
