package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

var now = time.UnixMilli(1_800_000_000_000)

// fakeStore answers the scrape's reads from fixed values, or fails them.
type fakeStore struct {
	outbox map[string]storage.OutboxStats
	rounds map[storage.State]int
	err    error
	reads  atomic.Int64
}

func (f *fakeStore) OutboxStats(_ context.Context, channel string) (storage.OutboxStats, error) {
	f.reads.Add(1)
	return f.outbox[channel], f.err
}

func (f *fakeStore) RoundStates(context.Context) (map[storage.State]int, error) {
	f.reads.Add(1)
	return f.rounds, f.err
}

type fakeSenders map[string]outbox.Stats

func (f fakeSenders) Stats(channel string) outbox.Stats { return f[channel] }

func newTestMetrics(store Store, senders Senders, leading func() bool) *Metrics {
	m := New(Config{Replica: "replica-a", Channels: []string{"telegram", "web"}, Store: store, Now: func() time.Time { return now }})
	if senders != nil {
		m.WatchOutbox(senders)
	}
	if leading != nil {
		m.WatchScheduler(leading)
	}
	return m
}

// TestScrape: what is stored and what the senders counted is read at scrape time,
// every channel with both priorities, every round state (0 when none), the leader
// gauge with this replica's id.
func TestScrape(t *testing.T) {
	store := &fakeStore{
		outbox: map[string]storage.OutboxStats{
			"telegram": {Replies: storage.QueueStats{Depth: 3, Oldest: now.Add(-1500 * time.Millisecond)},
				Bulk: storage.QueueStats{Depth: 1200, Oldest: now.Add(time.Hour)}, Dead: 4},
		},
		rounds: map[storage.State]int{storage.Opened: 2, storage.Decided: 1},
	}
	senders := fakeSenders{"telegram": {Sent: 10, Retried: 2, RateLimited: 3, Buried: 1, Skipped: 5, LeaseLost: 6}}
	var leading atomic.Bool
	leading.Store(true)
	m := newTestMetrics(store, senders, leading.Load)

	want := `
# HELP participatiebot_outbox_depth Messages queued in a channel's outbox by priority (reply, bulk): due or not, being sent or not.
# TYPE participatiebot_outbox_depth gauge
participatiebot_outbox_depth{channel="telegram",priority="bulk"} 1200
participatiebot_outbox_depth{channel="telegram",priority="reply"} 3
participatiebot_outbox_depth{channel="web",priority="bulk"} 0
participatiebot_outbox_depth{channel="web",priority="reply"} 0
# HELP participatiebot_outbox_oldest_age_seconds How long the earliest message of a queue nobody is sending has been due; 0 when none is due.
# TYPE participatiebot_outbox_oldest_age_seconds gauge
participatiebot_outbox_oldest_age_seconds{channel="telegram",priority="bulk"} 0
participatiebot_outbox_oldest_age_seconds{channel="telegram",priority="reply"} 1.5
participatiebot_outbox_oldest_age_seconds{channel="web",priority="bulk"} 0
participatiebot_outbox_oldest_age_seconds{channel="web",priority="reply"} 0
# HELP participatiebot_outbox_dead_letters Dead letters kept for a channel (messages given up on; see ` + "`participatiebot outbox dead`" + `).
# TYPE participatiebot_outbox_dead_letters gauge
participatiebot_outbox_dead_letters{channel="telegram"} 4
participatiebot_outbox_dead_letters{channel="web"} 0
# HELP participatiebot_rounds Live rounds (not yet purged) by state.
# TYPE participatiebot_rounds gauge
participatiebot_rounds{state="closed"} 0
participatiebot_rounds{state="decided"} 1
participatiebot_rounds{state="open"} 2
participatiebot_rounds{state="published"} 0
participatiebot_rounds{state="scheduled"} 0
# HELP participatiebot_store_up 1 when this scrape read everything it reads from Redis, 0 when a read failed (its metrics are then missing from the scrape).
# TYPE participatiebot_store_up gauge
participatiebot_store_up 1
# HELP participatiebot_scheduler_leader 1 when this replica held the scheduler's leader lock at its last pass, else 0.
# TYPE participatiebot_scheduler_leader gauge
participatiebot_scheduler_leader{replica="replica-a"} 1
# HELP participatiebot_outbox_leases_lost_total Messages whose lease another sender took over before this one settled them.
# TYPE participatiebot_outbox_leases_lost_total counter
participatiebot_outbox_leases_lost_total{channel="telegram"} 6
participatiebot_outbox_leases_lost_total{channel="web"} 0
`
	names := []string{"participatiebot_outbox_depth", "participatiebot_outbox_oldest_age_seconds", "participatiebot_outbox_dead_letters",
		"participatiebot_rounds", "participatiebot_store_up", "participatiebot_scheduler_leader", "participatiebot_outbox_leases_lost_total"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}

	sends := map[string]float64{"ok": 10, "retried": 2, "rate_limited": 3, "dead": 1, "skipped": 5}
	got := gatherSends(t, m)
	for result, n := range sends {
		if got["telegram/"+result] != n || got["web/"+result] != 0 {
			t.Errorf("sends %s: got telegram %v web %v, want %v and 0", result, got["telegram/"+result], got["web/"+result], n)
		}
	}
	if len(got) != 2*len(sends) {
		t.Errorf("sends: got series %v, want %d", got, 2*len(sends))
	}

	leading.Store(false)
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(`
# HELP participatiebot_scheduler_leader 1 when this replica held the scheduler's leader lock at its last pass, else 0.
# TYPE participatiebot_scheduler_leader gauge
participatiebot_scheduler_leader{replica="replica-a"} 0
`), "participatiebot_scheduler_leader"); err != nil {
		t.Errorf("no longer leading: %v", err)
	}
	// per scrape: one read per channel and one of the rounds, nothing per message
	store.reads.Store(0)
	if _, err := m.Registry().Gather(); err != nil {
		t.Fatal(err)
	}
	if n := store.reads.Load(); n != 3 {
		t.Errorf("store reads per scrape: got %d, want 3", n)
	}
}

