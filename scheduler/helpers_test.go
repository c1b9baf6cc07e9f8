package scheduler

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// survey is roundstest's, named as the tests use it.
var survey = roundstest.Survey

// amsterdam loads the time zone every schedule in these tests is written in.
func amsterdam(t *testing.T) *time.Location { return roundstest.Amsterdam(t) }

// logBuffer collects the scheduler's JSON log lines.
type logBuffer struct{ testlog.Buffer }

// env is one scheduler, triggering a rounds service, on a private Redis with an
// injected clock.
type env struct {
	ctx    context.Context
	store  *storage.Store
	clock  *roundstest.Clock
	notify *roundstest.Messenger
	logs   *logBuffer
	sched  *Scheduler
}

// newEnv starts a private Redis (or flushes srv when given) and a scheduler over a
// rounds service of the surveys, with the clock at start and the participants
// consented.
func newEnv(t *testing.T, srv *redistest.Server, start time.Time, list []*surveys.Survey, pids ...string) *env {
	t.Helper()
	if srv == nil {
		srv = redistest.Start(t)
	} else {
		srv.Flush(t)
	}
	e := &env{ctx: context.Background(), store: storage.New(srv.Client(t)), clock: roundstest.NewClock(start),
		notify: roundstest.New(), logs: &logBuffer{}}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	loc := amsterdam(t)
	svc := rounds.New(rounds.Config{Location: loc}, e.store, surveys.NewCatalog(list), e.notify, log)
	e.sched = New(Config{Location: loc, Now: e.clock.Now, Replica: "test"}, e.store, svc, log)
	roundstest.Consent(t, e.store, start, pids...)
	return e
}

// reconcileAt moves the clock and runs one pass, failing the test on an error.
func (e *env) reconcileAt(t *testing.T, now time.Time) {
	t.Helper()
	e.clock.Set(now)
	if err := e.sched.Reconcile(e.ctx); err != nil {
		t.Fatalf("reconcile at %v: %v", now, err)
	}
}

// roundIDs lists the ids of the live rounds, oldest first.
func (e *env) roundIDs(t *testing.T) []string {
	t.Helper()
	rounds, err := e.store.Rounds(e.ctx)
	if err != nil {
		t.Fatalf("list rounds: %v", err)
	}
	ids := []string{}
	for _, r := range rounds {
		ids = append(ids, r.ID)
	}
	return ids
}

// answer records participant pid's answer "ja" to q1, as the engine would.
func (e *env) answer(t *testing.T, rid, pid string) {
	t.Helper()
	roundstest.Answer(t, e.store, rid, pid, surveys.Profile{})
}
