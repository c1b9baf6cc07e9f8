package dashboard

import (
	"context"
	"errors"
	"net/http"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Closing a round and sending its decision cannot be undone: every participant
// gets a message. So each takes two POSTs, both behind checkCSRF like every
// action. The first shows what will be sent and to how many (the confirm page);
// only a second with confirmField = confirmYes acts. Without JavaScript the
// confirm page is a plain form.
const (
	// confirmField is the form field that says the organiser saw the preview.
	confirmField = "bevestig"
	confirmYes   = "ja"
	// backField on a decision's confirm page goes back to the round page with
	// the text kept in the form.
	backField = "terug"
)

// confirmData is the confirm page of an action: the messages as the bot sends
// them, and to how many participants.
type confirmData struct {
	Round roundView
	// Action is "close" or "decide": the path the "Ja, versturen" form posts to.
	Action string
	// Recipients says how many get the message: "Dit gaat naar 214 deelnemers".
	Recipients string
	// Resident is the message every participant gets; Example is set when it is
	// personal (the results: each sees their own answers beside the totals) and
	// shown for an example participant.
	Resident string
	Example  bool
	// Charts is set when the charts of the results follow the message.
	Charts bool
	// Stuurgroep is the summary the stuurgroep gets; "" for a decision.
	Stuurgroep string
	// Draft is the decision as typed, sent again with the confirmation.
	Draft string
	// NoSurvey is set when the round's survey is not loaded: nothing can be sent
	// until it is.
	NoSurvey bool
}

// recipientsText is "Dit gaat naar 214 deelnemers": everyone who answered in
// the round; whoever stopped since gets nothing (the bot skips them).
func recipientsText(n int64) string {
	if n <= 0 {
		return "Er zijn nog geen deelnemers: niemand krijgt dit bericht."
	}
	return "Dit gaat naar " + dutch.Plural(n, "deelnemer", "deelnemers") + "."
}

// closeRound closes an open round now (rounds.Service.Close) once the organiser
// confirmed it; the running scheduler then sends the results to the participants
// and the stuurgroep. Without the confirmation it shows what they will get.
func (s *server) closeRound(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	rd, err := s.rounds.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	if r.PostFormValue(confirmField) != confirmYes {
		s.confirmClose(w, r, rd)
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

// confirmClose shows the results message and the stuurgroep summary as they
// would go out if the round closed now, computed as the scheduler will
// (rounds.Service.Results on the round as closed now), with the bot's own
// renderers (results.PersonalSummary, results.StuurgroepSummary).
func (s *server) confirmClose(w http.ResponseWriter, r *http.Request, rd *storage.Round) {
	if rd.State != storage.Opened {
		s.errorPage(w, r, http.StatusConflict, "Deze ronde is niet open (status: "+rounds.StateLabel(rd.State)+"); er is niets te sluiten.")
		return
	}
	v, err := s.roundView(r.Context(), rd)
	if err != nil {
		s.serverError(w, r, "load round", err)
		return
	}
	d := confirmData{Round: v, Action: "close", Recipients: recipientsText(v.Respondents)}
	if sv, ok := s.catalog.Survey(rd.Survey); ok {
		closed := *rd
		closed.State, closed.ClosedAt = storage.Closed, s.now()
		res, err := s.rounds.Results(r.Context(), sv, &closed)
		if err != nil {
			s.serverError(w, r, "compute results", err)
			return
		}
		d.Resident = results.PersonalSummary(lang.Dutch(), res, exampleAnswers(res), surveys.Profile{})
		d.Example, d.Charts = !res.TooFew, !res.TooFew
		d.Stuurgroep = results.StuurgroepSummary(res)
	} else {
		d.NoSurvey = true
	}
	p := s.page(r, "Ronde sluiten en de uitslag versturen?")
	p.Data = d
	s.render(w, http.StatusOK, "confirm", p)
}

// exampleAnswers are the answers of an example participant for the preview of
// the personal results: on every question the option most chosen (the first of
// equals), the top of a wie-van-de-drie ranking, an open answer where others
// gave one. Only the preview uses them; nobody's real answers are shown.
func exampleAnswers(res *results.Results) map[string]surveys.Answer {
	out := map[string]surveys.Answer{}
	for _, q := range res.Questions {
		switch surveys.QuestionType(q.Type) {
		case surveys.Open:
			if q.N > 0 {
				out[q.ID] = surveys.Answer{Text: "…"}
			}
		case surveys.WieVanDeDrie:
			// the first as every screen lists them (results.Ranked)
			if shown := results.Ranked(q.Ranking).Shown(); len(shown) > 0 {
				out[q.ID+"#0"] = surveys.Answer{Winner: shown[0].ID}
			}
		default:
			var best *results.OptionResult
			for i, o := range q.Options {
				if o.Count > 0 && (best == nil || o.Count > best.Count) {
					best = &q.Options[i]
				}
			}
			if best != nil {
				out[q.ID] = surveys.Answer{Options: []string{best.ID}}
			}
		}
	}
	return out
}

// decideRound stores the decision of a published round (rounds.Service.Decide)
// once the organiser confirmed it; the running scheduler sends it to every
// participant of the round, once. Without the confirmation it shows the message
// as the bot will send it (results.DecisionMessage); "Terug" returns to the
// round page with the text still in the form.
func (s *server) decideRound(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	rd, err := s.rounds.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	draft := r.PostFormValue("besluit")
	switch {
	case r.PostFormValue(backField) != "":
		s.showRound(w, r, rd, http.StatusOK, roundForm{Draft: draft})
		return
	case r.PostFormValue(confirmField) != confirmYes:
		s.confirmDecide(w, r, rd, draft)
		return
	}
	err = s.rounds.Decide(r.Context(), rd.ID, draft, s.now())
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

// confirmDecide shows the decision as every participant will get it. A text
// that rounds.CheckDecision refuses goes back to the round page with the reason.
func (s *server) confirmDecide(w http.ResponseWriter, r *http.Request, rd *storage.Round, draft string) {
	switch {
	case rd.Decision != "":
		s.errorPage(w, r, http.StatusConflict, "Voor deze ronde is het besluit al gegeven; het wordt (of is) verstuurd. "+
			"Een tweede tekst zou niet iedereen gelijk bereiken.")
		return
	case rd.State != storage.Published:
		s.errorPage(w, r, http.StatusConflict, "De uitslag van deze ronde is nog niet verstuurd; sluit de ronde eerst.")
		return
	}
	text, err := rounds.CheckDecision(draft)
	if refused := (*rounds.DecisionError)(nil); errors.As(err, &refused) {
		s.showRound(w, r, rd, http.StatusUnprocessableEntity, roundForm{Draft: draft,
			Error: "Het besluit is nog niet verstuurd: " + refused.Reason + "."})
		return
	}
	v, err := s.roundView(r.Context(), rd)
	if err != nil {
		s.serverError(w, r, "load round", err)
		return
	}
	d := confirmData{Round: v, Action: "decide", Recipients: recipientsText(v.Respondents), Draft: draft,
		Resident: results.DecisionMessage(lang.Dutch(), v.SurveyTitle, text)}
	_, loaded := s.catalog.Survey(rd.Survey)
	d.NoSurvey = !loaded
	p := s.page(r, "Besluit versturen aan de deelnemers?")
	p.Data = d
	s.render(w, http.StatusOK, "confirm", p)
}

// roundForm is what a round page shows again after a form on it: the decision
// as typed and why it was not accepted.
type roundForm struct{ Draft, Error string }

// showRound renders the round page of rd.
func (s *server) showRound(w http.ResponseWriter, r *http.Request, rd *storage.Round, status int, form roundForm) {
	d, err := s.roundPage(r.Context(), rd)
	if err != nil {
		s.serverError(w, r, "load round", err)
		return
	}
	d.Draft = form.Draft
	p := s.page(r, "Ronde "+rd.ID)
	p.Flash = doneMessages[r.URL.Query().Get("gedaan")]
	p.Error = form.Error
	p.Data = d
	s.render(w, status, "round", p)
}

// roundPage gathers what the round page shows.
func (s *server) roundPage(ctx context.Context, rd *storage.Round) (roundData, error) {
	v, err := s.roundView(ctx, rd)
	if err != nil {
		return roundData{}, err
	}
	d := roundData{Round: v, Live: rd.State == storage.Opened, Threshold: s.cfg.Threshold}
	if d.WhatsApp, err = s.deliveries(ctx, rd.ID); err != nil {
		return roundData{}, err
	}
	if sv, ok := s.catalog.Survey(rd.Survey); ok {
		res, err := s.roundResults(ctx, sv, rd)
		if err != nil {
			return roundData{}, err
		}
		if hasTrend(sv) {
			d.TrendSurvey = sv.ID
		}
		if d.Indicators, err = s.indicatorLines(ctx, sv, rd); err != nil {
			return roundData{}, err
		}
		card := newCardView(sv.Card)
		d.Card = &card
		d.Questions = questionViews(res)
		d.Afspiegeling = s.afspiegeling(res)
		d.Panel = res.Panel
		d.TooFew = res.TooFew
	}
	return d, nil
}
