package telegramtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"runtime"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const testToken = "123456:TEST-token"

// newBot starts a fake server and connects the real library to it.
func newBot(t *testing.T) (*Server, *tgbotapi.BotAPI) {
	t.Helper()
	s := NewServer(t, testToken)
	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(testToken, s.Endpoint())
	if err != nil {
		t.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	return s, bot
}

// ctxClient is the tgbotapi.HTTPClient a channel needs to abandon requests: the
// library builds its requests without a context.
type ctxClient struct{ ctx context.Context }

func (c ctxClient) Do(r *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(r.WithContext(c.ctx))
}

// tgError extracts the library's *tgbotapi.Error.
func tgError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *tgbotapi.Error", err, err)
	}
	return e
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

func TestGetMe(t *testing.T) {
	s, bot := newBot(t)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"id from token", bot.Self.ID, int64(123456)},
		{"is bot", bot.Self.IsBot, true},
		{"username", bot.Self.UserName, BotUsername},
		{"recorded", len(s.Calls("getMe")), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestRouting(t *testing.T) {
	s := NewServer(t, testToken)
	tests := []struct {
		name     string
		token    string
		method   string
		wantCode int
		wantDesc string
	}{
		{"wrong token", "654321:other", "getMe", 401, "Unauthorized"},
		{"unknown method", testToken, "sendSticker", 404, "Not Found"},
		{"methods are case-insensitive", testToken, "GETME", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := &tgbotapi.BotAPI{Token: tt.token, Client: http.DefaultClient}
			bot.SetAPIEndpoint(s.Endpoint())
			_, err := bot.MakeRequest(tt.method, nil)
			if tt.wantCode == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			e := tgError(t, err)
			if e.Code != tt.wantCode || e.Message != tt.wantDesc {
				t.Errorf("got %d %q, want %d %q", e.Code, e.Message, tt.wantCode, tt.wantDesc)
			}
		})
	}
	if got, want := len(s.Calls("")), len(tests); got != want {
		t.Errorf("Calls(\"\"): got %v, want %v", got, want)
	}
}

func TestTrivialMethods(t *testing.T) {
	_, bot := newBot(t)
	tests := []struct {
		name string
		c    tgbotapi.Chattable
	}{
		{"deleteWebhook", tgbotapi.DeleteWebhookConfig{DropPendingUpdates: true}},
		{"setMyCommands", tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "start", Description: "Begin"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := bot.Request(tt.c)
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			if got, want := string(resp.Result), "true"; got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestWaitForFails(t *testing.T) {
	s := NewServer(t, testToken)
	ft := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.WaitFor(ft, 20*time.Millisecond, "never", func() bool { return false })
	}()
	<-done
	if got, want := ft.msg, "timed out after 20ms waiting for never"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

// fakeTB records Fatalf instead of failing the real test.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
