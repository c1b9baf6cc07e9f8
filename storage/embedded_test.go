package storage

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

// procState is the state letter of a process in /proc ("" when it is gone).
func procState(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2 : i+3]
	}
	return "?"
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

// TestEmbeddedDiesWithService: the embedded redis-server of a service killed with
// kill -9 does not outlive it (so it does not keep the socket), and the next start
// has the data.
func TestEmbeddedDiesWithService(t *testing.T) {
	if dir := os.Getenv("PB_EMBEDDED_HELPER"); dir != "" {
		// the service: open the store, write, say so, wait to be killed
		emb, err := OpenEmbedded(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if err := emb.Client().Set(context.Background(), "kept", "ja", 0).Err(); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("ready\n")
		select {}
	}
	needRedisServer(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc (Linux) to watch the redis-server")
	}
	dir := t.TempDir()
	svc := exec.Command(os.Args[0], "-test.run=^TestEmbeddedDiesWithService$")
	svc.Env = append(os.Environ(), "PB_EMBEDDED_HELPER="+dir)
	out, err := svc.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Process.Kill(); _ = svc.Wait() })
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		if line != "ready\n" {
			t.Fatalf("service: got %q, want ready", line)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the service did not start its store within 20s")
	}
	b, err := os.ReadFile(filepath.Join(dir, "redis", "redis.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "redis", "redis.sock")
	t.Cleanup(func() { // when the test fails: no orphan left behind
		if isRedisOf(pid, sock) {
			signalPid(pid, syscall.SIGKILL)
		}
	})
	if err := svc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = svc.Wait()
	testwait.Until(t, 10*time.Second, "the redis-server to die with its service", func() (bool, string) {
		s := procState(pid)
		return s == "" || s == "Z", "redis-server pid " + strconv.Itoa(pid) + " in state " + s
	})

	ctx := context.Background()
	emb, err := OpenEmbedded(ctx, dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	if got, err := emb.Client().Get(ctx, "kept").Result(); err != nil || got != "ja" {
		t.Errorf("after the restart: got %q, %v; want \"ja\"", got, err)
	}
}
