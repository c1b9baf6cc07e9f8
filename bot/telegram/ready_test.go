package telegram_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// TestReady: a connected channel is ready; while getUpdates fails it is not, and
// says so without the token; once a poll succeeds again it is ready again.
func TestReady(t *testing.T) {
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/getMe"):
			fmt.Fprint(w, `{"ok":true,"result":{"id":7777777,"is_bot":true,"first_name":"Participatiebot","username":"participatie_bot"}}`)
		case down.Load():
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, `{"ok":false,"error_code":502,"description":"Bad Gateway"}`)
		default: // a long poll without updates, cut short when the test ends
			select {
			case <-r.Context().Done():
			case <-time.After(200 * time.Millisecond):
			}
			fmt.Fprint(w, `{"ok":true,"result":[]}`)
		}
	}))
	t.Cleanup(srv.Close)
	ch := connect(t, srv.URL+"/bot%s/%s", time.Second, nil)
	if err := ch.Ready(); err != nil {
		t.Fatalf("after getMe: got %v, want ready", err)
	}

	down.Store(true)
	run(t, ch, &recorder{})
	testwait.Until(t, 10*time.Second, "not ready while getUpdates fails", func() (bool, string) {
		err := ch.Ready()
		return err != nil, fmt.Sprint(err)
	})
	if err := ch.Ready().Error(); !strings.Contains(err, "getUpdates") || strings.Contains(err, testToken) {
		t.Errorf("got %q, want getUpdates named and no token", err)
	}

	down.Store(false)
	testwait.Until(t, 15*time.Second, "ready once getUpdates succeeds", func() (bool, string) {
		err := ch.Ready()
		return err == nil, fmt.Sprint(err)
	})
}
