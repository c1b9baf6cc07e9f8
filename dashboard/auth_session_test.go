package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// replica is a second dashboard server on the harness's Redis with the same
// configuration and clock: another replica, or the same one after a restart.
func (h *harness) replica() http.Handler {
	h.t.Helper()
	store := storage.New(h.store.Client())
	srv, err := newServer(h.srv.cfg, store, roundsFor(h.srv.cfg, store, h.catalog), h.catalog, slog.New(slog.DiscardHandler))
	if err != nil {
		h.t.Fatal(err)
	}
	srv.now = func() time.Time { return h.now }
	return srv.routes()
}

// serve sends one request to handler.
func serve(handler http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	return w
}

// newGet is a GET request with a cookie.
func newGet(path string, c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.AddCookie(c)
	return r
}

// altEncoding spells a base64url (no padding) string differently: the unused low
// bits of its last character set. It decodes to the same bytes; ok is false when
// the string has no unused bits.
func altEncoding(s string) (string, bool) {
	if len(s)%4 == 0 {
		return "", false
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[i|1]), true
}

func TestSessionOneEncoding(t *testing.T) {
	h := newHarness(t)
	good := h.login("anna", "geheim")
	parts := strings.Split(good.Value, ".")
	variant := func(i int) string {
		t.Helper()
		alt, ok := altEncoding(parts[i])
		if !ok {
			t.Fatalf("part %d %q has no spare bits", i, parts[i])
		}
		if got, _ := b64.DecodeString(alt); string(got) != string(mustDecode(t, parts[i])) {
			t.Fatalf("part %d: %q and %q decode differently", i, alt, parts[i])
		}
		p := append([]string(nil), parts...)
		p[i] = alt
		return strings.Join(p, ".")
	}
	tests := []struct{ name, value string }{
		{"second spelling of the signature", variant(3)},
		{"second spelling of the name", variant(0)},
		{"second spelling of the nonce", variant(2)},
		{"padded signature", good.Value + "="},
		{"expiry with a leading zero", parts[0] + ".0" + parts[1] + "." + parts[2] + "." + parts[3]},
		{"expiry with a plus", parts[0] + ".+" + parts[1] + "." + parts[2] + "." + parts[3]},
		// the standard alphabet, padded: always another spelling of the same bytes
		{"standard base64 signature", parts[0] + "." + parts[1] + "." + parts[2] + "." +
			base64.StdEncoding.EncodeToString(mustDecode(t, parts[3]))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.value == good.Value {
				t.Fatalf("the variant %q is the session as issued", tt.value)
			}
			if w := h.get("/dashboard/", &http.Cookie{Name: cookieName, Value: tt.value}); w.Code != http.StatusSeeOther {
				t.Errorf("got %v, want %v (refused)", w.Code, http.StatusSeeOther)
			}
		})
	}
	if w := h.get("/dashboard/", good); w.Code != http.StatusOK {
		t.Errorf("the session as issued: got %v, want %v", w.Code, http.StatusOK)
	}
}

func mustDecode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLogoutSurvivesRestart: after a logout, a new dashboard server on the same
// Redis (a restart, or another replica) refuses the cookie, also in its second
// spelling; another session of the same user stays valid.
func TestLogoutSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	other := h.login("anna", "geheim")
	if w := h.post("/dashboard/logout", c, url.Values{"csrf": {h.csrf(c)}}); w.Code != http.StatusSeeOther {
		t.Fatalf("logout: got %v, want %v", w.Code, http.StatusSeeOther)
	}
	restarted := h.replica()
	parts := strings.Split(c.Value, ".")
	alt, _ := altEncoding(parts[3])
	tests := []struct {
		name   string
		cookie string
		want   int
	}{
		{"logged-out cookie", c.Value, http.StatusSeeOther},
		{"logged-out cookie, second spelling", strings.Join(append(parts[:3:3], alt), "."), http.StatusSeeOther},
		{"another session of anna", other.Value, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newGet("/dashboard/", &http.Cookie{Name: cookieName, Value: tt.cookie})
			if w := serve(restarted, r); w.Code != tt.want {
				t.Errorf("after restart: got %v, want %v", w.Code, tt.want)
			}
		})
	}
	ttl := h.store.Client().TTL(context.Background(), "pb:dash:revoked:"+parts[3]).Val()
	if ttl <= sessionTTL-time.Minute || ttl > sessionTTL {
		t.Errorf("the logout is kept for %v, want the session's remaining %v", ttl, sessionTTL)
	}
}

// fuzzServer is a dashboard server for fuzzing, on a private Redis, with a fixed clock.
func fuzzServer(tb testing.TB) *server {
	tb.Helper()
	rs := redistest.Start(tb)
	cfg := Config{Users: []User{{"anna", "geheim"}, {"bert", "ook-geheim"}}, Secret: []byte(testSecret), Location: amsterdam}
	store, catalog := storage.New(rs.Client(tb)), surveys.NewCatalog(nil)
	srv, err := newServer(cfg, store, roundsFor(cfg, store, catalog), catalog, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, amsterdam)
	srv.now = func() time.Time { return now }
	return srv
}

// FuzzParseSession: parseSession never panics and accepts nothing but a value that
// newSession makes for a configured user: rebuilt here, independently, from the
// user, expiry and nonce it carries, it must give the very same string. (The
// values newSession made are seeds; fuzz workers run in other processes with
// other nonces, so the check rebuilds instead of remembering them.)
func FuzzParseSession(f *testing.F) {
	srv := fuzzServer(f)
	for _, u := range srv.cfg.Users {
		v := srv.newSession(u).value
		f.Add(v)
		parts := strings.Split(v, ".")
		for i := range parts {
			if alt, ok := altEncoding(parts[i]); ok {
				p := append([]string(nil), parts...)
				p[i] = alt
				f.Add(strings.Join(p, "."))
			}
		}
		f.Add(v + "=")
		f.Add(strings.ToUpper(v))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, v string) {
		ss, ok := srv.parseSession(ctx, v)
		if !ok {
			return
		}
		u, found := srv.user(ss.user)
		if !found {
			t.Fatalf("parseSession(%q) accepted unknown user %q", v, ss.user)
		}
		if !ss.expires.After(srv.now()) || ss.expires.After(srv.now().Add(sessionTTL)) {
			t.Fatalf("parseSession(%q) accepted expiry %v", v, ss.expires)
		}
		parts := strings.Split(v, ".")
		nonce, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
		if err != nil || len(nonce) != nonceLen {
			t.Fatalf("parseSession(%q) accepted nonce %q", v, parts[2])
		}
		if want := referenceSession(u, ss.expires.Unix(), nonce); v != want || ss.value != v {
			t.Fatalf("parseSession accepted %q, newSession makes %q", v, want)
		}
	})
}

// referenceSession builds a cookie value as newSession does, from the package
// documentation rather than its code: base64url name, unix expiry, base64url nonce,
// and the HMAC-SHA256 under the user's key over name, expiry and nonce.
func referenceSession(u User, exp int64, nonce []byte) string {
	enc := base64.RawURLEncoding
	key := hmac.New(sha256.New, []byte(testSecret))
	key.Write([]byte("session\x00" + u.Name + "\x00" + u.Password))
	e, n := strconv.FormatInt(exp, 10), enc.EncodeToString(nonce)
	m := hmac.New(sha256.New, key.Sum(nil))
	m.Write([]byte(u.Name + "\x00" + e + "\x00" + n))
	return enc.EncodeToString([]byte(u.Name)) + "." + e + "." + n + "." + enc.EncodeToString(m.Sum(nil))
}
