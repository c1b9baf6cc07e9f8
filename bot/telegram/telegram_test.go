package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// testToken is distinctive, so a leak into an error string or a log line is found.
const testToken = "7777777:AAH-secret-test-token-xyz"

// newChannel connects a channel to a fresh fake Bot API server.
func newChannel(t *testing.T) (*telegramtest.Server, *telegram.Channel) {
	t.Helper()
	srv := telegramtest.NewServer(t, testToken)
	return srv, connect(t, srv.Endpoint(), time.Second, nil)
}

func connect(t *testing.T, endpoint string, poll time.Duration, logs io.Writer) *telegram.Channel {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	ch, err := telegram.New(telegram.Config{Token: testToken, APIEndpoint: endpoint, PollTimeout: poll},
		slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("telegram.New: %v", err)
	}
	return ch
}

// checkNoToken is the shared check that the bot token never leaks into an error.
func checkNoToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), testToken) {
		t.Errorf("error leaks the token: %v", err)
	}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

func to(chat int64) bot.Address {
	return bot.Address{Channel: "telegram", ChatID: strconv.FormatInt(chat, 10)}
}

// recorder is a bot.Handler that records events and fails those fail picks.
type recorder struct {
	mu     sync.Mutex
	events []bot.Event
	fail   func(ev bot.Event, seen int) bool // seen: how often this update came before
}

func (r *recorder) Handle(_ context.Context, ev bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := 0
	for _, e := range r.events {
		if e.UpdateID == ev.UpdateID {
			seen++
		}
	}
	r.events = append(r.events, ev)
	if r.fail != nil && r.fail(ev, seen) {
		return errors.New("engine hiccup")
	}
	return nil
}

