package discordtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// apiPrefix is where discordgo v0.29 puts the REST API: EndpointAPI is
// "https://discord.com/api/v" + APIVersion + "/" with APIVersion "9".
const apiPrefix = "/api/v9/"

// Request is one REST call as the server received it.
type Request struct {
	Method string
	Path   string   // URL path, e.g. "/api/v9/channels/123/messages"
	Query  string   // raw query, e.g. "wait=true"
	Body   []byte   // JSON body, or the payload_json part of a multipart body
	Files  []string // names of the files of a multipart body, in order
	Status int      // HTTP status answered
	Time   time.Time
}

// apiError is a failed call's answer: an HTTP status, Discord's JSON error body and
// any extra headers (rate limits).
type apiError struct {
	status  int
	body    any
	raw     []byte // used instead of body when set
	headers map[string]string
	// violation marks a request that broke a documented limit (Violations).
	violation bool
}

// jsonError is Discord's usual error body (https://docs.discord.com/developers/topics/opcodes-and-status-codes#json).
type jsonError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Errors  any    `json:"errors,omitempty"`
}

func fail(status, code int, message string) *apiError {
	return &apiError{status: status, body: jsonError{Message: message, Code: code}}
}

var (
	errUnauthorized       = fail(http.StatusUnauthorized, 0, "401: Unauthorized")
	errNotFound           = fail(http.StatusNotFound, 0, "404: Not Found")
	errMethodNotAllowed   = fail(http.StatusMethodNotAllowed, 0, "405: Method Not Allowed")
	errUnknownChannel     = fail(http.StatusNotFound, 10003, "Unknown Channel")
	errUnknownMessage     = fail(http.StatusNotFound, 10008, "Unknown Message")
	errUnknownWebhook     = fail(http.StatusNotFound, 10015, "Unknown Webhook")
	errUnknownInteraction = fail(http.StatusNotFound, 10062, "Unknown interaction")
	errAcknowledged       = fail(http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
	errCannotMessageUser  = fail(http.StatusForbidden, 50007, "Cannot send messages to this user")
	errEmptyMessage       = &apiError{status: http.StatusBadRequest, body: jsonError{Code: 50006, Message: "Cannot send an empty message"}, violation: true}
	errInvalidRecipient   = fail(http.StatusBadRequest, 50033, "Invalid Recipient(s)")
	// errDrop drops the connection instead of answering (Drop).
	errDrop = &apiError{}
)

// call is one parsed REST request.
type call struct {
	method  string
	path    []string // segments after /api/v9/
	query   url.Values
	payload []byte // JSON body or payload_json
	files   []File
	at      time.Time
	headers map[string]string // of the answer (a message bucket's)
}

// result is a handler's successful answer: a JSON body, or 204 No Content when nil.
type result struct {
	status int
	body   any
}

func ok(body any) (result, *apiError) {
	return result{status: http.StatusOK, body: body}, nil
}

func noContent() (result, *apiError) {
	return result{status: http.StatusNoContent}, nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/gateway" || r.URL.Path == "/gateway/" {
		s.serveGateway(w, r)
		return
	}
	c := &call{method: r.Method, query: r.URL.Query(), at: time.Now()}
	payload, files, perr := parseBody(r)
	c.payload, c.files = payload, files
	rec := s.record(r, payload, files, c.at)

	res, aerr := s.handle(r, c, perr)
	if aerr == errDrop {
		panic(http.ErrAbortHandler) // no answer: the client sees the connection drop
	}
	s.finish(rec, res, aerr)
	for k, v := range c.headers {
		w.Header().Set(k, v)
	}
	writeAnswer(w, res, aerr)
}

