package storage

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Embedded is a store for running without REDIS_URL.
type Embedded struct {
	*Store
	// Durable says whether data survives a restart.
	Durable bool
	// Description says what runs, for the log.
	Description string
	stop        func()
}

// Close closes the store and stops what Embedded started.
func (e *Embedded) Close() error {
	err := e.Store.Close()
	if e.stop != nil {
		e.stop()
	}
	return err
}

// OpenEmbedded starts a private redis-server with an append-only file under dir when
// the binary is on PATH (data survives a restart), otherwise an in-process store
// (miniredis: same commands and Lua, data lost at exit).
func OpenEmbedded(ctx context.Context, dir string, log *slog.Logger) (*Embedded, error) {
	if path, err := exec.LookPath("redis-server"); err == nil {
		return startRedis(ctx, path, dir)
	}
	mr, err := miniredis.Run()
	if err != nil {
		return nil, fmt.Errorf("start in-process store: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	return &Embedded{Store: New(rdb), Durable: false, stop: mr.Close,
		Description: "in-process store (no redis-server on PATH): ALL DATA IS LOST when the service stops; set REDIS_URL or install redis-server"}, nil
}

func startRedis(ctx context.Context, path, dir string) (*Embedded, error) {
	abs, err := filepath.Abs(filepath.Join(dir, "redis"))
	if err != nil {
		return nil, fmt.Errorf("embedded redis dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("embedded redis dir: %w", err)
	}
	sock := filepath.Join(abs, "redis.sock")
	cmd := exec.Command(path, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
		"--dir", abs, "--appendonly", "yes", "--appendfsync", "everysec",
		"--logfile", filepath.Join(abs, "redis.log"))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start embedded redis-server: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt) // lets redis-server flush the append-only file
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	}
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: sock})
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := rdb.Ping(ctx).Err()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			rdb.Close()
			stop()
			return nil, fmt.Errorf("embedded redis-server did not start (see %s): %w", filepath.Join(abs, "redis.log"), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &Embedded{Store: New(rdb), Durable: true, stop: stop,
		Description: "embedded redis-server with append-only file in " + abs + ": data survives a restart"}, nil
}
