package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Webhooks as documented at https://core.telegram.org/bots/api#setwebhook: "Whenever
// there is an update for the bot, we will send an HTTPS POST request to the specified
// URL, containing a JSON-serialized Update. In case of an unsuccessful request (a
// request with response HTTP status code different from 2XY), we will repeat the
// request". The fake posts one update per request, at most max_connections at once,
// and, as the Bot API server does, the updates of one chat one after the other in
// order, so a resident's taps arrive as they were made. The differences from
// Telegram: plain http is accepted for loopback hosts (the tests' servers), and a
// failed delivery is repeated within a second instead of minutes later.

// SecretHeader is the header that carries setWebhook's secret_token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// setWebhook limits: "max_connections … 1-100. Defaults to 40"; "secret_token … 1-256
// characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
const (
	defaultMaxConnections = 40
	maxMaxConnections     = 100
	maxSecretToken        = 256
)

// defaultWebhookTimeout is how long the fake waits for the bot's answer to a delivery
// before it counts the delivery as failed and repeats it.
const defaultWebhookTimeout = 10 * time.Second

// webhook is the webhook set with setWebhook.
type webhook struct {
	url            string
	secret         string
	maxConnections int
	allowed        []string
	lastErrorDate  int64
	lastError      string
}

// Delivery is one POST of an update to the webhook.
type Delivery struct {
	UpdateID int
	Time     time.Time // when the request was sent
	Status   int       // HTTP status answered; 0 when the request failed or timed out
	Err      string    // the transport's error, when there was no answer
}

// OK reports whether Telegram would take the update as delivered (a 2XY answer).
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status < 300 }

// webhookInfo is https://core.telegram.org/bots/api#webhookinfo.
type webhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

// setWebhook implements https://core.telegram.org/bots/api#setwebhook; an empty url
// removes the webhook. drop_pending_updates drops the queued updates.
func (s *Server) setWebhook(req *request) (any, *apiError) {
	raw := req.params["url"]
	if raw == "" {
		return s.deleteWebhook(req)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, refuse("bad webhook: invalid URL")
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return nil, refuse("bad webhook: An HTTPS URL must be provided for webhook")
	}
	wh := &webhook{url: raw, secret: req.params["secret_token"], maxConnections: defaultMaxConnections}
	if !validSecret(wh.secret) {
		return nil, refuse("secret token contains unallowed characters")
	}
	if v := req.params["max_connections"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxMaxConnections {
			return nil, refuse("bad max_connections %q", v)
		}
		wh.maxConnections = n
	}
	if v := req.params["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &wh.allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.params["drop_pending_updates"] == "true" {
		s.updates = nil
	}
	s.webhook = wh
	// a long poll waiting now is ended, as Telegram ends it
	if s.activePoll != nil {
		close(s.activePoll)
		s.activePoll = nil
	}
	s.notifyLocked()
	return true, nil
}

// validSecret checks a secret_token; "" is no secret at all.
func validSecret(secret string) bool {
	if len(secret) > maxSecretToken {
		return false
	}
	for _, c := range []byte(secret) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// deleteWebhook implements https://core.telegram.org/bots/api#deletewebhook.
func (s *Server) deleteWebhook(req *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.params["drop_pending_updates"] == "true" {
		s.updates = nil
	}
	s.webhook = nil
	s.notifyLocked()
	return true, nil
}

// getWebhookInfo implements https://core.telegram.org/bots/api#getwebhookinfo: an
// empty url when no webhook is set.
func (s *Server) getWebhookInfo(*request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := webhookInfo{PendingUpdateCount: len(s.updates)}
	if wh := s.webhook; wh != nil {
		info.URL, info.MaxConnections, info.AllowedUpdates = wh.url, wh.maxConnections, slices.Clone(wh.allowed)
		info.LastErrorDate, info.LastErrorMessage = wh.lastErrorDate, wh.lastError
	}
	return info, nil
}

// SetWebhookTimeout sets how long a delivery waits for the bot's answer before it
// counts as failed and is repeated (default 10s).
func (s *Server) SetWebhookTimeout(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookTimeout = d
}

// Webhook is the URL set with setWebhook, "" when none is set.
func (s *Server) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return ""
	}
	return s.webhook.url
}

