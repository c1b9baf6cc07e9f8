package dashboard

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEverythingRequiresLogin(t *testing.T) {
	h := newHarness(t)
	h.openRound("peiling-20261201-0900")
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"overview", http.MethodGet, "/dashboard/", http.StatusSeeOther},
		{"round page", http.MethodGet, "/dashboard/rounds/peiling-20261201-0900", http.StatusSeeOther},
		{"csv export", http.MethodGet, "/dashboard/rounds/peiling-20261201-0900/export.csv", http.StatusSeeOther},
		{"json export", http.MethodGet, "/dashboard/rounds/peiling-20261201-0900/export.json", http.StatusSeeOther},
		{"audit log", http.MethodGet, "/dashboard/audit", http.StatusSeeOther},
		{"unknown page", http.MethodGet, "/dashboard/nergens", http.StatusSeeOther},
		{"api", http.MethodGet, "/dashboard/api/rounds", http.StatusUnauthorized},
		{"open round", http.MethodPost, "/dashboard/rounds/open", http.StatusUnauthorized},
		{"close round", http.MethodPost, "/dashboard/rounds/peiling-20261201-0900/close", http.StatusUnauthorized},
		{"upload", http.MethodPost, "/dashboard/surveys", http.StatusUnauthorized},
		{"logout", http.MethodPost, "/dashboard/logout", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, strings.NewReader("survey=peiling"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := h.do(r)
			if w.Code != tt.want {
				t.Fatalf("got %v, want %v", w.Code, tt.want)
			}
			if tt.want == http.StatusSeeOther && !strings.HasPrefix(w.Header().Get("Location"), "/dashboard/login") {
				t.Errorf("location: got %v, want the login page", w.Header().Get("Location"))
			}
			if strings.Contains(w.Body.String(), "Proefpeiling") {
				t.Errorf("body shows survey data without a login")
			}
		})
	}
	if got := h.auditActions(); len(got) != 0 {
		t.Errorf("audit: got %v, want nothing done", got)
	}
	rounds, _ := h.store.Rounds(t.Context())
	if len(rounds) != 1 || rounds[0].State != "open" {
		t.Errorf("rounds: got %d (first %v), want the one open round unchanged", len(rounds), rounds[0].State)
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name, user, password string
		wantStatus           int
		wantSession          bool
	}{
		{"right password", "anna", "geheim", http.StatusSeeOther, true},
		{"wrong password", "anna", "fout", http.StatusUnauthorized, false},
		{"other user's password", "anna", "ook-geheim", http.StatusUnauthorized, false},
		{"unknown name", "carla", "geheim", http.StatusUnauthorized, false},
		{"empty", "", "", http.StatusUnauthorized, false},
		{"password as prefix", "anna", "geheimpje", http.StatusUnauthorized, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			w := h.post("/dashboard/login", nil, url.Values{"name": {tt.user}, "password": {tt.password}})
			if w.Code != tt.wantStatus {
				t.Fatalf("status: got %v, want %v", w.Code, tt.wantStatus)
			}
			var session *http.Cookie
			for _, c := range w.Result().Cookies() {
				if c.Name == cookieName {
					session = c
				}
			}
			if got := session != nil; got != tt.wantSession {
				t.Fatalf("session cookie: got %v, want %v", got, tt.wantSession)
			}
			if !tt.wantSession {
				if !strings.Contains(w.Body.String(), msgBadLogin) {
					t.Errorf("body: want %q", msgBadLogin)
				}
				if strings.Contains(w.Body.String(), tt.password) && tt.password != "" {
					t.Errorf("body echoes the password")
				}
				return
			}
			if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/dashboard/" {
				t.Errorf("cookie: got HttpOnly %v SameSite %v Path %v, want true Strict /dashboard/",
					session.HttpOnly, session.SameSite, session.Path)
			}
			if got := h.get("/dashboard/", session); got.Code != http.StatusOK {
				t.Errorf("overview with session: got %v, want %v", got.Code, http.StatusOK)
			}
			if got := h.auditActions(); !slices.Contains(got, "anna: ingelogd") {
				t.Errorf("audit: got %v, want anna: ingelogd", got)
			}
		})
	}
}

