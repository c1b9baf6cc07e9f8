package outbox_test

import (
	"context"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// The outbox's figures for issue 10, each beside its anchor measured in the same run:
//
//	go test -run '^$' -bench . -benchtime 1x ./bot/outbox/
//
// Rates are taken from the fake's arrival times (first to last send), so a sender's
// start and the time to queue the messages do not count.

const benchToken = "4242:outbox-bench-token"

// benchInvitation is an invitation as the engine writes it: the participatiekaart.
var benchInvitation = strings.Repeat("Er staat een nieuwe vragenronde voor u klaar. Waarom vragen we dit? Wie beslist? ", 6)

// benchRate is sends per second between the first and the last arrival of calls.
func benchRate(calls []telegramtest.Call) float64 {
	if len(calls) < 2 {
		return 0
	}
	return float64(len(calls)-1) / calls[len(calls)-1].Time.Sub(calls[0].Time).Seconds()
}

// maxWindow is the most calls that arrived within any one second.
func maxWindow(calls []telegramtest.Call) int {
	most, first := 0, 0
	for last, c := range calls {
		for c.Time.Sub(calls[first].Time) >= time.Second {
			first++
		}
		most = max(most, last-first+1)
	}
	return most
}

// rawCapacity is what the fake answers at most: clients goroutines sending through the
// unmodified library as fast as they can, n requests in all.
func rawCapacity(b *testing.B, srv *telegramtest.Server, clients, n int) float64 {
	b.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(benchToken, srv.Endpoint())
	if err != nil {
		b.Fatal(err)
	}
	before := len(srv.Calls("sendMessage"))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if _, err := api.Send(tgbotapi.NewMessage(9_000_000+i, benchInvitation)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return benchRate(srv.Calls("sendMessage")[before:])
}

// askCounter counts the outbox's asks for places in the shared limits.
type askCounter struct {
	*storage.Store
	asks *atomic.Int64
}

func (c askCounter) TakeRate(ctx context.Context, channel, chat string, places int, lim storage.RateLimit) (storage.RateTurn, error) {
	c.asks.Add(1)
	return c.Store.TakeRate(ctx, channel, chat, places, lim)
}

// benchReplicas sends n invitations to distinct chats through replicas outboxes
// (each on a Redis client of its own, sharing one Redis) and the real Telegram
// channel with limits, and returns the calls the fake saw and the asks for places in
// the shared limits.
func benchReplicas(b *testing.B, srv *telegramtest.Server, limits bot.Limits, n, replicas int) ([]telegramtest.Call, int64) {
	b.Helper()
	rs := redistest.Start(b)
	tg, err := telegram.New(telegram.Config{Token: benchToken, APIEndpoint: srv.Endpoint(), Limits: limits}, obLogger())
	if err != nil {
		b.Fatal(err)
	}
	var asks atomic.Int64
	var obs []*outbox.Outbox
	for range replicas {
		obs = append(obs, outbox.New(askCounter{Store: storage.New(rs.Client(b)), asks: &asks}, []bot.Channel{tg}, outbox.Config{}, obLogger()))
	}
	first := 1_000_000 * (1 + len(srv.Calls("")))
	var out []bot.Outgoing
	for i := range n {
		m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(first + i)}, Text: benchInvitation}
		out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk, Dedupe: "inv:bench:" + strconv.Itoa(first+i)}})
	}
	if _, err := obs[0].PostBatch(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	before := len(srv.Calls("sendMessage"))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, o := range obs {
		wg.Go(func() { _ = o.Run(ctx) })
	}
	sent := func() int {
		total := 0
		for _, o := range obs {
			total += o.Stats("telegram").Sent
		}
		return total
	}
	deadline := time.Duration(float64(n)/max(limits.PerSecond, 1000)*float64(time.Second))*2 + 30*time.Second
	// the outbox's own count: cheap to ask, unlike the fake's records
	if !testwait.Poll(deadline, func() bool { return sent() >= n }) {
		b.Fatalf("sent %d of %d within %s", sent(), n, deadline)
	}
	cancel()
	wg.Wait()
	return srv.Calls("sendMessage")[before:], asks.Load()
}

