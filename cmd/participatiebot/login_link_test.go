package main

import (
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

var oneTimeLink = regexp.MustCompile(`dashboard: (http://127\.0\.0\.1:[0-9]+/dashboard/login\?eenmalig=[A-Za-z0-9_-]+) \(one-time link: open it to log in\)`)

// noRedirects is a client that shows every answer as it is.
var noRedirects = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestServeLoginLink: serve without DASHBOARD_USERS on a loopback address says
// what it starts while it starts and logs a one-time login link; the link logs
// in once, then is refused.
func TestServeLoginLink(t *testing.T) {
	h := newHarness(t)
	h.serve()
	var link string
	testwait.For(t, 30*time.Second, "the one-time link in the log", func() bool {
		m := oneTimeLink.FindStringSubmatch(h.logs.String())
		if m != nil {
			link = m[1]
		}
		return m != nil
	})
	logs := h.logs.String()
	for _, want := range []string{"connecting to redis", "loading surveys from ", "web chat: http://127.0.0.1:"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log: no %q", want)
		}
	}
	if n := len(regexp.MustCompile(`http://\S*/dashboard`).FindAllString(logs, -1)); n != 1 {
		t.Errorf("log: a dashboard link besides the one-time link:\n%s", logs)
	}

	res, err := noRedirects.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "pb_dashboard" && c.Value != "" {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("first use: got %d (session cookie %v), want 303 with a session", res.StatusCode, session != nil)
	}
	base := strings.SplitN(link, "/dashboard/", 2)[0]
	req, _ := http.NewRequest(http.MethodGet, base+"/dashboard/", nil)
	req.AddCookie(session)
	if res, err := noRedirects.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("overview with the session: got %v %v, want 200", res, err)
	} else {
		res.Body.Close()
	}
	if res, err := noRedirects.Get(link); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("second use: got %v %v, want 403", res, err)
	} else {
		res.Body.Close()
	}
}

// TestServeNoLoginLinkOffLoopback: on an address other machines reach, serve
// without DASHBOARD_USERS keeps the dashboard off, says so, and logs no link.
func TestServeNoLoginLinkOffLoopback(t *testing.T) {
	h := newHarness(t)
	h.env["HTTP_ADDR"] = "0.0.0.0:0"
	h.serve()
	web := regexp.MustCompile(`web chat: http://\S+:([0-9]+)/`) // [::] or 0.0.0.0
	var port string
	testwait.For(t, 30*time.Second, "serve running", func() bool {
		m := web.FindStringSubmatch(h.logs.String())
		if m != nil {
			port = m[1]
		}
		return m != nil && strings.Contains(h.logs.String(), "participatiebot running")
	})
	logs := h.logs.String()
	if !strings.Contains(logs, "no one-time dashboard login link: HTTP_ADDR 0.0.0.0:0 is not a loopback address") {
		t.Errorf("log does not say why the dashboard is off:\n%s", logs)
	}
	if strings.Contains(logs, "eenmalig=") || strings.Contains(logs, "/dashboard/login") || regexp.MustCompile(`dashboard: http`).MatchString(logs) {
		t.Errorf("log has a dashboard link while the dashboard is off:\n%s", logs)
	}
	res, err := noRedirects.Get("http://" + net.JoinHostPort("127.0.0.1", port) + "/dashboard/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dashboard: got %d, want it off (503)", res.StatusCode)
	}
}

// TestLoopback: only an address on a loopback interface counts as local.
func TestLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{{"127.0.0.1:8080", true}, {"127.1.2.3:8080", true}, {"[::1]:8080", true},
		{"0.0.0.0:8080", false}, {"[::]:8080", false}, {"192.168.1.10:8080", false}}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := loopback(a); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
