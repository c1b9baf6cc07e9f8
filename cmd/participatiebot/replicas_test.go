package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// replica is one serve of several against the harness's Redis and fake Telegram,
// with its own DATA_DIR and HTTP address, as another machine behind the load
// balancer.
type replica struct {
	name   string
	env    map[string]string
	logs   *testlog.Buffer
	cancel context.CancelFunc
	done   chan int
}

func (h *harness) replica(name string, extra map[string]string) *replica {
	env := maps.Clone(h.env)
	env["DATA_DIR"], env["HTTP_ADDR"], env["REPLICA_ID"] = h.t.TempDir(), "127.0.0.1:0", name
	maps.Copy(env, extra)
	r := &replica{name: name, env: env, logs: &testlog.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan int, 1)
	go func() { r.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, r.logs, r.logs) }()
	h.t.Cleanup(func() {
		r.stop(h.t)
		if strings.Contains(r.logs.String(), testToken) {
			h.t.Errorf("%s: the bot token appears in the log", name)
		}
		if strings.Contains(r.logs.String(), webhookSecret([]byte(env["PSEUDONYM_KEY"]))) {
			h.t.Errorf("%s: the webhook secret appears in the log", name)
		}
	})
	return r
}

// stop ends the replica as SIGTERM does; it gives its leases up.
func (r *replica) stop(t *testing.T) {
	if r.cancel == nil {
		return
	}
	r.cancel()
	select {
	case code := <-r.done:
		if code != 0 {
			t.Errorf("%s: serve exited with %d; log:\n%s", r.name, code, r.logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("%s: serve did not stop within 20s", r.name)
	}
	r.cancel = nil
}

var dashboardURL = regexp.MustCompile(`dashboard: (http://[0-9.:]+)/dashboard/`)

// addr is the replica's HTTP base URL, once it listens.
func (r *replica) addr(t *testing.T) string {
	t.Helper()
	var m []string
	testwait.Until(t, 30*time.Second, r.name+" listening", func() (bool, string) {
		m = dashboardURL.FindStringSubmatch(r.logs.String())
		return m != nil, r.logs.String()
	})
	return m[1]
}

// roundRobin is the load balancer in front of the replicas: each request goes to the
// next one. Until it has replicas it answers 503, which Telegram repeats.
type roundRobin struct {
	mu       sync.Mutex
	backends []*httputil.ReverseProxy
	names    []string
	next     int
	served   map[string]int
}

func (p *roundRobin) add(name, base string) {
	u, _ := url.Parse(base)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.backends = append(p.backends, httputil.NewSingleHostReverseProxy(u))
	p.names = append(p.names, name)
}

func (p *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	if len(p.backends) == 0 {
		p.mu.Unlock()
		http.Error(w, "no replicas", http.StatusServiceUnavailable)
		return
	}
	i := p.next % len(p.backends)
	p.next++
	p.served[p.names[i]]++
	backend := p.backends[i]
	p.mu.Unlock()
	backend.ServeHTTP(w, r)
}

func (p *roundRobin) counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.served)
}