// gatherSends reads participatiebot_outbox_sends_total as "<channel>/<result>" -> value.
func gatherSends(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "participatiebot_outbox_sends_total" {
			continue
		}
		for _, s := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range s.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			out[l["channel"]+"/"+l["result"]] = s.GetCounter().GetValue()
		}
	}
	return out
}

// TestScrapeStoreDown: with Redis unreachable the handler still serves the counters
// and the runtime, says participatiebot_store_up 0, and leaves out what it could not
// read instead of showing zeros.
func TestScrapeStoreDown(t *testing.T) {
	m := newTestMetrics(&fakeStore{err: errors.New("dial tcp: connection refused")}, nil, nil)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want 200", rec.Code)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if mf := mfs["participatiebot_store_up"]; mf == nil || mf.GetMetric()[0].GetGauge().GetValue() != 0 {
		t.Errorf("store_up: got %v, want 0", mf)
	}
	for _, name := range []string{"participatiebot_outbox_depth", "participatiebot_rounds"} {
		if mfs[name] != nil {
			t.Errorf("%s: got %v, want it left out", name, mfs[name])
		}
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "participatiebot_inbound_updates_total"} {
		if mfs[name] == nil {
			t.Errorf("%s: missing, want it served", name)
		}
	}
}

// TestEngineCounts: the bot.Metrics hook counts by channel and outcome; a channel not
// configured is counted as "other", so the label keeps its few values; the lag is
// observed for handled updates the platform dated.
func TestEngineCounts(t *testing.T) {
	m := newTestMetrics(&fakeStore{}, nil, nil)
	m.Inbound("telegram", bot.InboundHandled, 3*time.Second)
	m.Inbound("telegram", bot.InboundHandled, 0) // undated: no lag
	m.Inbound("telegram", bot.InboundDuplicate, 0)
	m.Inbound("made-up", bot.InboundSetAside, 0)
	m.Answer("web", false)
	m.Answer("web", true)
	m.Answer("web", false)

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"telegram handled", testutil.ToFloat64(m.inbound.WithLabelValues("telegram", bot.InboundHandled)), 2},
		{"telegram duplicate", testutil.ToFloat64(m.inbound.WithLabelValues("telegram", bot.InboundDuplicate)), 1},
		{"other set aside", testutil.ToFloat64(m.inbound.WithLabelValues(otherChannel, bot.InboundSetAside)), 1},
		{"web added", testutil.ToFloat64(m.answers.WithLabelValues("web", "added")), 2},
		{"web changed", testutil.ToFloat64(m.answers.WithLabelValues("web", "changed")), 1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if n := testutil.CollectAndCount(m.inbound); n != 2*4+1 {
		t.Errorf("inbound series: got %d, want 9 (4 outcomes of 2 channels, 1 other)", n)
	}
	if err := testutil.CollectAndCompare(m.lag, strings.NewReader(`
# HELP participatiebot_inbound_lag_seconds Age of an inbound update when handled, where the platform dates it (Telegram messages, Discord interactions).
# TYPE participatiebot_inbound_lag_seconds histogram
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="0.5"} 0
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="1"} 0
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="2"} 0
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="5"} 1
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="15"} 1
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="60"} 1
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="300"} 1
participatiebot_inbound_lag_seconds_bucket{channel="telegram",le="+Inf"} 1
participatiebot_inbound_lag_seconds_sum{channel="telegram"} 3
participatiebot_inbound_lag_seconds_count{channel="telegram"} 1
participatiebot_inbound_lag_seconds_bucket{channel="web",le="0.5"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="1"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="2"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="5"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="15"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="60"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="300"} 0
participatiebot_inbound_lag_seconds_bucket{channel="web",le="+Inf"} 0
participatiebot_inbound_lag_seconds_sum{channel="web"} 0
participatiebot_inbound_lag_seconds_count{channel="web"} 0
`)); err != nil {
		t.Error(err)
	}
}

