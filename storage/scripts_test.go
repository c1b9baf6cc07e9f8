package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// TestEveryScript runs, once each, the scripts that the other storage tests only reach
// on a single node or that the outbox and the engine run: with PB_TEST_CLUSTER set it
// is on the cluster, and TestMain then checks that every script of the store ran
// there (so none touches keys of two slots). On one node it checks the calls work.
func TestEveryScript(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	now := time.Now()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// the outbox: claim, extend, bury, trim, requeue, drop
	for _, k := range []string{"a", "b"} {
		_, err := st.Enqueue(ctx, "telegram", []byte(`{"m":{"to":{"chat":"c-`+k+`"}}}`), now, "k:"+k, time.Hour)
		must("enqueue", err)
	}
	items, err := st.Claim(ctx, "telegram", now.Add(time.Second), time.Minute, 10)
	must("claim", err)
	if len(items) != 2 {
		t.Fatalf("claimed %d, want 2", len(items))
	}
	_, err = st.Extend(ctx, "telegram", []string{items[0].ID, items[1].ID}, now.Add(2*time.Minute))
	must("extend", err)
	must("bury", st.Bury(ctx, "telegram", items[0].ID, now, "test", storage.DefaultDeadKeep))
	must("trim dead", st.TrimDead(ctx, "telegram", now, storage.DeadKeep{Age: time.Hour, Max: 10}))
	n, err := st.RequeueDead(ctx, "telegram", now, items[0].ID)
	must("requeue dead", err)
	if n != 1 {
		t.Errorf("requeued %d, want 1", n)
	}
	n, err = st.DropMessages(ctx, "telegram", "c-a")
	must("drop messages", err)
	if n != 1 {
		t.Errorf("dropped %d, want 1", n)
	}

	// a round under the scheduler's fence, and its decision
	openRound(t, st, "r1")
	fenced := storage.WithFence(ctx, 7)
	must("check fence", st.CheckFence(fenced, "r1"))
	_, err = st.MarkReminder(fenced, "r1", 0, now)
	must("mark reminder", err)
	_, err = st.Transition(fenced, "r1", storage.Opened, storage.Closed, now)
	must("close", err)
	_, err = st.Transition(fenced, "r1", storage.Closed, storage.Published, now)
	must("publish", err)
	must("decision", st.SetDecision(ctx, "r1", "De raad besloot het plein te vergroenen.", now))

	// answers in both layouts, completed and forgotten
	rdb := st.Client()
	openLegacyRound(t, rdb, "oud")
	openRound(t, st, "nieuw")
	for _, rid := range []string{"oud", "nieuw"} {
		_, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: "p1", Field: "positie", Value: "ovoor",
			Kern: "Dalfsen", Leeftijd: "45-64"})
		must("record in "+rid, err)
		_, err = st.Answers(ctx, rid, "p1")
		must("answers in "+rid, err)
		_, err = st.Complete(ctx, rid, "p1")
		must("complete in "+rid, err)
		_, err = st.ForgetInRound(ctx, rid, "p1", storage.Erase)
		must("forget in "+rid, err)
	}

	// the shared rate limit and a platform's pause
	_, err = st.TakeRate(ctx, "telegram", "c-a", 1, storage.RateLimit{Every: 35 * time.Millisecond, PerChatEvery: time.Second})
	must("take rate", err)
	must("pause rate", st.PauseRate(ctx, "telegram", time.Second))

	// leases, a participant's lock, a login try, an update set aside
	token, err := st.Lease(ctx, "test", "a", time.Second)
	must("lease", err)
	if token == 0 {
		t.Errorf("lease not taken")
	}
	must("release lease", st.ReleaseLease(ctx, "test", "a"))
	ok, err := st.LockParticipant(ctx, "p1", "t1", time.Second)
	must("lock", err)
	if !ok {
		t.Errorf("lock not taken")
	}
	must("unlock", st.UnlockParticipant(ctx, "p1", "t1"))
	_, err = st.LoginTry(ctx, "user", "organisator", now, time.Minute)
	must("login try", err)
	must("set aside", st.SetAside(ctx, storage.InboundDead{Time: now, Channel: "telegram", UpdateID: "9",
		Kind: "choice", Reason: "test", Attempts: 5}))
}
