package bottest

import (
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// Failure is how the fake answers the channel's next request: the platform's
// status, error body and headers as its documentation shows them, or, with
// Network, a connection dropped without an answer.
type Failure struct {
	Status  int
	Body    string
	Header  map[string]string
	Network bool
	// Times is how many requests in a row get this answer (default 1): a client
	// library that retries by itself (discordgo on a 502) needs more to give up.
	Times int
}

// Failing is one failure case: the platform's answer and the class the channel
// must give it.
type Failing struct {
	Name string
	Fail Failure
	// Message is what is sent (default: a short text to the harness's chat).
	Message *bot.Message
	Want    Class
}

// RunFailures makes the fake answer each case's send with its failure and
// compares the class of the error Send returns, as the outbox reads it; the
// error must hold no secret.
func RunFailures(t *testing.T, newHarness func(*testing.T) Harness, cases []Failing) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			h := newHarness(t)
			m := bot.Message{Text: "De uitslag van de ronde staat klaar."}
			if tc.Message != nil {
				m = *tc.Message
			}
			h.Fail(t, tc.Fail)
			err := send(h, m)
			if got := Classify(err); got != tc.Want {
				t.Errorf("got %v (%v), want %v", got, err, tc.Want)
			}
			CheckNoSecrets(t, h, err)
		})
	}
}

// RunPause makes the fake answer a send with pause, a 429, and then sends again:
// the second send's request must not reach the platform before the retry_after has
// passed, also when it does not go through the outbox (a request of another sender,
// or the second part of a long text, already past the outbox's own check).
func RunPause(t *testing.T, newHarness func(*testing.T) Harness, pause Failure) {
	h := newHarness(t)
	m := bot.Message{Text: "De uitslag van de ronde staat klaar."}
	h.Fail(t, pause)
	start := time.Now() // before the 429 arrives, so before its retry_after starts
	err := send(h, m)
	class := Classify(err)
	if class.Kind != RateLimited || class.RetryAfter <= 0 || class.RetryAfter > 2*time.Second {
		t.Fatalf("first send: got %v (%v), want rate limited for at most 2s", class, err)
	}
	before := len(h.Requests())
	if err := send(h, m); err != nil {
		t.Fatalf("second send: %v", err)
	}
	if elapsed := time.Since(start); elapsed < class.RetryAfter {
		t.Errorf("second send answered %s after the first began, want after its retry_after of %s", elapsed, class.RetryAfter)
	}
	if got := len(h.Requests()); got != before+1 {
		t.Errorf("got %d requests after the pause, want 1", got-before)
	}
	CheckNoSecrets(t, h, err)
}
