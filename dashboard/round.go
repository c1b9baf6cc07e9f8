package dashboard

import (
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
	// TooFew is set when the round has fewer respondents than the threshold:
	// the page shows the counts with a warning that they may not be shared,
	// and offers no downloads.
	TooFew bool
	// Live is set while the round is open: the figures are the exact
	// tussenstand, for the organiser only; downloads are banded.
	Live bool
	// Threshold is the smallest group shown.
	Threshold int
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
	v, err := s.roundView(r.Context(), rd)
	if err != nil {
		s.serverError(w, r, "load round", err)
		return
	}
	p := s.page(r, "Ronde "+rd.ID)
	p.Flash = doneMessages[r.URL.Query().Get("gedaan")]
	d := roundData{Round: v, Live: rd.State == storage.Opened, Threshold: s.cfg.Threshold}
	if sv, ok := s.catalog.Survey(rd.Survey); ok {
		res, err := s.roundResults(r.Context(), sv, rd)
		if err != nil {
			s.serverError(w, r, "compute results", err)
			return
		}
		card := newCardView(sv.Card)
		d.Card = &card
		d.Questions = questionViews(res)
		d.Afspiegeling = s.afspiegeling(res)
		d.TooFew = res.TooFew
	}
	p.Data = d
	s.render(w, http.StatusOK, "round", p)
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
