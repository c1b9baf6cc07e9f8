package rounds

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Analysis says how results are computed: the suppression threshold and the
// population table for the afspiegeling and weighting (nil: neither).
type Analysis struct {
	Threshold  int
	Population *surveys.Population
	// Traject is the trajectory of the round's survey ("" for none): with a
	// lottery-drawn panel, the results compare it with the self-selected
	// residents (results.ComputePanel).
	Traject string
	// OpenLimit, when above 0, reads at most that many answers to each open
	// question (views of a large round: the themes are then those of the answers
	// read, and the results say how many were read); 0 reads them all (exports).
	OpenLimit int
}

// ViewOpenLimit is how many answers to an open question a view reads and
// themes: enough to see what residents say, bounded whatever the round's size.
const ViewOpenLimit = 500

// Results computes a round's results with the service's threshold and population,
// reading every open answer: what is published, exported and sent in the chat.
func (s *Service) Results(ctx context.Context, sv *surveys.Survey, r *storage.Round) (*results.Results, error) {
	return Results(ctx, s.store, sv, r, s.analysis(sv, 0))
}

// View computes a round's results for a view (a dashboard page, the organiser's chat
// command, the digest): as Results, but
// reading at most ViewOpenLimit answers to each open question, so that its cost does
// not grow with the round's size.
func (s *Service) View(ctx context.Context, sv *surveys.Survey, r *storage.Round) (*results.Results, error) {
	return Results(ctx, s.store, sv, r, s.analysis(sv, ViewOpenLimit))
}

func (s *Service) analysis(sv *surveys.Survey, openLimit int) Analysis {
	a := Analysis{Threshold: s.cfg.Threshold, Population: s.cfg.Population, OpenLimit: openLimit}
	if t, _, ok := s.catalog.TrajectoryOf(sv.ID); ok {
		a.Traject = t.ID
	}
	return a
}

// Counts is what results are computed from; *storage.Store implements it.
type Counts interface {
	Tallies(ctx context.Context, rid string) (map[string]int64, error)
	OpenTextsUpTo(ctx context.Context, rid string, qids []string, limit int) (map[string][]string, error)
	Respondents(ctx context.Context, rid string, fn func(storage.RespondentRecord) error) error
	PanelInvited(ctx context.Context, traject string) (map[string]int64, error)
}

// openLangs reads open answers with the language each was written in
// (*storage.Store implements it).
type openLangs interface {
	OpenTextsWithLangs(ctx context.Context, rid string, qids []string, limit int) (texts, langs map[string][]string, err error)
}

// Results computes a round's results from its tallies (and its open answers), with
// the afspiegeling and, when there is a population table, weighted figures: all
// from counters, so its cost does not grow with the number of respondents (only
// the open answers are read as given). The service's Results and View call it with
// the service's settings.
func Results(ctx context.Context, store Counts, sv *surveys.Survey, r *storage.Round, a Analysis) (*results.Results, error) {
	tallies, err := store.Tallies(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	var openQs []string
	for _, q := range sv.Questions {
		if q.Type == surveys.Open {
			openQs = append(openQs, q.ID)
		}
	}
	var open, langs map[string][]string
	if ls, ok := store.(openLangs); ok && len(openQs) > 0 && len(results.GroupCounts(tallies, surveys.FieldRespondents+":l:")) > 0 {
		// someone read another language: their open answers get themes of their own
		open, langs, err = ls.OpenTextsWithLangs(ctx, r.ID, openQs, a.OpenLimit)
	} else {
		open, err = store.OpenTextsUpTo(ctx, r.ID, openQs, a.OpenLimit)
	}
	if err != nil {
		return nil, err
	}
	info := results.RoundInfo{ID: r.ID, Opened: r.OpenedAt, Closed: r.ClosedAt, Invited: tallies[surveys.FieldInvited]}
	res := results.ComputeWith(sv, info, tallies, open, a.Threshold, a.Population)
	if langs != nil {
		res.SplitOpenByLanguage(open, langs)
	}
	for i := range res.Questions {
		q := &res.Questions[i]
		if n := int64(len(open[q.ID])); a.OpenLimit > 0 && n == int64(a.OpenLimit) && q.N > n {
			q.OpenRead = n
		}
	}
	if a.Traject != "" {
		invited, err := store.PanelInvited(ctx, a.Traject)
		if err != nil {
			return nil, err
		}
		res.Panel = results.ComputePanel(res, tallies, a.Traject, invited)
	}
	if a.Population == nil {
		return res, nil
	}
	if results.JointTallied(tallies) {
		res.WeighTallies(tallies, a.Population)
		return res, nil
	}
	// A round recorded (partly) by a version without the joint counters: its
	// weighting classes are read from the answers, once per view.
	var rs []results.Respondent
	var unreadable int64
	err = store.Respondents(ctx, r.ID, func(rec storage.RespondentRecord) error {
		resp, err := results.DecodeRespondent(rec.Answers, rec.Tallies)
		if err != nil {
			unreadable++ // counted, and left out of the weighted figures only
			return nil
		}
		rs = append(rs, resp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Weigh(rs, a.Population)
	res.Weighting.Excluded += unreadable
	return res, nil
}

// RawAnswers reads every participant's answers in a round for an export, each
// under an export pseudonym: an HMAC of round and participant under key, so the
// same participant has the same id within a round's exports but ids cannot be
// linked across rounds or back to the storage pseudonym without the key.
func (s *Service) RawAnswers(ctx context.Context, r *storage.Round, key []byte) ([]results.RawRespondent, error) {
	var out []results.RawRespondent
	err := s.store.Respondents(ctx, r.ID, func(rec storage.RespondentRecord) error {
		resp, err := results.DecodeRespondent(rec.Answers, rec.Tallies)
		if err != nil {
			return fmt.Errorf("round %s: %w", r.ID, err)
		}
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(r.ID + "\x00" + rec.Participant))
		out = append(out, results.RawRespondent{ID: hex.EncodeToString(mac.Sum(nil))[:16],
			Kern: resp.Profile.Kern, Leeftijd: resp.Profile.Leeftijd, Answers: resp.Answers})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
