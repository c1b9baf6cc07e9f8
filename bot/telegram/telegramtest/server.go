// Package telegramtest is a fake Telegram Bot API server for tests. It speaks the real
// wire format (https://core.telegram.org/bots/api#making-requests): form-encoded or
// multipart requests to /bot<token>/<method>, answered with {"ok":true,"result":…} or
// {"ok":false,"error_code":…,"description":…}. The unmodified tgbotapi library runs
// against it through tgbotapi.NewBotAPIWithAPIEndpoint(token, s.Endpoint()).
//
// Tests play residents in private chats (chat id == user id) with SendText, Press and
// Tap, or hand over an update's JSON with Deliver. The bot receives them through
// getUpdates, or, once it called setWebhook, as POSTs to its webhook (webhook.go,
// Deliveries, Redeliveries). Tests inspect what the bot sent with
// Chat, Last, Calls, MaxRate and MaxMessageRate, and inject the platform's failures
// with Block, RateLimit, FailNext and SetHook (Fail, FailRaw, Throttle, Hang, Drop).
// What breaks a documented limit (text and caption lengths counted in UTF-16 units,
// button data, album sizes, images) is refused as Telegram refuses it and counted in
// Violations. Every method is safe for concurrent use.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// BotUsername is the username getMe reports for the fake bot.
const BotUsername = "telegramtest_bot"

// Server is a fake Bot API server for one bot token. Create it with NewServer.
type Server struct {
	token   string
	bot     wireUser
	ts      *httptest.Server
	done    chan struct{} // closed when the server shuts down; releases held requests
	closing sync.Once
	methods map[string]method

	mu             sync.Mutex
	chats          map[int64]*chat
	langs          map[int64]string // language_code per resident (SetLanguage)
	updates        []queuedUpdate   // not yet confirmed through getUpdates' offset
	nextUpdateID   int
	changed        chan struct{} // closed and replaced when a poll may have news
	updatesBlocked bool
	activePoll     chan struct{} // closed to terminate the waiting getUpdates with 409
	callbacks      map[string]int
	nextCallback   int
	files          map[string]File // by file_id
	nextFile       int
	calls          []*Call
	sendTimes      []sendStamp
	sendSeq        int
	canned         []*apiError
	hook           func(*Request) Action
	violations     []string
	flood          limiter // EnforceLimits (limits.go)

	// webhook.go
	webhook        *webhook // nil: updates wait for getUpdates
	webhookTimeout time.Duration
	inFlight       map[int]bool // update ids being posted to the webhook
	maxInFlight    int
	deliveries     []Delivery
	client         *http.Client   // posts to the webhook
	pushers        sync.WaitGroup // pushUpdates and its deliveries
}

// Call is one API request as the server received it.
type Call struct {
	Method      string            // method name as in the URL
	Params      map[string]string // form fields; file parts are not included
	ChatID      int64             // chat_id parameter, 0 when absent
	Time        time.Time         // when the request arrived
	Status      int               // HTTP status answered; 0 while held or when aborted
	Description string            // error description when the call failed
}

// NewServer starts a fake Bot API server that accepts token; tb.Cleanup closes it,
// first releasing requests held by Hang and waiting long polls.
func NewServer(tb testing.TB, token string) *Server {
	tb.Helper()
	s := &Server{
		token:        token,
		bot:          botUser(token),
		done:         make(chan struct{}),
		chats:        make(map[int64]*chat),
		langs:        make(map[int64]string),
		nextUpdateID: 1,
		changed:      make(chan struct{}),
		callbacks:    make(map[string]int),
		files:        make(map[string]File),
		inFlight:     make(map[int]bool),
		client:       &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	s.methods = s.methodTable()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.pushers.Add(1)
	go s.pushUpdates()
	tb.Cleanup(s.close)
	return s
}

// botUser derives the bot's identity from its token, whose part before the colon is
// the bot's user id, as with tokens issued by @BotFather.
func botUser(token string) wireUser {
	id, err := strconv.ParseInt(strings.SplitN(token, ":", 2)[0], 10, 64)
	if err != nil || id <= 0 {
		id = 1000
	}
	return wireUser{ID: id, IsBot: true, FirstName: "Participatiebot (test)", Username: BotUsername, CanJoinGroups: true}
}

// close releases held requests and waiting polls, stops posting to a webhook, then
// stops the server, which waits for every handler to return.
func (s *Server) close() {
	s.closing.Do(func() {
		close(s.done)
		s.pushers.Wait()
		s.client.CloseIdleConnections()
		s.ts.Close()
	})
}

// Endpoint is the API endpoint format for tgbotapi.NewBotAPIWithAPIEndpoint:
// "http://127.0.0.1:port/bot%s/%s".
func (s *Server) Endpoint() string {
	return s.ts.URL + "/bot%s/%s"
}

// URL is the server's base URL, "http://127.0.0.1:port".
func (s *Server) URL() string {
	return s.ts.URL
}

// WaitFor polls cond every 5ms until it returns true, failing the test with
// "timed out after <timeout> waiting for <what>" after timeout (testwait.For). Call it
// from the test's goroutine.
func (s *Server) WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	testwait.For(tb, timeout, what, cond)
}

