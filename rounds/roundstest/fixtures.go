package roundstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Clock is an injected clock a test moves by hand. It counts reads, so a test can
// tell that a pass has started.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	reads int
}

// NewClock returns a clock at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return c.now
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Reads is how often the clock was read.
func (c *Clock) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// Amsterdam loads the time zone every schedule in the tests is written in.
func Amsterdam(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		tb.Fatalf("load Europe/Amsterdam: %v", err)
	}
	return loc
}

// Question is the one question of Survey: single choice, "ja" or "nee".
func Question() surveys.Question {
	return surveys.Question{ID: "q1", Type: surveys.Single, Text: "Luistert de gemeente voldoende?",
		Options: []surveys.Option{{ID: "ja", Label: "Ja"}, {ID: "nee", Label: "Nee"}}}
}

// Survey builds a survey of Question on a cron schedule.
func Survey(id, spec string, dur time.Duration, reminders ...time.Duration) *surveys.Survey {
	return &surveys.Survey{ID: id, Title: "Burgerpeiling " + id, Language: "nl",
		Schedule:  surveys.Schedule{Cron: spec, Duration: dur, Reminders: reminders},
		Questions: []surveys.Question{Question()}}
}

// Consent stores the participants as consented on telegram, chat "chat-<pid>".
func Consent(tb testing.TB, st *storage.Store, at time.Time, pids ...string) {
	tb.Helper()
	for _, pid := range pids {
		if err := st.SaveConsent(context.Background(), &storage.Participant{ID: pid, Channel: "telegram",
			ChatID: "chat-" + pid, ConsentVersion: "v1", ConsentAt: at}); err != nil {
			tb.Fatalf("save consent of %s: %v", pid, err)
		}
	}
}

// Answer records participant pid's answer "ja" to Question with a profile, as the
// engine would.
func Answer(tb testing.TB, st *storage.Store, rid, pid string, prof surveys.Profile) {
	tb.Helper()
	q := Question()
	a := surveys.Answer{Options: []string{"ja"}}
	if _, err := st.RecordAnswer(context.Background(), storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
		Value: surveys.EncodeAnswer(q, a), Kern: prof.Kern, Leeftijd: prof.Leeftijd}); err != nil {
		tb.Fatalf("answer of %s: %v", pid, err)
	}
}
