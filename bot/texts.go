package bot

import (
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// The texts residents read are in the catalogue lang/locales/bot.nl.yaml (and its
// translations); this file renders the ones built from survey data: the age groups,
// the participatiekaart, the trede and the phase line.

var leeftijden = surveys.Leeftijdsgroepen

const ageUnknown = 9 // "16 of ouder, zeg ik liever niet"

// groupLabel is how residents read age group g in pr's language: the catalogue's
// text for its id ("age_25_44"), else the label surveys gives it.
func groupLabel(pr *lang.Printer, g surveys.Group) string {
	id := "age_" + strings.NewReplacer("-", "_", "+", "_plus").Replace(g.ID)
	if pr.Has(id) {
		return pr.T(id)
	}
	return g.Label
}

// tredes are the steps of the participatieladder, lowest first.
var tredes = []surveys.Trede{surveys.Informeren, surveys.Raadplegen, surveys.Adviseren, surveys.Coproduceren, surveys.Meebeslissen}

// trede is the step as residents read it: "trede 2 van 5, raadplegen: u geeft …".
func trede(pr *lang.Printer, t surveys.Trede) string {
	for i, s := range tredes {
		if s == t {
			return pr.T("trede", "Nr", pr.Int(i+1), "Van", pr.Int(len(tredes)), "Uitleg", pr.T("trede_"+string(t)))
		}
	}
	return string(t)
}

// wieBeslist is who decides as residents read it ("De gemeenteraad"); a value the
// catalogue does not know is shown as written in the survey.
func wieBeslist(pr *lang.Printer, who string) string {
	if id := "wie_beslist_" + who; who != "" && pr.Has(id) {
		return pr.T(id)
	}
	return who
}

// card renders the participatiekaart for an invitation in pr's language, from s as
// loaded (card takes its translation), under the trajectory and phase the round
// belongs to (phaseLine).
func (e *Engine) card(pr *lang.Printer, s *surveys.Survey, closes time.Time) string {
	s = inLang(s, pr.Lang())
	head := pr.T("card_title", "Titel", s.Title)
	if line := e.phaseLine(pr, s); line != "" {
		head += "\n" + line
	}
	return pr.T("card", "Kop", head, "Doel", s.Card.Doel, "WieBeslist", wieBeslist(pr, s.Card.WieBeslist),
		"Invloed", trede(pr, s.Card.Trede), "WatGebeurtErMee", s.Card.WatGebeurtErMee,
		"Terugkoppeling", pr.Date(s.Card.Terugkoppeling),
		"Vragen", pr.N("card_questions", len(s.Questions)), "Sluit", pr.Moment(closes))
}

// phaseLine names the trajectory and the phase of a survey's rounds ("🧭 Goed Goan:
// samen besturen in Dalfsen · fase 1 van 3: kiezen wat bij Dalfsen past"), for every
// message of such a round; "" for a survey outside every trajectory.
func (e *Engine) phaseLine(pr *lang.Printer, s *surveys.Survey) string {
	t, i, ok := e.catalog.TrajectoryOf(s.ID)
	if !ok {
		return ""
	}
	return pr.T("phase_line", "Traject", t.Title, "Fase", pr.Int(i+1), "Fasen", pr.Int(len(t.Phases)), "Naam", t.Phases[i].Name)
}

// withPhase puts the phase line of s above text, when the survey is in a trajectory.
func (e *Engine) withPhase(pr *lang.Printer, s *surveys.Survey, text string) string {
	if line := e.phaseLine(pr, s); line != "" {
		return line + "\n\n" + text
	}
	return text
}
