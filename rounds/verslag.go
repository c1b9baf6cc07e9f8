package rounds

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/verslag"
)

// panelStore reads a trajectory's lottery: the letters per stratum and the
// draws' audit records.
type panelStore interface {
	PanelInvited(ctx context.Context, traject string) (map[string]int64, error)
	PanelAudits(ctx context.Context, traject string) (map[string]string, error)
}

// Verslag makes the participatieverslag of trajectory t at now: every round ever
// held of its surveys (the archive, so a round past its bewaartermijn keeps its
// place) with its results as published, the letters per stratum and the draws.
// Its cost grows with the rounds held, not with their respondents.
func (s *Service) Verslag(ctx context.Context, t *surveys.Trajectory, now time.Time) (*verslag.Report, error) {
	all, err := s.store.ArchivedRounds(ctx)
	if err != nil {
		return nil, fmt.Errorf("verslag %s: %w", t.ID, err)
	}
	in := verslag.Input{Trajectory: t, Threshold: s.cfg.Threshold, Now: now, Location: s.cfg.Location}
	for _, r := range all {
		if _, _, ok := t.PhaseOf(r.Survey); !ok {
			continue
		}
		sv, ok := s.catalog.Survey(r.Survey)
		if !ok {
			continue // its survey file was removed: nothing to say what it asked
		}
		vr := verslag.Round{Round: r, Survey: sv}
		if r.State != storage.Scheduled && r.State != storage.Opened {
			if vr.Results, err = s.Results(ctx, sv, r); err != nil {
				return nil, fmt.Errorf("verslag %s, ronde %s: %w", t.ID, r.ID, err)
			}
		}
		in.Rounds = append(in.Rounds, vr)
	}
	if in.Invited, err = s.store.PanelInvited(ctx, t.ID); err != nil {
		return nil, fmt.Errorf("verslag %s: %w", t.ID, err)
	}
	audits, err := s.store.PanelAudits(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("verslag %s: %w", t.ID, err)
	}
	for _, id := range slices.Sorted(maps.Keys(audits)) {
		in.Audits = append(in.Audits, audits[id])
	}
	return verslag.Build(in)
}
