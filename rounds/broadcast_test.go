package rounds_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

var errEnqueue = errors.New("enqueue failed")

// batchPoster is a bot.BatchPoster double: it keeps every message queued by its
// dedupe key and refuses a key it has seen, as the outbox does, and counts every
// message that breaks the broadcast contract (no dedupe key, not Bulk, no chat).
// failAt makes the failAt-th PostBatch (from 1) queue only the first half of its
// messages and fail; cancelAt cancels the broadcast's context after the
// cancelAt-th PostBatch queued its messages.
type batchPoster struct {
	mu         sync.Mutex
	queued     map[string]bot.Outgoing // dedupe key -> message
	batches    []int                   // messages per PostBatch
	posts      int                     // single Post calls
	violations []string
	failAt     int
	cancelAt   int
	cancel     context.CancelFunc
}

func newBatchPoster() *batchPoster { return &batchPoster{queued: map[string]bot.Outgoing{}} }

func (p *batchPoster) Post(ctx context.Context, m bot.Message, post bot.Post) (bool, error) {
	p.mu.Lock()
	p.posts++
	p.mu.Unlock()
	q, err := p.PostBatch(ctx, []bot.Outgoing{{Message: m, Post: post}})
	if len(q) == 0 {
		return false, err
	}
	return q[0], err
}

func (p *batchPoster) PostBatch(ctx context.Context, out []bot.Outgoing) ([]bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.batches = append(p.batches, len(out))
	n, err := len(out), error(nil)
	if len(p.batches) == p.failAt {
		n, err = len(out)/2, errEnqueue
	}
	queued := make([]bool, n)
	for i, o := range out[:n] {
		switch {
		case o.Post.Dedupe == "":
			p.violations = append(p.violations, "no dedupe key: "+o.Message.Text)
		case o.Post.Priority != bot.Bulk:
			p.violations = append(p.violations, "not bulk: "+o.Post.Dedupe)
		case o.Message.To.ChatID == "" || o.Message.Participant == "":
			p.violations = append(p.violations, "no recipient: "+o.Post.Dedupe)
		}
		if _, seen := p.queued[o.Post.Dedupe]; !seen {
			p.queued[o.Post.Dedupe] = o
			queued[i] = true
		}
	}
	if len(p.batches) == p.cancelAt && p.cancel != nil {
		p.cancel()
	}
	return queued, err
}

// set changes the double under its lock.
func (p *batchPoster) set(fn func(p *batchPoster)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

// keys lists the dedupe keys queued that start with prefix.
func (p *batchPoster) keys(prefix string) map[string]bot.Outgoing {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]bot.Outgoing{}
	for k, o := range p.queued {
		if strings.HasPrefix(k, prefix) {
			out[k] = o
		}
	}
	return out
}

// broadcastEnv is the rounds service with the real engine as its Messenger, the
// engine posting into a batchPoster.
type broadcastEnv struct {
	ctx    context.Context
	store  *storage.Store
	poster *batchPoster
	svc    *rounds.Service
	pids   []string
}

const broadcastBatch = 250

func newBroadcastEnv(t *testing.T, srv *redistest.Server, sv *surveys.Survey, start time.Time, n int) *broadcastEnv {
	t.Helper()
	srv.Flush(t)
	e := &broadcastEnv{ctx: context.Background(), store: storage.New(srv.Client(t)), poster: newBatchPoster()}
	catalog := surveys.NewCatalog([]*surveys.Survey{sv})
	log := slog.New(slog.DiscardHandler)
	eng := bot.NewEngine(bot.EngineConfig{Secret: []byte("broadcast-test-secret"), Location: start.Location()},
		e.store, e.poster, catalog, log)
	e.svc = rounds.New(rounds.Config{Location: start.Location(), Batch: broadcastBatch}, e.store, catalog, eng, log)
	for i := range n {
		e.pids = append(e.pids, fmt.Sprintf("p%05d", i))
	}
	roundstest.Consent(t, e.store, start, e.pids...)
	return e
}

// crashAt runs Advance at now with the poster failing (or cancelling) at its
// PostBatch call k and wants the error; then runs it again and wants none.
func (e *broadcastEnv) crashAt(t *testing.T, now time.Time, how string, k int) {
	t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	e.poster.set(func(p *batchPoster) {
		calls := len(p.batches)
		switch how {
		case "fail":
			p.failAt = calls + k
		case "cancel":
			p.cancelAt, p.cancel = calls+k, cancel
		}
	})
	err := e.svc.Advance(ctx, now)
	want := errEnqueue
	if how == "cancel" {
		want = context.Canceled
	}
	if !errors.Is(err, want) {
		t.Fatalf("advance with the enqueue cut short at batch %d: got %v, want %v", k, err, want)
	}
	e.poster.set(func(p *batchPoster) { p.failAt, p.cancelAt, p.cancel = 0, 0, nil })
	if err := e.svc.Advance(e.ctx, now); err != nil {
		t.Fatalf("advance again: %v", err)
	}
}

