package web

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/lang"
)

// Posts (POST /send, POST /link) are counted in Redis, so the limits hold across
// replicas: per participant (Config.PostsPerMinute) and per remote address
// (Config.PostsPerMinuteAddress), in fixed windows of one minute. A post over a limit
// gets 429 with Retry-After and an explanation in the chat's language.

const limitWindow = time.Minute

// allowAddress counts a post from the request's remote address; false when it is over
// the limit (the refusal is written).
func (c *Channel) allowAddress(w http.ResponseWriter, r *http.Request) bool {
	n, reset, err := c.store.WebCountAddress(r.Context(), remoteHost(r), limitWindow)
	return c.allowed(w, r, n, c.cfg.PostsPerMinuteAddress, reset, err)
}

// allowChat counts a post of one participant, like allowAddress.
func (c *Channel) allowChat(w http.ResponseWriter, r *http.Request, id string) bool {
	n, reset, err := c.store.WebCountChat(r.Context(), id, limitWindow)
	return c.allowed(w, r, n, c.cfg.PostsPerMinute, reset, err)
}

func (c *Channel) allowed(w http.ResponseWriter, r *http.Request, n, limit int, reset time.Duration, err error) bool {
	if err != nil {
		c.unavailable(w, r, "count web posts", err)
		return false
	}
	if n <= limit {
		return true
	}
	secs := int((reset + time.Second - 1) / time.Second)
	secs = max(secs, 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	c.failText(w, r, http.StatusTooManyRequests, func(p *lang.Printer) string { return p.N("web.too_many", secs) })
	return false
}

// remoteHost is the address the request came from, without the port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
