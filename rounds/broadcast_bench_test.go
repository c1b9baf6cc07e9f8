package rounds_test

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkInvitations opens a round for 100,000 and 1,000,000 consented residents
// and times the pass that queues their invitations through the service: the active
// set scanned a batch (1,000) at a time, each batch's participants and memberships
// read in one pipeline, and its invitations queued in one PostBatch, into the
// batchPoster double (the cost of the service and the engine alone) and into the
// real outbox (storage's EnqueueBatch). Beside it, in the same run against the same
// server, redis-benchmark runs one invitation's enqueue writes as one EVAL (the
// anchor of bot/outbox's BenchmarkEnqueueBatch): recipients/s over that is the share
// of Redis's write rate the whole broadcast reaches.
func BenchmarkInvitations(b *testing.B) {
	loc := roundstest.Amsterdam(b)
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, loc)
	sv := roundstest.Survey("peiling", "0 9 * * 1", 48*time.Hour)
	for _, n := range []int{100_000, 1_000_000} {
		for _, into := range []string{"double", "outbox"} {
			b.Run(fmt.Sprintf("%d/%s", n, into), func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					srv := redistest.Start(b)
					rdb := srv.Client(b)
					st := storage.New(rdb)
					consentMany(b, st, n, start)
					var poster bot.Poster = newBatchPoster()
					if into == "outbox" {
						poster = outbox.New(st, nil, outbox.Config{}, slog.New(slog.DiscardHandler))
					}
					catalog := surveys.NewCatalog([]*surveys.Survey{sv})
					eng := bot.NewEngine(bot.EngineConfig{Secret: []byte("bench-secret"), Location: loc}, st, poster, catalog, slog.New(slog.DiscardHandler))
					svc := rounds.New(rounds.Config{Location: loc}, st, catalog, eng, slog.New(slog.DiscardHandler))
					b.StartTimer()
					began := time.Now()
					if err := svc.Advance(context.Background(), start); err != nil {
						b.Fatal(err)
					}
					took := time.Since(began)
					b.StopTimer()
					tallies, err := st.Tallies(context.Background(), "peiling-20261102-0900")
					if err != nil || tallies[surveys.FieldInvited] != int64(n) {
						b.Fatalf("invited: got %d (%v), want %d", tallies[surveys.FieldInvited], err, n)
					}
					anchor := enqueueAnchor(b, srv.Addr)
					b.ReportMetric(float64(n)/took.Seconds(), "recipients/s")
					b.ReportMetric(took.Seconds(), "s")
					b.ReportMetric(anchor, "redis-benchmark-msg/s")
					b.ReportMetric(float64(n)/took.Seconds()/anchor, "of-anchor")
					srv.Stop()
				}
			})
		}
	}
}

// consentMany stores n consented participants, 32 at a time.
func consentMany(b *testing.B, st *storage.Store, n int, at time.Time) {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 32 {
				pid := fmt.Sprintf("%032x", i)
				if err := st.SaveConsent(context.Background(), &storage.Participant{ID: pid, Channel: "telegram",
					ChatID: strconv.Itoa(10_000_000 + i), ConsentVersion: "v1", ConsentAt: at, Kern: "Dalfsen"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// enqueueAnchor is bot/outbox's anchor: redis-benchmark against addr with one
// invitation's enqueue writes (SET NX EX, INCR, HSET of a 600-byte payload, ZADD) as
// one EVAL, pipelined 100 deep from 50 clients; it returns the messages a second.
func enqueueAnchor(b *testing.B, addr string) float64 {
	b.Helper()
	host, port, _ := strings.Cut(addr, ":")
	script := "if redis.call('SET', KEYS[1], '1', 'NX', 'EX', 604800) then " +
		"local id = redis.call('INCR', 'bench:seq') redis.call('HSET', 'bench:m', id, ARGV[1]) " +
		"redis.call('ZADD', 'bench:q', 1, id) end return 1"
	out, err := exec.Command("redis-benchmark", "-h", host, "-p", port, "-n", "300000", "-c", "50", "-P", "100", "-r", "100000000", "-q",
		"EVAL", script, "1", "bench:d:__rand_int__", strings.Repeat("x", 600)).CombinedOutput()
	if err != nil {
		b.Skipf("redis-benchmark (install redis-tools for the anchor): %v\n%s", err, out)
	}
	m := regexp.MustCompile(`([0-9.]+) requests per second`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("redis-benchmark: no rate in %q", out)
	}
	rate, _ := strconv.ParseFloat(string(m[1]), 64)
	return rate
}
