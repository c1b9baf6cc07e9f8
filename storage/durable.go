package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// A Redis Cluster replicates asynchronously: a master acknowledges a write before
// its replica has it, and a master killed in that moment takes the write with it
// when its replica is promoted. An answer the resident saw confirmed, an outbox
// message marked sent (sent again after the failover) or a lease's fencing token
// (handed out twice) would be lost that way. So on a cluster the writes that
// matter run with WAIT on the same connection as the script: the call returns
// only once a replica has the write too, or fails with ErrNotReplicated.
//
// The wait is for one replica, where the cluster lists one for the master that it
// does not hold failing: a replica whose link broke a moment ago is waited for (it
// is back within the wait), one failed or still loading its first copy is not. A
// master without such a replica cannot do better: its writes go on without
// waiting, as they would on one Redis, until a replica is back.

// ErrNotReplicated says a write was made on its master but no replica confirmed it
// within the wait: it is there unless the master fails over, so the caller handles
// it as any failed write whose effect is unknown.
var ErrNotReplicated = errors.New("storage: write not confirmed by a replica in time")

// ReplicaWait is how long a write on a cluster waits for a replica to confirm it.
// A replica that lost its link to the master is back within about a second; the
// wait stays below the client's 3-second read timeout.
const ReplicaWait = 2 * time.Second

// replicaCheck is how often the number of a master's replicas is asked again.
const replicaCheck = 10 * time.Second

// durability runs the scripts that must not be lost in a failover. Its zero value
// (no cluster) runs them plainly.
type durability struct {
	cc      *redis.ClusterClient
	timeout time.Duration
	log     *slog.Logger

	mu    sync.Mutex
	nodes map[string]replicaCount
}

type replicaCount struct {
	n  int
	at time.Time
}

// run runs the script on c (the store's client or its autopipeliner), and on a
// cluster on the master of keys[0] followed by WAIT on the same connection.
func (d *durability) run(ctx context.Context, sc *redis.Script, c redis.Scripter, keys []string, args ...any) *redis.Cmd {
	if d.cc == nil || len(keys) == 0 {
		return sc.Run(ctx, c, keys, args...)
	}
	node, err := d.cc.MasterForKey(ctx, keys[0])
	if err != nil {
		return sc.Run(ctx, c, keys, args...) // the cluster client finds the way
	}
	cmd, acked, err := d.pipeline(ctx, node, sc, keys, args)
	if err != nil {
		if elsewhere(err) {
			// the cluster client finds the new master, as it would without the wait
			return sc.Run(ctx, c, keys, args...)
		}
		return cmd // the script's own error
	}
	if err := d.confirm(ctx, node, acked); err != nil {
		out := redis.NewCmd(ctx)
		out.SetErr(err)
		return out
	}
	return cmd
}

// exec runs fn's commands in MULTI/EXEC, on a cluster on the master of key
// followed by WAIT on the same connection, as run does for a script: for the
// plain writes a failover must not lose (a session's step, a profile field, an
// erasure's record).
func (d *durability) exec(ctx context.Context, c redis.UniversalClient, key string, fn func(redis.Pipeliner) error) error {
	if d.cc == nil {
		_, err := c.TxPipelined(ctx, fn)
		return err
	}
	node, err := d.cc.MasterForKey(ctx, key)
	if err != nil {
		_, err := c.TxPipelined(ctx, fn) // the cluster client finds the way
		return err
	}
	want, err := d.replicas(ctx, node, false)
	if err != nil {
		want = 1
	}
	conn := node.Conn()
	defer conn.Close()
	if _, err := conn.TxPipelined(ctx, fn); err != nil {
		if elsewhere(err) {
			_, err := c.TxPipelined(ctx, fn) // the cluster client finds the new master
			return err
		}
		return err
	}
	if want == 0 {
		return nil
	}
	acked, err := conn.Wait(ctx, 1, d.timeout).Result()
	if err != nil {
		acked = 0 // written, unconfirmed
	}
	return d.confirm(ctx, node, acked)
}

// confirm says whether a write on node that acked replicas confirmed is as durable
// as it can be: confirmed by one, or node has no replica in sync to wait for.
func (d *durability) confirm(ctx context.Context, node *redis.Client, acked int64) error {
	if acked >= 1 {
		return nil
	}
	n, cerr := d.replicas(ctx, node, true)
	if cerr == nil && n == 0 {
		return nil // no replica to wait for: as durable as it can be
	}
	return fmt.Errorf("%w (master %s, %s)", ErrNotReplicated, node.Options().Addr, d.timeout)
}

