package dashboard

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// returnCases are login redirects with the page they must lead to; the issue's
// cases first.
var returnCases = []struct {
	name, terug, want string
}{
	{"dot dot with a query (issue 9)", "/dashboard/..?p=X", "/dashboard/"},
	{"encoded dot dot", "/dashboard/%2e%2e/?p=X", "/dashboard/"},
	{"encoded dot dot, upper case", "/dashboard/%2E%2E", "/dashboard/"},
	{"another site", "//evil", "/dashboard/"},
	{"encoded slashes", "/dashboard/%2f%2fevil", "/dashboard/"},
	{"backslash", "/dashboard/\\evil", "/dashboard/"},
	{"backslashes to another site", "/dashboard/..\\..\\evil", "/dashboard/"},
	{"dot", "/dashboard/./audit", "/dashboard/"},
	{"trailing dot dot", "/dashboard/rounds/..", "/dashboard/"},
	{"dot dot in the middle", "/dashboard/rounds/../../", "/dashboard/"},
	{"query", "/dashboard/audit?voor=1-1", "/dashboard/"},
	{"empty query", "/dashboard/audit?", "/dashboard/"},
	{"fragment", "/dashboard/audit#x", "/dashboard/"},
	{"empty segment", "/dashboard//audit", "/dashboard/"},
	{"absolute url", "https://evil.example/dashboard/", "/dashboard/"},
	{"scheme-relative", "//evil.example/dashboard/", "/dashboard/"},
	{"outside the dashboard", "/bijlage/x", "/dashboard/"},
	{"the prefix without slash", "/dashboard", "/dashboard/"},
	{"a look-alike prefix", "/dashboardx/", "/dashboard/"},
	{"the api", "/dashboard/api/rounds", "/dashboard/"},
	{"the login page", "/dashboard/login", "/dashboard/"},
	{"logout", "/dashboard/logout", "/dashboard/"},
	{"static files", "/dashboard/static/dashboard.js", "/dashboard/"},
	{"control character", "/dashboard/audit\r\nX: y", "/dashboard/"},
	{"space", "/dashboard/rounds/a b", "/dashboard/"},
	{"non-ascii", "/dashboard/rounds/é", "/dashboard/"},
	{"encoded ordinary character", "/dashboard/rounds/%61", "/dashboard/"},
	{"semicolon", "/dashboard/rounds/x;y", "/dashboard/"},
	{"empty", "", "/dashboard/"},
	{"relative", "rounds/x", "/dashboard/"},
	{"too long", "/dashboard/" + strings.Repeat("a", maxReturn), "/dashboard/"},
	{"the overview", "/dashboard/", "/dashboard/"},
	{"a round page", "/dashboard/rounds/peiling-20261201-0900", "/dashboard/rounds/peiling-20261201-0900"},
	{"the audit page", "/dashboard/audit", "/dashboard/audit"},
	{"dots inside a name", "/dashboard/rounds/a..b", "/dashboard/rounds/a..b"},
}

func TestSafeReturn(t *testing.T) {
	for _, tt := range returnCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeReturn(tt.terug); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLoginRedirectStaysInside logs in with each case as terug, in the form and on
// the login page's URL, and reads where the browser is sent.
func TestLoginRedirectStaysInside(t *testing.T) {
	h := newHarness(t)
	for _, tt := range returnCases {
		t.Run(tt.name, func(t *testing.T) {
			h.now = h.now.Add(loginWindowStep) // stay under the login limits
			w := h.post("/dashboard/login", nil, url.Values{"name": {"anna"}, "password": {"geheim"}, "terug": {tt.terug}})
			if got := w.Header().Get("Location"); got != tt.want {
				t.Errorf("after login: got %q, want %q", got, tt.want)
			}
			c := sessionCookie(w)
			if c == nil {
				t.Fatalf("no session (status %d)", w.Code)
			}
			// Logged in already, the login page sends the browser on at once.
			w = h.get("/dashboard/login?terug="+url.QueryEscape(tt.terug), c)
			if got := w.Header().Get("Location"); got != tt.want {
				t.Errorf("login page: got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLoginRedirectFromEncodedPath: a page asked for without a session sends the
// browser to the login page; an encoded slash or dot in its path is not turned
// into a real one on the way back.
func TestLoginRedirectFromEncodedPath(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ path, want string }{
		{"/dashboard/rounds/x", "/dashboard/login?terug=%2Fdashboard%2Frounds%2Fx"},
		{"/dashboard/rounds/a%2f..%2f..%2fx", "/dashboard/login"},
		{"/dashboard/rounds/%2e%2e", "/dashboard/login"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := h.get(tt.path, nil)
			if got := w.Header().Get("Location"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// loginWindowStep moves the test clock past both login limits' windows.
const loginWindowStep = 10 * time.Minute

func sessionCookie(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName && c.Value != "" {
			return c
		}
	}
	return nil
}

// FuzzSafeReturn: whatever comes in, the result is a dashboard path without a dot
// segment after any number of decodings, without scheme or host, that safeReturn
// leaves as it is and that http.Redirect sends unchanged.
func FuzzSafeReturn(f *testing.F) {
	for _, tt := range returnCases {
		f.Add(tt.terug)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := safeReturn(in)
		if !strings.HasPrefix(got, Prefix) {
			t.Fatalf("safeReturn(%q) = %q: not under %s", in, got, Prefix)
		}
		if got != Prefix && got != in {
			t.Fatalf("safeReturn(%q) = %q: changed instead of accepted or refused", in, got)
		}
		if again := safeReturn(got); again != got {
			t.Fatalf("safeReturn(%q) = %q, but safeReturn of that = %q", in, got, again)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("safeReturn(%q) = %q: parses to %+v, %v", in, got, u, err)
		}
		for dec, i := got, 0; i < 4; i++ {
			if strings.ContainsAny(dec, "\\?#") || strings.Contains(dec, "//") {
				t.Fatalf("safeReturn(%q) = %q: decodes to %q", in, got, dec)
			}
			for seg := range strings.SplitSeq(dec, "/") {
				if seg == "." || seg == ".." {
					t.Fatalf("safeReturn(%q) = %q: decodes to %q with a dot segment", in, got, dec)
				}
			}
			next, err := url.PathUnescape(dec)
			if err != nil || next == dec {
				break
			}
			dec = next
		}
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest(http.MethodPost, "/dashboard/login", nil), got, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != got {
			t.Fatalf("safeReturn(%q) = %q, but http.Redirect sends %q", in, got, loc)
		}
	})
}
