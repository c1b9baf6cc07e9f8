package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// TestKillMidErasure: a resident who took part in many rounds asks /vergeetmij; the
// process is killed with SIGKILL while the erasure runs. After a restart the erasure
// completes: no key or value holds their pseudonym, chat or typed text, and the open
// rounds' tallies are those without them.
func TestKillMidErasure(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in short mode")
	}
	bin := buildBinary(t)
	h := newHarness(t)
	p1 := h.start(bin)
	r := h.resident(7301)
	if err := r.join(ageLabels[3], "Nieuwleusen"); err != nil {
		t.Fatalf("%v\n%s", err, p1.logs.String())
	}
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)
	pid := bot.NewEngine(bot.EngineConfig{Secret: []byte(h.env["PSEUDONYM_KEY"])}, st, nil, nil, nil).
		Pseudonym("telegram", strconv.FormatInt(r.uid, 10))
	const secret = "Mijn buurman parkeert altijd op de stoep"
	const rounds = 1000 // enough that the erasure takes long enough to be killed in, also on a busy machine
	without := map[string]map[string]int64{}
	for i := range rounds {
		rid := fmt.Sprintf("wijk-%03d", i)
		now := time.Now()
		if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "e2e", Slot: rid, OpensAt: now, ClosesAt: now.Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, rid, storage.Scheduled, storage.Opened, now); err != nil {
			t.Fatal(err)
		}
		record(t, st, rid, "other-"+strconv.Itoa(i), "Weet ik niet")
		tl, err := st.Tallies(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		without[rid] = tl
		record(t, st, rid, pid, secret)
	}

	h.tg.SendText(r.uid, "/vergeetmij")
	m, err := r.await("Wissen kan niet ongedaan worden gemaakt")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.press(m, "Ja, wis alles"); err != nil {
		t.Fatal(err)
	}
	inRound := func(rid string) bool {
		a, err := st.Answers(ctx, rid, pid)
		if err != nil {
			t.Fatal(err)
		}
		return len(a) > 0
	}
	// kill as soon as the erasure has taken the resident out of the first round
	deadline := time.Now().Add(20 * time.Second)
	for !rdb.HExists(ctx, "pb:erasures", pid).Val() || inRound("wijk-000") {
		if time.Now().After(deadline) {
			t.Fatalf("the erasure did not begin; log:\n%s", p1.logs.String())
		}
	}
	p1.kill()
	left := 0
	for i := range rounds {
		if inRound(fmt.Sprintf("wijk-%03d", i)) {
			left++
		}
	}
	if !rdb.HExists(ctx, "pb:erasures", pid).Val() || left == 0 || left == rounds {
		t.Fatalf("killed after the erasure finished (pending %v, rounds left %d); want it killed half-way",
			rdb.HExists(ctx, "pb:erasures", pid).Val(), left)
	}
	t.Logf("killed with the resident still in %d of %d rounds", left, rounds)

	p2 := h.start(bin)
	testwait.Until(t, 30*time.Second, "the erasure to finish after the restart", func() (bool, string) {
		pending, left := rdb.HLen(ctx, "pb:erasures").Val(), rdb.Exists(ctx, "pb:p:"+pid).Val()
		return pending == 0 && left == 0, fmt.Sprintf("%d erasures pending, participant key left %d; log:\n%s", pending, left, p2.logs.String())
	})
	if _, err := r.await("Alles wat we van u hadden is gewist"); err != nil {
		t.Fatal(err)
	}
	settle(t, h, p2)
	for i := range rounds {
		rid := fmt.Sprintf("wijk-%03d", i)
		if got, _ := st.Tallies(ctx, rid); fmt.Sprint(got) != fmt.Sprint(without[rid]) {
			t.Fatalf("round %s tallies: got %v, want %v", rid, got, without[rid])
		}
	}
	chat, _ := json.Marshal(strconv.FormatInt(r.uid, 10))
	if found := redistest.Find(t, rdb, pid, secret, `"chat_id":`+string(chat)); len(found) > 0 {
		t.Errorf("after the erasure Redis still holds:\n%s", strings.Join(found, "\n"))
	}
}

func record(t *testing.T, st *storage.Store, rid, pid, text string) {
	t.Helper()
	q := surveys.Question{ID: "beter", Type: surveys.Open}
	a := surveys.Answer{Text: text}
	prof := surveys.Profile{Kern: "Nieuwleusen", Leeftijd: "65+"}
	if _, err := st.RecordAnswer(context.Background(), storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
		Value: surveys.EncodeAnswer(q, a), Kern: prof.Kern, Leeftijd: prof.Leeftijd}); err != nil {
		t.Fatal(err)
	}
}
