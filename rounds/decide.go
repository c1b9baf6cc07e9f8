package rounds

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/storage"
)

// MaxDecision keeps the decision with its header within one Telegram message.
const MaxDecision = 3500

// DecisionError is a decision refused for a reason the organiser can fix; its
// message is Dutch and meant to be shown as it is.
type DecisionError struct{ Reason string }

func (e *DecisionError) Error() string { return e.Reason }

// CheckDecision is the decision text as it is stored and sent: line ends made
// "\n" and the white space around it trimmed; or a DecisionError when it is not
// valid UTF-8, empty or too long. Decide stores only what it accepts, so a
// preview of CheckDecision's text is what the participants receive.
func CheckDecision(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", &DecisionError{"de tekst van het besluit is geen geldige UTF-8-tekst"}
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", &DecisionError{"het besluit is leeg: schrijf wat er besloten is en wat er met de inbreng is gedaan"}
	case n > MaxDecision:
		return "", &DecisionError{fmt.Sprintf("het besluit is %d tekens; maximaal %d (verwijs voor de rest naar een link)", n, MaxDecision)}
	}
	return text, nil
}

// Decide stores the decision of a round ("De raad besloot …", what was done with
// the input and why; see CheckDecision) and wakes a running scheduler, which sends
// it to every participant of the round once and marks the terugkoppeling done
// (Advance). The CLI and the dashboard both decide through here.
func (s *Service) Decide(ctx context.Context, rid, text string, now time.Time) error {
	text, err := CheckDecision(text)
	if err != nil {
		return err
	}
	err = s.store.SetDecision(ctx, rid, text, now)
	switch {
	case errors.Is(err, storage.ErrNotPublished):
		return &DecisionError{fmt.Sprintf("ronde %s: de uitslag is nog niet verstuurd; sluit de ronde eerst", rid)}
	case errors.Is(err, storage.ErrDecided):
		return &DecisionError{fmt.Sprintf("ronde %s: het besluit is al gegeven en wordt (of is) verstuurd; een tweede tekst zou niet iedereen gelijk bereiken", rid)}
	case err != nil:
		return err
	}
	return s.store.Notify(ctx, "decide "+rid)
}
