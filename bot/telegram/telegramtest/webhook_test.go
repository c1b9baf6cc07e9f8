package telegramtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// receiver is a webhook endpoint that records the updates posted to it and answers
// with what status says.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []int            // update ids, in arrival order
	secret []string         // the secret header of each request
	status func(id int) int // the answer; nil: 200
	hold   chan struct{}    // when set, requests wait for it to close
	active atomic.Int32     // requests being answered now
	most   atomic.Int32     // the most at once
	chats  map[int64][]int  // update ids per chat, in arrival order
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{chats: map[int64][]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	n := r.active.Add(1)
	defer r.active.Add(-1)
	for {
		m := r.most.Load()
		if n <= m || r.most.CompareAndSwap(m, n) {
			break
		}
	}
	body, _ := io.ReadAll(req.Body)
	var u struct {
		UpdateID int `json:"update_id"`
	}
	_ = json.Unmarshal(body, &u)
	r.mu.Lock()
	r.got = append(r.got, u.UpdateID)
	r.secret = append(r.secret, req.Header.Get(SecretHeader))
	r.chats[chatOf(body)] = append(r.chats[chatOf(body)], u.UpdateID)
	status, hold := r.status, r.hold
	r.mu.Unlock()
	if hold != nil {
		<-hold
	}
	code := http.StatusOK
	if status != nil {
		code = status(u.UpdateID)
	}
	w.WriteHeader(code)
}

func (r *receiver) ids() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.got...)
}

func setWebhook(t *testing.T, bot *tgbotapi.BotAPI, params tgbotapi.Params) {
	t.Helper()
	if _, err := bot.MakeRequest("setWebhook", params); err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
}

// TestWebhookDelivers: with a webhook set, every update is posted once with the
// secret header, updates of different chats at once up to max_connections, and
// getWebhookInfo tells what was set.
func TestWebhookDelivers(t *testing.T) {
	s, bot := newBot(t)
	rc := newReceiver(t)
	hold := make(chan struct{})
	rc.hold = hold
	setWebhook(t, bot, tgbotapi.Params{"url": rc.srv.URL + "/hook", "secret_token": "geheim_-9",
		"max_connections": "3", "allowed_updates": `["message","callback_query"]`})
	for chat := int64(1); chat <= 5; chat++ {
		s.SendText(chat, "hallo")
	}
	s.WaitFor(t, 5*time.Second, "three deliveries at once", func() bool { return rc.active.Load() == 3 })
	info, err := bot.GetWebhookInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.URL != rc.srv.URL+"/hook" || info.MaxConnections != 3 || info.PendingUpdateCount != 5 ||
		strings.Join(info.AllowedUpdates, ",") != "message,callback_query" {
		t.Errorf("getWebhookInfo: got %+v", info)
	}
	close(hold)
	s.WaitFor(t, 5*time.Second, "all updates confirmed", func() bool { return s.Pending() == 0 })
	if got := rc.ids(); len(got) != 5 {
		t.Errorf("deliveries: got %v, want the five updates once each", got)
	}
	if m := rc.most.Load(); m != 3 {
		t.Errorf("most at once: got %d, want max_connections 3", m)
	}
	for _, sec := range rc.secret {
		if sec != "geheim_-9" {
			t.Errorf("secret header: got %q, want %q", sec, "geheim_-9")
		}
	}
	if n := s.Redeliveries(); n != 0 {
		t.Errorf("redeliveries: got %d, want 0", n)
	}
}

