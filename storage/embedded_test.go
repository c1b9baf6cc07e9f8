package storage

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/redis/go-redis/v9"
)

func needRedisServer(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if testing.Short() {
			t.Skip("redis-server not found; skipped in short mode")
		}
		t.Fatal("redis-server not found on PATH: install redis-server (Debian: apt-get install redis-server)")
	}
	return path
}

// TestEmbeddedStopsLeftover: a redis-server still serving DATA_DIR/redis (its service
// died and left it) is stopped before the embedded store starts anew, and the data
// it held is there.
func TestEmbeddedStopsLeftover(t *testing.T) {
	path := needRedisServer(t)
	ctx := context.Background()
	dir := t.TempDir()
	abs := filepath.Join(dir, "redis")
	if err := os.MkdirAll(abs, 0o700); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(abs, "redis.sock")
	// the leftover, started as an older serve started it
	left := exec.Command(path, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
		"--dir", abs, "--appendonly", "yes", "--pidfile", filepath.Join(abs, "redis.pid"),
		"--logfile", filepath.Join(abs, "leftover.log"))
	if err := left.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- left.Wait() }()
	t.Cleanup(func() { _ = left.Process.Kill() })
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: sock})
	defer c.Close()
	testwait.Until(t, 5*time.Second, "the leftover to answer", func() (bool, string) {
		err := c.Set(ctx, "kept", "ja", 0).Err()
		return err == nil, "set: " + errString(err)
	})

	emb, err := OpenEmbedded(ctx, dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the leftover redis-server still runs after the embedded store started")
	}
	got, err := emb.Client().Get(ctx, "kept").Result()
	if err != nil || got != "ja" {
		t.Errorf("data of the leftover: got %q, %v; want \"ja\"", got, err)
	}
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