func TestSessionRefused(t *testing.T) {
	h := newHarness(t)
	good := h.login("anna", "geheim")
	parts := strings.Split(good.Value, ".")
	tests := []struct {
		name  string
		value string
		later time.Duration
	}{
		{"tampered name", b64.EncodeToString([]byte("bert")) + "." + strings.Join(parts[1:], "."), 0},
		{"tampered expiry", parts[0] + "." + "9999999999" + "." + parts[2] + "." + parts[3], 0},
		{"bad signature", parts[0] + "." + parts[1] + "." + parts[2] + "." + b64.EncodeToString([]byte("x")), 0},
		{"garbage", "abc", 0},
		{"expired after 12 hours", good.Value, 12*time.Hour + time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := h.now
			h.now = h.now.Add(tt.later)
			defer func() { h.now = start }()
			w := h.get("/dashboard/", &http.Cookie{Name: cookieName, Value: tt.value})
			if w.Code != http.StatusSeeOther {
				t.Errorf("got %v, want %v", w.Code, http.StatusSeeOther)
			}
		})
	}
	if w := h.get("/dashboard/", good); w.Code != http.StatusOK {
		t.Errorf("the good session: got %v, want %v", w.Code, http.StatusOK)
	}
}

func TestLogout(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	w := h.post("/dashboard/logout", c, url.Values{"csrf": {h.csrf(c)}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("logout: got %v, want %v", w.Code, http.StatusSeeOther)
	}
	if got := h.get("/dashboard/", c); got.Code != http.StatusSeeOther {
		t.Errorf("old cookie after logout: got %v, want %v", got.Code, http.StatusSeeOther)
	}
	if got := h.auditActions(); !slices.Contains(got, "anna: uitgelogd") {
		t.Errorf("audit: got %v, want anna: uitgelogd", got)
	}
}

func TestLoginRateLimited(t *testing.T) {
	h := newHarness(t)
	for i := range addrLimit.max {
		w := h.post("/dashboard/login", nil, url.Values{"name": {"anna"}, "password": {"fout"}})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("try %d: got %v, want %v", i+1, w.Code, http.StatusUnauthorized)
		}
	}
	tests := []struct {
		name     string
		later    time.Duration
		password string
		want     int
	}{
		{"eleventh try, even with the right password", 0, "geheim", http.StatusTooManyRequests},
		{"after a minute", time.Minute, "geheim", http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.now = h.now.Add(tt.later)
			w := h.post("/dashboard/login", nil, url.Values{"name": {"anna"}, "password": {tt.password}})
			if w.Code != tt.want {
				t.Errorf("got %v, want %v", w.Code, tt.want)
			}
		})
	}
}

func TestLoginReturnsToPage(t *testing.T) {
	tests := []struct {
		name, terug, want string
	}{
		{"a round page", "/dashboard/rounds/x", "/dashboard/rounds/x"},
		{"another site", "//evil.example/", "/dashboard/"},
		{"absolute url", "https://evil.example/dashboard/", "/dashboard/"},
		{"dot dot", "/dashboard/../admin", "/dashboard/"},
		{"the api", "/dashboard/api/rounds", "/dashboard/"},
	}
	h := newHarness(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.post("/dashboard/login", nil, url.Values{"name": {"anna"}, "password": {"geheim"}, "terug": {tt.terug}})
			if got := w.Header().Get("Location"); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDashboardOff(t *testing.T) {
	handler, err := New(Config{}, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dashboard/", "/dashboard/login", "/dashboard/api/rounds"} {
		t.Run(path, func(t *testing.T) {
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusServiceUnavailable {
				t.Errorf("got %v, want %v", w.Code, http.StatusServiceUnavailable)
			}
			if !strings.Contains(w.Body.String(), "DASHBOARD_USERS") {
				t.Errorf("body does not say how to turn the dashboard on")
			}
		})
	}
}

func TestNewRefusesShortSecret(t *testing.T) {
	_, err := New(Config{Users: []User{{"anna", "geheim"}}, Secret: []byte("kort")}, nil, nil, nil, nil)
	if err == nil {
		t.Errorf("got nil, want an error for a short secret")
	}
}

func TestParseUsers(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []User
		wantErr bool
	}{
		{"two users", "anna:geheim,bert:ook-geheim", []User{{"anna", "geheim"}, {"bert", "ook-geheim"}}, false},
		{"colon in password", "anna:ge:heim", []User{{"anna", "ge:heim"}}, false},
		{"one per line", "anna:geheim\nbert:ook-geheim\n", []User{{"anna", "geheim"}, {"bert", "ook-geheim"}}, false},
		{"spaces around entries", " anna:geheim , bert:x ", []User{{"anna", "geheim"}, {"bert", "x"}}, false},
		{"empty", "", nil, false},
		{"no password", "anna", nil, true},
		{"empty password", "anna:", nil, true},
		{"empty name", ":geheim", nil, true},
		{"duplicate", "anna:a,anna:b", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUsers(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "geheim") {
				t.Errorf("error %q quotes a password", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("user %d: got %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestAPIUnauthorizedIsJSON(t *testing.T) {
	h := newHarness(t)
	w := h.get("/dashboard/api/rounds", nil)
	var body map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body["error"] == "" {
		t.Errorf("got %q (%v), want a JSON error", w.Body.String(), err)
	}
}
