package main

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/web"
)

// TestSlowClientsAreCutOff: a client that sends its request (headers or body) at one
// byte per 3 s, or keeps a connection idle, is disconnected by the server's timeouts
// (here short ones, so the test takes seconds) instead of holding it without end.
func TestSlowClientsAreCutOff(t *testing.T) {
	short := httpTimeouts{ReadHeader: 500 * time.Millisecond, Read: time.Second, Write: 2 * time.Second, Idle: time.Second}
	bodyErr := make(chan error, 10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		bodyErr <- err
		if err != nil {
			http.Error(w, "te traag", http.StatusBadRequest)
			return
		}
		io.WriteString(w, "ok")
	})
	srv := newHTTPServer(h, short, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	tests := []struct {
		name    string
		request string // sent at once
		trickle bool   // then one byte per 3 s
		reply   bool   // read one response before waiting for the close
		bodyErr bool   // the handler saw its body read cut off
	}{
		{"slow headers", "POST / HTTP/1.1\r\nHost: x\r\n", true, false, false},
		{"slow body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n", true, false, true},
		{"idle keep-alive", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.request); err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			defer close(stop)
			if tc.trickle {
				go func() {
					tick := time.NewTicker(3 * time.Second)
					defer tick.Stop()
					for {
						if _, err := conn.Write([]byte("a")); err != nil {
							return
						}
						select {
						case <-stop:
							return
						case <-tick.C:
						}
					}
				}()
			}
			// Without the timeouts the connection would stay open past this deadline.
			start := time.Now()
			if err := conn.SetReadDeadline(start.Add(10 * time.Second)); err != nil {
				t.Fatal(err)
			}
			rd := bufio.NewReader(conn)
			if tc.reply {
				resp, err := http.ReadResponse(rd, nil)
				if err != nil {
					t.Fatalf("first response: %v", err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.Close {
					t.Fatalf("the server closes after the first response; want keep-alive")
				}
			}
			_, err = io.Copy(io.Discard, rd) // until the server closes
			if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("connection still open after %s", time.Since(start).Round(time.Millisecond))
			}
			t.Logf("closed by the server after %s", time.Since(start).Round(time.Millisecond))
			if tc.bodyErr {
				select {
				case err := <-bodyErr:
					if ne := net.Error(nil); !errors.As(err, &ne) || !ne.Timeout() {
						t.Errorf("handler's body read: got %v, want a timeout", err)
					}
				case <-time.After(5 * time.Second):
					t.Errorf("the handler never finished reading the body")
				}
			}
		})
	}
}

// TestServeTimeouts: serve's own timeouts, and room for the web chat's slowest post
// (the engine's 30 s and the wait for the reply) inside WriteTimeout.
func TestServeTimeouts(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), defaultHTTPTimeouts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"ReadHeaderTimeout", srv.ReadHeaderTimeout, 10 * time.Second},
		{"ReadTimeout", srv.ReadTimeout, 30 * time.Second},
		{"WriteTimeout", srv.WriteTimeout, 60 * time.Second},
		{"IdleTimeout", srv.IdleTimeout, 120 * time.Second},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got, c.want)
		}
	}
	if srv.MaxHeaderBytes != 64<<10 {
		t.Errorf("MaxHeaderBytes: got %d, want %d", srv.MaxHeaderBytes, 64<<10)
	}
	const webHandle = 30 * time.Second // bot/web handleTimeout
	if need := webHandle + web.DefaultReplyWait + 5*time.Second; srv.WriteTimeout < need {
		t.Errorf("WriteTimeout %s leaves no room for a web chat post (%s)", srv.WriteTimeout, need)
	}
}

func TestLoadPseudonymKey(t *testing.T) {
	dir := t.TempDir()
	withKey := filepath.Join(dir, "with")
	if err := os.MkdirAll(withKey, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(withKey, "pseudonym.key"), []byte("abc123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(empty, "pseudonym.key"), []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		create  bool
		wantKey string // "*" for a new random key
		wantErr string
		madeKey bool // a key file in DATA_DIR afterwards
	}{
		{"from the environment", map[string]string{"PSEUDONYM_KEY": "k1", "DATA_DIR": filepath.Join(dir, "none1")}, false, "k1", "", false},
		{"from DATA_DIR, CLI", map[string]string{"DATA_DIR": withKey}, false, "abc123", "", true},
		{"from DATA_DIR, serve", map[string]string{"DATA_DIR": withKey}, true, "abc123", "", true},
		{"none, CLI refuses", map[string]string{"DATA_DIR": filepath.Join(dir, "none2")}, false, "", "geen schuilnaamsleutel gevonden", false},
		{"none, serve makes one", map[string]string{"DATA_DIR": filepath.Join(dir, "none3")}, true, "*", "", true},
		{"empty key file", map[string]string{"DATA_DIR": empty}, true, "", "is leeg", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.loadPseudonymKey(tc.create)
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("got error %v, want one with %q", err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("got error %v", err)
			case tc.wantKey == "*" && len(c.PseudonymKey) != 64:
				t.Errorf("new key: got %q, want 64 hex digits", c.PseudonymKey)
			case tc.wantKey != "*" && string(c.PseudonymKey) != tc.wantKey:
				t.Errorf("key: got %q, want %q", c.PseudonymKey, tc.wantKey)
			}
			_, statErr := os.Stat(filepath.Join(tc.env["DATA_DIR"], "pseudonym.key"))
			if made := statErr == nil; made != tc.madeKey {
				t.Errorf("key file in DATA_DIR: got %v, want %v", made, tc.madeKey)
			}
		})
	}
	if _, err := loadConfig(func(k string) string {
		return map[string]string{"PSEUDONYM_KEY_FILE": filepath.Join(empty, "pseudonym.key")}[k]
	}); err == nil || !strings.Contains(err.Error(), "PSEUDONYM_KEY_FILE") {
		t.Errorf("empty PSEUDONYM_KEY_FILE: got %v, want an error naming it", err)
	}
}