// extendStore is an outbox store whose Extend answers err; nothing else is called.
type extendStore struct {
	outbox.Store
	err error
}

func (s extendStore) Extend(context.Context, string, []string, time.Time) ([]string, error) {
	return nil, s.err
}

// TestCountLeases: a heartbeat that renews leases counts as ok or failed; one with
// nothing held renews nothing and is not counted. Gone recipients are counted and
// still handed on.
func TestCountLeases(t *testing.T) {
	m := newTestMetrics(&fakeStore{}, nil, nil)
	ok, failing := m.CountLeases(extendStore{}), m.CountLeases(extendStore{err: errors.New("i/o timeout")})
	ctx := context.Background()
	_, _ = ok.Extend(ctx, "telegram", []string{"1", "2"}, now)
	_, _ = ok.Extend(ctx, "telegram", nil, now)
	if _, err := failing.Extend(ctx, "telegram", []string{"3"}, now); err == nil {
		t.Error("a failing Extend: got nil, want its error passed on")
	}
	if got := testutil.ToFloat64(m.renewals.WithLabelValues("telegram", renewalOK)); got != 1 {
		t.Errorf("renewals ok: got %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.renewals.WithLabelValues("telegram", renewalFailed)); got != 1 {
		t.Errorf("renewals failed: got %v, want 1", got)
	}

	var handed []string
	onGone := m.CountGone(func(_ context.Context, pid string) error { handed = append(handed, pid); return nil })
	_ = onGone(ctx, "p1")
	_ = onGone(ctx, "p2")
	if got := testutil.ToFloat64(m.gone); got != 2 || len(handed) != 2 {
		t.Errorf("gone: got %v counted, %v handed on; want 2 and 2", got, handed)
	}
}

// TestLint: the metrics follow Prometheus' naming rules (promlint: units, _total on
// counters, help texts).
func TestLint(t *testing.T) {
	m := newTestMetrics(&fakeStore{}, fakeSenders{}, func() bool { return true })
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, namespace+"_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}
