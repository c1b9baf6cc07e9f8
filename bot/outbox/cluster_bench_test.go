package outbox_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// BenchmarkOutboxCluster: a broadcast through the real outbox and Telegram channel
// to the Telegram fake with the limit off, on one redis-server and on a Redis
// Cluster (3 masters, a replica each) in the same run, beside the fake's raw
// capacity. A channel's outbox shares the hash tag {ob:<channel>}, so the whole
// broadcast lives on one master; the benchmark reports that master's CPU time per
// message and thus the messages a second one master's core could carry, to set
// beside Telegram's 30/s.
// Run: go test -run '^$' -bench OutboxCluster -benchtime 1x ./bot/outbox/
func BenchmarkOutboxCluster(b *testing.B) {
	const n = 20_000
	off := bot.Limits{PerSecond: math.Inf(1), PerChatPerSecond: math.Inf(1), MaxChoiceData: 64}
	topologies := []struct {
		name  string
		start func(b *testing.B) redis.UniversalClient
	}{
		{"single", func(b *testing.B) redis.UniversalClient { return redistest.Start(b).Client(b) }},
		{"cluster", func(b *testing.B) redis.UniversalClient { return redistest.StartCluster(b, 3, 1).Client(b) }},
	}
	for _, topo := range topologies {
		b.Run(topo.name, func(b *testing.B) {
			for range b.N {
				srv := telegramtest.NewServer(b, benchToken)
				rdb := topo.start(b)
				before := bestRaw(b, srv)
				cpu0 := outboxMasterCPU(b, rdb)
				calls := benchOutboxOn(b, srv, rdb, off, n)
				cpu := (outboxMasterCPU(b, rdb) - cpu0) / float64(n)
				after := bestRaw(b, srv)
				rate, raw := benchRate(calls), (before+after)/2
				b.ReportMetric(rate, "msg/s")
				b.ReportMetric(raw, "raw-req/s")
				b.ReportMetric(rate/raw, "of-raw")
				b.ReportMetric(cpu*1e6, "master-cpu-µs/msg")
				b.ReportMetric(1/cpu, "msg/s-per-master-core")
				b.ReportMetric(1/cpu/30, "per-master-core/telegram-30")
				b.Logf("%s: outbox %.0f msg/s, fake raw %.0f before and %.0f after (%.2f of their mean); "+
					"%.1f µs of master CPU per message: one master's core carries %.0f msg/s, %.0f× Telegram's 30/s",
					topo.name, rate, before, after, rate/raw, cpu*1e6, 1/cpu, 1/cpu/30)
			}
		})
	}
}

// benchOutboxOn is benchOutbox on a given Redis (a single node or a cluster).
func benchOutboxOn(b *testing.B, srv *telegramtest.Server, rdb redis.UniversalClient, limits bot.Limits, n int) []telegramtest.Call {
	b.Helper()
	tg, err := telegram.New(telegram.Config{Token: benchToken, APIEndpoint: srv.Endpoint(), Limits: limits}, obLogger())
	if err != nil {
		b.Fatal(err)
	}
	o := outbox.New(storage.New(rdb), []bot.Channel{tg}, outbox.Config{}, obLogger())
	first := 1_000_000 * (1 + len(srv.Calls("")))
	var out []bot.Outgoing
	for i := range n {
		m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: strconv.Itoa(first + i)}, Text: benchInvitation}
		out = append(out, bot.Outgoing{Message: m, Post: bot.Post{Priority: bot.Bulk, Dedupe: "inv:bench:" + strconv.Itoa(first+i)}})
	}
	if _, err := o.PostBatch(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	before := len(srv.Calls("sendMessage"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	deadline := time.Duration(float64(n)/1000*float64(time.Second))*2 + 30*time.Second
	if !testwait.Poll(deadline, func() bool { return o.Stats("telegram").Sent >= n }) {
		b.Fatalf("sent %d of %d within %s", o.Stats("telegram").Sent, n, deadline)
	}
	cancel()
	<-done
	return srv.Calls("sendMessage")[before:]
}

// mastersCPU is the CPU time (user and system, seconds) the one server, or the
// cluster's master of Telegram's outbox, has used so far. Unlike commandstats' time it does not count
// the time a server waited for one of this machine's few cores.
func outboxMasterCPU(b *testing.B, rdb redis.UniversalClient) float64 {
	b.Helper()
	total := 0.0
	add := func(ctx context.Context, c *redis.Client) error {
		x, err := redistest.CPUSeconds(ctx, c)
		total += x
		return err
	}
	ctx := context.Background()
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		var m *redis.Client
		if m, err = c.MasterForKey(ctx, "pb:{ob:telegram}:q"); err == nil {
			err = add(ctx, m)
		}
	case *redis.Client:
		err = add(ctx, c)
	}
	if err != nil {
		b.Fatal(err)
	}
	return total
}
