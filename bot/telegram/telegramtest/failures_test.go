package telegramtest

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestInjectedErrors(t *testing.T) {
	tests := []struct {
		name           string
		inject         func(s *Server)
		upload         bool // send a photo (multipart) instead of a text
		wantCode       int
		wantRetryAfter int
		wantMessage    string
	}{
		{"429 on sendMessage", func(s *Server) { s.RateLimit(1, 5) }, false, 429, 5, "Too Many Requests: retry after 5"},
		// tgbotapi's UploadFiles builds its Error without Code: only the message and
		// retry_after survive a multipart call.
		{"429 on sendPhoto", func(s *Server) { s.RateLimit(1, 3) }, true, 0, 3, "Too Many Requests: retry after 3"},
		{"403 blocked", func(s *Server) { s.Block(1) }, false, 403, 0, "Forbidden: bot was blocked by the user"},
		{"403 blocked on sendPhoto", func(s *Server) { s.Block(1) }, true, 0, 0, "Forbidden: bot was blocked by the user"},
		{"canned 502", func(s *Server) { s.FailNext(1, 502, "Bad Gateway") }, false, 502, 0, "Bad Gateway"},
		{"hook failure", func(s *Server) {
			s.SetHook(func(*Request) Action { return Fail(400, "Bad Request: chat not found") })
		}, false, 400, 0, "Bad Request: chat not found"},
		{"hook throttle", func(s *Server) { s.SetHook(func(*Request) Action { return Throttle(7) }) }, false, 429, 7, "Too Many Requests: retry after 7"},
		{"raw body", func(s *Server) {
			s.SetHook(func(*Request) Action {
				return FailRaw(429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 11","parameters":{"retry_after":11}}`)
			})
		}, false, 429, 11, "Too Many Requests: retry after 11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			tt.inject(s)
			var c tgbotapi.Chattable = tgbotapi.NewMessage(1, "hallo")
			if tt.upload {
				c = tgbotapi.NewPhoto(1, tgbotapi.FileBytes{Name: "a.png", Bytes: pngBytes(t, 2, 2)})
			}
			_, err := bot.Send(c)
			e := tgError(t, err)
			if e.Code != tt.wantCode || e.RetryAfter != tt.wantRetryAfter || e.Message != tt.wantMessage {
				t.Errorf("got %d %d %q, want %d %d %q", e.Code, e.RetryAfter, e.Message, tt.wantCode, tt.wantRetryAfter, tt.wantMessage)
			}
			if got := len(s.Chat(1)); got != 0 {
				t.Errorf("Chat: got %v messages, want 0", got)
			}
			if got := s.Calls("")[len(s.Calls(""))-1].Status; got == http.StatusOK {
				t.Errorf("call status: got %v, want an error status", got)
			}
		})
	}
}

func TestFailuresAreConsumed(t *testing.T) {
	s, bot := newBot(t)
	s.RateLimit(2, 1)
	s.FailNext(1, 500, "Internal Server Error")
	var codes []int
	for range 4 {
		_, err := bot.Send(tgbotapi.NewMessage(1, "x"))
		code := 200
		if err != nil {
			code = tgError(t, err).Code
		}
		codes = append(codes, code)
	}
	want := []int{429, 429, 500, 200}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("got %v, want %v", codes, want)
		}
	}
}

func TestBlockLiftedByResident(t *testing.T) {
	s, bot := newBot(t)
	s.Block(1)
	if _, err := bot.Send(tgbotapi.NewMessage(2, "ander gesprek")); err != nil {
		t.Fatalf("other chat: got %v, want no error", err)
	}
	s.SendText(1, "/start")
	if _, err := bot.Send(tgbotapi.NewMessage(1, "welkom terug")); err != nil {
		t.Errorf("after the resident wrote: got %v, want no error", err)
	}
}

