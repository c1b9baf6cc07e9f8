package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// TestAnswersSurviveMasterKill kills the master of a round's slot (SIGKILL) as soon
// as answers and sessions were confirmed that were written while its replica was
// stalled and cut off for half a second, four times over: every answer
// RecordAnswer confirmed (a script) and every step SaveSession confirmed (a plain
// transaction) must be there after the failover. Without the wait for a replica
// they are confirmed at once, and gone with the master.
func TestAnswersSurviveMasterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills Redis masters; skipped in short mode")
	}
	c := redistest.StartClusterTimeout(t, 3, 1, 2*time.Second)
	rdb := c.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	openRound(t, st, "r1")
	key := "pb:{r:r1}:meta"
	confirmed := map[string]bool{} // true: an answer, false: a session
	m, err := rdb.MasterForKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	waitReplica(t, m.Options().Addr)
	for cycle := range 4 {
		master, replica := slotNodes(t, c, rdb, key)
		// the replica stalls and the master drops its link (as a network blip
		// does); it is back half a second later, while the answers are written
		if err := replica.Pause(); err != nil {
			t.Fatal(err)
		}
		mc := redis.NewClient(&redis.Options{Addr: master.Addr})
		if err := mc.Do(ctx, "CLIENT", "KILL", "TYPE", "replica").Err(); err != nil {
			t.Fatalf("cycle %d: drop the replica's link: %v", cycle, err)
		}
		mc.Close()
		resumed := make(chan error, 1)
		time.AfterFunc(500*time.Millisecond, func() { resumed <- replica.Resume() })
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pid := fmt.Sprintf("p%d-%d", cycle, i)
				// answers in one cycle, sessions in the next: each kind waits on its own
				var err error
				if cycle%2 == 0 {
					_, err = st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: pid, Field: "q1",
						Value: "o1", Kern: "Dalfsen"})
				} else {
					err = st.SaveSession(ctx, "r1", pid, &storage.Session{Pos: 2, Update: "u" + pid}, time.Hour)
				}
				if err == nil {
					mu.Lock()
					confirmed[pid] = cycle%2 == 0
					mu.Unlock()
				} else if !errors.Is(err, storage.ErrNotReplicated) {
					t.Errorf("cycle %d: record and save %s: %v", cycle, pid, err)
				}
			}()
		}
		wg.Wait()
		// the master dies as soon as the answers are confirmed: without the wait for
		// a replica, before the replica is back
		master.Stop() // SIGKILL
		if err := <-resumed; err != nil {
			t.Fatal(err)
		}
		// the replica takes over after the node timeout
		deadline := time.Now().Add(60 * time.Second)
		var last error
		for {
			_, last = st.Answers(ctx, "r1", "p-probe")
			rdb.ReloadState(ctx)
			if last == nil {
				if m, err := rdb.MasterForKey(ctx, key); err == nil && m.Options().Addr == replica.Addr {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("cycle %d: no failover to %s within 60 s: %v", cycle, replica.Addr, last)
			}
			time.Sleep(100 * time.Millisecond)
		}
		var lost []string
		for pid, answer := range confirmed {
			if answer {
				got, err := st.Answers(ctx, "r1", pid)
				if err != nil {
					t.Fatalf("cycle %d: answers of %s: %v", cycle, pid, err)
				}
				if got["q1"] == "" {
					lost = append(lost, pid+" (answer)")
				}
				continue
			}
			ss, err := st.Session(ctx, "r1", pid)
			if err != nil {
				t.Fatalf("cycle %d: session of %s: %v", cycle, pid, err)
			}
			if !ss.Exists || ss.Pos != 2 || ss.Update != "u"+pid {
				lost = append(lost, fmt.Sprintf("%s (session %+v)", pid, ss))
			}
		}
		if len(lost) > 0 {
			t.Fatalf("cycle %d: %d of %d confirmed answers and sessions lost with the master: %v", cycle, len(lost), len(confirmed), lost)
		}
		// the old master comes back as the new master's replica
		if err := master.Restart(); err != nil {
			t.Fatal(err)
		}
		waitReplica(t, replica.Addr)
	}
	if len(confirmed) < 10 {
		t.Errorf("confirmed %d writes in four cycles, want at least the first cycle's 10", len(confirmed))
	}
}

// slotNodes are the master of key's slot and its replica, as the master sees them.
func slotNodes(t *testing.T, c *redistest.Cluster, rdb *redis.ClusterClient, key string) (master, replica *redistest.Server) {
	t.Helper()
	ctx := context.Background()
	rdb.ReloadState(ctx)
	m, err := rdb.MasterForKey(ctx, key)
	if err != nil {
		t.Fatalf("master of %s: %v", key, err)
	}
	addr := m.Options().Addr
	info, err := m.Info(ctx, "replication").Result()
	if err != nil {
		t.Fatalf("replication of %s: %v", addr, err)
	}
	rep := ""
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "slave0:"); ok {
			var ip, port string
			for _, kv := range strings.Split(v, ",") {
				k, val, _ := strings.Cut(kv, "=")
				switch k {
				case "ip":
					ip = val
				case "port":
					port = val
				}
			}
			rep = ip + ":" + port
		}
	}
	for _, n := range c.Nodes {
		switch n.Addr {
		case addr:
			master = n
		case rep:
			replica = n
		}
	}
	if master == nil {
		t.Fatalf("master %s of %s is not a node of the cluster", addr, key)
	}
	if replica == nil {
		t.Fatalf("master %s of %s has no replica:\n%s", addr, key, info)
	}
	return master, replica
}

// waitReplica waits until the master at addr has a replica connected and in sync.
func waitReplica(t *testing.T, addr string) {
	t.Helper()
	rc := redis.NewClient(&redis.Options{Addr: addr})
	defer rc.Close()
	deadline := time.Now().Add(30 * time.Second)
	info := ""
	for time.Now().Before(deadline) {
		info, _ = rc.Info(context.Background(), "replication").Result()
		if strings.Contains(info, "connected_slaves:1") && strings.Contains(info, "state=online") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no replica in sync with %s within 30 s:\n%s", addr, info)
}
