package storage_test

import (
	"context"
	"fmt"
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

// BenchmarkRecordAnswerCluster records answers on one redis-server and on a Redis
// Cluster of 3 masters with a replica each, in the same run, 50 residents at once
// answering the burgerpeiling in order. All keys of a round share the hash tag
// {r:<rid>}, so one round lives on one master: rounds=1 is a national round (the hot
// slot), rounds=60 spreads the residents over 60 rounds and thus over the masters.
// Beside each it runs the anchor on the same topology and keys: a trivial script
// (EVALSHA of "return 1" with a key of the same tag), 50 at once through go-redis;
// and it reports the masters' own time per recordAnswer (INFO commandstats), the
// rate one master's core could carry at most.
// Run: go test -run '^$' -bench RecordAnswerCluster -benchtime 1x ./storage/
func BenchmarkRecordAnswerCluster(b *testing.B) {
	const residents = 10_000 // 100,000 answers per case
	sv := burgerpeiling(b)
	topologies := []struct {
		name  string
		start func(b *testing.B) redis.UniversalClient
	}{
		{"single", func(b *testing.B) redis.UniversalClient {
			return redis.NewClient(&redis.Options{Addr: redistest.Start(b).Addr, PoolSize: 50})
		}},
		{"cluster", func(b *testing.B) redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: redistest.StartCluster(b, 3, 1).Addrs(), PoolSize: 50})
		}},
	}
	for _, topo := range topologies {
		b.Run(topo.name, func(b *testing.B) {
			rdb := topo.start(b)
			b.Cleanup(func() { rdb.Close() })
			st := storage.New(rdb)
			activateAny(b, rdb, residents)
			for _, rounds := range []int{1, 60} {
				b.Run(fmt.Sprint("rounds=", rounds), func(b *testing.B) {
					for n := 0; b.Loop(); n++ {
						rids := make([]string, rounds)
						for i := range rids {
							rids[i] = fmt.Sprintf("cluster-%d-%d-%d", rounds, n, i)
							openRound(b, st, rids[i])
						}
						masters := mastersOf(b, rdb, rids)
						resetStats(b, rdb)
						cpu0, rcpu0 := cpuSeconds(b, rdb)
						start := time.Now()
						answers := answerRounds(b, st, sv, rids, residents, 50)
						rate := float64(answers) / time.Since(start).Seconds()
						cpu1, rcpu1 := cpuSeconds(b, rdb)
						usec := usecPerCall(b, rdb, "evalsha")
						cpu := (cpu1 - cpu0) / float64(answers) * 1e6
						trivial := trivialOnTags(b, rdb, rids, int(answers))
						b.ReportMetric(rate, "answers/s")
						b.ReportMetric(trivial, "evalsha/s")
						b.ReportMetric(rate/trivial, "ratio")
						b.ReportMetric(usec, "script-µs/answer")
						b.ReportMetric(cpu, "master-cpu-µs/answer")
						b.ReportMetric(1e6/cpu, "answers/s-per-master-core")
						b.ReportMetric(float64(masters), "masters-used")
						b.Logf("%s, %d rounds on %d master(s): %d answers at %.0f/s; trivial script %.0f/s (ratio %.2f); "+
							"per answer %.1f µs in the script, %.1f µs of master CPU (%.1f µs on replicas)",
							topo.name, rounds, masters, answers, rate, trivial, rate/trivial, usec, cpu, (rcpu1-rcpu0)/float64(answers)*1e6)
					}
				})
			}
		})
	}
}

// activateAny is activate for a single node or a cluster.
func activateAny(b *testing.B, rdb redis.UniversalClient, n int) {
	b.Helper()
	ids := make([]any, 0, n)
	for i := range n {
		pid, _ := benchParticipant(i)
		ids = append(ids, pid)
	}
	if err := rdb.SAdd(context.Background(), "pb:participants", ids...).Err(); err != nil {
		b.Fatal(err)
	}
}

// answerRounds has workers residents answer at once, resident i the round
// rids[i%len(rids)], each resident's answers in order; it returns the answers.
func answerRounds(b *testing.B, st *storage.Store, sv *surveys.Survey, rids []string, residents, workers int) int64 {
	b.Helper()
	var next, answers atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= residents || failed.Load() != nil {
					return
				}
				ws := benchAnswers(sv, rids[i%len(rids)], i)
				for _, w := range ws {
					if _, err := st.RecordAnswer(context.Background(), w); err != nil {
						failed.Store(&err)
						return
					}
				}
				answers.Add(int64(len(ws)))
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	return answers.Load()
}

