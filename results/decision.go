package results

// DecisionMessage is the terugkoppeling every participant of a round receives
// once the decision is given: the survey's title, the decision as the organiser
// wrote it (rounds.CheckDecision) and thanks. The bot sends it and the dashboard
// shows it before it is sent, so both use this one text.
func DecisionMessage(title, decision string) string {
	return "📣 Terugkoppeling: " + title + "\n\nU deed mee aan deze ronde. Dit is er met de uitkomst gedaan:\n\n" +
		decision + "\n\nBedankt voor uw inbreng!"
}
