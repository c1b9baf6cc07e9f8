package rounds

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Analysis says how results are computed: the suppression threshold and the
// population table for the afspiegeling and weighting (nil: neither).
type Analysis struct {
	Threshold  int
	Population *surveys.Population
	// OpenLimit, when above 0, reads at most that many answers to each open
	// question (views of a large round: the themes are then those of the answers
	// read, and the results say how many were read); 0 reads them all (exports).
	OpenLimit int
}

// ViewOpenLimit is how many answers to an open question a view reads and
// themes: enough to see what residents say, bounded whatever the round's size.
const ViewOpenLimit = 500

// Results computes a round's results from its tallies (and its open answers), with
// the afspiegeling and, when there is a population table, weighted figures: all
// from counters, so its cost does not grow with the number of respondents (only
// the open answers are read as given).
func Results(ctx context.Context, store *storage.Store, sv *surveys.Survey, r *storage.Round, a Analysis) (*results.Results, error) {
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
	open, err := store.OpenTextsUpTo(ctx, r.ID, openQs, a.OpenLimit)
	if err != nil {
		return nil, err
	}
	info := results.RoundInfo{ID: r.ID, Opened: r.OpenedAt, Closed: r.ClosedAt, Invited: tallies[surveys.FieldInvited]}
	res := results.ComputeWith(sv, info, tallies, open, a.Threshold, a.Population)
	for i := range res.Questions {
		q := &res.Questions[i]
		if n := int64(len(open[q.ID])); a.OpenLimit > 0 && n == int64(a.OpenLimit) && q.N > n {
			q.OpenRead = n
		}
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
func RawAnswers(ctx context.Context, store *storage.Store, r *storage.Round, key []byte) ([]results.RawRespondent, error) {
	var out []results.RawRespondent
	err := store.Respondents(ctx, r.ID, func(rec storage.RespondentRecord) error {
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

// RetentionEnd is when a round's raw data goes: its bewaartermijn after the decision was
// sent, or after it closed when no decision was sent; false while it is still open.
func RetentionEnd(r *storage.Round, sv *surveys.Survey) (time.Time, bool) {
	base := r.ClosedAt
	if !r.DecidedAt.IsZero() {
		base = r.DecidedAt
	}
	if base.IsZero() {
		return time.Time{}, false
	}
	return base.AddDate(0, sv.RetentionMonths(), 0), true
}
