package dashboard

import (
	"context"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
	"net/http"
)

// overviewData is the overview page: every survey and every round, and the upload form.
type overviewData struct {
	// Trajectories are the participation trajectories, each with its verslag.
	Trajectories []*surveys.Trajectory
	Surveys      []surveyView
	Rounds       []roundView
	// Uploads is false when no SurveysDir is configured.
	Uploads bool
	Upload  uploadResult
	// UploadKiB is the largest survey file the upload takes.
	UploadKiB int
}

func (s *server) overview(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "Overzicht")
	q := r.URL.Query()
	var up uploadResult
	if q.Get("gedaan") == "geladen" {
		if sv, ok := s.catalog.Survey(q.Get("vragenlijst")); ok {
			p.Flash = "De vragenlijst “" + sv.Title + "” (" + sv.ID + ") is geladen en meteen actief."
			up = loaded(sv)
			up.Warnings = append(up.Warnings, s.rewordings(r.Context(), sv)...)
		}
	}
	s.renderOverview(w, r, http.StatusOK, p, up)
}

// renderOverview shows the overview with a message or upload problems in p.
func (s *server) renderOverview(w http.ResponseWriter, r *http.Request, status int, p page, up uploadResult) {
	rounds, err := s.roundList(r.Context())
	if err != nil {
		s.serverError(w, r, "list rounds", err)
		return
	}
	d := overviewData{Rounds: rounds, Uploads: s.cfg.SurveysDir != "", Upload: up, UploadKiB: maxUpload >> 10,
		Trajectories: s.catalog.Trajectories()}
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

// rewordings warn about the questions of a survey just loaded that its last round
// asked in other words or with other options: their trend starts again. A round
// list that cannot be read is logged; the upload stands.
func (s *server) rewordings(ctx context.Context, sv *surveys.Survey) []uploadProblem {
	list, err := s.rounds.List(ctx, s.now())
	if err != nil {
		s.log.Warn("dashboard rewordings", "survey", sv.ID, "err", err)
		return nil
	}
	var last *storage.Round
	for _, sum := range list {
		if r := sum.Round; r.Survey == sv.ID && r.Wording != nil && (last == nil || r.OpensAt.After(last.OpensAt)) {
			last = r
		}
	}
	if last == nil {
		return nil
	}
	var out []uploadProblem
	for _, qid := range trend.Reworded(sv, last) {
		out = append(out, uploadProblem{Where: "Vraag " + qid,
			Msg:  "anders gesteld dan in ronde " + last.ID + " (andere tekst of antwoorden): de trend van deze vraag begint opnieuw",
			Hint: "Is het dezelfde vraag, houd dan tekst en antwoorden gelijk. Is het een andere vraag, geef hem dan een nieuw id."})
	}
	return out
}
