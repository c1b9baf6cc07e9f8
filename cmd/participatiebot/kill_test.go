package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/redis/go-redis/v9"
)

// process is the real binary, run as a child so it can be killed with SIGKILL.
type process struct {
	cmd  *exec.Cmd
	logs *testlog.Buffer
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "participatiebot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func (h *harness) start(bin string) *process {
	h.t.Helper()
	p := &process{cmd: exec.Command(bin, "serve"), logs: &testlog.Buffer{}}
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range h.env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { p.kill() })
	return p
}

func (p *process) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

// freezer holds every send of the fake while frozen, as a platform that never got the
// request: the held requests are not delivered, and come to nothing when the bot dies.
type freezer struct {
	frozen  atomic.Bool
	held    atomic.Int64
	trigger func(r *telegramtest.Request) bool // freeze from this request on
	once    sync.Once
	hit     chan struct{}
}

func newFreezer(tg *telegramtest.Server, trigger func(r *telegramtest.Request) bool) *freezer {
	f := &freezer{trigger: trigger, hit: make(chan struct{})}
	tg.SetHook(func(r *telegramtest.Request) telegramtest.Action {
		if !f.frozen.Load() && f.trigger != nil && f.trigger(r) {
			f.frozen.Store(true)
			f.once.Do(func() { close(f.hit) })
		}
		if f.frozen.Load() {
			f.held.Add(1)
			return telegramtest.Hang
		}
		return telegramtest.Proceed
	})
	return f
}

// settle waits until every message the fake delivered is acknowledged in Redis:
// every message ever queued (the outbox sequence) is either answered by the fake or
// still queued. Then a SIGKILL lands between two sends, never after a delivery that
// was not yet recorded (that one window, the reply to a request in flight, is the one
// no chat platform lets a client close: see the closing note of the core issue).
func settle(t *testing.T, h *harness) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	ctx := context.Background()
	testwait.Until(t, 20*time.Second, "delivered messages to be acknowledged", func() (bool, string) {
		answered, failed := 0, map[int]int{}
		for _, c := range h.tg.Calls("") {
			switch c.Method {
			case "sendMessage", "editMessageText", "sendPhoto", "sendDocument", "sendMediaGroup":
				if c.Status != 0 {
					answered++
				}
				if c.Status != 0 && c.Status != 200 {
					failed[c.Status]++
				}
			}
		}
		queued, err1 := rdb.ZCard(ctx, "pb:{ob:telegram}:q").Result()
		dead, err2 := rdb.ZCard(ctx, "pb:{ob:telegram}:dead").Result()
		seq, err3 := rdb.Get(ctx, "pb:{ob:telegram}:seq").Int64()
		return err1 == nil && err2 == nil && err3 == nil && int64(answered)+queued+dead == seq,
			fmt.Sprintf("answered %d + queued %d + dead %d, sequence %d; failed calls by status %v (errors %v %v %v)",
				answered, queued, dead, seq, failed, err1, err2, err3)
	})
}

func TestKillMidBroadcastAndMidRound(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in short mode")
	}
	bin := buildBinary(t)
	h := newHarness(t)
	h.env["OUTBOX_LEASE"] = "1s"
	h.env["TELEGRAM_RATE_LIMIT"] = "40" // slow enough to kill mid-broadcast
	const n = 20
	p1 := h.start(bin)
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(2000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})

	// Kill 1: in the middle of the invitation broadcast.
	invitations := 0
	f := newFreezer(h.tg, func(r *telegramtest.Request) bool {
		if strings.Contains(r.Text, "Er staat een nieuwe vragenronde") {
			invitations++
		}
		return invitations == 8
	})
	out := h.cli("rounds", "open", "e2e")
	rid := strings.Fields(out)[1]
	<-f.hit
	settle(t, h)
	p1.kill()
	delivered := 0
	for _, r := range residents {
		delivered += countPrefix(h.tg.Chat(r.uid), "Er staat een nieuwe vragenronde")
	}
	if delivered == 0 || delivered >= n {
		t.Fatalf("killed after %d of %d invitations, want mid-broadcast", delivered, n)
	}
	h.tg.SetHook(nil)
	p2 := h.start(bin)
	for _, r := range residents {
		if _, err := r.await("Er staat een nieuwe vragenronde"); err != nil {
			t.Fatal(err)
		}
	}

	// Kill 2: in the middle of the round, while residents are answering.
	exp := newExpect(loadE2E(t))
	var answered atomic.Int64
	f2 := newFreezer(h.tg, func(r *telegramtest.Request) bool {
		return answered.Load() >= 5 && strings.Contains(r.Text, "Vraag 4 van 7")
	})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, r := range residents {
		r.last = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- answerRound(r, i, exp, &answered)
		}()
	}
	<-f2.hit
	settle(t, h)
	p2.kill()
	h.tg.SetHook(nil)
	p3 := h.start(bin)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("%v\nlog before the kill:\n%s\nlog after:\n%s", err, p2.logs.String(), p3.logs.String())
		}
	}

	// Nothing doubled or skipped: one invitation and one of each question per resident.
	for i, r := range residents {
		msgs := h.tg.Chat(r.uid)
		for _, want := range []string{"Er staat een nieuwe vragenronde", "Vraag 1 van 7", "Vraag 4 van 7", "Vraag 5 van 7", "Klaar, bedankt!"} {
			if got := countContains(msgs, want); got != 1 {
				t.Errorf("resident %d: %d messages with %q, want 1", i, got, want)
			}
		}
	}
	h.cli("rounds", "close", rid)
	for _, r := range residents {
		if _, err := r.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	checkResults(t, h.results(rid), exp, n, n)

	// Kill 3: in the middle of sending the decision (terugkoppeling).
	decision := filepath.Join(t.TempDir(), "besluit.txt")
	if err := os.WriteFile(decision, []byte("De raad besloot op 1 maart 2030 om eerst de kernen met de meeste inbreng aan te pakken."), 0o600); err != nil {
		t.Fatal(err)
	}
	sent := 0
	f3 := newFreezer(h.tg, func(r *telegramtest.Request) bool {
		if strings.Contains(r.Text, "📣 Terugkoppeling") {
			sent++
		}
		return sent == 7
	})
	h.cli("decide", rid, "--text", decision)
	<-f3.hit
	settle(t, h)
	p3.kill()
	h.tg.SetHook(nil)
	h.start(bin)
	for i, r := range residents {
		if _, err := r.await("De raad besloot op 1 maart 2030"); err != nil {
			t.Fatal(err)
		}
		if got := countContains(h.tg.Chat(r.uid), "📣 Terugkoppeling"); got != 1 {
			t.Errorf("resident %d: %d decisions, want 1", i, got)
		}
	}
	h.tg.WaitFor(t, 10*time.Second, "the round marked decided", func() bool {
		return strings.Contains(h.cli("rounds", "list"), "decided")
	})
}