func TestHookSeesRequests(t *testing.T) {
	s, bot := newBot(t)
	var mu sync.Mutex
	var seen []Request
	s.SetHook(func(r *Request) Action {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, *r)
		return Proceed
	})
	sent, err := bot.Send(tgbotapi.NewMessage(6, "een"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageText(6, sent.MessageID, "twee")); err != nil {
		t.Fatalf("edit: %v", err)
	}
	if _, err := bot.GetMe(); err != nil {
		t.Fatalf("GetMe: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []Request{
		{Method: "sendMessage", ChatID: 6, Text: "een", Seq: 1, Messages: 1},
		{Method: "editMessageText", ChatID: 6, MessageID: sent.MessageID, Text: "twee", Seq: 2, Messages: 1},
	}
	if len(seen) != len(want) {
		t.Fatalf("got %d requests, want %d", len(seen), len(want))
	}
	for i, w := range want {
		got := seen[i]
		if got.Params["text"] != w.Text {
			t.Errorf("request %d params: got %v, want text %q", i, got.Params, w.Text)
		}
		got.Params = nil
		if !reflect.DeepEqual(got, w) {
			t.Errorf("request %d: got %+v, want %+v", i, got, w)
		}
	}
}

// TestHang plays a bot killed mid-broadcast: the held message must not count as
// delivered, and the client must see its request fail.
func TestHang(t *testing.T) {
	tests := []struct {
		name    string
		release func(s *Server, cancel context.CancelFunc)
	}{
		{"client gives up", func(_ *Server, cancel context.CancelFunc) { cancel() }},
		{"server closes", func(s *Server, _ context.CancelFunc) { s.close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t, testToken)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			bot, err := tgbotapi.NewBotAPIWithClient(testToken, s.Endpoint(), ctxClient{ctx})
			if err != nil {
				t.Fatalf("NewBotAPIWithClient: %v", err)
			}
			held := make(chan struct{})
			s.SetHook(func(r *Request) Action {
				if r.Seq == 2 {
					close(held)
					return Hang
				}
				return Proceed
			})
			if _, err := bot.Send(tgbotapi.NewMessage(1, "bericht 1")); err != nil {
				t.Fatalf("first send: %v", err)
			}
			errc := make(chan error, 1)
			go func() {
				_, err := bot.Send(tgbotapi.NewMessage(2, "bericht 2"))
				errc <- err
			}()
			<-held
			if got := len(s.Chat(2)); got != 0 {
				t.Errorf("while held: got %v messages, want 0", got)
			}
			tt.release(s, cancel)
			err = <-errc
			var tgErr *tgbotapi.Error
			if err == nil || errors.As(err, &tgErr) {
				t.Errorf("got %v, want a transport error", err)
			}
			if got := len(s.Chat(2)); got != 0 {
				t.Errorf("after release: got %v messages, want 0", got)
			}
			if got := s.Calls("sendMessage")[1].Status; got != 0 {
				t.Errorf("held call status: got %v, want 0", got)
			}
		})
	}
}

func TestMaxRate(t *testing.T) {
	s := NewServer(t, testToken)
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	s.sendTimes = []sendStamp{{1, at(0), 1}, {2, at(100), 1}, {1, at(900), 1}, {1, at(1000), 1}, {2, at(1050), 1}, {1, at(1950), 1}}
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"chat 1 per second", s.MaxRate(1, time.Second), 2},
		{"chat 1 per two seconds", s.MaxRate(1, 2*time.Second), 4},
		{"chat 2 per second", s.MaxRate(2, time.Second), 2},
		{"chat 2 per 950ms", s.MaxRate(2, 950*time.Millisecond), 1},
		{"unknown chat", s.MaxRate(3, time.Second), 0},
		{"global per second", s.MaxGlobalRate(time.Second), 4},
		{"global per 100ms", s.MaxGlobalRate(100 * time.Millisecond), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestMaxRateCountsRealSends(t *testing.T) {
	s, bot := newBot(t)
	s.Block(2)
	for _, chat := range []int64{1, 1, 2} {
		_, _ = bot.Send(tgbotapi.NewMessage(chat, "x"))
	}
	if got, want := s.MaxRate(1, time.Minute), 2; got != want {
		t.Errorf("chat 1: got %v, want %v", got, want)
	}
	if got, want := s.MaxGlobalRate(time.Minute), 3; got != want {
		t.Errorf("global: got %v, want %v", got, want)
	}
}

func TestDrop(t *testing.T) {
	s, bot := newBot(t)
	s.SetHook(func(*Request) Action { return Drop })
	_, err := bot.Send(tgbotapi.NewMessage(1, "hallo"))
	var e *tgbotapi.Error
	if err == nil || errors.As(err, &e) {
		t.Fatalf("got %v, want a transport error, not an API answer", err)
	}
	if got := len(s.Chat(1)); got != 0 {
		t.Errorf("Chat: got %d messages, want 0", got)
	}
}