func (r *recorder) Events() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// run starts ch.Run and stops it at cleanup, failing if it does not return promptly.
func run(t *testing.T, ch *telegram.Channel, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ch.Run(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
}

func TestRunMapsUpdates(t *testing.T) {
	const uid = 501
	tests := []struct {
		name string
		act  func(t *testing.T, srv *telegramtest.Server, ch *telegram.Channel) int // returns update_id
		want bot.Event
	}{
		{
			name: "start command",
			act: func(t *testing.T, srv *telegramtest.Server, _ *telegram.Channel) int {
				return srv.SendText(uid, "/start")
			},
			want: bot.Event{Lang: "nl", Kind: bot.CommandEvent, Command: "start"},
		},
		{
			name: "command with argument",
			act: func(t *testing.T, srv *telegramtest.Server, _ *telegram.Channel) int {
				return srv.SendText(uid, "/start kern-noord")
			},
			want: bot.Event{Lang: "nl", Kind: bot.CommandEvent, Command: "start", Args: "kern-noord"},
		},
		{
			name: "plain text",
			act: func(t *testing.T, srv *telegramtest.Server, _ *telegram.Channel) int {
				return srv.SendText(uid, "Meer groen in de wijk")
			},
			want: bot.Event{Lang: "nl", Kind: bot.TextEvent, Text: "Meer groen in de wijk"},
		},
		{
			name: "button press",
			act: func(t *testing.T, srv *telegramtest.Server, ch *telegram.Channel) int {
				err := ch.Send(context.Background(), bot.Message{To: to(uid), Text: "Doet u mee?",
					Choices: [][]bot.Choice{{{Label: "Ja", Data: "consent:yes"}}}})
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				return srv.Press(uid, srv.Last(uid).MessageID, "consent:yes")
			},
			want: bot.Event{Lang: "nl", Kind: bot.ChoiceEvent, Data: "consent:yes", MessageRef: "501:{last}"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ch := newChannel(t)
			rec := &recorder{}
			run(t, ch, rec)
			id := tt.act(t, srv, ch)
			srv.WaitFor(t, 3*time.Second, "the event", func() bool { return len(rec.Events()) > 0 })

			want := tt.want
			want.Channel, want.UserID, want.ChatID = "telegram", "501", "501"
			want.UpdateID = strconv.Itoa(id)
			want.MessageRef = strings.ReplaceAll(want.MessageRef, "{last}", strconv.Itoa(srv.Last(uid).MessageID))
			got := rec.Events()[0]
			// a message carries its date (the fake's clock, to the second); a press none
			press := tt.want.Kind == bot.ChoiceEvent
			if press && !got.At.IsZero() {
				t.Errorf("At of a press: got %v, want zero", got.At)
			}
			if !press && time.Since(got.At).Abs() > time.Minute {
				t.Errorf("At of a message: got %v, want about now", got.At)
			}
			if got.At = (time.Time{}); got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestRunAnswersCallbackOnce(t *testing.T) {
	const uid = 502
	tests := []struct {
		name     string
		failures int // how often the handler fails the press before taking it
	}{
		{name: "handled at once", failures: 0},
		{name: "handled after a failure", failures: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ch := newChannel(t)
			rec := &recorder{fail: func(ev bot.Event, seen int) bool {
				return ev.Kind == bot.ChoiceEvent && seen < tt.failures
			}}
			run(t, ch, rec)
			err := ch.Send(context.Background(), bot.Message{To: to(uid), Text: "Doet u mee?",
				Choices: [][]bot.Choice{{{Label: "Ja", Data: "consent:yes"}}}})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			srv.Press(uid, srv.Last(uid).MessageID, "consent:yes")
			// a later update shows the press is behind us
			srv.SendText(uid, "klaar")
			srv.WaitFor(t, 5*time.Second, "the later text", func() bool {
				evs := rec.Events()
				return len(evs) > 0 && evs[len(evs)-1].Text == "klaar"
			})
			answers := srv.CallbackAnswers()
			if len(answers) != 1 {
				t.Fatalf("got %d callback queries, want 1", len(answers))
			}
			for id, n := range answers {
				if n != 1 {
					t.Errorf("callback query %s answered %d times, want 1", id, n)
				}
			}
		})
	}
}

// A failed update comes again, before any later update, and none is skipped.
func TestRunRetriesFailedUpdate(t *testing.T) {
	const uid = 503
	srv, ch := newChannel(t)
	rec := &recorder{fail: func(ev bot.Event, seen int) bool { return ev.Text == "twee" && seen == 0 }}
	run(t, ch, rec)
	srv.SendText(uid, "een")
	srv.SendText(uid, "twee")
	srv.SendText(uid, "drie")
	srv.WaitFor(t, 5*time.Second, "all updates handled", func() bool { return srv.Pending() == 0 && len(rec.Events()) >= 4 })

	var got []string
	for _, ev := range rec.Events() {
		got = append(got, ev.Text)
	}
	want := []string{"een", "twee", "twee", "drie"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRunStopsDuringLongPoll(t *testing.T) {
	srv := telegramtest.NewServer(t, testToken)
	ch := connect(t, srv.Endpoint(), 10*time.Second, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ch.Run(ctx, &recorder{}) }()
	srv.WaitFor(t, 3*time.Second, "a long poll", func() bool {
		calls := srv.Calls("getUpdates")
		return len(calls) > 0 && calls[len(calls)-1].Status == 0
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("got %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run still polling 2s after cancel")
	}
}

// cannedUpdates is a minimal Bot API that answers getMe and serves a getUpdates payload
// once, recording the offsets the channel asks for: for payloads the fake cannot make,
// such as group chats.
func cannedUpdates(t *testing.T, payload string) (endpoint string, offsets func() []string) {
	t.Helper()
	getMe, err := os.ReadFile("testdata/getMe.json")
	if err != nil {
		t.Fatal(err)
	}
	updates, err := os.ReadFile(payload)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	served := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/getMe"):
			w.Write(getMe)
		case strings.HasSuffix(r.URL.Path, "/getUpdates"):
			_ = r.ParseForm()
			mu.Lock()
			seen = append(seen, r.Form.Get("offset"))
			first := !served
			served = true
			mu.Unlock()
			if first {
				w.Write(updates)
				return
			}
			select { // an empty long poll, shortened
			case <-r.Context().Done():
			case <-time.After(50 * time.Millisecond):
			}
			io.WriteString(w, `{"ok":true,"result":[]}`)
		default:
			io.WriteString(w, `{"ok":true,"result":true}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/bot%s/%s", func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// Group chats, edits and other bots are ignored, yet the offset moves past them.
func TestRunIgnoresGroupChats(t *testing.T) {
	endpoint, offsets := cannedUpdates(t, "testdata/updates.json")
	rec := &recorder{}
	run(t, connect(t, endpoint, time.Second, nil), rec)
	testwait.Until(t, 3*time.Second, "a poll with offset 109", func() (bool, string) {
		got := offsets()
		return slices.Contains(got, "109"), fmt.Sprintf("offsets %q", got)
	})
	var got []string
	for _, ev := range rec.Events() {
		got = append(got, ev.UpdateID)
	}
	if want := []string{"100", "101", "102", "108"}; !slices.Equal(got, want) {
		t.Errorf("got updates %q handled, want %q", got, want)
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
