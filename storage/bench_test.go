package storage_test

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// burgerpeiling is the example survey the memory and throughput benchmarks answer.
func burgerpeiling(b *testing.B) *surveys.Survey {
	b.Helper()
	sv, err := surveys.LoadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return sv
}

// benchParticipant is the i-th resident of a benchmark: a pseudonym as long as the
// engine's (32 hex digits) and a profile, one in eight without kern or leeftijd.
func benchParticipant(i int) (string, surveys.Profile) {
	kernen := []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum", ""}
	ages := []string{"16-24", "25-44", "45-64", "65+", ""}
	h := uint64(i)*0x9E3779B97F4A7C15 + 1
	return fmt.Sprintf("%016x%016x", h, uint64(i)), surveys.Profile{Kern: kernen[h%7], Leeftijd: ages[(h>>8)%5]}
}

// benchAnswers are the writes of resident i answering the whole survey: every
// question but the optional open one, which they pass over.
func benchAnswers(sv *surveys.Survey, rid string, i int) []storage.AnswerWrite {
	pid, p := benchParticipant(i)
	out := make([]storage.AnswerWrite, 0, len(sv.Questions))
	for j, q := range sv.Questions {
		a := surveys.Answer{Skipped: true}
		if q.Type != surveys.Open {
			a = surveys.Answer{Options: []string{q.Options[(i*7+j*3)%len(q.Options)].ID}}
		}
		out = append(out, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
			Value: surveys.EncodeAnswer(q, a), Kern: p.Kern, Leeftijd: p.Leeftijd})
	}
	return out
}

