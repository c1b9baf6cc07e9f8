package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/synth"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkRoundPage serves the dashboard page of a closed burgerpeiling round
// (results, afspiegeling, weighting, charts) at 1,000, 100,000 and 1,000,000
// respondents, and reports the median and the heap after serving: neither may
// grow with the number of respondents.
func BenchmarkRoundPage(b *testing.B) {
	rs := redistest.Start(b)
	store := storage.New(rs.Client(b))
	ctx := context.Background()
	sv, pop, err := synth.Burgerpeiling("..")
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Users: []User{{"anna", "geheim"}}, Secret: []byte(testSecret), SurveysDir: b.TempDir(),
		Location: amsterdam, Threshold: 10, Population: pop}
	catalog := surveys.NewCatalog([]*surveys.Survey{sv})
	srv, err := newServer(cfg, store, roundsFor(cfg, store, catalog), catalog, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	handler := srv.routes()
	do := func(r *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		return w
	}
	login := httptest.NewRequest(http.MethodPost, "/dashboard/login", strings.NewReader(url.Values{"name": {"anna"}, "password": {"geheim"}}.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var cookie *http.Cookie
	for _, c := range do(login).Result().Cookies() {
		if c.Name == cookieName && c.Value != "" {
			cookie = c
		}
	}
	if cookie == nil {
		b.Fatal("no session cookie")
	}
	for i, n := range []int{1000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("respondents=%d", n), func(b *testing.B) {
			start := time.Date(2026, time.February, 2+i, 9, 0, 0, 0, amsterdam)
			r, err := synth.Round(ctx, store, sv, n, uint64(n), start)
			if err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/dashboard/rounds/"+r.ID, nil)
				req.AddCookie(cookie)
				t0 := time.Now()
				w := do(req)
				times = append(times, time.Since(t0))
				if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), dutchInt(int64(n))) {
					b.Fatalf("round page: status %d, respondents %s not on it", w.Code, dutchInt(int64(n)))
				}
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		})
	}
}