// BenchmarkOutboxTelegram: outbox msg/s against the Telegram fake with the limit off
// (beside the fake's raw capacity), at 1000/s and at Telegram's 30/s (28/s with the
// margin), with the most sends seen in any second, and at 1000/s with two replicas
// sharing the limit in one Redis. asks/msg counts the asks for places in the shared
// limits (shared.go) a message took: none with the limit off.
func BenchmarkOutboxTelegram(b *testing.B) {
	off := bot.Limits{PerSecond: math.Inf(1), PerChatPerSecond: math.Inf(1), MaxChoiceData: 64}
	tests := []struct {
		name     string
		limits   bot.Limits
		n        int
		platform float64 // the platform's limit the window is checked against
		replicas int     // outboxes sharing the limit in one Redis (default 1)
	}{
		{name: "limit=off", limits: off, n: 20000},
		{name: "limit=1000", limits: bot.Limits{PerSecond: 1000, Burst: 1000, PerChatPerSecond: 1000, PerChatBurst: 1000, MaxChoiceData: 64}, n: 10000, platform: 1000},
		{name: "limit=30", limits: telegram.DefaultLimits, n: 300, platform: 30},
		{name: "limit=1000/replicas=2", limits: bot.Limits{PerSecond: 1000, Burst: 1000, PerChatPerSecond: 1000, PerChatBurst: 1000, MaxChoiceData: 64}, n: 10000, platform: 1000, replicas: 2},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for range b.N {
				srv := telegramtest.NewServer(b, benchToken)
				var before float64
				if tt.platform == 0 {
					before = bestRaw(b, srv)
				}
				calls, asks := benchReplicas(b, srv, tt.limits, tt.n, max(tt.replicas, 1))
				rate := benchRate(calls)
				b.ReportMetric(rate, "msg/s")
				b.ReportMetric(float64(asks)/float64(len(calls)), "asks/msg")
				b.ReportMetric(float64(maxWindow(calls)), "max/1s-window")
				if tt.platform > 0 {
					b.ReportMetric(rate/tt.limits.PerSecond, "of-limit")
					if got := maxWindow(calls); float64(got) > tt.platform {
						b.Errorf("got %d sends within a second, want at most %v", got, tt.platform)
					}
					continue
				}
				// the anchor, in the same run, before and after the outbox (the machine
				// is shared): the fake's raw capacity
				after := bestRaw(b, srv)
				raw := (before + after) / 2
				b.ReportMetric(raw, "raw-req/s")
				b.ReportMetric(rate/raw, "of-raw")
				b.Logf("raw capacity %.0f req/s before, %.0f after; outbox %.0f msg/s (%.2f of their mean)", before, after, rate, rate/raw)
			}
		})
	}
}

// bestRaw is the fake's raw capacity at the best of a few client counts.
func bestRaw(b *testing.B, srv *telegramtest.Server) float64 {
	b.Helper()
	best := 0.0
	for _, clients := range []int{4, 8, 16} {
		best = max(best, rawCapacity(b, srv, clients, 10000))
	}
	return best
}

// BenchmarkEnqueueBatch queues 1,000,000 invitations with dedupe keys through
// PostBatch (batches of 10,000), beside redis-benchmark running the same writes per
// message (SET NX EX, INCR, HSET, ZADD in one EVAL, pipelined 100 deep, 50 clients)
// against the same server.
func BenchmarkEnqueueBatch(b *testing.B) {
	const n, batch = 1_000_000, 10_000
	for range b.N {
		srv := redistest.Start(b)
		rdb := srv.Client(b)
		o := outbox.New(storage.New(rdb), nil, outbox.Config{}, obLogger())
		start := time.Now()
		for s := 0; s < n; s += batch {
			out := make([]bot.Outgoing, 0, batch)
			for i := s; i < s+batch; i++ {
				m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(10_000_000 + i)}, Participant: fmt.Sprintf("%032x", i), Text: benchInvitation,
					Choices: [][]bot.Choice{{{Label: "Doe mee", Data: "go:abcdefgh"}}}, About: &bot.About{Kind: bot.AboutInvite, Round: "peiling-2030-01"}}
				out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk, Quiet: true, Dedupe: fmt.Sprintf("inv:peiling-2030-01:%032x", i)}})
			}
			queued, err := o.PostBatch(context.Background(), out)
			if err != nil || slices.Contains(queued, false) {
				b.Fatalf("PostBatch at %d: %v", s, err)
			}
		}
		took := time.Since(start)
		b.ReportMetric(float64(n)/took.Seconds(), "msg/s")
		b.ReportMetric(took.Seconds(), "s/1M")
		anchor := redisBenchmark(b, srv.Addr, len(benchInvitation)+200)
		b.ReportMetric(anchor, "redis-benchmark-msg/s")
		b.ReportMetric(float64(n)/took.Seconds()/anchor, "of-anchor")
		mem := rdb.Info(context.Background(), "memory").Val()
		b.Logf("1,000,000 queued in %s; redis-benchmark %.0f msg/s; %s", took, anchor, regexp.MustCompile(`used_memory_human:\S+`).FindString(mem))
	}
}

