package results

import "github.com/participatiebot/participatiebot/lang"

// DecisionMessage is the terugkoppeling every participant of a round receives
// once the decision is given: the survey's title, the decision as the organiser
// wrote it (rounds.CheckDecision) and thanks, in the language of pr (the
// catalogue's result.decision). The bot sends it and the dashboard shows it
// before it is sent, so both use this one text.
func DecisionMessage(pr *lang.Printer, title, decision string) string {
	return pr.T("result.decision", "Titel", title, "Besluit", decision)
}