// apiError is a failed call's answer: the HTTP status doubles as error_code, as the
// real server does.
type apiError struct {
	code        int
	description string
	retryAfter  int
	// violation marks a call that broke a documented limit (Violations).
	violation bool
	// raw, when set, is the whole answer body, sent as it is (FailRaw).
	raw []byte
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// refuse is a 400 for a call that broke a documented limit of the Bot API (a text
// too long, an album of eleven): a bug in the bot, counted in Violations.
func refuse(format string, args ...any) *apiError {
	e := badRequest(format, args...)
	e.violation = true
	return e
}

// errAbort makes the server drop the connection without an answer.
var errAbort = &apiError{code: -1}

// request is one parsed API call.
type request struct {
	ctx    context.Context
	method string
	params map[string]string
	files  map[string]upload
	chatID int64
}

// method is one supported API method.
type method struct {
	name     string
	sendType bool // subject to Block, RateLimit, FailNext and the hook
	handle   func(*request) (any, *apiError)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	token, name, ok := splitPath(r.URL.Path)
	params, files, perr := parseRequest(r)
	if !ok {
		writeEnvelope(w, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
	call := s.record(name, params, chatID)
	result, aerr := s.dispatch(r, token, name, &request{ctx: r.Context(), method: name, params: params, files: files, chatID: chatID}, perr)
	if aerr == errAbort {
		// Answer nothing: the client sees the connection drop, as when the real
		// server or the network goes away mid-request.
		panic(http.ErrAbortHandler)
	}
	s.finish(call, aerr)
	writeEnvelope(w, result, aerr)
}

func (s *Server) dispatch(r *http.Request, token, name string, req *request, perr error) (any, *apiError) {
	if token != s.token {
		return nil, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"}
	}
	// "All methods in the Bot API are case-insensitive."
	m, ok := s.methods[strings.ToLower(name)]
	if !ok {
		return nil, &apiError{code: http.StatusNotFound, description: "Not Found"}
	}
	if perr != nil {
		return nil, badRequest("%v", perr)
	}
	req.method = m.name
	if m.sendType {
		s.arrive()
		aerr := s.beforeSend(req)
		if aerr == nil {
			aerr = s.enforce(req.chatID)
		}
		s.told(aerr)
		if aerr != nil {
			return nil, aerr
		}
	}
	return m.handle(req)
}

// splitPath splits "/bot<token>/<method>".
func splitPath(p string) (token, method string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/bot")
	if !ok {
		return "", "", false
	}
	token, method, ok = strings.Cut(rest, "/")
	return token, method, ok && method != "" && !strings.Contains(method, "/")
}

func (s *Server) record(name string, params map[string]string, chatID int64) *Call {
	c := &Call{Method: name, Params: params, ChatID: chatID, Time: time.Now()}
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	return c
}

func (s *Server) finish(c *Call, aerr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Status = http.StatusOK
	if aerr != nil {
		c.Status, c.Description = aerr.code, aerr.description
		if aerr.violation {
			s.violations = append(s.violations, c.Method+": "+aerr.description)
		}
	}
}

func writeEnvelope(w http.ResponseWriter, result any, aerr *apiError) {
	env := envelope{OK: true, Result: result}
	status := http.StatusOK
	if aerr != nil && aerr.raw != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(aerr.code)
		_, _ = w.Write(aerr.raw)
		return
	}
	if aerr != nil {
		env = envelope{ErrorCode: aerr.code, Description: aerr.description}
		if aerr.retryAfter > 0 {
			env.Parameters = &responseParameters{RetryAfter: aerr.retryAfter}
		}
		status = aerr.code
	}
	body, err := json.Marshal(env)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