// redisBenchmark runs redis-benchmark against addr with one message's enqueue writes
// (a payload of size bytes) as one EVAL, and returns the messages a second.
func redisBenchmark(b *testing.B, addr string, size int) float64 {
	b.Helper()
	host, port, _ := strings.Cut(addr, ":")
	script := "if redis.call('SET', KEYS[1], '1', 'NX', 'EX', 604800) then " +
		"local id = redis.call('INCR', 'bench:seq') redis.call('HSET', 'bench:m', id, ARGV[1]) " +
		"redis.call('ZADD', 'bench:q', 1, id) end return 1"
	out, err := exec.Command("redis-benchmark", "-h", host, "-p", port, "-n", "300000", "-c", "50", "-P", "100", "-r", "100000000", "-q",
		"EVAL", script, "1", "bench:d:__rand_int__", strings.Repeat("x", size)).CombinedOutput()
	if err != nil {
		b.Fatalf("redis-benchmark: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`([0-9.]+) requests per second`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("redis-benchmark: no rate in %q", out)
	}
	rate, _ := strconv.ParseFloat(string(m[1]), 64)
	return rate
}

// BenchmarkReplyDuringBroadcast: how long a resident waits for the reply to a tap
// while 100,000 invitations drain at Telegram's limits, beside the same with no
// broadcast. Each reply is timed from Post to its arrival at the fake.
func BenchmarkReplyDuringBroadcast(b *testing.B) {
	for range b.N {
		quiet := replyLatencies(b, 0)
		busy := replyLatencies(b, 100_000)
		b.ReportMetric(float64(median(busy).Milliseconds()), "ms-median-busy")
		b.ReportMetric(float64(slices.Max(busy).Milliseconds()), "ms-max-busy")
		b.ReportMetric(float64(median(quiet).Milliseconds()), "ms-median-idle")
		b.ReportMetric(float64(median(busy))/float64(median(quiet)), "busy-vs-idle")
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// replyLatencies posts 20 replies to distinct chats, one after the other, while
// broadcast invitations drain, and returns how long each took to reach the fake.
func replyLatencies(b *testing.B, broadcast int) []time.Duration {
	b.Helper()
	srv := telegramtest.NewServer(b, benchToken)
	rdb := redistest.Start(b).Client(b)
	tg, err := telegram.New(telegram.Config{Token: benchToken, APIEndpoint: srv.Endpoint()}, obLogger())
	if err != nil {
		b.Fatal(err)
	}
	o := outbox.New(storage.New(rdb), []bot.Channel{tg}, outbox.Config{}, obLogger())
	for s := 0; s < broadcast; s += 10_000 {
		var out []bot.Outgoing
		for i := s; i < min(s+10_000, broadcast); i++ {
			m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(20_000_000 + i)}, Text: benchInvitation}
			out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk}})
		}
		if _, err := o.PostBatch(context.Background(), out); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	if broadcast > 0 && !testwait.Poll(10*time.Second, func() bool { return o.Stats("telegram").Sent >= 50 }) {
		b.Fatal("the broadcast did not start")
	}
	var lat []time.Duration
	for i := range 20 {
		chat := int64(30_000_000 + i)
		posted := time.Now()
		if _, err := o.Post(context.Background(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.FormatInt(chat, 10)}, Text: "Vraag 2 van 7"}, bot.Post{}); err != nil {
			b.Fatal(err)
		}
		if !testwait.Poll(5*time.Second, func() bool { return len(srv.Chat(chat)) == 1 }) {
			b.Fatalf("reply %d not sent within 5s", i)
		}
		lat = append(lat, srv.Chat(chat)[0].Date.Sub(posted))
	}
	if broadcast > 0 {
		if left, _ := storage.New(rdb).OutboxLen(context.Background(), "telegram"); left < int64(broadcast)-2000 {
			b.Errorf("got %d invitations left, want the broadcast still draining", left)
		}
	}
	return lat
}
