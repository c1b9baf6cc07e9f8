// Package whatsapptest is a fake of Meta's WhatsApp Business Cloud API (a Graph API)
// for tests. It speaks the real wire format, so a channel written against the
// documentation with net/http and encoding/json runs against it unmodified: pass URL()
// as the API base (WHATSAPP_API_BASE) instead of https://graph.facebook.com.
//
// What the bot calls (https://developers.facebook.com/documentation/business-messaging/whatsapp/):
//   - POST /{version}/{PHONE_NUMBER_ID}/messages with "Authorization: Bearer <token>":
//     text, interactive reply buttons and lists, image (media id or link), template.
//     Answers {"messaging_product":"whatsapp","contacts":[…],"messages":[{"id":"wamid.…"}]}
//     or the Graph error {"error":{"message","type","code","error_data","error_subcode","fbtrace_id"}}.
//   - POST /{version}/{PHONE_NUMBER_ID}/media, multipart (messaging_product, type, file),
//     answered {"id":"…"}.
//
// What the fake enforces, each refused as the documentation describes (errors.go):
//   - the access token (190, HTTP 401) and the phone number id (100, subcode 33);
//   - the message limits of messages.go, characters counted as runes: text body 4096;
//     reply buttons 1–3, title 20, id 256, body 1024; list body 1024, button 20, sections 10,
//     rows 10 in total, row title 24, description 72, id 200; header and footer 60;
//   - the 24-hour customer service window (131047) and approved templates (132001,
//     132000), window.go;
//   - throughput, 80 messages per second per number (130429), and the pair rate to
//     one recipient (131056), limits.go;
//   - media: images only, image/jpeg or image/png, at most 5 MB (131053), media.go.
//
// Tests play residents with SendText, PressButton, PickRow, PressTemplateButton,
// SendImage and SendAudio, which post signed messages webhooks to the bot (webhook.go);
// every accepted message is followed by status webhooks (sent, delivered, read).
// Tests inspect what the bot sent with Chat, Last, Calls, Uploads and LimitStats, and
// inject failures with FailNext and FailNextAsync.
//
// Where the fake deviates from Meta: plain http on loopback; webhook deliveries are
// retried after a short delay (SetRetry, default 50ms, 10 posts) instead of "with
// decreasing frequency … for up to 7 days"; the window (131047) is refused in the
// send's answer, while Meta may also report it, like 131026, only later in a failed
// status (FailNextAsync models that); deliveries go out one at a time in the
// order they were made (Meta does not promise an order); status webhooks carry no
// conversation or pricing objects; throughput counts only the bot's outbound
// messages (Meta counts inbound ones too); only images, text/plain and PDF
// documents can be uploaded. Every method is safe for concurrent use.
package whatsapptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// The identities the fake uses unless an Option says otherwise; the numbers are the
// ones of the documentation's examples.
const (
	DefaultToken              = "whatsapptest-access-token"
	DefaultPhoneNumberID      = "106540352242922"
	DefaultDisplayPhoneNumber = "15550783881"
	DefaultWABAID             = "102290129340398"
)

// Option configures a Server in Start.
type Option func(*Server)

// WithToken sets the access token the fake accepts (default DefaultToken).
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithPhoneNumber sets the business phone number's id and display number.
func WithPhoneNumber(id, display string) Option {
	return func(s *Server) { s.phoneNumberID, s.displayNumber = id, display }
}

// WithWABAID sets the WhatsApp Business Account id sent as entry[].id in webhooks.
func WithWABAID(id string) Option { return func(s *Server) { s.wabaID = id } }

// Server is a fake Cloud API for one business phone number. Create it with Start.
type Server struct {
	tb            testing.TB
	token         string
	phoneNumberID string
	displayNumber string
	wabaID        string
	ts            *httptest.Server
	done          chan struct{} // closed when the server shuts down
	closing       sync.Once
	workers       sync.WaitGroup
	client        *http.Client  // posts to the webhook
	queue         chan *pending // webhook deliveries waiting to go out

	mu          sync.Mutex
	now         func() time.Time
	seq         int // numbers message ids, media ids and fbtrace ids
	calls       []Call
	chats       map[string][]Sent // by wa_id
	lastInbound map[string]time.Time
	names       map[string]string
	templates   map[templateKey]templateSpec
	media       map[string]Media
	uploads     int
	flood       limiter
	canned      []canned

	// webhook.go
	webhookURL  string
	appSecret   string
	statuses    []string
	retryDelay  time.Duration
	maxAttempts int
	duplicates  int
	deliveries  []Delivery
}

