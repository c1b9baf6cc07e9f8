package discordtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// rateLimit answers the next n calls under a path prefix with 429.
type rateLimit struct {
	prefix     string
	n          int
	retryAfter time.Duration
	global     bool
}

// cannedFailure answers one call with a fixed status, body and headers, or drops
// its connection.
type cannedFailure struct {
	status  int
	body    []byte
	headers map[string]string
	drop    bool
}

// RateLimit answers the next n REST calls whose path starts with route with 429 Too
// Many Requests, as Discord does when a limit is exceeded
// (https://docs.discord.com/developers/topics/rate-limits#exceeding-a-rate-limit):
// body {"message":"You are being rate limited.","retry_after":1.5,"global":false}
// with retry_after in seconds, and the headers Retry-After (whole seconds, rounded
// up) and X-RateLimit-Scope. A per-route limit also carries X-RateLimit-Limit,
// -Remaining 0, -Reset, -Reset-After and -Bucket; a global one X-RateLimit-Global:
// true instead. route is a path as discordgo requests it, with or without the
// "/api/v9" prefix ("/channels/", "/interactions/"); "" matches every call.
//
// discordgo reads the per-route headers: after such a 429 its next call to the same
// URL waits out Reset-After before it is sent, whatever ShouldRetryOnRateLimit says.
func (s *Server) RateLimit(route string, n int, retryAfter time.Duration, global bool) {
	if !strings.HasPrefix(route, "/api/") {
		route = strings.TrimSuffix(apiPrefix, "/") + route
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, &rateLimit{prefix: route, n: n, retryAfter: retryAfter, global: global})
}

// FailNext answers the next n REST calls of any route, GET /gateway included, with
// status and body as given, e.g. FailNext(1, 500, `{"message": "500: Internal Server
// Error", "code": 0}`); an empty body becomes {"message":"<status> <text>","code":0}.
// Calls a RateLimit catches are answered by it first. discordgo retries a 502 itself
// up to MaxRestRetries (3) times.
func (s *Server) FailNext(n int, status int, body string) {
	if body == "" {
		b, _ := json.Marshal(jsonError{Message: fmt.Sprintf("%d: %s", status, http.StatusText(status))})
		body = string(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, cannedFailure{status: status, body: []byte(body)})
	}
}

// FailNextWithHeaders is FailNext with response headers, e.g. a 429 as a proxy
// answers it: {"retry_after": 0.0004} with or without Retry-After.
func (s *Server) FailNextWithHeaders(n int, status int, body string, headers map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, cannedFailure{status: status, body: []byte(body), headers: headers})
	}
}

// Drop drops the connection of the next n REST calls without an answer, as when
// the network fails mid-request: the client sees an error of its transport.
func (s *Server) Drop(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.canned = append(s.canned, cannedFailure{drop: true})
	}
}

// injected consumes the failure, if any, that answers a call to path.
func (s *Server) injected(path string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, rl := range s.limits {
		if strings.HasPrefix(path, rl.prefix) {
			rl.n--
			if rl.n <= 0 {
				s.limits = append(s.limits[:i], s.limits[i+1:]...)
			}
			now := time.Now()
			s.windows = append(s.windows, limitWindow{path: path, global: rl.global, from: now, until: now.Add(rl.retryAfter)})
			return rl.answer()
		}
	}
	if len(s.canned) > 0 {
		c := s.canned[0]
		s.canned = s.canned[1:]
		if c.drop {
			return errDrop
		}
		return &apiError{status: c.status, raw: c.body, headers: c.headers}
	}
	return nil
}

// answer is the 429 for rl, shaped as in the rate-limit documentation's examples.
func (rl *rateLimit) answer() *apiError {
	secs := rl.retryAfter.Seconds()
	body := struct {
		Message    string  `json:"message"`
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}{"You are being rate limited.", math.Round(secs*1000) / 1000, rl.global}
	h := map[string]string{"Retry-After": strconv.Itoa(int(math.Ceil(secs)))}
	if rl.global {
		h["X-RateLimit-Global"] = "true"
		h["X-RateLimit-Scope"] = "global"
	} else {
		reset := float64(time.Now().Add(rl.retryAfter).UnixMilli()) / 1000
		h["X-RateLimit-Limit"] = "5"
		h["X-RateLimit-Remaining"] = "0"
		h["X-RateLimit-Reset"] = strconv.FormatFloat(reset, 'f', 3, 64)
		h["X-RateLimit-Reset-After"] = strconv.FormatFloat(secs, 'f', 3, 64)
		h["X-RateLimit-Bucket"] = "discordtest0000000000000000000000"
		h["X-RateLimit-Scope"] = "user"
	}
	return &apiError{status: http.StatusTooManyRequests, body: body, headers: h}
}

// limitWindow is the retry_after of a 429 the fake answered: for a global limit
// every request but an interaction's callback waits it out, for a route's limit the
// requests to that path.
type limitWindow struct {
	path        string
	global      bool
	from, until time.Time
}

// InsideRetryAfter lists the requests that arrived inside the retry_after of a 429
// the fake answered (RateLimit) and within its scope, as "METHOD path at +offset":
// a bot that keeps every pause has none. A request that arrived within grace of
// the 429 is not counted: it was on its way before the bot could know of it.
func (s *Server) InsideRetryAfter(grace time.Duration) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, w := range s.windows {
		for _, r := range s.requests {
			if !r.Time.After(w.from.Add(grace)) || !r.Time.Before(w.until) {
				continue
			}
			if w.global && !strings.Contains(r.Path, "/interactions/") || !w.global && r.Path == w.path {
				out = append(out, fmt.Sprintf("%s %s at +%s", r.Method, r.Path, r.Time.Sub(w.from).Round(time.Millisecond)))
			}
		}
	}
	return out
}
