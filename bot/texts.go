package bot

import (
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
)

var leeftijden = surveys.Leeftijdsgroepen

const ageUnknown = 9 // "16 of ouder, zeg ik liever niet"

const ageUnknownLabel = "16 of ouder, zeg ik liever niet"

var tredeUitleg = map[surveys.Trede]string{
	surveys.Informeren:   "informeren: we houden u op de hoogte",
	surveys.Raadplegen:   "raadplegen: u geeft uw mening, en wie beslist neemt die mee",
	surveys.Adviseren:    "adviseren: uw advies weegt zwaar; wie ervan afwijkt, legt uit waarom",
	surveys.Coproduceren: "coproduceren: we werken samen een oplossing uit",
	surveys.Meebeslissen: "meebeslissen: de uitkomst wordt in principe overgenomen",
}

// tredes are the steps of the participatieladder, lowest first.
var tredes = []surveys.Trede{surveys.Informeren, surveys.Raadplegen, surveys.Adviseren, surveys.Coproduceren, surveys.Meebeslissen}

// trede is the step as residents read it: "trede 2 van 5, raadplegen: u geeft …".
func trede(t surveys.Trede) string {
	for i, s := range tredes {
		if s == t {
			return fmt.Sprintf("trede %d van %d, %s", i+1, len(tredes), tredeUitleg[t])
		}
	}
	return string(t)
}

var wieBeslist = map[string]string{
	"gemeenteraad": "De gemeenteraad", "college": "Het college van burgemeester en wethouders",
	"burgemeester": "De burgemeester", "inwoners": "De inwoners zelf",
}

// moment formats a local time: "dinsdag 15 december om 17:00".
func moment(t time.Time) string {
	return fmt.Sprintf("%s %d %s om %02d:%02d", dutch.Weekday(t.Weekday()), t.Day(), dutch.Month(t.Month()), t.Hour(), t.Minute())
}

// card renders the participatiekaart for an invitation, under the trajectory and
// phase the round belongs to (phaseLine).
func (e *Engine) card(s *surveys.Survey, closes time.Time) string {
	beslist := wieBeslist[s.Card.WieBeslist]
	if beslist == "" {
		beslist = s.Card.WieBeslist
	}
	head := "📋 " + s.Title
	if line := e.phaseLine(s); line != "" {
		head += "\n" + line
	}
	return fmt.Sprintf("%s\n\n"+
		"Waarom vragen we dit? %s\n"+
		"Wie beslist? %s\n"+
		"Uw invloed: %s\n"+
		"Wat gebeurt er met uw antwoorden? %s\n"+
		"Terugkoppeling: uiterlijk %s hoort u wat er is besloten.\n\n"+
		"%d vragen · open tot %s",
		head, s.Card.Doel, beslist, trede(s.Card.Trede), s.Card.WatGebeurtErMee,
		dutch.Date(s.Card.Terugkoppeling), len(s.Questions), moment(closes))
}

// phaseLine names the trajectory and the phase of a survey's rounds ("🧭 Goed Goan:
// samen besturen in Dalfsen · fase 1 van 3: kiezen wat bij Dalfsen past"), for every
// message of such a round; "" for a survey outside every trajectory.
func (e *Engine) phaseLine(s *surveys.Survey) string {
	t, i, ok := e.catalog.TrajectoryOf(s.ID)
	if !ok {
		return ""
	}
	return "🧭 " + t.Title + " · " + t.PhaseLabel(i)
}

// withPhase puts the phase line of s above text, when the survey is in a trajectory.
func (e *Engine) withPhase(s *surveys.Survey, text string) string {
	if line := e.phaseLine(s); line != "" {
		return line + "\n\n" + text
	}
	return text
}
