package dashboard

import (
	"context"
	"errors"
	"net/http"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

// roundData is the page of one round.
type roundData struct {
	Round roundView
	// Card is the survey's participatiekaart; nil when the survey is no longer loaded.
	Card *cardView
	// Questions are the results per question.
	Questions []questionView
	// Afspiegeling is who answered, per kern and leeftijdsgroep.
	Afspiegeling afspiegeling
	// Panel compares the lottery-drawn panel with the self-selected residents;
	// nil for a round without one.
	Panel *results.Panel
	// TooFew is set when the round has fewer respondents than the threshold:
	// the page shows the counts with a warning that they may not be shared,
	// and offers no downloads.
	TooFew bool
	// Live is set while the round is open: the figures are the exact
	// tussenstand, for the organiser only; downloads are banded.
	Live bool
	// Threshold is the smallest group shown.
	Threshold int
	// WhatsApp is what became of the round's WhatsApp messages, by kind; empty
	// without any.
	WhatsApp []deliveryRow
	// Draft is the decision as typed, when the page is shown again after its form.
	Draft string
	// TrendSurvey is the survey whose trend page the round links to; "" for a
	// survey without one (hasTrend) or no longer loaded.
	TrendSurvey string
	// Indicators are the survey's indicators with their status by its trend;
	// none for a survey without indicators.
	Indicators []indicatorLine
}

// deliveryRow is one kind of WhatsApp message of a round and its statuses.
type deliveryRow struct {
	Kind                          string
	Sent, Delivered, Read, Failed int64
}

// deliveryKinds name the kinds of a round's WhatsApp messages, in the order shown.
var deliveryKinds = []struct{ kind, label string }{
	{"uitnodiging", "Uitnodiging"}, {"herinnering", "Herinnering"}, {"prompt", "Vraag"},
	{"uitslag", "Uitslag"}, {"besluit", "Besluit"}, {"bericht", "Wachtend bericht"},
}

// deliveries are the round's WhatsApp statuses as rows.
func (s *server) deliveries(ctx context.Context, rid string) ([]deliveryRow, error) {
	counts, err := s.store.Deliveries(ctx, rid)
	if err != nil {
		return nil, err
	}
	var out []deliveryRow
	for _, k := range deliveryKinds {
		c, ok := counts[k.kind]
		if !ok {
			continue
		}
		out = append(out, deliveryRow{Kind: k.label, Sent: c["sent"], Delivered: c["delivered"], Read: c["read"], Failed: c["failed"]})
	}
	return out, nil
}

// doneMessages confirm an action after its redirect; only these fixed texts are shown.
var doneMessages = map[string]string{
	"geopend":  "De ronde is geopend. De uitnodigingen worden nu verstuurd.",
	"gesloten": "De ronde is gesloten. De uitslag wordt nu verstuurd aan de deelnemers en de stuurgroep.",
	"besluit":  "Het besluit is opgeslagen. Iedere deelnemer van de ronde krijgt het nu op het eigen kanaal.",
}

func (s *server) round(w http.ResponseWriter, r *http.Request) {
	rd, err := s.rounds.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	s.showRound(w, r, rd, http.StatusOK, roundForm{})
}

// results loads a round, its survey and its results, for the exports.
func (s *server) results(w http.ResponseWriter, r *http.Request) (*storage.Round, *results.Results, bool) {
	rd, err := s.rounds.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return nil, nil, false
	}
	sv, ok := s.catalog.Survey(rd.Survey)
	if !ok {
		s.errorPage(w, r, http.StatusConflict, "De vragenlijst van deze ronde is niet (meer) geladen; er is geen uitslag te maken.")
		return nil, nil, false
	}
	res, err := s.rounds.Results(r.Context(), sv, rd)
	if err != nil {
		s.serverError(w, r, "compute results", err)
		return nil, nil, false
	}
	return rd, res, true
}

func (s *server) roundLoadError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "Deze ronde bestaat niet.")
		return
	}
	s.serverError(w, r, "load round", err)
}
