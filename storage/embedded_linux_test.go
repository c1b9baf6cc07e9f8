package storage

// The embedded redis-server dies with its service through Pdeathsig, which only Linux
// has (embedded_linux.go); this test watches it through /proc, so it is Linux-only too.

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

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

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
		s := redistest.ProcState(pid)
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
