package storage

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
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
// (miniredis: same commands and Lua, data lost at exit). The caller must hold dir
// exclusively (serve's DATA_DIR lock): a redis-server still serving dir/redis is taken
// for a leftover of a serve that died, and stopped first.
func OpenEmbedded(ctx context.Context, dir string, log *slog.Logger) (*Embedded, error) {
	if path, err := exec.LookPath("redis-server"); err == nil {
		return startRedis(ctx, path, dir, log)
	}
	mr, err := miniredis.Run()
	if err != nil {
		return nil, fmt.Errorf("start in-process store: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	return &Embedded{Store: New(rdb), Durable: false, stop: mr.Close,
		Description: "in-process store (no redis-server on PATH): ALL DATA IS LOST when the service stops; set REDIS_URL or install redis-server"}, nil
}

func startRedis(ctx context.Context, path, dir string, log *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(filepath.Join(dir, "redis"))
	if err != nil {
		return nil, fmt.Errorf("embedded redis dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("embedded redis dir: %w", err)
	}
	sock, pidFile := filepath.Join(abs, "redis.sock"), filepath.Join(abs, "redis.pid")
	// two redis-servers on one append-only file would corrupt it
	if err := stopLeftover(ctx, sock, pidFile, log); err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
		"--dir", abs, "--appendonly", "yes", "--appendfsync", "everysec",
		"--pidfile", pidFile, "--logfile", filepath.Join(abs, "redis.log"))
	// the redis-server gets SIGTERM when the service dies, even by kill -9 (Linux)
	cmd.SysProcAttr = childAttr()
	exited, err := startLocked(cmd)
	if err != nil {
		return nil, fmt.Errorf("start embedded redis-server: %w", err)
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt) // lets redis-server flush the append-only file
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	rdb := redis.NewClient(&redis.Options{Network: "unix", Addr: sock})
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fs.ErrNotExist
		if _, serr := os.Stat(sock); serr == nil { // go-redis logs every failed dial
			err = rdb.Ping(ctx).Err()
		}
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

// startLocked starts cmd from a goroutine locked to its OS thread until the process
// exits: the kernel sends Pdeathsig when the thread that started the child ends, not
// the process (go.dev/issue/27505), and Go ends a thread only with a goroutine
// locked to it. The returned channel closes when the process has exited.
func startLocked(cmd *exec.Cmd) (<-chan struct{}, error) {
	started, exited := make(chan error, 1), make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		err := cmd.Start()
		started <- err
		if err != nil {
			return
		}
		_ = cmd.Wait()
		close(exited)
	}()
	return exited, <-started
}

// stopLeftover stops a redis-server that still serves this directory: one that
// answers on its socket (asked to SHUTDOWN, which flushes the append-only file), or
// the process in its pid file when that is a redis-server of this socket (SIGTERM,
// then SIGKILL). It waits until the directory is free.
func stopLeftover(ctx context.Context, sock, pidFile string, log *slog.Logger) error {
	pid := readPid(pidFile)
	answers := func() bool {
		if _, err := os.Stat(sock); err != nil {
			return false
		}
		c := redis.NewClient(&redis.Options{Network: "unix", Addr: sock, DialTimeout: 500 * time.Millisecond,
			ReadTimeout: time.Second, MaxRetries: -1})
		defer c.Close()
		return c.Ping(ctx).Err() == nil
	}
	ours := func() bool { return pid > 0 && isRedisOf(pid, sock) }
	if !answers() && !ours() {
		return nil
	}
	log.Warn("stopping a leftover embedded redis-server of a service that did not stop it", "dir", filepath.Dir(sock), "pid", pid)
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: sock, MaxRetries: -1})
	_ = c.Shutdown(ctx).Err() // the server closes the connection: no reply to check
	c.Close()
	if !ours() {
		pid = 0
	} else {
		signalPid(pid, syscall.SIGTERM)
	}
	deadline, killed := time.Now().Add(10*time.Second), false
	for answers() || ours() {
		if time.Now().After(deadline) {
			if !ours() || killed {
				return fmt.Errorf("a redis-server still serves %s (pid %d): stop it, then start again", sock, pid)
			}
			signalPid(pid, syscall.SIGKILL)
			deadline, killed = time.Now().Add(5*time.Second), true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

func readPid(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
