package metrics

import (
	"context"

	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/prometheus/client_golang/prometheus"
)

// Store is what a scrape reads from Redis; *storage.Store implements it.
type Store interface {
	// OutboxStats reads a channel's queues in constant time (one round trip).
	OutboxStats(ctx context.Context, channel string) (storage.OutboxStats, error)
	// RoundStates counts the live rounds by state (two round trips).
	RoundStates(ctx context.Context) (map[storage.State]int, error)
}

// Senders gives what a channel's sender counted since it started; *outbox.Outbox
// implements it.
type Senders interface {
	Stats(channel string) outbox.Stats
}

// roundStates are the values of the state label, in lifecycle order: each is
// reported, 0 when no round is in it.
var roundStates = []storage.State{storage.Scheduled, storage.Opened, storage.Closed, storage.Published, storage.Decided}

// scrape is the collector of what is read from Redis at scrape time: the outbox and
// the rounds by state. Per scrape it costs one round trip per channel and two for
// the rounds, whatever is queued.
type scrape struct {
	cfg Config

	depth, oldest, dead, rounds, storeUp *prometheus.Desc
}

func newScrape(cfg Config) *scrape {
	return &scrape{cfg: cfg,
		depth:  desc("outbox_depth", "Messages queued in a channel's outbox by priority (reply, bulk): due or not, being sent or not.", "channel", "priority"),
		oldest: desc("outbox_oldest_age_seconds", "How long the earliest message of a queue nobody is sending has been due; 0 when none is due.", "channel", "priority"),
		dead:   desc("outbox_dead_letters", "Dead letters kept for a channel (messages given up on; see `participatiebot outbox dead`).", "channel"),
		rounds: desc("rounds", "Live rounds (not yet purged) by state.", "state"),
		storeUp: desc("store_up", "1 when this scrape read everything it reads from Redis, 0 when a read failed "+
			"(its metrics are then missing from the scrape)."),
	}
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, labels, nil)
}

// Describe sends the descriptions of every metric the collector makes.
func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{s.depth, s.oldest, s.dead, s.rounds, s.storeUp} {
		ch <- d
	}
}

// Collect reads the store and the senders' counts. A failed read is reported to the
// handler as an invalid metric (logged; the rest of the scrape is served).
func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	defer cancel()
	up := 1.0
	now := s.cfg.Now()
	for _, name := range s.cfg.Channels {
		st, err := s.cfg.Store.OutboxStats(ctx, name)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(s.depth, err)
			up = 0
			continue
		}
		for _, q := range []struct {
			priority string
			stats    storage.QueueStats
		}{{"reply", st.Replies}, {"bulk", st.Bulk}} {
			ch <- gauge(s.depth, float64(q.stats.Depth), name, q.priority)
			ch <- gauge(s.oldest, q.stats.Overdue(now).Seconds(), name, q.priority)
		}
		ch <- gauge(s.dead, float64(st.Dead), name)
	}
	if states, err := s.cfg.Store.RoundStates(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(s.rounds, err)
		up = 0
	} else {
		for _, state := range roundStates {
			ch <- gauge(s.rounds, float64(states[state]), string(state))
		}
	}
	ch <- gauge(s.storeUp, up)
}

// sends is the collector of the outbox senders' counts (outbox.Stats), read at
// scrape time so that the send path needs no counters of its own.
type sends struct {
	channels          []string
	senders           Senders
	result, leaseLost *prometheus.Desc
}

func newSends(channels []string, senders Senders) *sends {
	return &sends{channels: channels, senders: senders,
		result: desc("outbox_sends_total", "Send attempts by this replica's outbox since it started, by channel and result: "+
			"ok, retried (temporary failure), rate_limited (a 429 from the platform), dead (given up on), "+
			"skipped (no longer true when its turn came).", "channel", "result"),
		leaseLost: desc("outbox_leases_lost_total", "Messages whose lease another sender took over before this one settled them.", "channel"),
	}
}

// Describe sends the descriptions of the two metrics.
func (s *sends) Describe(ch chan<- *prometheus.Desc) {
	ch <- s.result
	ch <- s.leaseLost
}

// Collect reads every configured channel's counts.
func (s *sends) Collect(ch chan<- prometheus.Metric) {
	for _, name := range s.channels {
		st := s.senders.Stats(name)
		for _, r := range []struct {
			result string
			n      int
		}{{"ok", st.Sent}, {"retried", st.Retried}, {"rate_limited", st.RateLimited}, {"dead", st.Buried}, {"skipped", st.Skipped}} {
			ch <- counter(s.result, float64(r.n), name, r.result)
		}
		ch <- counter(s.leaseLost, float64(st.LeaseLost), name)
	}
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func counter(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
}
