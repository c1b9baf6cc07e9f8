package bot_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// TestEngineConcurrentReplicas: two engines on one Redis (two replicas) handle the
// updates of the same residents at the same moment: two ticks on a multiple-choice
// question, one of them delivered to both replicas. No tick is lost (the session is
// read, changed and written back, so without the participant's lock one write would
// overwrite the other), the duplicate is handled once, and the tallies equal what the
// residents answered.
func TestEngineConcurrentReplicas(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	store2 := storage.New(engSecondClient(t, h.rdb))
	ob2 := outbox.New(store2, []bot.Channel{engChannel{}}, outbox.Config{Now: h.cfg.Now}, nil)
	eng2 := bot.NewEngine(h.cfg, store2, ob2, surveys.NewCatalog([]*surveys.Survey{engPeiling(h.cfg.Location)}), nil)

	const residents = 20
	type taps struct{ a, b bot.Event }
	var users []*engUser
	var all []taps
	for i := range residents {
		id := fmt.Sprint(8100 + i)
		u := h.user(id, id)
		u.join("25 – 44 jaar", "Dalfsen")
		u.press("Doe mee")
		u.press("Ondernemer")
		users = append(users, u)
		// both taps on the question as it is shown now, before either reply arrived
		all = append(all, taps{u.pressEvent("☐ Meer groen"), u.pressEvent("☐ Cultuur")})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*residents)
	handle := func(e *bot.Engine, ev bot.Event) {
		defer wg.Done()
		if err := e.Handle(h.ctx, ev); err != nil {
			errs <- fmt.Errorf("update %s: %w", ev.UpdateID, err)
		}
	}
	for _, tp := range all {
		wg.Add(3)
		go handle(h.eng, tp.a)
		go handle(eng2, tp.b)
		go handle(eng2, tp.a) // the same update on the other replica too
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	h.drain()
	for _, u := range users {
		got := u.press("Klaar")
		engWantText(t, got, "✔ Meer groen, Cultuur")
		if a := u.answer(r.ID, "kansen"); !slices.Equal(a.Options, []string{"groen", "cultuur"}) {
			t.Errorf("%s: answer %v, want [groen cultuur]", u.userID, a.Options)
		}
	}
	engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:kansen:n": residents,
		"q:kansen:o:groen": residents, "q:kansen:o:cultuur": residents, "q:kansen:o:sport": 0})
}

// engSecondClient is a client of its own to the same Redis or cluster, as a second
// replica has.
func engSecondClient(t *testing.T, rdb redis.UniversalClient) redis.UniversalClient {
	var c redis.UniversalClient
	switch r := rdb.(type) {
	case *redis.ClusterClient:
		c = redis.NewClusterClient(r.Options())
	case *redis.Client:
		c = redis.NewClient(r.Options())
	default:
		t.Fatalf("client %T", rdb)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