// TestTelegramWebhookTwoReplicas: two replicas in webhook mode behind a round-robin
// load balancer, one Redis, one pseudonym key. Residents join and answer a round
// whose updates are spread over both; every answer is recorded once, an update
// delivered twice (to each replica once) is handled once, nobody calls getUpdates,
// and a request without the secret is refused.
func TestTelegramWebhookTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.env["PRIVACY_THRESHOLD"] = "1" // a handful of residents, all figures shown
	lb := &roundRobin{served: map[string]int{}}
	front := httptest.NewServer(lb)
	t.Cleanup(front.Close)
	hook := map[string]string{"TELEGRAM_WEBHOOK_URL": front.URL + "/telegram/webhook"}
	r1, r2 := h.replica("r1", hook), h.replica("r2", hook)
	lb.add(r1.name, r1.addr(t))
	lb.add(r2.name, r2.addr(t))
	h.tg.WaitFor(t, 10*time.Second, "the webhook set", func() bool { return h.tg.Webhook() == hook["TELEGRAM_WEBHOOK_URL"] })

	const n = 4
	exp := newExpect(loadE2E(t))
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(2000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	parallel(t, n, func(i int) error { return answerRound(residents[i], i, exp, nil) })

	// one update delivered to both replicas (Telegram's redelivery after an answer
	// that got lost) is handled once: one question, not two
	secret := webhookSecret([]byte(h.env["PSEUDONYM_KEY"]))
	const newcomer = 2999
	dup := fmt.Sprintf(`{"update_id":987654,"message":{"message_id":1,"date":%d,"chat":{"id":%d,"type":"private"},`+
		`"from":{"id":%d,"is_bot":false,"first_name":"Nieuw"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`,
		time.Now().Unix(), newcomer, newcomer)
	for _, r := range []*replica{r1, r2} {
		if got := postWebhook(t, r.addr(t)+"/telegram/webhook", secret, dup); got != http.StatusOK {
			t.Errorf("%s: duplicate update: got %d, want 200", r.name, got)
		}
	}
	if got := postWebhook(t, r1.addr(t)+"/telegram/webhook", "", dup); got != http.StatusUnauthorized {
		t.Errorf("without the secret: got %d, want 401", got)
	}
	// a later /start asks again; had the duplicate been handled twice, three would come
	h.tg.SendText(newcomer, "/start")
	h.tg.WaitFor(t, 20*time.Second, "the newcomer asked twice", func() bool {
		return countContains(h.tg.Chat(newcomer), "hoe oud bent u") >= 2
	})

	h.cli("rounds", "close", rid)
	for _, r := range residents {
		if _, err := r.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	checkResults(t, h.results(rid), exp, n, n)
	if got := countContains(h.tg.Chat(newcomer), "hoe oud bent u"); got != 2 {
		t.Errorf("newcomer asked %d times, want 2 (the duplicate handled once)", got)
	}
	served := lb.counts()
	t.Logf("webhook requests: %v, redeliveries %d, most at once %d", served, h.tg.Redeliveries(), h.tg.MaxInFlight())
	if served["r1"] == 0 || served["r2"] == 0 {
		t.Errorf("webhook requests per replica: got %v, want both", served)
	}
	if c := len(h.tg.Calls("getUpdates")); c != 0 {
		t.Errorf("getUpdates called %d times in webhook mode, want never", c)
	}
	if v := h.tg.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
	r1.stop(t)
	r2.stop(t)
	if h.tg.Webhook() == "" {
		t.Errorf("the webhook was deleted at shutdown; want it left for the other replicas")
	}
}

func postWebhook(t *testing.T, u, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegramtest.SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTelegramPollingTwoReplicas: two replicas in polling mode; only the holder of the
// poll lease polls, so Telegram never answers 409. The holder stops in the middle of
// a round, the other takes over, and every answer is recorded once (the updates the
// stopped one had handled but not confirmed come to the other again).
func TestTelegramPollingTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.env["PRIVACY_THRESHOLD"] = "1"
	replicas := map[string]*replica{"r1": h.replica("r1", nil), "r2": h.replica("r2", nil)}
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	holder := func() string {
		owner, _, err := storage.New(rdb).LeaseHolder(context.Background(), telegram.PollLease)
		if err != nil {
			t.Fatal(err)
		}
		return owner
	}
	const n = 3
	exp := newExpect(loadE2E(t))
	residents := make([]*resident, n)
	parallel(t, n, func(i int) error {
		residents[i] = h.resident(int64(3000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	first := holder()
	if replicas[first] == nil {
		t.Fatalf("poll lease held by %q, want r1 or r2", first)
	}
	// the holder stops once the residents are under way; the other finishes the round
	var once sync.Once
	stopped := make(chan struct{})
	go func() {
		testwait.Poll(60*time.Second, func() bool { return countAll(h.tg, residents, "Vraag 3 van 7") == n })
		once.Do(func() { replicas[first].cancel(); close(stopped) })
	}()
	parallel(t, n, func(i int) error { return answerRound(residents[i], i, exp, nil) })
	<-stopped
	replicas[first].stop(t)
	if got := holder(); got == first || replicas[got] == nil {
		t.Errorf("poll lease held by %q after %s stopped, want the other", got, first)
	}
	// the round stays open: its results would wait for the scheduler's leader lock,
	// which the stopped replica may have held (it is not a lease given up at stop)
	var res results.Results
	if err := json.Unmarshal([]byte(h.cli("results", rid, "--intern", "--format", "json")), &res); err != nil {
		t.Fatal(err)
	}
	checkResults(t, &res, exp, n, n)
	for _, c := range h.tg.Calls("getUpdates") {
		if c.Status == http.StatusConflict {
			t.Errorf("getUpdates answered 409: %s", c.Description)
		}
	}
	if v := h.tg.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// countAll is how many of the residents have a message containing s.
func countAll(tg *telegramtest.Server, residents []*resident, s string) int {
	n := 0
	for _, r := range residents {
		if r != nil && countContains(tg.Chat(r.uid), s) > 0 {
			n++
		}
	}
	return n
}
