package discordtest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Discord limits the messages created in one channel in a bucket per channel, and
// says so in every answer (https://docs.discord.com/developers/topics/rate-limits#header-format):
// X-RateLimit-Limit, -Remaining, -Reset, -Reset-After and -Bucket; a request beyond
// it gets a 429 with X-RateLimit-Scope "user". MessageBuckets makes the fake do the
// same, so that a bot whose replicas each follow the headers alone, or guess, gets
// refused, and RouteRefused counts it.

// messageBucketHash is the bucket the fake names for creating messages.
const messageBucketHash = "d1sc0rdt35tm3ss4g35"

// bucketState is one channel's message bucket: a fixed window from start.
type bucketState struct {
	start time.Time
	used  int
}

// MessageBuckets limits POST /channels/{id}/messages to limit per window in each
// channel, with Discord's headers on every answer; 0 turns it off.
func (s *Server) MessageBuckets(limit int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bucketLimit, s.bucketWindow = limit, window
	s.buckets = map[string]*bucketState{}
}

// RouteRefused is how many requests the message buckets refused with a 429.
func (s *Server) RouteRefused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.routeRefused
}

// messageBucket takes a place in the bucket of a message create to path, and gives
// the headers of the answer, or the 429 when the bucket is empty; nil headers when
// no bucket applies.
func (s *Server) messageBucket(method, path string, now time.Time) (map[string]string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rest, ok := strings.CutPrefix(path, apiPrefix+"channels/")
	channel, tail, _ := strings.Cut(rest, "/")
	if s.bucketLimit == 0 || !ok || method != http.MethodPost || tail != "messages" {
		return nil, nil
	}
	b := s.buckets[channel]
	if b == nil || now.Sub(b.start) >= s.bucketWindow {
		b = &bucketState{start: now}
		s.buckets[channel] = b
	}
	after := b.start.Add(s.bucketWindow).Sub(now)
	secs := after.Seconds()
	h := map[string]string{
		"X-RateLimit-Limit":       strconv.Itoa(s.bucketLimit),
		"X-RateLimit-Reset":       strconv.FormatFloat(float64(b.start.Add(s.bucketWindow).UnixMilli())/1000, 'f', 3, 64),
		"X-RateLimit-Reset-After": strconv.FormatFloat(secs, 'f', 3, 64),
		"X-RateLimit-Bucket":      messageBucketHash,
	}
	if b.used >= s.bucketLimit {
		s.routeRefused++
		s.windows = append(s.windows, limitWindow{path: path, from: now, until: now.Add(after)})
		h["X-RateLimit-Remaining"] = "0"
		h["X-RateLimit-Scope"] = "user"
		h["Retry-After"] = strconv.Itoa(int(math.Ceil(secs)))
		body := struct {
			Message    string  `json:"message"`
			RetryAfter float64 `json:"retry_after"`
			Global     bool    `json:"global"`
		}{"You are being rate limited.", math.Round(secs*1000) / 1000, false}
		return nil, &apiError{status: http.StatusTooManyRequests, body: body, headers: h}
	}
	b.used++
	h["X-RateLimit-Remaining"] = strconv.Itoa(s.bucketLimit - b.used)
	return h, nil
}
