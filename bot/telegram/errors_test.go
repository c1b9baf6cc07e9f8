package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// kind names how the outbox will treat a Send error.
func kind(err error) string {
	var limited *bot.RateLimitedError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &limited):
		return "rate limited " + limited.RetryAfter.String()
	case errors.Is(err, bot.ErrRecipientGone):
		return "gone"
	case errors.Is(err, bot.ErrPermanent):
		return "permanent"
	}
	return "temporary"
}

// closedEndpoint is a channel on a Bot API that answered getMe and then went away.
func closedEndpoint(t *testing.T, logs io.Writer) *telegram.Channel {
	t.Helper()
	getMe, err := os.ReadFile("testdata/getMe.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(getMe)
	}))
	ch := connect(t, srv.URL+"/bot%s/%s", time.Second, logs)
	srv.Close()
	return ch
}

// TestSendClassifiesErrors runs a table of canned Bot API failures
// (core.telegram.org/bots/api#making-requests: error_code and description, and
// parameters.retry_after for flood control) through Send.
func TestSendClassifiesErrors(t *testing.T) {
	const chat = 601
	text := bot.Message{To: to(chat), Text: "Uitnodiging"}
	photo := bot.Message{To: to(chat), Text: "Kaart", Image: &bot.File{Name: "kaart.png", Data: pngBytes(t)}}
	doc := bot.Message{To: to(chat), Text: "Verslag", Document: &bot.File{Name: "verslag.txt", Data: []byte("notulen")}}
	edit := bot.Message{To: to(chat), Text: "Uitnodiging", EditRef: "{last}"}
	tests := []struct {
		name   string
		msg    bot.Message
		inject func(srv *telegramtest.Server)
		closed bool // the API is unreachable
		want   string
	}{
		{name: "sent", msg: text, want: "ok"},
		{name: "unauthorized", msg: text, want: "permanent",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 401, "Unauthorized") }},
		{name: "blocked", msg: text, want: "gone",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 403, "Forbidden: bot was blocked by the user") }},
		{name: "blocked by the fake", msg: text, want: "gone",
			inject: func(s *telegramtest.Server) { s.Block(chat) }},
		{name: "deactivated", msg: text, want: "gone",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 403, "Forbidden: user is deactivated") }},
		{name: "chat not found", msg: text, want: "gone",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 400, "Bad Request: chat not found") }},
		{name: "other bad request", msg: text, want: "permanent",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 400, "Bad Request: message text is empty") }},
		{name: "edit not modified", msg: edit, want: "ok",
			inject: func(s *telegramtest.Server) {
				s.FailNext(1, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
			}},
		{name: "flood control", msg: text, want: "rate limited 7s",
			inject: func(s *telegramtest.Server) { s.RateLimit(1, 7) }},
		{name: "flood control by hook", msg: text, want: "rate limited 7s",
			inject: func(s *telegramtest.Server) {
				s.SetHook(func(*telegramtest.Request) telegramtest.Action { return telegramtest.Throttle(7) })
			}},
		{name: "internal server error", msg: text, want: "temporary",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 500, "Internal Server Error") }},
		{name: "bad gateway", msg: text, want: "temporary",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 502, "Bad Gateway") }},
		{name: "photo sent", msg: photo, want: "ok"},
		{name: "photo flood control", msg: photo, want: "rate limited 7s",
			inject: func(s *telegramtest.Server) { s.RateLimit(1, 7) }},
		{name: "photo blocked", msg: photo, want: "gone",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 403, "Forbidden: bot was blocked by the user") }},
		{name: "photo bad request", msg: photo, want: "permanent",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 400, "Bad Request: IMAGE_PROCESS_FAILED") }},
		{name: "photo internal server error", msg: photo, want: "temporary",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 500, "Internal Server Error") }},
		{name: "document blocked", msg: doc, want: "gone",
			inject: func(s *telegramtest.Server) { s.FailNext(1, 403, "Forbidden: user is deactivated") }},
		{name: "connection refused", msg: text, closed: true, want: "temporary"},
		{name: "photo connection refused", msg: photo, closed: true, want: "temporary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ch *telegram.Channel
			var srv *telegramtest.Server
			msg := tt.msg
			if tt.closed {
				ch = closedEndpoint(t, nil)
			} else {
				srv, ch = newChannel(t)
				if msg.EditRef != "" {
					if err := ch.Send(context.Background(), text); err != nil {
						t.Fatalf("send the message to edit: %v", err)
					}
					msg.EditRef = to(chat).ChatID + ":" + strconv.Itoa(srv.Last(chat).MessageID)
				}
				if tt.inject != nil {
					tt.inject(srv)
				}
			}
			err := ch.Send(context.Background(), msg)
			if got := kind(err); got != tt.want {
				t.Errorf("got %v (%v), want %v", got, err, tt.want)
			}
			checkNoToken(t, err)
			if tt.closed {
				return
			}
			// a failed send leaves nothing; an edit that was "not modified" must not
			// fall back to a new message either
			want := 0
			if tt.want == "ok" || msg.EditRef != "" {
				want = 1
			}
			if got := len(srv.Chat(chat)); got != want {
				t.Errorf("got %d messages in the chat, want %d", got, want)
			}
		})
	}
}

func TestNewDoesNotLeakToken(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	endpoint := srv.URL + "/bot%s/%s"
	srv.Close()
	_, err := telegram.New(telegram.Config{Token: testToken, APIEndpoint: endpoint}, discard())
	if err == nil {
		t.Fatal("got nil error from an unreachable API, want one")
	}
	checkNoToken(t, err)
}

// A failing long poll is logged, without the token the request URL carries.
func TestRunLogsNoToken(t *testing.T) {
	logs := &testlog.Buffer{}
	run(t, closedEndpoint(t, logs), &recorder{})
	testwait.Until(t, 3*time.Second, "a failed getUpdates in the log", func() (bool, string) {
		got := logs.String()
		return strings.Contains(got, "getUpdates failed"), fmt.Sprintf("logs %q", got)
	})
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("logs leak the token: %s", logs.String())
	}
}
