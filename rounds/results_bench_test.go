package rounds_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/synth"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
)

// BenchmarkResults computes a closed burgerpeiling round's results with the
// afspiegeling and weighting (population with leeftijd margins), as a view does
// (rounds.ViewOpenLimit), at 1,000, 100,000 and 1,000,000 respondents: the cost
// must not grow with their number. Loading the 1M round takes about a minute.
func BenchmarkResults(b *testing.B) {
	srv := redistest.Start(b)
	st := storage.New(srv.Client(b))
	ctx := context.Background()
	sv, pop, err := synth.Burgerpeiling("..")
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	for i, n := range []int{1000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("respondents=%d", n), func(b *testing.B) {
			start := time.Date(2026, time.January, 5+i, 9, 0, 0, 0, loc)
			r, err := synth.Round(ctx, st, sv, n, uint64(n), start)
			if err != nil {
				b.Fatal(err)
			}
			a := rounds.Analysis{Threshold: 10, Population: pop, OpenLimit: rounds.ViewOpenLimit}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := rounds.Results(ctx, st, sv, r, a)
				if err != nil || res.Respondents != int64(n) || res.Weighting == nil || res.Weighting.Unavailable != "" {
					b.Fatalf("results: %v %+v", err, res.Weighting)
				}
			}
		})
	}
}
