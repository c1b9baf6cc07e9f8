package public

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/synth"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkPublicRoundPage serves the public page of a published burgerpeiling
// round at 1,000, 100,000 and 1,000,000 respondents: cold, the results computed
// from the tallies (a fresh server each time), and warm, from the cache as
// every view after the first. It reports the median and the heap after serving;
// neither may grow with the number of respondents.
func BenchmarkPublicRoundPage(b *testing.B) {
	rs := redistest.Start(b)
	store := storage.New(rs.Client(b))
	ctx := context.Background()
	sv, pop, err := synth.Burgerpeiling("..")
	if err != nil {
		b.Fatal(err)
	}
	catalog := surveys.NewCatalog([]*surveys.Survey{sv})
	svc := rounds.New(rounds.Config{Location: amsterdam, Threshold: testThreshold, Population: pop}, store, catalog, nil, nil)
	cfg := Config{Location: amsterdam, Threshold: testThreshold, Population: pop}
	for i, n := range []int{1000, 100_000, 1_000_000} {
		start := time.Date(2026, time.February, 2+i, 9, 0, 0, 0, amsterdam)
		r, err := synth.Round(ctx, store, sv, n, uint64(n), start)
		if err != nil {
			b.Fatal(err)
		}
		if ok, err := store.Transition(ctx, r.ID, storage.Closed, storage.Published, start.Add(2*time.Hour)); err != nil || !ok {
			b.Fatalf("publish: %v %v", ok, err)
		}
		for _, warm := range []bool{false, true} {
			b.Run(fmt.Sprintf("respondents=%d/warm=%v", n, warm), func(b *testing.B) {
				srv, err := newServer(cfg, svc, catalog, slog.New(slog.DiscardHandler))
				if err != nil {
					b.Fatal(err)
				}
				var times []time.Duration
				for b.Loop() {
					if !warm {
						srv.cache = rounds.ResultsCache{Rounds: 32}
					}
					w := httptest.NewRecorder()
					t0 := time.Now()
					srv.routes().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openbaar/"+r.ID, nil))
					times = append(times, time.Since(t0))
					if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), dutch.Int(int64(n))) {
						b.Fatalf("page: status %d, respondents %s not on it", w.Code, dutch.Int(int64(n)))
					}
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			})
		}
	}
}
