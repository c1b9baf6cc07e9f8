package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		route       string
		global      bool
		retry       bool // discordgo's ShouldRetryOnRateLimit
		retryAfter  time.Duration
		wantLimited bool
	}{
		{"route limited, no retry", "/channels/", false, false, 1500 * time.Millisecond, true},
		{"route limited with api prefix", "/api/v9/channels/", false, false, 250 * time.Millisecond, true},
		{"global, no retry", "", true, false, 2 * time.Second, true},
		{"other route", "/interactions/", false, false, time.Second, false},
		{"discordgo retries", "/channels/", false, true, 50 * time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			dg := newSession(t, s)
			dg.ShouldRetryOnRateLimit = tt.retry
			var events atomic.Int32
			dg.AddHandler(func(*discordgo.Session, *discordgo.RateLimit) { events.Add(1) })
			s.RateLimit(tt.route, 1, tt.retryAfter, tt.global)
			_, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo")

			var rl *discordgo.RateLimitError
			if limited := errors.As(err, &rl); limited != tt.wantLimited {
				t.Fatalf("got %v, want rate limited %v", err, tt.wantLimited)
			}
			if tt.wantLimited {
				if rl.RetryAfter != tt.retryAfter || rl.Message != "You are being rate limited." || !strings.HasSuffix(rl.URL, "/channels/"+s.GuildChannelID()+"/messages") {
					t.Errorf("got %+v, want retry after %v", rl.TooManyRequests, tt.retryAfter)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			var statuses []int
			for _, r := range s.Requests() {
				statuses = append(statuses, r.Status)
			}
			want := []int{200}
			if tt.retry {
				want = []int{429, 200}
			}
			if !reflect.DeepEqual(statuses, want) {
				t.Errorf("statuses: got %v, want %v", statuses, want)
			}
			if tt.retry && events.Load() != 1 {
				t.Errorf("RateLimit events: got %v, want 1", events.Load())
			}
		})
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.RateLimit("/channels/", 1, 1500*time.Millisecond, false)
	s.RateLimit("/channels/", 1, 1500*time.Millisecond, true)
	client := &http.Client{Transport: s.Transport()}
	tests := []struct {
		name string
		want map[string]string
	}{
		{"per route", map[string]string{"Retry-After": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.500", "X-RateLimit-Scope": "user", "X-RateLimit-Global": ""}},
		{"global", map[string]string{"Retry-After": "2", "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global", "X-RateLimit-Remaining": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", discordgo.EndpointChannelMessages(s.GuildChannelID()), strings.NewReader(`{"content":"x"}`))
			req.Header.Set("Authorization", "Bot "+testToken)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Message    string  `json:"message"`
				RetryAfter float64 `json:"retry_after"`
				Global     bool    `json:"global"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != 429 || body.RetryAfter != 1.5 || body.Global != (tt.name == "global") {
				t.Errorf("got %v %+v, want 429 with retry_after 1.5", resp.StatusCode, body)
			}
			for k, v := range tt.want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		file     string
		wantCode int // -1: discordgo found no code
		wantErr  bool
	}{
		{"unauthorized", 401, "error_401.json", 0, true},
		{"closed DMs", 403, "error_50007.json", 50007, true},
		{"unknown channel", 404, "error_10003.json", 10003, true},
		{"server error", 500, "error_500.json", 0, true},
		{"empty body", 503, "", 0, true},
		{"bad gateway is retried by discordgo", 502, "error_500.json", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			dg := newSession(t, s)
			body := ""
			if tt.file != "" {
				body = readTestdata(t, tt.file)
			}
			s.FailNext(1, tt.status, body)
			_, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo")
			if (err != nil) != tt.wantErr {
				t.Fatalf("got %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr {
				return
			}
			re := restError(t, err)
			if re.Response.StatusCode != tt.status || code(t, err) != tt.wantCode {
				t.Errorf("got %v, want status %v code %v", err, tt.status, tt.wantCode)
			}
			if _, err := dg.ChannelMessageSend(s.GuildChannelID(), "Opnieuw"); err != nil {
				t.Errorf("next call: got %v, want no error", err)
			}
		})
	}
}

func TestInvalidFormBodyShape(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	_, err := dg.ChannelMessageSend(s.GuildChannelID(), strings.Repeat("a", 2001))
	var got, want any
	if jerr := json.Unmarshal(restError(t, err).ResponseBody, &got); jerr != nil {
		t.Fatal(jerr)
	}
	_ = json.Unmarshal([]byte(readTestdata(t, "error_50035.json")), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWrongToken(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	dg.Token = "Bot wrong"
	_, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo")
	if re := restError(t, err); re.Response.StatusCode != 401 || re.Message == nil || re.Message.Message != "401: Unauthorized" {
		t.Errorf("got %v, want 401: Unauthorized", err)
	}
}

func TestTransport(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	client := &http.Client{Transport: s.Transport()}
	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"discord.com", "https://discord.com/api/v9/gateway", false},
		{"elsewhere", "https://example.org/", true},
		{"cdn", "https://cdn.discordapp.com/attachments/1/2/a.png", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Get(tt.url)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	if r := s.Requests(); len(r) != 1 || r[0].Path != "/api/v9/gateway" {
		t.Errorf("requests: got %+v, want only the gateway lookup", r)
	}
}

func TestFailNextWithHeadersAndDrop(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dg := newSession(t, s)
	dg.ShouldRetryOnRateLimit = false

	s.FailNextWithHeaders(1, 429, `{"message": "You are being rate limited.", "retry_after": 0.0004, "global": false}`,
		map[string]string{"X-RateLimit-Scope": "user"})
	_, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo")
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 0 {
		t.Errorf("got %v, want a rate limit with retry_after 0.0004 s (0 in discordgo)", err)
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 429 {
		t.Errorf("status: got %d, want 429", last.Status)
	}

	s.Drop(1)
	_, err = dg.ChannelMessageSend(s.GuildChannelID(), "Hallo")
	var re *discordgo.RESTError
	if err == nil || errors.As(err, &re) || errors.As(err, &rl) {
		t.Errorf("got %v, want a transport error", err)
	}
	if got := len(s.Messages(s.GuildChannelID())); got != 0 {
		t.Errorf("messages: got %d, want 0", got)
	}
	if _, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo"); err != nil {
		t.Errorf("after the drop: got %v, want the call through", err)
	}
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("violations: got %q, want none from injected failures", v)
	}
}

// The fake counts the requests that arrive inside a 429's retry_after and scope: a
// global 429 covers every request but callbacks, a route's one that route.
func TestInsideRetryAfter(t *testing.T) {
	t.Parallel()
	for _, global := range []bool{false, true} {
		s := newServer(t)
		dg := newSession(t, s)
		dg.ShouldRetryOnRateLimit = false
		other := s.DMChannel(anna) // a second route
		if other == "" {
			ch, err := dg.UserChannelCreate(anna)
			if err != nil {
				t.Fatal(err)
			}
			other = ch.ID
		}
		s.RateLimit("/channels/"+s.GuildChannelID(), 1, time.Minute, global)
		if _, err := dg.ChannelMessageSend(s.GuildChannelID(), "Hallo"); err == nil {
			t.Fatal("the first send was not rate limited")
		}
		_, _ = dg.ChannelMessageSend(other, "Ander kanaal")
		inside := s.InsideRetryAfter(0)
		if want := map[bool]int{false: 0, true: 1}[global]; len(inside) != want {
			t.Errorf("global %v: got %q inside the window after a send to another route, want %d", global, inside, want)
		}
		dg.Ratelimiter = discordgo.NewRatelimiter() // forget the route's wait, as another replica would
		_, _ = dg.ChannelMessageSend(s.GuildChannelID(), "Nog eens")
		if want := map[bool]int{false: 1, true: 2}[global]; len(s.InsideRetryAfter(0)) != want {
			t.Errorf("global %v: got %q inside after a send to the limited route, want %d", global, s.InsideRetryAfter(0), want)
		}
		if got := s.InsideRetryAfter(time.Hour); len(got) != 0 {
			t.Errorf("global %v: with a grace longer than the window got %q", global, got)
		}
	}
}
