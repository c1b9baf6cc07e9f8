package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// metaReads counts the commands that read a round's meta hash (":meta" keys).
type metaReads struct{ n atomic.Int64 }

func (h *metaReads) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *metaReads) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.count(cmd)
		return next(ctx, cmd)
	}
}
func (h *metaReads) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			h.count(c)
		}
		return next(ctx, cmds)
	}
}
func (h *metaReads) count(cmd redis.Cmder) {
	args := cmd.Args()
	if len(args) > 1 && (cmd.Name() == "hgetall" || cmd.Name() == "hget") {
		if key, _ := args[1].(string); strings.HasSuffix(key, ":meta") {
			h.n.Add(1)
		}
	}
}

// TestRoundsLive: Rounds lists the rounds not yet purged, and reads only those:
// with 5 live rounds it reads 5 round records whether 0 or 200 rounds were purged
// and retired before. A store written before the live index existed (only the
// archive) is indexed once, without the purged rounds.
func TestRoundsLive(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, purged := range []int{0, 200} {
		t.Run(fmt.Sprintf("%d purged", purged), func(t *testing.T) {
			srv.Flush(t)
			rdb := srv.Client(t)
			reads := &metaReads{}
			rdb.AddHook(reads)
			st := storage.New(rdb)
			create := func(i int) string {
				rid := fmt.Sprintf("r-%04d", i)
				at := start.Add(time.Duration(i) * time.Hour)
				if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "s", Slot: "x", OpensAt: at, ClosesAt: at.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
				return rid
			}
			for i := range purged {
				rid := create(i)
				if err := st.PurgeRound(ctx, rid, nil, start); err != nil {
					t.Fatal(err)
				}
				if err := st.RetireRound(ctx, rid); err != nil {
					t.Fatal(err)
				}
			}
			var want []string
			for i := purged; i < purged+5; i++ {
				want = append(want, create(i))
			}
			// the first Rounds of a store indexes it once (see below); then only
			// the live rounds are read
			if _, err := st.Rounds(ctx); err != nil {
				t.Fatal(err)
			}
			reads.n.Store(0)
			got, err := st.Rounds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ids := roundIDs(got); ids != strings.Join(want, ",") {
				t.Errorf("rounds: got %s, want %s", ids, strings.Join(want, ","))
			}
			if n := reads.n.Load(); n != 5 {
				t.Errorf("round records read: got %d, want 5 (the live rounds only)", n)
			}
			// a purged round can still be loaded by id
			if purged > 0 {
				if r, err := st.Round(ctx, "r-0000"); err != nil || r.PurgedAt.IsZero() {
					t.Errorf("purged round by id: got %+v, %v", r, err)
				}
			}

			// as written by a version with only the archive: indexed once, the
			// purged rounds left out
			if err := rdb.Del(ctx, "pb:rounds:live", "pb:rounds:live:built").Err(); err != nil {
				t.Fatal(err)
			}
			for _, pass := range []string{"indexing", "indexed"} {
				got, err = st.Rounds(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if ids := roundIDs(got); ids != strings.Join(want, ",") {
					t.Errorf("%s from the archive: got %s, want %s", pass, ids, strings.Join(want, ","))
				}
			}
			reads.n.Store(0)
			if _, err := st.Rounds(ctx); err != nil {
				t.Fatal(err)
			}
			if n := reads.n.Load(); n != 5 {
				t.Errorf("round records read once indexed: got %d, want 5", n)
			}
		})
	}
}

func roundIDs(rs []*storage.Round) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return strings.Join(ids, ",")
}

// TestBroadcastReads: the batch reads a broadcast makes answer for every pseudonym
// given, in order, unknown ones included; ScanActive and ScanMembers hand out every
// member in batches; EndSessions deletes the sessions named and no other.
func TestBroadcastReads(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	const rid = "r1"
	openRound(t, st, rid)
	var pids []string
	for i := range 1500 {
		pid := fmt.Sprintf("p%04d", i)
		pids = append(pids, pid)
		if err := st.SaveConsent(ctx, &storage.Participant{ID: pid, Channel: "telegram", ChatID: "c" + pid,
			ConsentVersion: "v1", ConsentAt: time.Unix(1, 0), Kern: "Dalfsen"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, pid := range pids[:3] {
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: "q1", Value: "oja"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Complete(ctx, rid, pids[0]); err != nil {
		t.Fatal(err)
	}
	ask := []string{pids[0], pids[1], "unknown", pids[10]}
	ps, err := st.ParticipantsOf(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 || ps[0].ChatID != "c"+pids[0] || ps[2] != nil || ps[3].Kern != "Dalfsen" {
		t.Errorf("participants: got %v", ps)
	}
	started, completed, err := st.InRound(ctx, rid, ask)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(started, completed) != "[true true false false] [true false false false]" {
		t.Errorf("in round: got started %v completed %v", started, completed)
	}
	answers, err := st.AnswersOf(ctx, rid, ask)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 4 || answers[1]["q1"] != "oja" || len(answers[1]) != 1 || len(answers[2]) != 0 {
		t.Errorf("answers: got %v", answers)
	}

	seen := map[string]int{}
	batches := 0
	if err := st.ScanActive(ctx, 500, func(b []string) error {
		batches++
		for _, pid := range b {
			seen[pid]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(pids) || batches < 2 || batches > 10 {
		t.Errorf("active scan: got %d participants in %d batches, want %d in about 3", len(seen), batches, len(pids))
	}
	var members []string
	if err := st.ScanMembers(ctx, rid, 500, func(b []string) error { members = append(members, b...); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(members) != 3 {
		t.Errorf("members: got %v, want 3", members)
	}

	for _, pid := range pids[:4] {
		if err := st.SaveSession(ctx, rid, pid, &storage.Session{Pos: 1}, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.EndSessions(ctx, rid, pids[:3]); err != nil {
		t.Fatal(err)
	}
	for i, pid := range pids[:4] {
		ss, err := st.Session(ctx, rid, pid)
		if err != nil {
			t.Fatal(err)
		}
		if want := i == 3; ss.Exists != want {
			t.Errorf("session of %s after ending 0-2: got %v, want %v", pid, ss.Exists, want)
		}
	}
}
