package storage_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// BenchmarkRecordAnswer measures recording answers (the atomic script that also moves
// the tallies, with kern and leeftijd breakdowns) against a local redis-server.
// Each iteration is one resident's new answer to a single-choice question; the
// parallel variant uses 64 concurrent clients, as many residents answering at once.
func BenchmarkRecordAnswer(b *testing.B) {
	srv := redistest.Start(b)
	setup := storage.New(srv.Client(b))
	openRound(b, setup, "bench-serial")
	openRound(b, setup, "bench-parallel64")
	for _, bc := range []struct {
		name     string
		parallel bool
	}{{"serial", false}, {"parallel64", true}} {
		b.Run(bc.name, func(b *testing.B) {
			rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 64})
			defer rdb.Close()
			st := storage.New(rdb)
			rid := "bench-" + bc.name
			q := surveys.Question{ID: "luistert", Type: surveys.Likert}
			var n atomic.Int64
			record := func(ctx context.Context) {
				i := n.Add(1)
				p := surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}
				a := surveys.Answer{Options: []string{fmt.Sprint(i%5 + 1)}}
				_, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: fmt.Sprint("p", i),
					Field: q.ID, Value: surveys.EncodeAnswer(q, a), Kern: p.Kern, Leeftijd: p.Leeftijd})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			if bc.parallel {
				b.SetParallelism(64 / max(1, runtimeProcs()))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						record(context.Background())
					}
				})
			} else {
				for range b.N {
					record(context.Background())
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
		})
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// BenchmarkRespondents10000 reads back every answer of a round of 10,000
// participants (as results do for weighting and exports), three answers each.
func BenchmarkRespondents10000(b *testing.B) {
	srv := redistest.Start(b)
	st := storage.New(srv.Client(b))
	ctx := context.Background()
	openRound(b, st, "bench-read")
	qs := []surveys.Question{{ID: "positie", Type: surveys.Single}, {ID: "luistert", Type: surveys.Likert}, {ID: "cijfer", Type: surveys.Rating}}
	for i := range 10000 {
		p := surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}
		for _, q := range qs {
			a := surveys.Answer{Options: []string{fmt.Sprint(i%5 + 1)}}
			if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "bench-read", Participant: fmt.Sprint("p", i), Field: q.ID,
				Value: surveys.EncodeAnswer(q, a), Kern: p.Kern, Leeftijd: p.Leeftijd}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := st.Respondents(ctx, "bench-read", func(storage.RespondentRecord) error { n++; return nil }); err != nil || n != 10000 {
			b.Fatalf("read %d respondents: %v", n, err)
		}
	}
}