// Deliveries is every POST to the webhook so far, in the order they were sent.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// Redeliveries counts the deliveries that failed (no 2XY answer in time) and are
// repeated.
func (s *Server) Redeliveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.deliveries {
		if !d.OK() {
			n++
		}
	}
	return n
}

// MaxInFlight is the most deliveries that were under way at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// pushUpdates delivers queued updates to the webhook while one is set, until the
// server closes. It wakes whenever the queue or the webhook changes.
func (s *Server) pushUpdates() {
	defer s.pushers.Done()
	for {
		s.mu.Lock()
		start, wh := s.deliverableLocked(), s.webhook
		changed := s.changed
		s.mu.Unlock()
		for _, u := range start {
			s.pushers.Add(1)
			go s.push(wh, u)
		}
		select {
		case <-changed:
		case <-s.done:
			return
		}
	}
}

// deliverableLocked picks the updates to post now and marks them in flight: in queue
// order, none of a chat that has an earlier update still pending, at most
// max_connections under way.
func (s *Server) deliverableLocked() []queuedUpdate {
	wh := s.webhook
	if wh == nil || s.updatesBlocked {
		return nil
	}
	var out []queuedUpdate
	waiting := map[int64]bool{} // chats with an earlier update pending
	for _, u := range s.updates {
		if len(s.inFlight) >= wh.maxConnections {
			break
		}
		busy := u.chat != 0 && waiting[u.chat]
		if u.chat != 0 {
			waiting[u.chat] = true
		}
		if busy || s.inFlight[u.id] {
			continue
		}
		s.inFlight[u.id] = true
		out = append(out, u)
	}
	s.maxInFlight = max(s.maxInFlight, len(s.inFlight))
	return out
}

// push posts one update. On a 2XY answer the update is confirmed; otherwise it stays
// queued and, after a pause that grows with every failure, is posted again.
func (s *Server) push(wh *webhook, u queuedUpdate) {
	defer s.pushers.Done()
	s.mu.Lock()
	timeout := orDefault(s.webhookTimeout, defaultWebhookTimeout)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := Delivery{UpdateID: u.id, Time: time.Now()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.url, bytes.NewReader(u.raw))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		if wh.secret != "" {
			req.Header.Set(SecretHeader, wh.secret)
		}
		var resp *http.Response
		if resp, err = s.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			d.Status = resp.StatusCode
		}
	}
	if err != nil {
		d.Err = err.Error()
	}

	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	if d.OK() {
		s.updates = slices.DeleteFunc(s.updates, func(q queuedUpdate) bool { return q.id == u.id })
		delete(s.inFlight, u.id)
		s.notifyLocked()
		s.mu.Unlock()
		return
	}
	failures := 0
	for _, p := range s.deliveries {
		if p.UpdateID == u.id {
			failures++
		}
	}
	wh.lastErrorDate = d.Time.Unix()
	wh.lastError = "Wrong response from the webhook: " + strconv.Itoa(d.Status) + " " + http.StatusText(d.Status)
	if d.Status == 0 {
		wh.lastError = "Connection failed or timed out"
	}
	s.mu.Unlock()

	// still in flight during the pause, so the chat's later updates keep waiting
	pause := min(50*time.Millisecond<<min(failures, 5), time.Second)
	select {
	case <-time.After(pause):
	case <-s.done:
	}
	s.mu.Lock()
	delete(s.inFlight, u.id)
	s.notifyLocked()
	s.mu.Unlock()
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// chatOf is the chat an update belongs to: the message's chat, the chat of the message
// a button was on, or the user who pressed it; 0 when the update has none.
func chatOf(raw []byte) int64 {
	var u struct {
		Message *struct {
			Chat struct {
				ID int64 `json:"id"`
			} `json:"chat"`
		} `json:"message"`
		CallbackQuery *struct {
			From struct {
				ID int64 `json:"id"`
			} `json:"from"`
			Message *struct {
				Chat struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			} `json:"message"`
		} `json:"callback_query"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return 0
	}
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	}
	return 0
}
