package rounds_test

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

// survey and question are roundstest's, named as the tests use them.
var (
	survey   = roundstest.Survey
	question = roundstest.Question
)

// amsterdam loads the time zone every schedule in these tests is written in.
func amsterdam(t *testing.T) *time.Location { return roundstest.Amsterdam(t) }

// logBuffer collects the service's JSON log lines.
type logBuffer struct{ testlog.Buffer }

// count is how often msg was logged for a round.
func (b *logBuffer) count(t *testing.T, msg, round string) int {
	t.Helper()
	n := 0
	for _, rec := range b.Records(t, msg) {
		if rec["round"] == round {
			n++
		}
	}
	return n
}

// env is one rounds service on a private Redis with an injected clock, as the
// scheduler drives it.
type env struct {
	ctx     context.Context
	store   *storage.Store
	clock   *roundstest.Clock
	notify  *roundstest.Messenger
	catalog *surveys.Catalog
	logs    *logBuffer
	svc     *rounds.Service
	loc     *time.Location
}

// newEnv starts a private Redis (or flushes srv when given) and a service over the
// surveys, with the clock at start and the participants consented.
func newEnv(t *testing.T, srv *redistest.Server, start time.Time, list []*surveys.Survey, pids ...string) *env {
	t.Helper()
	return newEnvWith(t, srv, rounds.Config{}, start, list, pids...)
}

// newEnvWith is newEnv with a configuration of the service (its Location is set).
func newEnvWith(t *testing.T, srv *redistest.Server, cfg rounds.Config, start time.Time, list []*surveys.Survey, pids ...string) *env {
	t.Helper()
	if srv == nil {
		srv = redistest.Start(t)
	} else {
		srv.Flush(t)
	}
	e := &env{ctx: context.Background(), store: storage.New(srv.Client(t)), clock: roundstest.NewClock(start),
		notify: roundstest.New(), logs: &logBuffer{}, loc: amsterdam(t)}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Location = e.loc
	e.catalog = surveys.NewCatalog(list)
	e.svc = rounds.New(cfg, e.store, e.catalog, e.notify, log)
	roundstest.Consent(t, e.store, start, pids...)
	return e
}

// advance runs one pass at the clock's time, as the scheduler's Reconcile does.
func (e *env) advance() error { return e.svc.Advance(e.ctx, e.clock.Now()) }

// reconcileAt moves the clock and runs one pass, failing the test on an error.
func (e *env) reconcileAt(t *testing.T, now time.Time) {
	t.Helper()
	e.clock.Set(now)
	if err := e.advance(); err != nil {
		t.Fatalf("advance at %v: %v", now, err)
	}
}

// round loads a round, failing the test if it does not exist.
func (e *env) round(t *testing.T, rid string) *storage.Round {
	t.Helper()
	r, err := e.store.Round(e.ctx, rid)
	if err != nil {
		t.Fatalf("load round: %v", err)
	}
	return r
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
	e.answerAs(t, rid, pid, surveys.Profile{})
}

// answerAs is answer by a participant with a profile.
func (e *env) answerAs(t *testing.T, rid, pid string, prof surveys.Profile) {
	t.Helper()
	roundstest.Answer(t, e.store, rid, pid, prof)
}