// pipeline runs the script and WAIT in one pipeline on node: one connection, so
// that WAIT covers the script's write. WAIT asks for one replica, when the node has
// one.
func (d *durability) pipeline(ctx context.Context, node *redis.Client, sc *redis.Script, keys []string, args []any) (*redis.Cmd, int64, error) {
	want, err := d.replicas(ctx, node, false)
	if err != nil {
		want = 1
	}
	for attempt := 0; ; attempt++ {
		var cmd *redis.Cmd
		var wait *redis.IntCmd
		_, perr := node.Pipelined(ctx, func(p redis.Pipeliner) error {
			if attempt == 0 {
				cmd = sc.EvalSha(ctx, p, keys, args...)
			} else {
				cmd = sc.Eval(ctx, p, keys, args...)
			}
			if want > 0 {
				wait = p.(interface {
					Wait(context.Context, int, time.Duration) *redis.IntCmd
				}).Wait(ctx, 1, d.timeout)
			}
			return nil
		})
		if err := cmd.Err(); err != nil && attempt == 0 && strings.HasPrefix(err.Error(), "NOSCRIPT") {
			continue
		}
		if err := cmd.Err(); err != nil {
			return cmd, 0, err
		}
		if perr != nil && wait == nil {
			return cmd, 0, perr
		}
		if wait == nil {
			return cmd, 1, nil // no replica: nothing to wait for
		}
		if err := wait.Err(); err != nil {
			// the script ran; WAIT's own failure leaves it unconfirmed
			return cmd, 0, nil
		}
		return cmd, wait.Val(), nil
	}
}

// replicas is the number of replicas in sync with node, asked at most every
// replicaCheck while it has one, unless fresh is set.
func (d *durability) replicas(ctx context.Context, node *redis.Client, fresh bool) (int, error) {
	addr := node.Options().Addr
	d.mu.Lock()
	rc, ok := d.nodes[addr]
	d.mu.Unlock()
	// a master without a replica in sync is asked at every write, so that the
	// first write after one is back waits for it
	if ok && !fresh && rc.n > 0 && time.Since(rc.at) < replicaCheck {
		return rc.n, nil
	}
	n, err := countReplicas(ctx, node)
	if err != nil {
		return 0, fmt.Errorf("replicas of %s: %w", addr, err)
	}
	d.mu.Lock()
	if d.nodes == nil {
		d.nodes = map[string]replicaCount{}
	}
	before, had := d.nodes[addr]
	d.nodes[addr] = replicaCount{n: n, at: time.Now()}
	d.mu.Unlock()
	if had && before.n > 0 && n == 0 && d.log != nil {
		d.log.Warn("redis master has no replica: its writes are not confirmed until one is back", "master", addr)
	}
	return n, nil
}

// countReplicas counts the replicas a write on node is to wait for: those the
// cluster lists for it and does not hold failing (a replica whose link broke a
// moment ago is waited for: it is back within the wait), less those still loading
// their first copy (INFO replication shows them in a state other than online: a
// wait for one would hold every write for the length of the copy).
func countReplicas(ctx context.Context, node *redis.Client) (int, error) {
	id, err := node.ClusterMyID(ctx).Result()
	if err != nil {
		return 0, err
	}
	listed, err := node.Do(ctx, "CLUSTER", "REPLICAS", id).StringSlice()
	if err != nil {
		return 0, err
	}
	info, err := node.Info(ctx, "replication").Result()
	if err != nil {
		return 0, err
	}
	syncing := map[string]bool{}
	for _, line := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(k, "slave") || k == "slave_read_only" {
			continue
		}
		f := map[string]string{}
		for _, kv := range strings.Split(v, ",") {
			key, val, _ := strings.Cut(kv, "=")
			f[key] = val
		}
		if f["state"] != "online" {
			syncing[f["ip"]+":"+f["port"]] = true
		}
	}
	n := 0
	for _, line := range listed {
		// <id> <ip:port@cport[,hostname]> <flags> <master> ...
		fields := strings.Fields(line)
		if len(fields) < 3 || strings.Contains(fields[2], "fail") || strings.Contains(fields[2], "noaddr") ||
			strings.Contains(fields[2], "handshake") {
			continue
		}
		addr, _, _ := strings.Cut(fields[1], "@")
		if !syncing[addr] {
			n++
		}
	}
	return n, nil
}

// elsewhere tells an error on the master's own connection that says the write
// belongs elsewhere now: the node went (no answer from Redis at all) or its slot
// moved (a failover).
func elsewhere(err error) bool {
	var rerr redis.Error
	return !errors.As(err, &rerr) || redirected(err)
}

// redirected tells the errors of a slot that moved or a node that went.
func redirected(err error) bool {
	s := err.Error()
	for _, p := range []string{"MOVED ", "ASK ", "TRYAGAIN", "CLUSTERDOWN", "READONLY", "LOADING"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
