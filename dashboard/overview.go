package dashboard

import (
	"errors"
	"net/http"

	"github.com/participatiebot/participatiebot/rounds"
)

// overviewData is the overview page: every survey and every round, and the upload form.
type overviewData struct {
	Surveys []surveyView
	Rounds  []roundView
	// Uploads is false when no SurveysDir is configured.
	Uploads bool
	Upload  uploadResult
	// UploadKiB is the largest survey file the upload takes.
	UploadKiB int
}

func (s *server) overview(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Overzicht")
	q := r.URL.Query()
	if q.Get("gedaan") == "geladen" {
		if sv, ok := s.catalog.Survey(q.Get("vragenlijst")); ok {
			p.Flash = "De vragenlijst “" + sv.Title + "” (" + sv.ID + ") is geladen en meteen actief."
		}
	}
	s.renderOverview(w, r, http.StatusOK, p, uploadResult{})
}

// renderOverview shows the overview with a message or upload problems in p.
func (s *server) renderOverview(w http.ResponseWriter, r *http.Request, status int, p page, up uploadResult) {
	rounds, err := s.roundList(r.Context())
	if err != nil {
		s.serverError(w, r, "list rounds", err)
		return
	}
	d := overviewData{Rounds: rounds, Uploads: s.cfg.SurveysDir != "", Upload: up, UploadKiB: maxUpload >> 10}
	for _, sv := range s.catalog.All() {
		d.Surveys = append(d.Surveys, s.surveyView(sv, rounds))
	}
	p.Data = d
	s.render(w, status, "overview", p)
}

// openRound opens a round of a survey now (rounds.Service.Open); the running
// scheduler sends the invitations.
func (s *server) openRound(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	id := r.PostFormValue("survey")
	sv, ok := s.catalog.Survey(id)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "Deze vragenlijst bestaat niet (meer).")
		return
	}
	rd, err := s.rounds.Open(r.Context(), sv, s.now())
	if err != nil {
		s.log.Warn("dashboard open round", "survey", sv.ID, "user", ss.user, "err", err)
		s.audit(r.Context(), ss.user, "ronde openen mislukt: "+sv.ID)
		s.errorPage(w, r, http.StatusConflict, "De ronde kon niet worden geopend: "+err.Error()+
			". Er kan per minuut één ronde van een vragenlijst worden geopend.")
		return
	}
	s.audit(r.Context(), ss.user, "ronde geopend: "+rd.ID)
	s.log.Info("dashboard opened round", "round", rd.ID, "user", ss.user)
	http.Redirect(w, r, Prefix+"rounds/"+rd.ID+"?gedaan=geopend", http.StatusSeeOther)
}

// closeRound closes an open round now (rounds.Service.Close); the running scheduler
// then sends the results to the participants and the stuurgroep.
func (s *server) closeRound(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	id := r.PathValue("id")
	rd, err := s.rounds.Round(r.Context(), id)
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	if err := s.rounds.Close(r.Context(), rd.ID, s.now()); err != nil {
		s.log.Warn("dashboard close round", "round", rd.ID, "user", ss.user, "err", err)
		s.audit(r.Context(), ss.user, "ronde sluiten mislukt: "+rd.ID)
		s.errorPage(w, r, http.StatusConflict, "De ronde kon niet worden gesloten: "+err.Error()+".")
		return
	}
	s.audit(r.Context(), ss.user, "ronde gesloten, uitslag wordt verstuurd: "+rd.ID)
	s.log.Info("dashboard closed round", "round", rd.ID, "user", ss.user)
	http.Redirect(w, r, Prefix+"rounds/"+rd.ID+"?gedaan=gesloten", http.StatusSeeOther)
}

// decideRound stores the decision of a published round (rounds.Service.Decide); the
// running scheduler sends it to every participant of the round, once.
func (s *server) decideRound(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	rd, err := s.rounds.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	err = s.rounds.Decide(r.Context(), rd.ID, r.PostFormValue("besluit"), s.now())
	var refused *rounds.DecisionError
	switch {
	case errors.As(err, &refused):
		s.audit(r.Context(), ss.user, "besluit terugkoppelen geweigerd: "+rd.ID)
		s.errorPage(w, r, http.StatusConflict, "Het besluit is niet opgeslagen: "+refused.Reason+".")
		return
	case err != nil:
		s.serverError(w, r, "decide round", err)
		return
	}
	s.audit(r.Context(), ss.user, "besluit opgeslagen, terugkoppeling wordt verstuurd: "+rd.ID)
	s.log.Info("dashboard decided round", "round", rd.ID, "user", ss.user)
	http.Redirect(w, r, Prefix+"rounds/"+rd.ID+"?gedaan=besluit", http.StatusSeeOther)
}