// TestWebhookRedelivers: a non-2XY answer and a timeout make the fake post the update
// again, and a chat's later updates wait for it.
func TestWebhookRedelivers(t *testing.T) {
	tests := []struct {
		name    string
		status  func(seen int) int // answer to the seen-th delivery of update 1
		timeout bool
	}{
		{name: "500 twice", status: func(seen int) int { return map[bool]int{true: 500, false: 200}[seen < 2] }},
		{name: "401", status: func(seen int) int { return map[bool]int{true: 401, false: 204}[seen < 1] }},
		{name: "timeout", timeout: true, status: func(int) int { return 200 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			rc := newReceiver(t)
			var seen atomic.Int32
			slow := make(chan struct{})
			rc.status = func(id int) int {
				if id != 1 {
					return 200
				}
				n := int(seen.Add(1)) - 1
				if tt.timeout && n == 0 {
					<-slow
				}
				return tt.status(n)
			}
			defer close(slow)
			s.SetWebhookTimeout(300 * time.Millisecond)
			setWebhook(t, bot, tgbotapi.Params{"url": rc.srv.URL})
			first := s.SendText(7, "een")
			second := s.SendText(7, "twee")
			s.WaitFor(t, 10*time.Second, "both confirmed", func() bool { return s.Pending() == 0 })
			rc.mu.Lock()
			chat := append([]int(nil), rc.chats[7]...)
			rc.mu.Unlock()
			if chat[len(chat)-1] != second || chat[len(chat)-2] != first {
				t.Errorf("chat 7 got %v, want update %d before %d, and %d only once it was delivered", chat, first, second, second)
			}
			want := map[string]int{"500 twice": 2, "401": 1, "timeout": 1}[tt.name]
			if got := s.Redeliveries(); got != want {
				t.Errorf("redeliveries: got %d, want %d (deliveries %+v)", got, want, s.Deliveries())
			}
		})
	}
}

// TestWebhookConflicts: getUpdates is refused while a webhook is set, and works again
// after deleteWebhook; two polls at once end the first. Both are violations.
func TestWebhookConflicts(t *testing.T) {
	s, bot := newBot(t)
	setWebhook(t, bot, tgbotapi.Params{"url": "https://bot.gemeente.nl/telegram/webhook"})
	_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if e := tgError(t, err); e.Code != http.StatusConflict || !strings.Contains(e.Message, "webhook is active") {
		t.Errorf("poll with a webhook: got %d %q, want 409 webhook is active", e.Code, e.Message)
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	if info, err := bot.GetWebhookInfo(); err != nil || info.IsSet() {
		t.Errorf("after deleteWebhook: got %+v, %v, want no webhook", info, err)
	}
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Errorf("poll after deleteWebhook: %v", err)
	}
	first := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		first <- err
	}()
	waitPolling(t, s, 1)
	second := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		second <- err
	}()
	if e := tgError(t, <-first); e.Code != http.StatusConflict {
		t.Errorf("first poll: got %d, want 409", e.Code)
	}
	s.SendText(1, "hallo")
	if err := <-second; err != nil {
		t.Errorf("second poll: %v", err)
	}
	v := s.Violations()
	if len(v) != 2 || !strings.Contains(v[0], "webhook is active") || !strings.Contains(v[1], "terminated by other getUpdates") {
		t.Errorf("violations: got %q, want the two conflicts", v)
	}
}

// TestSetWebhookRefuses: the documented limits of setWebhook.
func TestSetWebhookRefuses(t *testing.T) {
	tests := []struct {
		name   string
		params tgbotapi.Params
		want   string
	}{
		{"plain http", tgbotapi.Params{"url": "http://bot.gemeente.nl/hook"}, "HTTPS URL must be provided"},
		{"secret with a space", tgbotapi.Params{"url": "https://a.nl/", "secret_token": "een twee"}, "secret token"},
		{"secret of 257", tgbotapi.Params{"url": "https://a.nl/", "secret_token": strings.Repeat("a", 257)}, "secret token"},
		{"max_connections 101", tgbotapi.Params{"url": "https://a.nl/", "max_connections": "101"}, "max_connections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			_, err := bot.MakeRequest("setWebhook", tt.params)
			if e := tgError(t, err); e.Code != http.StatusBadRequest || !strings.Contains(e.Message, tt.want) {
				t.Errorf("got %d %q, want 400 %q", e.Code, e.Message, tt.want)
			}
			if s.Webhook() != "" {
				t.Errorf("webhook set to %q, want none", s.Webhook())
			}
		})
	}
	s, bot := newBot(t)
	setWebhook(t, bot, tgbotapi.Params{"url": "https://a.nl/", "secret_token": strings.Repeat("a", 256)})
	if s.Webhook() != "https://a.nl/" {
		t.Errorf("a secret of 256: got webhook %q, want it set", s.Webhook())
	}
}
