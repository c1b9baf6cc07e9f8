package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// TestKillWithWhatsAppResidents: the kill test with WhatsApp residents. The real
// binary serves WhatsApp (its webhook at a fixed HTTP_ADDR, against the fake Cloud
// API at Meta's own limits) and Telegram (polling); 20 WhatsApp and 4 Telegram
// residents join and answer every question type of the e2e survey while serve is
// killed with SIGKILL four times, each at a moment a condition picks, and started
// again:
//
//   - kill 1 in the middle of the invitation broadcast;
//   - kill 2 once a third of the WhatsApp residents are past question 3;
//   - kill 3 once half of them are at the first wie-van-de-drie step;
//   - kill 4 in the middle of the results broadcast after the round closes.
//
// At each kill some residents write while serve is down: two held at their
// invitation press "Doe mee" (kills 1 and 2), two held at question 7 answer it
// (kill 3), one asks for "hulp" (kill 4). What they write waits at the fake, which,
// as Meta does, posts a notification again until it is answered 200; serve stays
// down until the fake tried it twice since.
//
// Then: every answer is counted once (checkResults); every resident got the
// invitation, each question, the closing message and the results, a message twice
// only when it was in flight at a kill (a channel's sender has 4 workers at its
// default rate: at most 4 repeats a kill on each channel); every resident message
// reached serve; the WhatsApp inbox in Redis is empty; the round was published once;
// neither fake refused anything for its limits.
func TestKillWithWhatsAppResidents(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in short mode")
	}
	began := time.Now()
	phase := func(what string) { t.Logf("%6.1fs %s", time.Since(began).Seconds(), what) }
	bin := buildBinary(t)
	h := newHarness(t)
	// a lease short enough that what a killed process held goes out again soon
	h.env["OUTBOX_LEASE"] = "5s"
	addr := fixedPort(t) // the same across restarts: the fake's webhook points at it
	h.env["HTTP_ADDR"] = addr
	h.env["LOG_LEVEL"] = "info"
	// Telegram's own limits (28/s, one a second per chat: 4 workers), against a fake
	// that enforces Telegram's 30/s and 1/s per chat
	delete(h.env, "TELEGRAM_RATE_LIMIT")
	h.tg.EnforceLimits(telegramtest.Limits{Global: 30, PerChat: 1})
	// WhatsApp at its own limits (70/s: 4 workers), against a fake enforcing Meta's
	// 80/s and pair rate; a delivery serve did not answer 200 is posted again every
	// 100 ms, for as long as the test runs
	wa := withWhatsApp(h)
	delete(h.env, "WHATSAPP_RATE_LIMIT")
	wa.SetLimits(whatsapptest.DefaultLimits())
	wa.SetRetry(100*time.Millisecond, 1000)
	wa.SetWebhook("http://"+addr+"/whatsapp/webhook", waAppSecret)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)

	const nWA, nTG = 20, 4
	const n = nWA + nTG
	// the bound on repeats: the sends a channel's sender has in flight at a kill
	const inFlight = 4

	runs := []*process{h.start(bin)}
	cur := runs[0]
	defer func() {
		if t.Failed() {
			for i, p := range runs {
				t.Logf("--- serve run %d (last lines) ---\n%s", i+1, lastLinesOf(p.logs.String(), 60))
			}
		}
	}()
	var kills []string // what each kill hit, for the log
	// failedSince counts the webhook posts to serve that got no 200 since at.
	failedSince := func(at time.Time) int {
		k := 0
		for _, d := range wa.Deliveries() {
			if !d.Time.Before(at) && !d.OK() {
				k++
			}
		}
		return k
	}
	// sentSince counts the messages the fake accepted since at.
	sentSince := func(at time.Time) int {
		k := 0
		for _, c := range wa.Calls() {
			if c.Endpoint == "messages" && c.Status == 200 && !c.Time.Before(at) {
				k++
			}
		}
		return k
	}
	// kill kills serve with SIGKILL, lets the residents held at gate tap while it
	// is down (and, with say, one more resident write), keeps it down until the fake
	// tried to post to it twice since, and starts it again; then WhatsApp sends must
	// resume within 20 s.
	kill := func(what string, gate *killGate, say func()) {
		t.Helper()
		at := time.Now()
		cur.kill()
		if gate != nil {
			close(gate.open)
			testwait.Until(t, 10*time.Second, "the held residents released", func() (bool, string) {
				return gate.released.Load() == gate.want, fmt.Sprintf("%d of %d released", gate.released.Load(), gate.want)
			})
		}
		if say != nil {
			say()
		}
		// what they wrote waits at the fake, which posts it, or the notification
		// ahead of it, again and again while serve is down
		acted := time.Now()
		wa.WaitFor(t, 10*time.Second, "webhook posts refused while serve is down", func() (bool, string) {
			k := failedSince(acted)
			return k >= 2, fmt.Sprintf("%d posts failed since the residents wrote", k)
		})
		down := time.Since(at)
		failed := failedSince(at)
		restarted := time.Now()
		cur = h.start(bin)
		runs = append(runs, cur)
		kills = append(kills, fmt.Sprintf("kill %d %s (down %s, %d webhook posts failed meanwhile)",
			len(kills)+1, what, down.Round(time.Millisecond), failed))
		phase(kills[len(kills)-1])
		wa.WaitFor(t, 20*time.Second, fmt.Sprintf("kill %d: WhatsApp sending resumed after the restart", len(kills)), func() (bool, string) {
			k := sentSince(restarted)
			return k > 0, fmt.Sprintf("%d messages sent since the restart", k)
		})
	}

	// residents on WhatsApp (plan i) and on Telegram (plan nWA+j) join
	exp := newExpect(loadE2E(t))
	pool, err := poolLabels(exp.survey, "waarden")
	if err != nil {
		t.Fatal(err)
	}
	was := make([]*waResident, nWA)
	tgs := make([]*resident, nTG)
	parallel(t, n, func(i int) error {
		if i < nWA {
			was[i] = wa.resident(i)
			return was[i].join(ageLabels[i%4], kernen[i%6])
		}
		j := i - nWA
		tgs[j] = h.resident(int64(6000 + j))
		return tgs[j].join(ageLabels[i%4], kernen[i%6])
	})
	phase(fmt.Sprintf("%d WhatsApp and %d Telegram residents joined", nWA, nTG))
	// reached counts the WhatsApp residents whose chat holds a message with s.
	reached := func(s string) int {
		k := 0
		for _, r := range was {
			if countContainsWA(wa.Chat(r.id), s) > 0 {
				k++
			}
		}
		return k
	}

	// Every resident answers from the invitation on, in their own goroutine, while
	// the test kills serve under them. Some wait at a gate with a message unanswered
	// until serve is killed, and answer while it is down: at kill 1 the first two to
	// get the invitation press "Doe mee"; at kill 2 the last two residents, held at
	// their invitation since; at kill 3 the first two answer question 7.
	gate1, gate2, gate3 := newKillGate(2), newKillGate(2), newKillGate(2)
	const hold = 120 * time.Second
	var wg sync.WaitGroup
	// a resident's failure (it prints their chat) ends the test at the next look,
	// not only once every resident is done
	var failMu sync.Mutex
	var failures []error
	report := func(err error) {
		if err != nil {
			failMu.Lock()
			failures = append(failures, err)
			failMu.Unlock()
		}
	}
	stopIfFailed := func() {
		t.Helper()
		failMu.Lock()
		defer failMu.Unlock()
		if len(failures) > 0 {
			t.Fatal(errors.Join(failures...))
		}
	}
	for i, r := range was {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.await("Er staat een nieuwe vragenronde"); err != nil {
				report(err)
				return
			}
			var g *killGate
			switch {
			case i >= nWA-2:
				g = gate2
			case gate1.take():
				g = gate1
			}
			if g != nil {
				if err := g.hold(r.id, hold); err != nil {
					report(err)
					return
				}
			}
			if err := r.press("Doe mee"); err != nil {
				report(err)
				return
			}
			var before7 func() error
			if i < 2 {
				before7 = func() error { return gate3.hold(r.id, hold) }
			}
			report(r.answer(i, exp, pool, before7))
		}()
	}
	for j, r := range tgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			report(answerRound(r, nWA+j, exp, nil))
		}()
	}
	out := h.cli("rounds", "open", "e2e")
	if !strings.Contains(out, "is open tot") {
		t.Fatalf("rounds open: got %q", out)
	}
	rid := strings.Fields(out)[1]

	// Kill 1: in the middle of the invitations (70 a second: a third of a second for 20).
	testwait.Until(t, 30*time.Second, "a quarter of the WhatsApp invitations, two residents held at theirs", func() (bool, string) {
		stopIfFailed()
		k := reached("Er staat een nieuwe vragenronde")
		return gate1.waiting.Load() == gate1.want && k >= nWA/4, fmt.Sprintf("%d invitations, %d held", k, gate1.waiting.Load())
	})
	kill(fmt.Sprintf("with %d of %d WhatsApp invitations delivered", reached("Er staat een nieuwe vragenronde"), nWA), gate1, nil)

	// Kill 2: a third of the WhatsApp residents past question 3.
	wa.WaitFor(t, 60*time.Second, "a third of the WhatsApp residents past question 3", func() (bool, string) {
		stopIfFailed()
		k := reached("Vraag 4 van 7")
		return k >= nWA/3 && gate2.waiting.Load() == gate2.want,
			fmt.Sprintf("%d past question 3, %d held at their invitation; their chats:\n%s\n%s", k, gate2.waiting.Load(), was[nWA-2].chat(), was[nWA-1].chat())
	})
	kill(fmt.Sprintf("with %d of %d WhatsApp residents past question 3, %d done", reached("Vraag 4 van 7"), nWA, reached("Klaar, bedankt!")), gate2, nil)

	// Kill 3: half of them at the first wie-van-de-drie step.
	wa.WaitFor(t, 60*time.Second, "half of the WhatsApp residents at question 6", func() (bool, string) {
		stopIfFailed()
		k := reached("Vraag 6 van 7 · keuze 1 van 2")
		return k >= nWA/2 && gate3.waiting.Load() == gate3.want,
			fmt.Sprintf("%d at question 6, %d held at question 7; their chats:\n%s\n%s", k, gate3.waiting.Load(), was[0].chat(), was[1].chat())
	})
	kill(fmt.Sprintf("with %d of %d WhatsApp residents at question 6, %d done", reached("Vraag 6 van 7 · keuze 1 van 2"), nWA, reached("Klaar, bedankt!")), gate3, nil)

	wg.Wait()
	stopIfFailed()
	phase("every resident answered")

	// Kill 4: in the middle of the results broadcast (results and charts, bulk).
	h.cli("rounds", "close", rid)
	testwait.For(t, 60*time.Second, "a quarter of the WhatsApp results", func() bool {
		return reached("Bedankt voor uw deelname") >= nWA/4
	})
	// one resident asks for help while serve is down
	asker := was[2]
	kill(fmt.Sprintf("with %d of %d WhatsApp results delivered", reached("Bedankt voor uw deelname"), nWA), nil, func() { asker.say("hulp") })
	parallel(t, n, func(i int) error {
		if i < nWA {
			_, err := was[i].await("Bedankt voor uw deelname")
			return err
		}
		_, err := tgs[i-nWA].await("Bedankt voor uw deelname")
		return err
	})
	phase("results out")
	wa.WaitFor(t, 30*time.Second, "the help asked for while serve was down", func() (bool, string) {
		return countContainsWA(wa.Chat(asker.id), "Zo werkt de participatiebot") > 0, asker.chat()
	})
	testwait.Until(t, 30*time.Second, "the round published", func() (bool, string) {
		list := h.cli("rounds", "list")
		return strings.Contains(list, "published"), list
	})
	h.tg.WaitFor(t, 30*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") >= 1 })

	// Every answer counted once, over both channels.
	checkResults(t, h.results(rid), exp, n, n)

	// Every resident got the invitation, each question, the closing message and the
	// results; a message repeats only when a kill came while it was in flight.
	tgChats, waChats := map[string][]string{}, map[string][]string{}
	for i, r := range was {
		waChats[fmt.Sprintf("WhatsApp resident %d", i)] = waTexts(wa.Chat(r.id))
	}
	for i, r := range tgs {
		tgChats[fmt.Sprintf("Telegram resident %d", i)] = tgTexts(h.tg.Chat(r.uid))
	}
	waRepeats, waTotal := countRepeats(t, waChats)
	tgRepeats, tgTotal := countRepeats(t, tgChats)
	if bound := len(kills) * inFlight; waTotal > bound || tgTotal > bound {
		t.Errorf("messages repeated: %d on WhatsApp (%v), %d on Telegram (%v); want at most %d on each (%d in flight at each of %d kills)",
			waTotal, waRepeats, tgTotal, tgRepeats, bound, inFlight, len(kills))
	}

	// Every message a resident sent reached serve (answered 200), however often the
	// fake had to post it.
	delivered, tried := map[string]bool{}, map[string]bool{}
	for _, d := range wa.Deliveries() {
		if d.Kind == "message" {
			tried[d.MessageID] = true
			delivered[d.MessageID] = delivered[d.MessageID] || d.OK()
		}
	}
	for id := range tried {
		if !delivered[id] {
			t.Errorf("resident message %s was never answered 200 by serve", id)
		}
	}
	if wa.Redeliveries() == 0 {
		t.Errorf("the fake posted no notification again: no kill found a delivery on its way")
	}

	// The inbox in Redis holds nothing: every delivery stored was handled and
	// acknowledged, also those the killed processes had taken (claimed by the next).
	testwait.Until(t, 45*time.Second, "the WhatsApp inbox empty", func() (bool, string) {
		k, err := st.InboxLen(ctx, "whatsapp")
		return err == nil && k == 0, fmt.Sprintf("%d items in the inbox (err %v)", k, err)
	})

	// The round moved to published once, whichever run did it.
	published := 0
	for _, p := range runs {
		published += strings.Count(p.logs.String(), `msg="results published"`)
	}
	if published != 1 {
		t.Errorf("results published logged %d times over %d runs of serve, want once", published, len(runs))
	}

	// Within both platforms' limits all along, across every kill.
	if ls := wa.LimitStats(); ls.Refused != 0 || ls.InsideThrottle != 0 || ls.MaxPerSecond > 80 {
		t.Errorf("WhatsApp limits: got %+v, want nothing refused, nothing inside a throttle, at most 80 a second", ls)
	}
	if ls := h.tg.LimitStats(); ls.Refused != 0 || ls.InsideRetryAfter != 0 || ls.MaxGlobal > 30 || ls.MaxPerChat > 1 {
		t.Errorf("Telegram limits: got %+v, want nothing refused, nothing inside a retry_after, at most 30 a second and 1 a second per chat", ls)
	}
	takenOver := 0
	for _, p := range runs {
		takenOver += strings.Count(p.logs.String(), `msg="whatsapp: deliveries taken over"`)
	}
	t.Logf("%s\nrepeats: WhatsApp %d %v, Telegram %d %v; WhatsApp limits %+v, webhook redeliveries %d, "+
		"inbox takeovers of a killed run's deliveries %d; messages per WhatsApp resident: %s",
		strings.Join(kills, "\n"), waTotal, waRepeats, tgTotal, tgRepeats, wa.LimitStats(), wa.Redeliveries(),
		takenOver, perResident(wa, was))
	phase("done")
}

// killGate holds residents until serve is killed: they wait at it with a message
// unanswered, the test kills serve and opens the gate, and they answer while serve
// is down.
type killGate struct {
	want     int64 // how many residents it holds
	taken    atomic.Int64
	waiting  atomic.Int64
	released atomic.Int64
	open     chan struct{}
}

func newKillGate(want int) *killGate {
	return &killGate{want: int64(want), open: make(chan struct{})}
}

// take claims one of the gate's places, false when they are all taken.
func (g *killGate) take() bool { return g.taken.Add(1) <= g.want }

// hold waits until the gate opens, at most timeout.
func (g *killGate) hold(who string, timeout time.Duration) error {
	g.waiting.Add(1)
	select {
	case <-g.open:
		g.released.Add(1)
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("resident %s: held %s for a kill that never came", who, timeout)
	}
}
