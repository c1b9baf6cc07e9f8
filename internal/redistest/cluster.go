package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
	server, err1 := exec.LookPath("redis-server")
	cli, err2 := exec.LookPath("redis-cli")
	if err1 != nil || err2 != nil {
		if testing.Short() {
			tb.Skip("redis-server or redis-cli not found; skipped in short mode")
		}
		tb.Fatalf("redis-server and redis-cli are needed on PATH: install redis-server (Debian: apt-get install redis-server) or run ./test.sh")
	}
	c := &Cluster{}
	tb.Cleanup(c.Stop)
	for i := range masters * (1 + replicas) {
		dir := filepath.Join(tb.TempDir(), fmt.Sprint("node", i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			tb.Fatal(err)
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
				"--cluster-node-timeout", "10000"); err == nil {
				break
			}
		}
		if err != nil {
			tb.Fatalf("start cluster node %d: %v", i, err)
		}
		c.Nodes = append(c.Nodes, s)
	}
	args := []string{"--cluster", "create"}
	args = append(args, c.Addrs()...)
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		tb.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.waitReady(tb, 30*time.Second)
	return c
}

// waitReady waits until every node says the cluster is ok and knows every node.
func (c *Cluster) waitReady(tb testing.TB, within time.Duration) {
	tb.Helper()
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
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("redis cluster not ready within %s: %s", within, last)
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
