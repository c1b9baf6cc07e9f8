package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// REDIS_URL may name a Redis Cluster, by its seed nodes or by one seed with
// redis+cluster://, and a round's life and the outbox, whose keys share a hash tag,
// run on it as on one node. (What still crosses slots, a participant's record with
// the active set, is issue 11's next step.)
func TestOpenCluster(t *testing.T) {
	c := redistest.StartCluster(t, 3, 1)
	ctx := context.Background()
	for _, url := range []string{c.URL(), "redis+cluster://" + c.Nodes[0].Addr} {
		st, err := storage.Open(ctx, url)
		if err != nil {
			t.Fatalf("open %s: %v", url, err)
		}
		if _, ok := st.Client().(*redis.ClusterClient); !ok {
			t.Errorf("open %s: got a %T, want a cluster client", url, st.Client())
		}
		st.Close()
	}
	if _, err := storage.Open(ctx, "redis+cluster://127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("a cluster that is not there: got %v, want an error naming its address", err)
	}

	st, err := storage.Open(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := surveys.Question{ID: "q1", Type: surveys.Single, Text: "Luistert de gemeente voldoende?",
		Options: []surveys.Option{{ID: "ja", Label: "Ja"}, {ID: "nee", Label: "Nee"}}}
	for r := range 4 { // rounds on different slots
		rid := fmt.Sprintf("peiling-%d", r)
		openRound(t, st, rid)
		var pids []string
		for i := range 30 {
			pid := fmt.Sprintf("p%02d", i)
			pids = append(pids, pid)
			a := surveys.Answer{Options: []string{"ja"}}
			if i%3 == 0 {
				a.Options = []string{"nee"}
			}
			if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
				Value: surveys.EncodeAnswer(q, a), Kern: "Dalfsen", Leeftijd: "25-44"}); err != nil {
				t.Fatalf("record in %s: %v", rid, err)
			}
			if i%2 == 0 {
				if _, err := st.Complete(ctx, rid, pid); err != nil {
					t.Fatal(err)
				}
			}
		}
		tallies, err := st.Tallies(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		if tallies["respondents"] != 30 || tallies["q:q1:o:ja"] != 20 || tallies["q:q1:o:nee:k:Dalfsen"] != 10 || tallies["completed"] != 15 {
			t.Errorf("%s tallies: got %v", rid, tallies)
		}
		started, completed, err := st.InRound(ctx, rid, pids[:4])
		if err != nil || fmt.Sprint(started, completed) != "[true true true true] [true false true false]" {
			t.Errorf("%s in round: got %v %v %v", rid, started, completed, err)
		}
		answers, err := st.AnswersOf(ctx, rid, pids[:3])
		if err != nil || answers[0]["q1"] != "onee" || answers[1]["q1"] != "oja" {
			t.Errorf("%s answers: got %v %v", rid, answers, err)
		}
	}

	// the outbox of one channel: enqueue, claim, ack
	now := time.Now()
	entries := make([]storage.OutboxEntry, 10)
	for i := range entries {
		entries[i] = storage.OutboxEntry{Payload: fmt.Appendf(nil, `{"m":{"text":"bericht %d"}}`, i), Due: now, Dedupe: fmt.Sprint("d", i)}
	}
	queued, err := st.EnqueueBatch(ctx, "telegram", entries)
	if err != nil || len(queued) != 10 {
		t.Fatalf("enqueue: got %v %v", queued, err)
	}
	items, err := st.ClaimEach(ctx, "telegram", now.Add(time.Second), 15*time.Second, 10, 10, 10)
	if err != nil || len(items) != 10 {
		t.Fatalf("claim: got %d %v", len(items), err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if lost, err := st.AckMany(ctx, "telegram", ids, false); err != nil || len(lost) != 0 {
		t.Errorf("ack: lost %v, %v", lost, err)
	}
}

// TestPingCluster: Ping (a replica's /readyz) fails when one master of the Cluster is
// down, though the seed and the others answer.
func TestPingCluster(t *testing.T) {
	c := redistest.StartCluster(t, 3, 0)
	ctx := context.Background()
	st, err := storage.Open(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("all masters up: got %v, want nil", err)
	}
	c.Nodes[2].Stop()
	if err := st.Ping(ctx); err == nil {
		t.Error("a master down: got nil, want an error")
	}
}
