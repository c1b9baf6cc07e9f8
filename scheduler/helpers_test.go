package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// amsterdam loads the time zone every schedule in these tests is written in.
func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatalf("load Europe/Amsterdam: %v", err)
	}
	return loc
}

// clock is the injected Config.Now: a time the test moves by hand. It counts reads,
// so a test can tell that a pass has started.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	reads int
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

var errNotifier = errors.New("notifier down")

// fakeNotifier records every call the scheduler makes. It fails the failResultsAt-th
// SendResults call (counting from 1 over the notifier's life), every call named in
// fail, and panics on Invite while panicInvite is set.
type fakeNotifier struct {
	mu            sync.Mutex
	invites       map[string]int // "<round>/<pid>" -> calls
	reminds       map[string]int // "<round>/<i>/<pid>" -> calls
	remindOrder   []string       // pids reminded, in call order
	results       map[string]int // "<round>/<pid>" -> calls that succeeded
	resultsCalls  int            // every SendResults call, failed ones too
	stuurgroep    map[string]int // round -> successful calls
	announced     map[string]int // round -> announcements
	decisions     map[string]int // round/participant -> decisions sent
	digests       []sentDigest
	failResultsAt int
	fail          map[string]bool // method name -> fail every call
	panicInvite   bool
}

func newNotifier() *fakeNotifier {
	return &fakeNotifier{invites: map[string]int{}, reminds: map[string]int{},
		results: map[string]int{}, stuurgroep: map[string]int{}, announced: map[string]int{}, decisions: map[string]int{}, fail: map[string]bool{}}
}

func (f *fakeNotifier) Invite(_ context.Context, r *storage.Round, pid string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panicInvite {
		panic("notifier exploded")
	}
	if f.fail["Invite"] {
		return false, errNotifier
	}
	f.invites[r.ID+"/"+pid]++
	return true, nil
}

func (f *fakeNotifier) Remind(_ context.Context, r *storage.Round, i int, pid string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail["Remind"] {
		return false, errNotifier
	}
	f.reminds[fmt.Sprintf("%s/%d/%s", r.ID, i, pid)]++
	f.remindOrder = append(f.remindOrder, pid)
	return true, nil
}

func (f *fakeNotifier) SendResults(_ context.Context, r *storage.Round, res *results.Results, pid string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resultsCalls++
	if f.fail["SendResults"] || f.resultsCalls == f.failResultsAt {
		return false, errNotifier
	}
	if res == nil || res.Round.ID != r.ID {
		return false, fmt.Errorf("results of round %v sent for round %s", res, r.ID)
	}
	f.results[r.ID+"/"+pid]++
	return true, nil
}

func (f *fakeNotifier) SendDecision(_ context.Context, r *storage.Round, pid string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.decisions[r.ID+"/"+pid]++
	return true, nil
}

func (f *fakeNotifier) Announce(_ context.Context, r *storage.Round) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.announced[r.ID]++
	return nil
}

func (f *fakeNotifier) SendStuurgroep(_ context.Context, r *storage.Round, res *results.Results) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail["SendStuurgroep"] {
		return errNotifier
	}
	f.stuurgroep[r.ID]++
	return nil
}

// set changes the notifier's behaviour under its lock (Run reads it concurrently).
func (f *fakeNotifier) SendDigest(_ context.Context, period string, rep *digest.Report) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.digests = append(f.digests, sentDigest{period, rep})
	return nil
}

type sentDigest struct {
	period string
	rep    *digest.Report
}

func (f *fakeNotifier) set(fn func(f *fakeNotifier)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// counts returns a copy of one of the call maps, taken under the lock.
func (f *fakeNotifier) counts(which func(f *fakeNotifier) map[string]int) map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range which(f) {
		out[k] = v
	}
	return out
}

func invites(f *fakeNotifier) map[string]int    { return f.invites }
func reminds(f *fakeNotifier) map[string]int    { return f.reminds }
func resultsOf(f *fakeNotifier) map[string]int  { return f.results }
func stuurgroep(f *fakeNotifier) map[string]int { return f.stuurgroep }
func announced(f *fakeNotifier) map[string]int  { return f.announced }
func decisions(f *fakeNotifier) map[string]int  { return f.decisions }

// logBuffer collects the scheduler's JSON log lines.
type logBuffer struct{ testlog.Buffer }

// records returns the log records with the given message.
func (b *logBuffer) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// count is how often msg was logged for a round.
func (b *logBuffer) count(t *testing.T, msg, round string) int {
	t.Helper()
	n := 0
	for _, rec := range b.records(t, msg) {
		if rec["round"] == round {
			n++
		}
	}
	return n
}

// env is one scheduler on a private Redis with an injected clock.
type env struct {
	ctx    context.Context
	store  *storage.Store
	clock  *clock
	notify *fakeNotifier
	logs   *logBuffer
	sched  *Scheduler
	loc    *time.Location
}

// newEnv starts a private Redis (or flushes srv when given) and a scheduler over the
// surveys, with the clock at start and the participants consented.
func newEnv(t *testing.T, srv *redistest.Server, start time.Time, list []*surveys.Survey, pids ...string) *env {
	t.Helper()
	if srv == nil {
		srv = redistest.Start(t)
	} else {
		srv.Flush(t)
	}
	e := &env{ctx: context.Background(), store: storage.New(srv.Client(t)), clock: &clock{now: start},
		notify: newNotifier(), logs: &logBuffer{}, loc: amsterdam(t)}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.sched = New(Config{Location: e.loc, Now: e.clock.Now, Replica: "test"}, e.store,
		surveys.NewCatalog(list), e.notify, log)
	for _, pid := range pids {
		if err := e.store.SaveConsent(e.ctx, &storage.Participant{ID: pid, Channel: "telegram",
			ChatID: "chat-" + pid, ConsentVersion: "v1", ConsentAt: start}); err != nil {
			t.Fatalf("save consent of %s: %v", pid, err)
		}
	}
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

// round loads a round, failing the test if it does not exist.
func (e *env) round(t *testing.T, rid string) *storage.Round {
	t.Helper()
	r, err := e.store.Round(e.ctx, rid)
	if err != nil {
		t.Fatalf("load round: %v", err)
	}
	return r
}

// roundIDs lists the ids of all rounds, oldest first.
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
	q := question()
	a := surveys.Answer{Options: []string{"ja"}}
	if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
		Value: surveys.EncodeAnswer(q, a), Kern: prof.Kern, Leeftijd: prof.Leeftijd}); err != nil {
		t.Fatalf("answer of %s: %v", pid, err)
	}
}

func question() surveys.Question {
	return surveys.Question{ID: "q1", Type: surveys.Single, Text: "Luistert de gemeente voldoende?",
		Options: []surveys.Option{{ID: "ja", Label: "Ja"}, {ID: "nee", Label: "Nee"}}}
}

// survey builds a survey on a cron schedule.
func survey(id, spec string, dur time.Duration, reminders ...time.Duration) *surveys.Survey {
	return &surveys.Survey{ID: id, Title: "Burgerpeiling " + id, Language: "nl",
		Schedule:  surveys.Schedule{Cron: spec, Duration: dur, Reminders: reminders},
		Questions: []surveys.Question{question()}}
}