// trivialOnTags runs n EVALSHA of "return 1", 50 at once, the i-th with a key of the
// hash tag of rids[i%len(rids)]: on a cluster it goes to the same masters as the
// answers did.
func trivialOnTags(b *testing.B, rdb redis.UniversalClient, rids []string, n int) float64 {
	b.Helper()
	ctx := context.Background()
	script := redis.NewScript("return 1")
	keys := make([][]string, len(rids))
	for i, rid := range rids {
		keys[i] = []string{"pb:{r:" + rid + "}:bench"}
	}
	// on every master: Load alone goes to one node of a cluster
	forEachServer(b, rdb, func(ctx context.Context, c *redis.Client) error { return script.Load(ctx, c).Err() })
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if err := script.EvalSha(ctx, rdb, keys[int(i)%len(keys)]).Err(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// forEachServer calls fn for the one server, or for every master of a cluster.
func forEachServer(b *testing.B, rdb redis.UniversalClient, fn func(ctx context.Context, c *redis.Client) error) {
	b.Helper()
	ctx := context.Background()
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, fn)
	case *redis.Client:
		err = fn(ctx, c)
	default:
		err = fmt.Errorf("unknown client %T", rdb)
	}
	if err != nil {
		b.Fatal(err)
	}
}

func resetStats(b *testing.B, rdb redis.UniversalClient) {
	forEachServer(b, rdb, func(ctx context.Context, c *redis.Client) error { return c.ConfigResetStat(ctx).Err() })
}

// usecPerCall is the servers' time per call of cmd since resetStats, over all
// masters (the calls' total time over their number).
func usecPerCall(b *testing.B, rdb redis.UniversalClient, cmd string) float64 {
	var mu sync.Mutex
	var calls, usec float64
	forEachServer(b, rdb, func(ctx context.Context, c *redis.Client) error {
		info, err := c.Info(ctx, "commandstats").Result()
		if err != nil {
			return err
		}
		for _, l := range strings.Split(info, "\r\n") {
			v, ok := strings.CutPrefix(l, "cmdstat_"+cmd+":")
			if !ok {
				continue
			}
			for _, f := range strings.Split(v, ",") {
				k, x, _ := strings.Cut(f, "=")
				n, _ := strconv.ParseFloat(x, 64)
				mu.Lock()
				switch k {
				case "calls":
					calls += n
				case "usec":
					usec += n
				}
				mu.Unlock()
			}
		}
		return nil
	})
	if calls == 0 {
		b.Fatalf("no %s calls counted", cmd)
	}
	return usec / calls
}

// cpuSeconds is the CPU time (user and system) the masters have used so far, and
// the replicas (0 on a single node): what an answer costs a master's core, unlike
// commandstats' time, which on a machine with fewer cores than servers also counts
// the time a server waited for a core.
func cpuSeconds(b *testing.B, rdb redis.UniversalClient) (masters, replicas float64) {
	b.Helper()
	var mu sync.Mutex
	sum := func(total *float64) func(ctx context.Context, c *redis.Client) error {
		return func(ctx context.Context, c *redis.Client) error {
			x, err := redistest.CPUSeconds(ctx, c)
			mu.Lock() // ForEachMaster calls it for every server at once
			*total += x
			mu.Unlock()
			return err
		}
	}
	forEachServer(b, rdb, sum(&masters))
	if c, ok := rdb.(*redis.ClusterClient); ok {
		if err := c.ForEachSlave(context.Background(), sum(&replicas)); err != nil {
			b.Fatal(err)
		}
	}
	return masters, replicas
}

// mastersOf is how many masters hold the rounds (1 on a single node).
func mastersOf(b *testing.B, rdb redis.UniversalClient, rids []string) int {
	b.Helper()
	c, ok := rdb.(*redis.ClusterClient)
	if !ok {
		return 1
	}
	ctx := context.Background()
	seen := map[string]bool{}
	for _, rid := range rids {
		m, err := c.MasterForKey(ctx, "pb:{r:"+rid+"}:meta")
		if err != nil {
			b.Fatal(err)
		}
		seen[m.Options().Addr] = true
	}
	return len(seen)
}