// Call is one API request as the server received it.
type Call struct {
	Method   string // HTTP method
	Path     string // URL path, "/v23.0/106540352242922/messages"
	Endpoint string // last path segment: "messages" or "media"
	To       string // recipient's wa_id for messages, "" otherwise
	Type     string // message type for messages, the upload's MIME type for media
	Time     time.Time
	Status   int    // HTTP status answered
	Code     int    // Graph error code, 0 on success
	Message  string // Graph error message, "" on success
}

// Start starts a fake Cloud API; tb.Cleanup stops it, first ending webhook deliveries
// under way.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{
		tb:            tb,
		token:         DefaultToken,
		phoneNumberID: DefaultPhoneNumberID,
		displayNumber: DefaultDisplayPhoneNumber,
		wabaID:        DefaultWABAID,
		done:          make(chan struct{}),
		client:        &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: 10 * time.Second},
		queue:         make(chan *pending, 4096),
		now:           time.Now,
		chats:         map[string][]Sent{},
		lastInbound:   map[string]time.Time{},
		names:         map[string]string{},
		templates:     map[templateKey]templateSpec{},
		media:         map[string]Media{},
		flood:         limiter{limits: DefaultLimits(), pairs: map[string]*bucket{}, pairQuiet: map[string]time.Time{}},
		statuses:      []string{StatusSent, StatusDelivered, StatusRead},
		retryDelay:    defaultRetryDelay,
		maxAttempts:   defaultMaxAttempts,
	}
	for _, o := range opts {
		o(s)
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.workers.Add(1)
	go s.deliver()
	tb.Cleanup(s.close)
	return s
}

func (s *Server) close() {
	s.closing.Do(func() {
		close(s.done)
		s.workers.Wait()
		s.client.CloseIdleConnections()
		s.ts.Close()
	})
}

// URL is the API base, "http://127.0.0.1:port", where Meta's is
// "https://graph.facebook.com".
func (s *Server) URL() string { return s.ts.URL }

// Token is the access token the fake accepts.
func (s *Server) Token() string { return s.token }

// PhoneNumberID is the business phone number's id, the path segment after the version.
func (s *Server) PhoneNumberID() string { return s.phoneNumberID }

// DisplayPhoneNumber is the business phone number as webhooks show it.
func (s *Server) DisplayPhoneNumber() string { return s.displayNumber }

// SetNow replaces the clock used for the customer service window, the rate limits and
// webhook timestamps (default time.Now), so a test can move past 24 hours.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

func (s *Server) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// WaitFor polls cond until it holds; after timeout it fails the test with what it
// waited for and cond's last account of what it saw (testwait.Until). Call it from the
// test's goroutine.
func (s *Server) WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() (ok bool, saw string)) {
	tb.Helper()
	testwait.Until(tb, timeout, what, cond)
}

// Calls is every API request so far, in arrival order, failed ones included.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// version matches the Graph API version segment, "v23.0".
var version = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	call := Call{Method: r.Method, Path: r.URL.Path, Time: s.clock()}
	result, gerr := s.route(r, &call)
	call.Status = http.StatusOK
	if gerr != nil {
		call.Status, call.Code, call.Message = gerr.status, gerr.code, gerr.message
	}
	var body any = result
	if gerr != nil {
		body = s.wire(gerr)
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.mu.Unlock()
	writeJSON(w, call.Status, body)
}

func (s *Server) route(r *http.Request, call *Call) (any, *graphError) {
	if !s.authorized(r) {
		return nil, errInvalidToken()
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 3 || !version.MatchString(parts[0]) {
		return nil, errUnknownPath(r.URL.Path)
	}
	call.Endpoint = parts[2]
	if parts[1] != s.phoneNumberID || r.Method != http.MethodPost {
		return nil, errUnsupportedRequest(r.Method, parts[1])
	}
	switch parts[2] {
	case "messages":
		return s.sendMessage(r, call)
	case "media":
		return s.uploadMedia(r, call)
	}
	return nil, errUnknownPath(r.URL.Path)
}

// authorized checks "Authorization: Bearer <token>", the header every request of the
// documentation's examples carries.
func (s *Server) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && token == s.token
}

// nextLocked is the next number for ids.
func (s *Server) nextLocked() int {
	s.seq++
	return s.seq
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("whatsapptest: encode answer: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