func (s *Server) handle(r *http.Request, c *call, perr error) (result, *apiError) {
	rest, found := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !found {
		return result{}, errNotFound
	}
	if aerr := s.injected(r.URL.Path); aerr != nil {
		return result{}, aerr
	}
	// a request refused above (an injected global 429) takes no place in its bucket
	var aerr *apiError
	if c.headers, aerr = s.messageBucket(r.Method, r.URL.Path, c.at); aerr != nil {
		return result{}, aerr
	}
	c.path = strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if needsAuth(c.path) && r.Header.Get("Authorization") != "Bot "+s.token {
		return result{}, errUnauthorized
	}
	if perr != nil {
		return result{}, fail(http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
	}
	return s.route(c)
}

// needsAuth tells whether a route needs the bot token. GET /gateway is public, and
// interaction callbacks and webhooks are authorised by the token in their path.
func needsAuth(path []string) bool {
	switch path[0] {
	case "gateway":
		return len(path) > 1
	case "interactions", "webhooks":
		return false
	}
	return true
}

// route dispatches on method and path. Handlers that touch state take s.mu.
func (s *Server) route(c *call) (result, *apiError) {
	p, m := c.path, c.method
	switch {
	case match(p, "gateway"):
		return only(m, "GET", func() (result, *apiError) { return ok(map[string]string{"url": s.GatewayURL()}) })
	case match(p, "gateway", "bot"):
		return only(m, "GET", s.gatewayBot)
	case match(p, "users", "@me"):
		return only(m, "GET", func() (result, *apiError) { return ok(botUser()) })
	case match(p, "users", "@me", "channels"):
		return only(m, "POST", func() (result, *apiError) { return s.createDM(c) })
	case match(p, "channels", "*"):
		return only(m, "GET", func() (result, *apiError) { return s.getChannel(p[1]) })
	case match(p, "channels", "*", "messages"):
		return only(m, "POST", func() (result, *apiError) { return s.createMessage(c, p[1]) })
	case match(p, "channels", "*", "messages", "*"):
		return s.channelMessage(c, p[1], p[3])
	case match(p, "applications", "*", "commands"), match(p, "applications", "*", "guilds", "*", "commands"):
		return s.commandsRoute(c)
	case match(p, "interactions", "*", "*", "callback"):
		return only(m, "POST", func() (result, *apiError) { return s.callback(c, p[1], p[2]) })
	case match(p, "webhooks", "*", "*"):
		return only(m, "POST", func() (result, *apiError) { return s.followup(c, p[1], p[2]) })
	case match(p, "webhooks", "*", "*", "messages", "*"):
		return s.webhookMessage(c, p[1], p[2], p[4])
	}
	return result{}, errNotFound
}

// match reports whether path has the pattern's segments, "*" matching any one.
func match(path []string, pattern ...string) bool {
	if len(path) != len(pattern) {
		return false
	}
	for i, want := range pattern {
		if want != "*" && path[i] != want {
			return false
		}
	}
	return true
}

func only(method, want string, h func() (result, *apiError)) (result, *apiError) {
	if method != want {
		return result{}, errMethodNotAllowed
	}
	return h()
}

func (s *Server) gatewayBot() (result, *apiError) {
	return ok(map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": s.cfg.maxConcurrency,
		},
	})
}

func (s *Server) record(r *http.Request, payload []byte, files []File, at time.Time) *Request {
	rec := &Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: payload, Time: at}
	for _, f := range files {
		rec.Files = append(rec.Files, f.Name)
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	return rec
}

func (s *Server) finish(rec *Request, res result, aerr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Status = res.status
	if aerr != nil {
		rec.Status = aerr.status
		if aerr.violation {
			body := aerr.raw
			if body == nil {
				body, _ = json.Marshal(aerr.body)
			}
			s.violations = append(s.violations, rec.Method+" "+rec.Path+": "+string(body))
		}
	}
}

// Violations lists the requests the server refused because they broke a
// documented limit (content over 2000 characters, too many components, embeds
// over their limits, an empty message: 400 with code 50035 or 50006), as
// "METHOD path: body", in arrival order. A bot that respects the limits has none;
// failures injected by the test are not among them.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// Requests is every REST call in arrival order, failed ones included; the gateway's
// websocket upgrade is not among them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Body = slices.Clone(r.Body)
		out[i].Files = slices.Clone(r.Files)
	}
	return out
}

func writeAnswer(w http.ResponseWriter, res result, aerr *apiError) {
	if aerr != nil {
		for k, v := range aerr.headers {
			w.Header().Set(k, v)
		}
		body := aerr.raw
		if body == nil {
			body, _ = json.Marshal(aerr.body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(aerr.status)
		_, _ = w.Write(body)
		return
	}
	if res.body == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	body, err := json.Marshal(res.body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(res.status)
	_, _ = w.Write(body)
}
