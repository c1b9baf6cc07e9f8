// Package redistest starts a private redis-server for tests, on a free loopback port,
// and never touches a Redis it did not start.
package redistest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a running private redis-server.
type Server struct {
	Addr string
	Dir  string
	cmd  *exec.Cmd
	// how it was started, for Restart
	path  string
	port  int
	extra []string
}

// Start runs a private redis-server for the test and stops it at cleanup. Without the
// binary the test fails with a hint (or is skipped under -short).
func Start(tb testing.TB) *Server {
	tb.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		if testing.Short() {
			tb.Skip("redis-server not found; skipped in short mode")
		}
		tb.Fatalf("redis-server not found on PATH: install redis-server (Debian: apt-get install redis-server) or run ./test.sh")
	}
	dir := tb.TempDir()
	for attempt := 0; ; attempt++ {
		s, err := start(path, dir)
		if err == nil {
			tb.Cleanup(s.Stop)
			return s
		}
		if attempt == 4 {
			tb.Fatalf("start redis-server: %v", err)
		}
	}
}

func start(path, dir string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return startOn(path, dir, port)
}

// startOn runs redis-server on port with the extra arguments.
func startOn(path, dir string, port int, extra ...string) (*Server, error) {
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--dir", dir, "--save", "", "--appendonly", "no",
		"--protected-mode", "yes", "--logfile", filepath.Join(dir, "redis.log")}, extra...)
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", path, err)
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: dir, cmd: cmd, path: path, port: port, extra: extra}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if ping(s.Addr) == nil {
			return s, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Stop()
	log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
	return nil, fmt.Errorf("redis-server on port %d did not answer: %s", port, lastLines(string(log), 3))
}

// Stop ends the server with SIGKILL, as a crash does.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

// Pause stops the server's process (SIGSTOP) until Resume: it holds its
// connections but answers nothing, as a server stalled by the machine does.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume lets a paused server run again (SIGCONT).
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }

// Restart starts a stopped server again on its port and directory (a cluster node
// finds its nodes.conf there and rejoins).
func (s *Server) Restart() error {
	n, err := startOn(s.path, s.Dir, s.port, s.extra...)
	if err != nil {
		return err
	}
	s.cmd = n.cmd
	return nil
}

// URL is a redis:// URL for the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Client returns a new client for the server, closed at cleanup.
func (s *Server) Client(tb testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	tb.Cleanup(func() { c.Close() })
	return c
}

// Flush empties the server between subtests.
func (s *Server) Flush(tb testing.TB) {
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	defer c.Close()
	if err := c.FlushAll(context.Background()).Err(); err != nil {
		tb.Fatalf("flush redis: %v", err)
	}
}

func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
