// Package metrics is the replica's /metrics for Prometheus (client_golang, on a
// registry of its own rather than the global default, so that nothing a library
// registers by import shows up). What the engine and the outbox's heartbeat do is
// counted as it happens (the bot.Metrics hook, the lease counter); what is stored in
// Redis (queue depths, dead letters, rounds by state) and what the outbox's senders
// counted (outbox.Stats) is read when Prometheus scrapes, at a cost that does not
// grow with the queue or the number of residents.
//
// Labels are few and bounded: a channel's name (only the channels configured, any
// other becomes "other"), a priority, a result or outcome, a round state, this
// replica's id. Never a participant, a chat or a round id: the metrics hold no
// personal data.
package metrics

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "participatiebot"

// otherChannel is the channel label of a channel that is not configured, so that the
// label keeps the few values the configuration gives it.
const otherChannel = "other"

// DefaultTimeout bounds the Redis reads of one scrape.
const DefaultTimeout = 2 * time.Second

// Config says what the metrics read.
type Config struct {
	// Replica is this replica's id (REPLICA_ID), the label of the leader gauge.
	Replica string
	// Channels are the names of the channels configured: the values of the channel
	// label, and the outboxes read at every scrape.
	Channels []string
	// Store is read at scrape time; *storage.Store implements it.
	Store Store
	// Timeout bounds the Redis reads of one scrape (default DefaultTimeout).
	Timeout time.Duration
	// Now is the clock of the queues' ages (default time.Now); the outbox's queue
	// clock.
	Now func() time.Time
	// Log gets the errors of a scrape.
	Log *slog.Logger
}

// Metrics is the registry of one replica and the counters that the engine and the
// outbox feed. It implements bot.Metrics.
type Metrics struct {
	cfg      Config
	reg      *prometheus.Registry
	inbound  *prometheus.CounterVec
	lag      *prometheus.HistogramVec
	answers  *prometheus.CounterVec
	renewals *prometheus.CounterVec
	gone     prometheus.Counter
}

var _ bot.Metrics = (*Metrics)(nil)

// Outcomes of a lease renewal (participatiebot_outbox_lease_renewals_total).
const (
	renewalOK     = "ok"
	renewalFailed = "failed"
)

// lagBuckets are few, in seconds: a handled update is normally under a second old;
// seconds mean a busy replica, minutes a backlog after an outage.
var lagBuckets = []float64{0.5, 1, 2, 5, 15, 60, 300}

// New builds the registry: the Go runtime and process collectors, the scrape-time
// collector of the store and the outbox, and the counters, each series of a
// configured channel there from the start at 0 (so that a rate() sees its first
// increase).
func New(cfg Config) *Metrics {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{cfg: cfg, reg: prometheus.NewRegistry()}
	m.inbound = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "inbound_updates_total",
		Help: "Inbound updates by channel and outcome: handled, duplicate (delivered again), set_aside, failed (offered again)."},
		[]string{"channel", "outcome"})
	m.lag = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "inbound_lag_seconds",
		Help:    "Age of an inbound update when handled, where the platform dates it (Telegram messages, Discord interactions).",
		Buckets: lagBuckets}, []string{"channel"})
	m.answers = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "answers_recorded_total",
		Help: "Answers stored, by channel: a first answer to a question (added) or one replacing an earlier answer (changed)."},
		[]string{"channel", "outcome"})
	m.renewals = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "outbox_lease_renewals_total",
		Help: "Lease renewals by the outbox senders' heartbeat (one per beat with messages held), by channel and result."},
		[]string{"channel", "result"})
	m.gone = prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "recipients_gone_total",
		Help: "Recipients found gone (blocked the bot, account deleted) and marked inactive by the outbox."})
	for _, ch := range cfg.Channels {
		for _, o := range []string{bot.InboundHandled, bot.InboundDuplicate, bot.InboundSetAside, bot.InboundFailed} {
			m.inbound.WithLabelValues(ch, o)
		}
		m.lag.WithLabelValues(ch)
		m.answers.WithLabelValues(ch, "added")
		m.answers.WithLabelValues(ch, "changed")
		m.renewals.WithLabelValues(ch, renewalOK)
		m.renewals.WithLabelValues(ch, renewalFailed)
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.inbound, m.lag, m.answers, m.renewals, m.gone, newScrape(cfg))
	return m
}

// WatchOutbox reports the outbox senders' counts (participatiebot_outbox_sends_total,
// participatiebot_outbox_leases_lost_total), read at every scrape. Call it once,
// before serving: the outbox is built after the Metrics it reports lease renewals to.
func (m *Metrics) WatchOutbox(s Senders) { m.reg.MustRegister(newSends(m.cfg.Channels, s)) }

// WatchScheduler reports whether this replica leads the scheduler
// (participatiebot_scheduler_leader{replica}), asked at every scrape. Call it once.
func (m *Metrics) WatchScheduler(leading func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: "scheduler_leader",
		Help:        "1 when this replica held the scheduler's leader lock at its last pass, else 0.",
		ConstLabels: prometheus.Labels{"replica": m.cfg.Replica}}, func() float64 { return flag(leading()) }))
}

// Registry is the registry, for tests and for more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in Prometheus' text format. A Redis read that fails
// leaves its metrics out of that scrape (and participatiebot_store_up at 0) rather
// than failing the whole scrape: the runtime metrics matter most when Redis is down.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.cfg.Log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// Inbound counts an inbound update by outcome and observes its age (bot.Metrics).
func (m *Metrics) Inbound(channel, outcome string, age time.Duration) {
	channel = m.channel(channel)
	m.inbound.WithLabelValues(channel, outcome).Inc()
	if outcome == bot.InboundHandled && age > 0 {
		m.lag.WithLabelValues(channel).Observe(age.Seconds())
	}
}

// Answer counts an answer stored (bot.Metrics).
func (m *Metrics) Answer(channel string, changed bool) {
	outcome := "added"
	if changed {
		outcome = "changed"
	}
	m.answers.WithLabelValues(m.channel(channel), outcome).Inc()
}

// channel is the label of a channel name: itself when configured, else otherChannel.
func (m *Metrics) channel(name string) string {
	if slices.Contains(m.cfg.Channels, name) {
		return name
	}
	return otherChannel
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
