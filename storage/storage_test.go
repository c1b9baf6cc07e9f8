package storage_test

import (
	"context"
	"crypto/sha1"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// newStore is a store on a private redis-server, or with PB_TEST_CLUSTER set on a
// private Redis Cluster (3 masters, 3 replicas): test.sh runs the package both ways.
func newStore(t *testing.T) *storage.Store {
	t.Helper()
	rdb := redistest.StartAny(t)
	rdb.AddHook(scriptHook{})
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		// the writes that wait for a replica run on the master's own client
		cc.OnNewNode(func(c *redis.Client) { c.AddHook(scriptHook{}) })
	}
	return storage.New(rdb)
}

func openRound(t testing.TB, st *storage.Store, rid string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "s", Slot: "2026-12-01T09:00",
		OpensAt: now, ClosesAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Transition(ctx, rid, storage.Scheduled, storage.Opened, now); err != nil || !ok {
		t.Fatalf("open: got %v %v, want true nil", ok, err)
	}
}

func TestRecordAnswerMovesTallies(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	openRound(t, st, "r1")
	write := func(pid, value string, tallies ...string) storage.AnswerOutcome {
		t.Helper()
		// the script derives the tallies from the value and the profile (they are
		// listed in the steps below for the reader)
		out, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: pid, Field: "q1",
			Value: "o" + value, Kern: "Dalfsen"})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	steps := []struct {
		name    string
		pid     string
		value   string
		tallies []string
		want    storage.AnswerOutcome
	}{
		{"first answer", "a", "ja", []string{"q:q1:n", "q:q1:o:ja"}, storage.Added},
		{"double tap counts once", "a", "ja", []string{"q:q1:n", "q:q1:o:ja"}, storage.Unchanged},
		{"other participant", "b", "ja", []string{"q:q1:n", "q:q1:o:ja"}, storage.Added},
		{"change moves the tally", "a", "nee", []string{"q:q1:n", "q:q1:o:nee"}, storage.Changed},
	}
	for _, s := range steps {
		if got := write(s.pid, s.value, s.tallies...); got != s.want {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
	got, err := st.Tallies(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"q:q1:n": 2, "q:q1:o:ja": 1, "q:q1:o:nee": 1, "respondents": 2, "respondents:k:Dalfsen": 2,
		// the breakdowns by kern and the joint counters (leeftijd unknown)
		"q:q1:n:k:Dalfsen": 2, "q:q1:o:ja:k:Dalfsen": 1, "q:q1:o:nee:k:Dalfsen": 1,
		"q:q1:o:ja:j:Dalfsen:": 1, "q:q1:o:nee:j:Dalfsen:": 1, "respondents:j:Dalfsen:": 2}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("tally %s: got %d, want %d", k, got[k], v)
		}
	}
}

func TestRecordAnswerRefusedWhenClosed(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	openRound(t, st, "r1")
	if _, err := st.Transition(ctx, "r1", storage.Opened, storage.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: "a", Field: "q1", Value: "ox"})
	if !errors.Is(err, storage.ErrRoundClosed) {
		t.Fatalf("got %v, want ErrRoundClosed", err)
	}
	tallies, _ := st.Tallies(ctx, "r1")
	if len(tallies) != 0 {
		t.Errorf("got tallies %v, want none", tallies)
	}
}

func TestTransitionOnce(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	openRound(t, st, "r1")
	ok, err := st.Transition(ctx, "r1", storage.Scheduled, storage.Opened, time.Now())
	if err != nil || ok {
		t.Fatalf("second open: got %v %v, want false nil", ok, err)
	}
	created, err := st.CreateRound(ctx, &storage.Round{ID: "r1", Survey: "s"})
	if err != nil || created {
		t.Fatalf("create again: got %v %v, want false nil", created, err)
	}
	r, err := st.Round(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != storage.Opened {
		t.Errorf("state: got %s, want %s", r.State, storage.Opened)
	}
	byCode, err := st.RoundByCode(ctx, r.Code)
	if err != nil || byCode.ID != "r1" {
		t.Errorf("by code: got %v %v, want r1", byCode, err)
	}
}

func TestOutboxDedupeLeaseAck(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	for i, key := range []string{"inv:r1:a", "inv:r1:a", "inv:r1:b", ""} {
		ok, err := st.Enqueue(ctx, "telegram", []byte{byte('0' + i)}, now, key, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := i != 1; ok != want {
			t.Errorf("enqueue %d (%q): got %v, want %v", i, key, ok, want)
		}
	}
	items, err := st.Claim(ctx, "telegram", now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || string(items[0].Payload) != "0" || string(items[2].Payload) != "3" {
		t.Fatalf("claim: got %+v, want 3 items in order", items)
	}
	again, _ := st.Claim(ctx, "telegram", now.Add(30*time.Second), time.Minute, 10)
	if len(again) != 0 {
		t.Errorf("claim within lease: got %d items, want 0", len(again))
	}
	if err := st.Ack(ctx, "telegram", items[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Retry(ctx, "telegram", items[1].ID, now.Add(5*time.Second), true); err != nil {
		t.Fatal(err)
	}
	later, _ := st.Claim(ctx, "telegram", now.Add(61*time.Second), time.Minute, 10)
	if len(later) != 2 || later[0].ID != items[1].ID || later[0].Attempts != 1 {
		t.Errorf("after lease: got %+v, want the retried then the expired item", later)
	}
}

// With PB_TEST_CLUSTER set, the storage tests share one Redis Cluster (test.sh), and
// the whole suite must have run every script of the store there: a cluster refuses a
// script whose keys are in more than one slot (CROSSSLOT), so a script that ran is one
// that keeps to one slot.
func TestMain(m *testing.M) { redistest.Main(scriptCheck{m}) }

// scriptsRan are the SHA1s of the scripts that ran without an error, on any store of
// newStore.
var scriptsRan sync.Map

type scriptCheck struct{ m *testing.M }

func (c scriptCheck) Run() int {
	code := c.m.Run()
	if code != 0 || os.Getenv(redistest.ClusterEnv) == "" || flag.Lookup("test.run").Value.String() != "" {
		return code
	}
	var missing []string
	for name, s := range storage.Scripts {
		if _, ok := scriptsRan.Load(s.Hash()); !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		fmt.Fprintf(os.Stderr, "FAIL: scripts never run on the cluster, so not shown to keep to one slot: %v\n", missing)
		return 1
	}
	fmt.Printf("every one of the %d scripts ran on the cluster\n", len(storage.Scripts))
	return 0
}

// scriptHook records the scripts that ran.
type scriptHook struct{}

func (scriptHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (scriptHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		noteScript(cmd)
		return err
	}
}

func (scriptHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			noteScript(cmd)
		}
		return err
	}
}

func noteScript(cmd redis.Cmder) {
	if cmd.Err() != nil && !errors.Is(cmd.Err(), redis.Nil) {
		return
	}
	args := cmd.Args()
	if len(args) < 2 {
		return
	}
	switch strings.ToLower(fmt.Sprint(args[0])) {
	case "evalsha", "evalsha_ro":
		scriptsRan.Store(fmt.Sprint(args[1]), true)
	case "eval", "eval_ro":
		scriptsRan.Store(fmt.Sprintf("%x", sha1.Sum([]byte(fmt.Sprint(args[1])))), true)
	}
}