// activate puts n participants in the active set, as consent does, so that a round
// created next has as many buckets as for n residents.
func activate(b *testing.B, rdb *redis.Client, n int) {
	b.Helper()
	ctx := context.Background()
	for first := 0; first < n; first += 10000 {
		ids := make([]any, 0, 10000)
		for i := first; i < min(first+10000, n); i++ {
			pid, _ := benchParticipant(i)
			ids = append(ids, pid)
		}
		if err := rdb.SAdd(ctx, "pb:participants", ids...).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// answerAll has workers residents answer the survey at once (and complete it, when
// complete is set), each resident's answers in order; it returns how many answers
// were recorded.
func answerAll(b *testing.B, st *storage.Store, sv *surveys.Survey, rid string, residents, workers int, complete bool) int64 {
	b.Helper()
	var next, answers atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for {
				i := int(next.Add(1) - 1)
				if i >= residents || failed.Load() != nil {
					return
				}
				ws := benchAnswers(sv, rid, i)
				for _, w := range ws {
					if _, err := st.RecordAnswer(ctx, w); err != nil {
						failed.Store(&err)
						return
					}
				}
				answers.Add(int64(len(ws)))
				if !complete {
					continue
				}
				if _, err := st.Complete(ctx, rid, ws[0].Participant); err != nil {
					failed.Store(&err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	return answers.Load()
}

func usedMemory(b *testing.B, rdb *redis.Client) int64 {
	b.Helper()
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(l, "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no used_memory in INFO memory")
	return 0
}

// BenchmarkMemory100k records 100,000 residents answering the burgerpeiling (ten
// questions, the open one passed over) and completing it, through RecordAnswer and
// Complete, and reports Redis's used_memory grown per participant-round (answers,
// tallies, dictionary and open texts together) and the encoding of the buckets.
// Run it once: go test -run '^$' -bench Memory100k -benchtime 1x ./storage/
func BenchmarkMemory100k(b *testing.B) {
	const residents = 100_000
	srv := redistest.Start(b)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 50})
	defer rdb.Close()
	st := storage.New(rdb)
	ctx := context.Background()
	sv := burgerpeiling(b)
	// Redis's default listpack limit (some builds have 512), so the figure holds there
	if err := rdb.ConfigSet(ctx, "hash-max-listpack-entries", "128").Err(); err != nil {
		b.Fatal(err)
	}
	activate(b, rdb, residents)
	for n := 0; b.Loop(); n++ {
		rid := fmt.Sprint("geheugen-", n)
		openRound(b, st, rid)
		r, err := st.Round(ctx, rid)
		if err != nil {
			b.Fatal(err)
		}
		before := usedMemory(b, rdb)
		answerAll(b, st, sv, rid, residents, 50, true)
		grown := usedMemory(b, rdb) - before
		b.ReportMetric(float64(grown)/residents, "B/participant-round")
		enc := map[string]int{}
		largest := int64(0)
		for i := range r.Buckets {
			key := fmt.Sprintf("pb:{r:%s}:b:%d", rid, i)
			enc[rdb.ObjectEncoding(ctx, key).Val()]++
			largest = max(largest, rdb.HLen(ctx, key).Val())
		}
		b.ReportMetric(float64(r.Buckets), "buckets")
		b.ReportMetric(float64(largest), "max-per-bucket")
		rec := rdb.HRandField(ctx, fmt.Sprintf("pb:{r:%s}:b:0", rid), 1).Val()
		b.Logf("%d buckets, encodings %v, largest %d participants; a record: %q (%d bytes)", r.Buckets, enc, largest,
			rdb.HGet(ctx, fmt.Sprintf("pb:{r:%s}:b:0", rid), rec[0]).Val(), len(rdb.HGet(ctx, fmt.Sprintf("pb:{r:%s}:b:0", rid), rec[0]).Val()))
		if enc["listpack"] != r.Buckets {
			b.Errorf("bucket encodings: got %v, want all %d listpack", enc, r.Buckets)
		}
		// the anchor: 20,000 of the same residents in the layout before buckets (a
		// hash per participant with a list of counters per answer, the members and
		// completed sets), in the same run
		const legacyResidents = 20_000
		legacy := "geheugen-oud-" + fmt.Sprint(n)
		now := time.Now()
		if err := rdb.HSet(ctx, "pb:{r:"+legacy+"}:meta", "state", "open", "opens_at", now.Unix(), "closes_at", now.Add(time.Hour).Unix()).Err(); err != nil {
			b.Fatal(err)
		}
		before = usedMemory(b, rdb)
		answerAll(b, st, sv, legacy, legacyResidents, 50, true)
		old := float64(usedMemory(b, rdb)-before) / legacyResidents
		b.ReportMetric(old, "B/participant-round-before-buckets")
		b.Logf("per participant-round: %.0f B in buckets, %.0f B in the layout before (%.2f)", float64(grown)/residents, old, float64(grown)/residents/old)
	}
}

// BenchmarkRecordAnswerVsEvalsha compares recording answers (50 at once, residents
// answering the burgerpeiling in order) with
// redis-benchmark running a trivial script (EVALSHA of "return 1", 50 clients) against
// the same server in the same run, before and after; it reports both rates and their
// ratio (goal: at least 0.7).
// Run: go test -run '^$' -bench RecordAnswerVsEvalsha -benchtime 1x ./storage/
func BenchmarkRecordAnswerVsEvalsha(b *testing.B) {
	tool, err := exec.LookPath("redis-benchmark")
	if err != nil {
		b.Skip("redis-benchmark not on PATH: install redis-tools to measure the anchor")
	}
	const residents = 20_000 // 200,000 answers
	srv := redistest.Start(b)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 50})
	defer rdb.Close()
	st := storage.New(rdb)
	ctx := context.Background()
	sv := burgerpeiling(b)
	activate(b, rdb, residents)
	sha, err := rdb.ScriptLoad(ctx, "return 1").Result()
	if err != nil {
		b.Fatal(err)
	}
	_, port, _ := strings.Cut(srv.Addr, ":")
	anchor := func() float64 {
		out, err := exec.Command(tool, "-h", "127.0.0.1", "-p", port, "-c", "50", "-n", "200000", "--csv", "evalsha", sha, "0").Output()
		if err != nil {
			b.Fatalf("redis-benchmark: %v", err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		fields := strings.Split(lines[len(lines)-1], ",")
		rps, err := strconv.ParseFloat(strings.Trim(fields[1], `"`), 64)
		if err != nil {
			b.Fatalf("redis-benchmark output %q: %v", out, err)
		}
		return rps
	}
	// usecPerCall is the server's time per EVALSHA since the last call (INFO commandstats)
	usecPerCall := func() string {
		info := rdb.Info(ctx, "commandstats").Val()
		rdb.ConfigResetStat(ctx)
		for _, l := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(l, "cmdstat_evalsha:"); ok {
				for _, f := range strings.Split(v, ",") {
					if u, ok := strings.CutPrefix(f, "usec_per_call="); ok {
						return u
					}
				}
			}
		}
		return "?"
	}
	for n := 0; b.Loop(); n++ {
		rid := fmt.Sprint("snelheid-", n)
		openRound(b, st, rid)
		usecPerCall()
		before := anchor()
		trivial := usecPerCall()
		start := time.Now()
		answers := answerAll(b, st, sv, rid, residents, 50, false)
		rate := float64(answers) / time.Since(start).Seconds()
		script := usecPerCall()
		after := anchor()
		goTrivial := trivialThroughGo(b, rdb, sha, len(sv.Questions)*residents)
		// the same answers in the layout before buckets (a hash per participant)
		legacy := "snelheid-oud-" + fmt.Sprint(n)
		now := time.Now()
		if err := rdb.HSet(ctx, "pb:{r:"+legacy+"}:meta", "state", "open", "opens_at", now.Unix(), "closes_at", now.Add(time.Hour).Unix()).Err(); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		lrate := float64(answerAll(b, st, sv, legacy, residents, 50, false)) / time.Since(start).Seconds()
		b.Logf("the same answers in the layout before buckets: %.0f/s (%.2f of the bucket layout's)", lrate, lrate/rate)
		b.Logf("server time per call: %s µs for the trivial script, %s µs for recordAnswer", trivial, script)
		b.Logf("the trivial script through go-redis (50 at once): %.0f/s, %.2f of redis-benchmark's", goTrivial, goTrivial/((before+after)/2))
		b.ReportMetric(rate, "answers/s")
		b.ReportMetric((before+after)/2, "evalsha/s")
		b.ReportMetric(rate/((before+after)/2), "ratio")
		b.Logf("answers %.0f/s; redis-benchmark evalsha %.0f/s before, %.0f/s after; ratio %.2f", rate, before, after, rate/((before+after)/2))
	}
}

// trivialThroughGo runs n EVALSHA of the trivial script through go-redis, 50 at
// once: how near the client alone comes to redis-benchmark.
func trivialThroughGo(b *testing.B, rdb *redis.Client, sha string, n int) float64 {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := rdb.EvalSha(context.Background(), sha, nil).Err(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}
