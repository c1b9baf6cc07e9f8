package dashboard

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// loginFrom posts a login form to handler from a remote address.
func loginFrom(handler http.Handler, addr, name, password string) *httptest.ResponseRecorder {
	form := url.Values{"name": {name}, "password": {password}}
	r := httptest.NewRequest(http.MethodPost, "/dashboard/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.RemoteAddr = addr + ":40000"
	return serve(handler, r)
}

// TestLoginLimitShared: two dashboard servers on one Redis count against one limit;
// a server started afterwards (a restart) still refuses.
func TestLoginLimitShared(t *testing.T) {
	h := newHarness(t)
	h.now = h.now.Add(20 * time.Second) // 40 s left in the window
	a, b := h.handler, h.replica()
	for i := range addrLimit.max {
		handler := a
		if i%2 == 1 {
			handler = b
		}
		if w := loginFrom(handler, "192.0.2.7", "anna", "fout"); w.Code != http.StatusUnauthorized {
			t.Fatalf("try %d: got %v, want %v", i+1, w.Code, http.StatusUnauthorized)
		}
	}
	for name, handler := range map[string]http.Handler{"first": a, "second": b, "restarted": h.replica()} {
		t.Run(name, func(t *testing.T) {
			w := loginFrom(handler, "192.0.2.7", "anna", "geheim")
			if w.Code != http.StatusTooManyRequests {
				t.Fatalf("got %v, want %v", w.Code, http.StatusTooManyRequests)
			}
			if got := w.Header().Get("Retry-After"); got != "40" {
				t.Errorf("Retry-After: got %q, want 40", got)
			}
			if !strings.Contains(w.Body.String(), "Te veel inlogpogingen vanaf dit adres") {
				t.Errorf("body does not say why in Dutch")
			}
		})
	}
	if w := loginFrom(b, "192.0.2.8", "anna", "geheim"); w.Code != http.StatusSeeOther {
		t.Errorf("another address: got %v, want %v", w.Code, http.StatusSeeOther)
	}
}

// TestLoginLimitPerName: one name guessed from many addresses is refused after
// nameLimit.max tries, and an unknown name is treated exactly like a known one, so
// the limit tells nobody which names exist.
func TestLoginLimitPerName(t *testing.T) {
	for _, name := range []string{"anna", "carla"} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			for i := range nameLimit.max {
				if w := loginFrom(h.handler, fmt.Sprintf("198.51.100.%d", i), name, "fout"); w.Code != http.StatusUnauthorized {
					t.Fatalf("try %d: got %v, want %v", i+1, w.Code, http.StatusUnauthorized)
				}
			}
			w := loginFrom(h.replica(), "203.0.113.1", name, "geheim")
			if w.Code != http.StatusTooManyRequests {
				t.Fatalf("try %d from a new address: got %v, want %v", nameLimit.max+1, w.Code, http.StatusTooManyRequests)
			}
			if got := w.Header().Get("Retry-After"); got != "600" {
				t.Errorf("Retry-After: got %q, want 600", got)
			}
			if !strings.Contains(w.Body.String(), "Te veel inlogpogingen voor deze naam") {
				t.Errorf("body does not say why in Dutch")
			}
			h.now = h.now.Add(nameLimit.window)
			want := http.StatusUnauthorized
			if name == "anna" {
				want = http.StatusSeeOther
			}
			if w := loginFrom(h.handler, "203.0.113.1", name, "geheim"); w.Code != want {
				t.Errorf("after the window: got %v, want %v", w.Code, want)
			}
			keys := h.store.Client().Keys(t.Context(), "pb:login:name:*").Val()
			for _, k := range keys {
				if strings.Contains(k, name) {
					t.Errorf("key %q holds the name typed", k)
				}
			}
		})
	}
}
