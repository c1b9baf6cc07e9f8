package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/redis/go-redis/v9"
)

// The chaos test: three replicas of the real binary in webhook mode behind a load
// balancer, on a private Redis Cluster (3 masters, 3 replicas), against the Telegram
// fake enforcing 30/s and 1/s per chat. Residents onboard and answer every question
// type while replicas are killed with SIGKILL at ten random moments and restarted,
// one master is failed over (CLUSTER FAILOVER on its replica) in the middle of the
// invitations, the master of the round's answers is killed with SIGKILL while
// residents answer and started again once its replica took over, and the fake
// answers a few sends with a 429.
//
// PB_CHAOS_RESIDENTS sets the number of residents (default 100, about three minutes
// at Telegram's 30 messages a second; the 500 take about ten).

// chaosReplica is one replica process; it is killed and started again under the same
// name, port and DATA_DIR, as a machine that reboots.
type chaosReplica struct {
	name string
	addr string // HTTP_ADDR, fixed across restarts
	env  []string
	bin  string

	mu    sync.Mutex
	cmd   *exec.Cmd
	logs  []*testlog.Buffer // of every run, the killed ones too
	alive bool
}

func (r *chaosReplica) start(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	logs := &testlog.Buffer{}
	cmd := exec.Command(r.bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = r.env, logs, logs
	if err := cmd.Start(); err != nil {
		t.Errorf("start %s: %v", r.name, err)
		return
	}
	r.cmd, r.alive = cmd, true
	r.logs = append(r.logs, logs)
}

func (r *chaosReplica) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.alive {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	_ = r.cmd.Wait()
	r.alive = false
}

func (r *chaosReplica) isAlive() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.alive
}

// log is everything every run of the replica wrote.
func (r *chaosReplica) log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for i, l := range r.logs {
		fmt.Fprintf(&b, "--- %s run %d ---\n%s", r.name, i+1, l.String())
	}
	return b.String()
}

// fixedPort is a free loopback port, kept for a replica across its restarts.
func fixedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func chaosResidents(t *testing.T) int {
	if v := os.Getenv("PB_CHAOS_RESIDENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			t.Fatalf("PB_CHAOS_RESIDENTS=%q: want a number of at least 10", v)
		}
		return n
	}
	return 100
}

func TestChaosReplicasOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos test skipped in short mode")
	}
	n := chaosResidents(t)
	bin := buildBinary(t)
	cluster := redistest.StartClusterTimeout(t, 3, 1, 3*time.Second) // a dead master is replaced in about 4 s
	h := newHarness(t)
	// Replies go before bulk: while hundreds answer at Telegram's 30/s, the last
	// invitations and the results wait their turn for minutes.
	h.wait = time.Duration(max(120, n*3/2)) * time.Second
	h.env["REDIS_URL"] = cluster.URL()
	h.env["OUTBOX_LEASE"] = "5s"
	delete(h.env, "TELEGRAM_RATE_LIMIT") // Telegram's own limits
	h.env["LOG_LEVEL"] = "info"
	// a send another replica let through before a 429 existed is on its way and
	// cannot be recalled: one arriving within 250 ms of the 429 is counted apart
	h.tg.EnforceLimits(telegramtest.Limits{Global: 30, PerChat: 1, InFlight: 250 * time.Millisecond})
	lb := &roundRobin{served: map[string]int{}}
	front := httptest.NewServer(lb)
	t.Cleanup(front.Close)
	h.env["TELEGRAM_WEBHOOK_URL"] = front.URL + "/telegram/webhook"
	// a quarter as many residents on WhatsApp, at Meta's own limits (80 a second,
	// the pair rate), its webhook through the same load balancer; Meta retries a
	// delivery that got no 200 (a replica down answers 502) for days: here every
	// 100 ms, as often as it takes
	wa := withWhatsApp(h)
	delete(h.env, "WHATSAPP_RATE_LIMIT")
	wa.SetLimits(whatsapptest.DefaultLimits())
	wa.SetRetry(100*time.Millisecond, 1000)
	wa.wait = h.wait
	nWA := max(n/4, 5)

	var replicas []*chaosReplica
	for i := range 3 {
		r := &chaosReplica{name: fmt.Sprintf("r%d", i+1), addr: fixedPort(t), bin: bin}
		r.env = []string{"PATH=" + os.Getenv("PATH")}
		for k, v := range h.env {
			r.env = append(r.env, k+"="+v)
		}
		r.env = append(r.env, "REPLICA_ID="+r.name, "HTTP_ADDR="+r.addr, "DATA_DIR="+t.TempDir())
		lb.add(r.name, "http://"+r.addr) // a replica that is down answers 502: Telegram tries again
		replicas = append(replicas, r)
		r.start(t)
		t.Cleanup(r.kill)
	}
	h.tg.WaitFor(t, 30*time.Second, "the webhook set", func() bool { return h.tg.Webhook() != "" })
	wa.SetWebhook(front.URL+"/whatsapp/webhook", waAppSecret)
	defer func() {
		if t.Failed() {
			for _, r := range replicas {
				t.Logf("%s", lastLinesOf(r.log(), 60))
			}
			// PB_CHAOS_LOGS=<dir> keeps every replica's whole log for a closer look
			if dir := os.Getenv("PB_CHAOS_LOGS"); dir != "" {
				for _, r := range replicas {
					if err := os.WriteFile(filepath.Join(dir, r.name+".log"), []byte(r.log()), 0o644); err != nil {
						t.Logf("keep the log of %s: %v", r.name, err)
					}
				}
			}
		}
	}()

	// The chaos: ten SIGKILLs of a random replica at random moments, each started
	// again a moment later; never all three down at once.
	ctx, stopChaos := context.WithCancel(context.Background())
	defer stopChaos()
	var kills atomic.Int64
	var chaosDone sync.WaitGroup
	chaosDone.Add(1)
	go func() {
		defer chaosDone.Done()
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		for kills.Load() < 10 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(2000+rng.IntN(5000)) * time.Millisecond):
			}
			r := replicas[rng.IntN(len(replicas))]
			r.kill()
			kills.Add(1)
			time.Sleep(time.Duration(300+rng.IntN(1700)) * time.Millisecond)
			r.start(t)
		}
	}()

	// onboarding
	exp := newExpect(loadE2E(t))
	pool, err := poolLabels(exp.survey, "waarden")
	if err != nil {
		t.Fatal(err)
	}
	residents := make([]*resident, n)
	was := make([]*waResident, nWA)
	parallel(t, n+nWA, func(i int) error {
		if i >= n {
			j := i - n
			was[j] = wa.resident(j)
			return was[j].join(ageLabels[i%4], kernen[i%6])
		}
		residents[i] = h.resident(int64(3000 + i))
		return residents[i].join(ageLabels[i%4], kernen[i%6])
	})

	// the invitations, with a manual failover of the outbox's master in the middle
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	invited := func() int {
		k := 0
		for _, r := range residents {
			k += countPrefix(h.tg.Chat(r.uid), "Er staat een nieuwe vragenronde")
		}
		return k
	}
	h.tg.WaitFor(t, 120*time.Second, "a third of the invitations", func() bool { return invited() >= n/3 })
	failedOver := failover(t, cluster, "{ob:telegram}")
	h.tg.RateLimit(3, 2) // and a few 429s from Telegram, which every replica must respect

	// the answers, with a Redis node (a replica node: see the note on masters below)
	// killed and started again meanwhile
	var answered atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n+nWA)
	for i, r := range residents {
		r.last = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- answerRound(r, i, exp, &answered)
		}()
	}
	for j, r := range was {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
				errs <- err
				return
			}
			errs <- r.answer(n+j, exp, pool, nil)
		}()
	}
	h.tg.WaitFor(t, 180*time.Second, "a third of the residents past question 3", func() bool { return answered.Load() >= int64(n/3) })
	// the master holding the round's answers is killed (SIGKILL) while residents
	// answer: its replica takes over after the node timeout, and every answer
	// confirmed before must be on it (the store waits for a replica to have it)
	node, promoted := masterNode(t, cluster, "pb:{r:"+rid+"}:meta")
	node.Stop()
	waitMaster(t, promoted)
	if err := node.Restart(); err != nil { // back as the new master's replica
		t.Errorf("restart redis node %s: %v", node.Addr, err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	h.cli("rounds", "close", rid)
	for _, r := range residents {
		if _, err := r.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range was {
		if _, err := r.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	// all ten kills, also when the residents were quicker
	testwait.Until(t, 90*time.Second, "ten SIGKILLs", func() (bool, string) {
		return kills.Load() >= 10, fmt.Sprintf("%d kills", kills.Load())
	})
	stopChaos()
	chaosDone.Wait()
	for _, r := range replicas {
		if !r.isAlive() {
			r.start(t)
		}
	}
	h.tg.WaitFor(t, 60*time.Second, "the round published", func() bool {
		return strings.Contains(h.cli("rounds", "list"), "published")
	})

	// Every tally equals the residents' own counts.
	checkResults(t, h.results(rid), exp, int64(n+nWA), int64(n+nWA))

	// Every resident got one invitation, one of each question and one results message;
	// a message repeats only when a SIGKILL came while its request was in flight (the
	// reply never recorded: the one window no chat platform lets a client close).
	tgChats, waChats := map[string][]string{}, map[string][]string{}
	for i, r := range residents {
		tgChats[fmt.Sprintf("resident %d", i)] = tgTexts(h.tg.Chat(r.uid))
	}
	for i, r := range was {
		waChats[fmt.Sprintf("WhatsApp resident %d", i)] = waTexts(wa.Chat(r.id))
	}
	repeats, total := countRepeats(t, tgChats)
	waRepeats, waTotal := countRepeats(t, waChats)
	// at most the sends in flight at each kill: a sender's workers (4 at Telegram's
	// rate, 4 at WhatsApp's)
	if bound := int(kills.Load()) * 4; total+waTotal > 2*bound {
		t.Errorf("messages repeated: %d on Telegram (%v), %d on WhatsApp (%v), want at most %d (4 in flight on each channel at each of %d kills)",
			total, repeats, waTotal, waRepeats, 2*bound, kills.Load())
	}
	if ws := wa.LimitStats(); ws.Refused != 0 || ws.MaxPerSecond > 80 {
		t.Errorf("WhatsApp limits: got %+v, want nothing refused and at most 80 a second", ws)
	}

	// Within the platform's limits across all replicas and every kill.
	st := h.tg.LimitStats()
	if st.Refused != 0 || st.InsideRetryAfter != 0 || st.MaxGlobal > 30 || st.MaxPerChat > 1 {
		t.Errorf("limits: got %+v, want nothing refused, nothing inside a retry_after, at most 30 a second and 1 a second per chat", st)
	}

	// Every round transition happened once, whichever replica led.
	var logs strings.Builder
	for _, r := range replicas {
		logs.WriteString(r.log())
	}
	// (the CLI opened and closed the round itself; the leader published it)
	for _, what := range []string{`msg="results published"`} {
		if got := strings.Count(logs.String(), what); got != 1 {
			t.Errorf("%s logged %d times across the replicas, want once", what, got)
		}
	}
	// the summary is bulk, queued behind the residents' results: wait for it, then
	// make sure no second one follows
	h.tg.WaitFor(t, 60*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") >= 1 })
	if got := countPrefix(h.tg.Chat(-100999), "Stuurgroep"); got != 1 {
		t.Errorf("stuurgroep summaries: got %d, want 1", got)
	}
	t.Logf("chaos: %d residents, %d SIGKILLs, failover of %s, redis master %s killed and restarted; "+
		"repeated messages %d %v; limits %+v; webhook requests %v, redeliveries %d; "+
		"WhatsApp: %d residents, repeated %d %v, limits %+v, redeliveries %d",
		n, kills.Load(), failedOver, node.Addr, total, repeats, st, lb.counts(), h.tg.Redeliveries(),
		nWA, waTotal, waRepeats, wa.LimitStats(), wa.Redeliveries())
}

// failover asks the replica of the master that holds key's slot to take over
// (CLUSTER FAILOVER: the replica first catches up, so no write is lost) and returns
// the new master's address once it is one.
func failover(t *testing.T, c *redistest.Cluster, key string) string {
	t.Helper()
	ctx := context.Background()
	rdb := c.Client(t)
	slot, err := rdb.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	// a node lists a replica only once it has heard of it: wait for that
	var replica string
	testwait.Until(t, 30*time.Second, fmt.Sprintf("a replica of slot %d", slot), func() (bool, string) {
		slots, err := rdb.ClusterSlots(ctx).Result()
		for _, s := range slots {
			if int64(s.Start) <= slot && slot <= int64(s.End) && len(s.Nodes) > 1 {
				replica = s.Nodes[1].Addr
			}
		}
		return replica != "", fmt.Sprint(slots, err)
	})
	node := redis.NewClient(&redis.Options{Addr: replica})
	defer node.Close()
	if err := node.ClusterFailover(ctx).Err(); err != nil {
		t.Fatalf("cluster failover on %s: %v", replica, err)
	}
	testwait.Until(t, 30*time.Second, "the replica "+replica+" to become master", func() (bool, string) {
		role, err := node.Do(ctx, "ROLE").Slice()
		return err == nil && len(role) > 0 && role[0] == "master", fmt.Sprint(role, err)
	})
	return replica
}

// masterNode is the node that is master of key's slot, and the address of its
// replica, which takes over when it dies.
func masterNode(t *testing.T, c *redistest.Cluster, key string) (*redistest.Server, string) {
	t.Helper()
	ctx := context.Background()
	rdb := c.Client(t)
	slot, err := rdb.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	var master, replica string
	testwait.Until(t, 30*time.Second, fmt.Sprintf("the master and a replica of slot %d", slot), func() (bool, string) {
		slots, err := rdb.ClusterSlots(ctx).Result()
		for _, s := range slots {
			if int64(s.Start) <= slot && slot <= int64(s.End) && len(s.Nodes) > 1 {
				master, replica = s.Nodes[0].Addr, s.Nodes[1].Addr
			}
		}
		return replica != "", fmt.Sprint(slots, err)
	})
	for _, s := range c.Nodes {
		if s.Addr == master {
			return s, replica
		}
	}
	t.Fatalf("master %s of slot %d is not a node of the cluster", master, slot)
	return nil, ""
}

// waitMaster waits until the node at addr is a master and the cluster is whole
// again. Only then may the killed master start again: without persistence, one
// back before its replica took over would serve its slots empty.
func waitMaster(t *testing.T, addr string) {
	t.Helper()
	ctx := context.Background()
	node := redis.NewClient(&redis.Options{Addr: addr})
	defer node.Close()
	testwait.Until(t, 60*time.Second, "the replica "+addr+" to take over", func() (bool, string) {
		role, err := node.Do(ctx, "ROLE").Slice()
		info, ierr := node.ClusterInfo(ctx).Result()
		return err == nil && ierr == nil && len(role) > 0 && role[0] == "master" &&
			strings.Contains(info, "cluster_state:ok"), fmt.Sprint(role, err, firstLine(info))
	})
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// lastLinesOf is the last n lines of s.
func lastLinesOf(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