// TestBroadcastResumes cuts every broadcast (invitations, reminders, results, the
// decision) short in the middle of a batch or between batches, runs the pass again,
// and wants every recipient's message queued exactly once, in batches, as Bulk.
func TestBroadcastResumes(t *testing.T) {
	srv := redistest.Start(t)
	loc := roundstest.Amsterdam(t)
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, loc)
	const n = 1100 // five batches of broadcastBatch
	sv := roundstest.Survey("peiling", "0 9 * * 1", 48*time.Hour, 24*time.Hour)
	rid := "peiling-20261102-0900"
	closes := start.Add(48 * time.Hour)
	kinds := []struct {
		name   string
		prefix string // of the dedupe keys
		to     int    // recipients
		// run brings the round to the broadcast and runs it, cut short
		run func(t *testing.T, e *broadcastEnv, how string, k int)
	}{
		{"invitations", "inv:" + rid + ":", n, func(t *testing.T, e *broadcastEnv, how string, k int) {
			e.crashAt(t, start, how, k)
			if r := round(t, e, rid); !r.InvitesDone {
				t.Errorf("invitations not marked done")
			}
			if got := tallies(t, e, rid)[surveys.FieldInvited]; got != n {
				t.Errorf("invited: got %d, want %d", got, n)
			}
		}},
		{"reminders", "rem:" + rid + ":0:", n - 100, func(t *testing.T, e *broadcastEnv, how string, k int) {
			advance(t, e, start)
			for _, pid := range e.pids[:100] { // finished: no reminder
				roundstest.Answer(t, e.store, rid, pid, surveys.Profile{})
				if _, err := e.store.Complete(e.ctx, rid, pid); err != nil {
					t.Fatal(err)
				}
			}
			e.crashAt(t, start.Add(24*time.Hour), how, k)
			if r := round(t, e, rid); !r.Reminders[0] {
				t.Errorf("reminder not marked sent")
			}
		}},
		{"results", "res:" + rid + ":", 600, func(t *testing.T, e *broadcastEnv, how string, k int) {
			advance(t, e, start)
			for _, pid := range e.pids[:600] {
				roundstest.Answer(t, e.store, rid, pid, surveys.Profile{})
			}
			e.crashAt(t, closes, how, k)
			if r := round(t, e, rid); r.State != storage.Published {
				t.Errorf("state: got %v, want %v", r.State, storage.Published)
			}
		}},
		{"decision", "dec:" + rid + ":", 600, func(t *testing.T, e *broadcastEnv, how string, k int) {
			advance(t, e, start)
			for _, pid := range e.pids[:600] {
				roundstest.Answer(t, e.store, rid, pid, surveys.Profile{})
			}
			advance(t, e, closes)
			if err := e.svc.Decide(e.ctx, rid, "De raad besloot het plein te vergroenen.", closes); err != nil {
				t.Fatal(err)
			}
			e.crashAt(t, closes.Add(time.Minute), how, k)
			if r := round(t, e, rid); r.State != storage.Decided {
				t.Errorf("state: got %v, want %v", r.State, storage.Decided)
			}
		}},
	}
	for _, kind := range kinds {
		for _, cut := range []struct {
			how string
			k   int // the PostBatch call of the broadcast that is cut short
		}{{"fail", 1}, {"fail", 3}, {"cancel", 2}} {
			t.Run(fmt.Sprintf("%s, %s at batch %d", kind.name, cut.how, cut.k), func(t *testing.T) {
				e := newBroadcastEnv(t, srv, sv, start, n)
				kind.run(t, e, cut.how, cut.k)
				// "<prefix><pid>" is a recipient's message, "<prefix><pid>:chart:<i>"
				// an album after it
				got, albums := 0, 0
				for key, o := range e.poster.keys(kind.prefix) {
					pid, album, _ := strings.Cut(strings.TrimPrefix(key, kind.prefix), ":")
					if o.Message.Participant != pid {
						t.Errorf("%s: went to %s", key, o.Message.Participant)
					}
					if album == "" {
						got++
					} else {
						albums++
					}
				}
				if got != kind.to {
					t.Errorf("recipients queued: got %d, want %d", got, kind.to)
				}
				if want := map[bool]int{true: kind.to}[kind.name == "results"]; albums != want {
					t.Errorf("albums queued: got %d, want %d", albums, want)
				}
				e.poster.set(func(p *batchPoster) {
					if len(p.violations) > 0 {
						t.Errorf("contract broken: %v", p.violations[:min(len(p.violations), 5)])
					}
					if p.posts > 2 { // the announcement and the stuurgroep go one by one
						t.Errorf("single posts: got %d, want the broadcast in batches", p.posts)
					}
					for _, size := range p.batches {
						if size > 2*broadcastBatch*3 { // a result is a text and an album
							t.Errorf("batch of %d messages, want at most about %d recipients' worth", size, broadcastBatch)
						}
					}
				})
			})
		}
	}
}

func advance(t *testing.T, e *broadcastEnv, now time.Time) {
	t.Helper()
	if err := e.svc.Advance(e.ctx, now); err != nil {
		t.Fatalf("advance at %v: %v", now, err)
	}
}

func round(t *testing.T, e *broadcastEnv, rid string) *storage.Round {
	t.Helper()
	r, err := e.store.Round(e.ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tallies(t *testing.T, e *broadcastEnv, rid string) map[string]int64 {
	t.Helper()
	m, err := e.store.Tallies(e.ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
