package whatsapptest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Webhooks as documented at
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint:
// the endpoint is verified with a GET carrying hub.mode=subscribe, hub.challenge and
// hub.verify_token, which must be answered 200 with the challenge; notifications are
// POSTs of JSON signed in the X-Hub-Signature-256 header, "sha256=" and the hex
// HMAC-SHA256 of the raw body keyed with the app secret. A notification not answered
// 200 is sent again, and the same notification may arrive more than once, so the bot
// must deduplicate by message id.

// SignatureHeader carries a notification's signature.
const SignatureHeader = "X-Hub-Signature-256"

// The statuses of outbound messages that status webhooks report.
const (
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
)

const (
	defaultRetryDelay  = 50 * time.Millisecond
	defaultMaxAttempts = 10
)

// Delivery is one POST of a notification to the webhook.
type Delivery struct {
	Kind       string // "message" for a resident's message, "status" for a status
	MessageID  string // the inbound message's id, or the outbound one a status is about
	Status     string // for status notifications: sent, delivered, read or failed
	Attempt    int    // 1 for the first post of a notification, 2 for its first retry, …
	Duplicate  bool   // a second delivery of the same message, as Duplicate asked
	HTTPStatus int    // the bot's answer; 0 when there was none
	Err        string // the transport's error, when there was no answer
	Body       []byte // exactly as posted and signed
	Signature  string // the X-Hub-Signature-256 header sent
	Time       time.Time
}

// OK reports whether Meta would take the notification as delivered: a 200 answer.
func (d Delivery) OK() bool { return d.HTTPStatus == http.StatusOK }

// pending is a notification waiting to be delivered.
type pending struct {
	kind, messageID, status string
	body                    []byte
	duplicate               bool
}

// SetWebhook sets the bot's webhook URL and the app secret notifications are signed
// with. Status notifications made while no webhook is set are dropped.
func (s *Server) SetWebhook(url, appSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL, s.appSecret = url, appSecret
}

// SetStatuses sets which status notifications follow each accepted message, in order
// (default sent, delivered, read); none turns them off. Failed statuses of
// FailNextAsync are sent regardless.
func (s *Server) SetStatuses(statuses ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses = slices.Clone(statuses)
}

// SetRetry sets how long the fake waits before posting a notification again that
// was not answered 200 (default 50ms) and how many posts it makes in all (default
// 10). Meta keeps trying "with decreasing frequency … for up to 7 days".
func (s *Server) SetRetry(delay time.Duration, maxAttempts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryDelay, s.maxAttempts = delay, max(maxAttempts, 1)
}

// Duplicate delivers each of the next n resident messages twice, with the same body
// and message id, as Meta sometimes does.
func (s *Server) Duplicate(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.duplicates += n
}

// Deliveries is every POST to the webhook so far, in the order they were sent.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.deliveries)
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out
}

// Redeliveries counts the posts that repeated a notification not answered 200.
func (s *Server) Redeliveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.deliveries {
		if d.Attempt > 1 {
			n++
		}
	}
	return n
}

// Sign is the X-Hub-Signature-256 value of body under appSecret.
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// enqueueLocked queues a notification for the delivery goroutine without blocking.
func (s *Server) enqueueLocked(p *pending) {
	select {
	case s.queue <- p:
	default:
		s.tb.Errorf("whatsapptest: more than %d webhook notifications waiting; is the bot answering?", cap(s.queue))
	}
}

// deliver posts queued notifications one at a time, each until it is answered 200
// or MaxAttempts posts were made, until the server closes.
func (s *Server) deliver() {
	defer s.workers.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.done
		cancel()
	}()
	for {
		select {
		case <-s.done:
			return
		case p := <-s.queue:
			s.post(ctx, p)
		}
	}
}

func (s *Server) post(ctx context.Context, p *pending) {
	for attempt := 1; ; attempt++ {
		d := s.postOnce(ctx, p, attempt)
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		delay, attempts := s.retryDelay, s.maxAttempts
		s.mu.Unlock()
		if d.OK() || attempt >= attempts {
			return
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return
		}
	}
}

func (s *Server) postOnce(ctx context.Context, p *pending, attempt int) Delivery {
	s.mu.Lock()
	target, secret, now := s.webhookURL, s.appSecret, s.now()
	s.mu.Unlock()
	d := Delivery{Kind: p.kind, MessageID: p.messageID, Status: p.status, Attempt: attempt,
		Duplicate: p.duplicate, Body: p.body, Signature: Sign(secret, p.body), Time: now}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(p.body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "facebookexternalua")
		req.Header.Set(SignatureHeader, d.Signature)
		var resp *http.Response
		if resp, err = s.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d.HTTPStatus = resp.StatusCode
		}
	}
	if err != nil {
		d.Err = err.Error()
	}
	return d
}

// VerifyWebhook makes the GET with which Meta verifies a webhook endpoint, with
// verifyToken and a fresh challenge, and reports the bot's answer body and whether it
// was 200 with the challenge echoed.
func (s *Server) VerifyWebhook(webhookURL, verifyToken string) (answer string, ok bool) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	challenge := strconv.FormatUint(uint64(b[0])<<24|uint64(b[1])<<16|uint64(b[2])<<8|uint64(b[3]), 10)
	q := url.Values{"hub.mode": {"subscribe"}, "hub.challenge": {challenge}, "hub.verify_token": {verifyToken}}
	sep := "?"
	if strings.Contains(webhookURL, "?") {
		sep = "&"
	}
	resp, err := s.client.Get(webhookURL + sep + q.Encode())
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return string(body), resp.StatusCode == http.StatusOK && string(body) == challenge
}
