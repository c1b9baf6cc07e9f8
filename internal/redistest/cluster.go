package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a private Redis Cluster on loopback: masters × (1 + replicas)
// redis-servers with cluster mode on, joined by redis-cli --cluster create.
type Cluster struct {
	Nodes []*Server
}

// StartCluster runs a private Redis Cluster for the test (3 masters with a replica
// each is what production runs) and stops it at cleanup. It needs redis-server and
// redis-cli (Debian: redis-server, with redis-tools); without them the test fails
// with a hint, or is skipped under -short.
func StartCluster(tb testing.TB, masters, replicas int) *Cluster {
	tb.Helper()
	return StartClusterTimeout(tb, masters, replicas, 10*time.Second)
}

// StartClusterTimeout is StartCluster with the given cluster-node-timeout: a master
// is failed over about that long after it dies.
func StartClusterTimeout(tb testing.TB, masters, replicas int, nodeTimeout time.Duration) *Cluster {
	tb.Helper()
	if err := clusterTools(); err != nil {
		if testing.Short() {
			tb.Skip("redis-server or redis-cli not found; skipped in short mode")
		}
		tb.Fatal(err)
	}
	c, err := startCluster(tb.TempDir(), masters, replicas, nodeTimeout)
	if c != nil {
		tb.Cleanup(c.Stop)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// clusterTools checks that redis-server and redis-cli are there.
func clusterTools() error {
	_, err1 := exec.LookPath("redis-server")
	_, err2 := exec.LookPath("redis-cli")
	if err1 != nil || err2 != nil {
		return errors.New("redis-server and redis-cli are needed on PATH: install redis-server (Debian: apt-get install redis-server redis-tools) or run ./test.sh")
	}
	return nil
}

// startCluster runs the nodes in dir and joins them; on an error the nodes started so
// far are in the returned cluster, for the caller to stop.
func startCluster(dir string, masters, replicas int, nodeTimeout time.Duration) (*Cluster, error) {
	server, _ := exec.LookPath("redis-server")
	cli, _ := exec.LookPath("redis-cli")
	c := &Cluster{}
	for i := range masters * (1 + replicas) {
		dir := filepath.Join(dir, fmt.Sprint("node", i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return c, err
		}
		var s *Server
		var err error
		for range 5 {
			port, perr := freeClusterPort()
			if perr != nil {
				err = perr
				continue
			}
			if s, err = startOn(server, dir, port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
				"--cluster-node-timeout", strconv.FormatInt(nodeTimeout.Milliseconds(), 10)); err == nil {
				break
			}
		}
		if err != nil {
			return c, fmt.Errorf("start cluster node %d: %w", i, err)
		}
		c.Nodes = append(c.Nodes, s)
	}
	args := []string{"--cluster", "create"}
	args = append(args, c.Addrs()...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		return c, fmt.Errorf("redis-cli --cluster create: %w\n%s", err, out)
	}
	return c, c.waitReady(30 * time.Second)
}

// waitReady waits until every node says the cluster is ok and knows every node.
func (c *Cluster) waitReady(within time.Duration) error {
	ctx := context.Background()
	deadline := time.Now().Add(within)
	last := ""
	for time.Now().Before(deadline) {
		ready := true
		for _, n := range c.Nodes {
			rdb := redis.NewClient(&redis.Options{Addr: n.Addr})
			info, err := rdb.ClusterInfo(ctx).Result()
			rdb.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") ||
				!strings.Contains(info, fmt.Sprintf("cluster_known_nodes:%d", len(c.Nodes))) {
				ready, last = false, fmt.Sprintf("%s: %v %s", n.Addr, err, firstLines(info, 3))
				break
			}
		}
		if ready {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("redis cluster not ready within %s: %s", within, last)
}

// Addrs are the nodes' addresses.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr
	}
	return out
}

// URL is the cluster as REDIS_URL names it: a redis:// URL of one node with the
// others as addr parameters (go-redis's ParseClusterURL).
func (c *Cluster) URL() string {
	addrs := c.Addrs()
	u := "redis://" + addrs[0]
	for i, a := range addrs[1:] {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + "addr=" + a
	}
	return u
}

// Client returns a new cluster client, closed at cleanup.
func (c *Cluster) Client(tb testing.TB) *redis.ClusterClient {
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs()})
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}

// Stop ends every node.
func (c *Cluster) Stop() {
	for _, n := range c.Nodes {
		n.Stop()
	}
}

// freeClusterPort is a free port whose cluster bus port (10000 above it) is free too.
func freeClusterPort() (int, error) {
	for range 50 {
		port, err := freePort()
		if err != nil {
			return 0, err
		}
		if port+10000 > 65535 {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000)))
		if err != nil {
			continue
		}
		l.Close()
		return port, nil
	}
	return 0, fmt.Errorf("no free port with a free cluster bus port")
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

// ClusterEnv is the environment variable that makes StartAny start a cluster.
const ClusterEnv = "PB_TEST_CLUSTER"

// StartAny returns a client of a private Redis for the test, or of a private Redis
// Cluster (3 masters, 3 replicas) when PB_TEST_CLUSTER is set: test.sh runs the
// storage, outbox and engine tests both ways. In a package whose TestMain calls Main,
// the tests share one cluster, emptied for each test.
func StartAny(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	if os.Getenv(ClusterEnv) == "" {
		return Start(tb).Client(tb)
	}
	if !shared.enabled {
		return StartCluster(tb, 3, 1).Client(tb)
	}
	c, err := sharedGet()
	if err != nil {
		tb.Fatal(err)
	}
	return c.Client(tb)
}

// shared is the one cluster of a test process whose TestMain calls Main.
var shared struct {
	enabled bool
	mu      sync.Mutex
	dir     string
	c       *Cluster
	err     error
}

// Main runs a package's tests (call it from TestMain). With PB_TEST_CLUSTER set,
// StartAny then hands every test the same cluster, emptied (FLUSHALL on every master),
// instead of starting six servers for each test, and Main stops it at the end. For
// packages whose tests do not run in parallel.
func Main(m interface{ Run() int }) {
	shared.enabled = true
	code := m.Run()
	shared.mu.Lock()
	if shared.c != nil {
		shared.c.Stop()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// sharedGet starts the shared cluster the first time and empties it every time.
func sharedGet() (*Cluster, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.c == nil && shared.err == nil {
		if shared.err = clusterTools(); shared.err != nil {
			return nil, shared.err
		}
		if shared.dir, shared.err = os.MkdirTemp("", "redistest-cluster-"); shared.err != nil {
			return nil, shared.err
		}
		shared.c, shared.err = startCluster(shared.dir, 3, 1, 10*time.Second)
	}
	if shared.err != nil {
		return nil, shared.err
	}
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: shared.c.Addrs()})
	defer rdb.Close()
	err := rdb.ForEachMaster(context.Background(), func(ctx context.Context, c *redis.Client) error {
		return c.FlushAll(ctx).Err()
	})
	if err != nil {
		return nil, fmt.Errorf("empty the shared cluster: %w", err)
	}
	return shared.c, nil
}
