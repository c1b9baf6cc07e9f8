package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// oneTimeDashboard is the dashboard serve makes without DASHBOARD_USERS on a
// loopback address, and the path of its link.
func oneTimeDashboard(t *testing.T, h *harness) (http.Handler, string) {
	t.Helper()
	once, link := NewOneTimeLogin()
	cfg := Config{Secret: []byte(testSecret), Location: amsterdam, OneTime: once}
	dash, err := New(cfg, h.store, roundsFor(cfg, h.store, h.catalog), h.catalog, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dash, link
}

// getAs serves a GET with the cookie c (none when nil).
func getAs(hd http.Handler, path string, c *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if c != nil {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	hd.ServeHTTP(w, r)
	return w
}

// TestOneTimeLogin: the link logs in once, with a normal session, and is
// refused after that; a wrong token is refused; without it the dashboard is off.
func TestOneTimeLogin(t *testing.T) {
	h := newHarness(t)
	dash, link := oneTimeDashboard(t, h)
	token, ok := strings.CutPrefix(link, "/dashboard/login?eenmalig=")
	if !ok || len(token) < 22 { // 128 bits in base64url
		t.Fatalf("link: got %q, want /dashboard/login?eenmalig= and at least 128 random bits", link)
	}
	if w := getAs(dash, "/dashboard/", nil); w.Code != http.StatusSeeOther {
		t.Errorf("before logging in: got %d, want the login page (303)", w.Code)
	}
	if w := getAs(dash, "/dashboard/login?eenmalig=x"+token[1:], nil); w.Code != http.StatusForbidden {
		t.Errorf("a wrong token: got %d, want %d", w.Code, http.StatusForbidden)
	}

	w := getAs(dash, link, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/" {
		t.Fatalf("first use: got %d to %q, want 303 to the overview", w.Code, w.Header().Get("Location"))
	}
	var session *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName && c.Value != "" && c.HttpOnly {
			session = c
		}
	}
	if session == nil {
		t.Fatal("first use: no session cookie")
	}
	if w := getAs(dash, "/dashboard/", session); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), OneTimeUser) {
		t.Errorf("with the session: got %d, want the overview of %s", w.Code, OneTimeUser)
	}
	if w := getAs(dash, link, nil); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "al gebruikt") {
		t.Errorf("second use: got %d, want %d saying it was used", w.Code, http.StatusForbidden)
	}
	if got := h.auditActions(); len(got) == 0 || got[len(got)-1] != OneTimeUser+": ingelogd met de eenmalige link" {
		t.Errorf("audit: got %v", got)
	}

	off, err := New(Config{Secret: []byte(testSecret)}, h.store, roundsFor(Config{}, h.store, h.catalog), h.catalog, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := getAs(off, link, nil); w.Code != http.StatusServiceUnavailable {
		t.Errorf("without users or one-time link: got %d, want the dashboard off (503)", w.Code)
	}
}

// TestOneTimeLoginOnceAtOnce: of many tries with the link at the same moment,
// one logs in.
func TestOneTimeLoginOnceAtOnce(t *testing.T) {
	h := newHarness(t)
	dash, link := oneTimeDashboard(t, h)
	var wg sync.WaitGroup
	var in atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if getAs(dash, link, nil).Code == http.StatusSeeOther {
				in.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := in.Load(); n != 1 {
		t.Errorf("logged in: got %d, want 1", n)
	}
}
