package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

const testToken = "123456:TEST-token-never-logged"

// harness runs the real serve against a private redis-server and a fake Telegram.
type harness struct {
	t     *testing.T
	redis *redistest.Server
	tg    *telegramtest.Server
	env   map[string]string
	logs  *testlog.Buffer
	// wait is how long a resident waits for a message (default 120 s)
	wait time.Duration

	cancel context.CancelFunc
	done   chan int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, redis: redistest.Start(t), tg: telegramtest.NewServer(t, testToken), logs: &testlog.Buffer{}}
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "e2e.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	h.env = map[string]string{
		"REDIS_URL": h.redis.URL(), "TELEGRAM_TOKEN": testToken, "TELEGRAM_API_ENDPOINT": h.tg.Endpoint(),
		"SURVEYS_DIR": dir, "DATA_DIR": t.TempDir(), "QUIET_HOURS": "off", "PSEUDONYM_KEY": "test-key",
		"STUURGROEP_CHATS": "telegram:-100999", "TELEGRAM_RATE_LIMIT": "1000", "LOG_LEVEL": "debug",
		"HTTP_ADDR":   "127.0.0.1:0",
		"DIGEST_CRON": "off", // the digest depends on the date; scheduler tests cover it
	}
	t.Cleanup(func() {
		h.stop()
		if strings.Contains(h.logs.String(), testToken) || strings.Contains(h.logs.String(), "TEST-token") {
			t.Errorf("the bot token appears in the log")
		}
	})
	return h
}

func (h *harness) getenv(k string) string { return h.env[k] }

// addSurveys copies survey and trajectory files from dir into the harness's
// SURVEYS_DIR, as an organiser puts them beside the others.
func (h *harness) addSurveys(dir string, files ...string) {
	h.t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(h.env["SURVEYS_DIR"], f), b, 0o600); err != nil {
			h.t.Fatal(err)
		}
	}
}

// serve starts the service in-process.
func (h *harness) serve() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan int, 1)
	go func() { h.done <- run(ctx, []string{"serve"}, h.getenv, h.logs, h.logs) }()
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	select {
	case code := <-h.done:
		if code != 0 {
			h.t.Errorf("serve exited with %d; log:\n%s", code, h.logs.String())
		}
	case <-time.After(20 * time.Second):
		h.t.Errorf("serve did not stop within 20s")
	}
	h.cancel = nil
}

// publicAddr gives serve a fixed address, as PUBLIC_URL too, and returns it: for
// what a platform fetches from serve (Discord's media proxy, the charts).
func (h *harness) publicAddr() string {
	h.t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	h.env["HTTP_ADDR"], h.env["PUBLIC_URL"] = addr, "http://"+addr
	return "http://" + addr
}

// cli runs an organiser command and returns its output.
func (h *harness) cli(args ...string) string {
	h.t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, h.getenv, &out, &errb); code != 0 {
		h.t.Fatalf("participatiebot %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// resident is one simulated inwoner in a private chat with the bot.
type resident struct {
	h    *harness
	uid  int64
	last int // newest message id handled
}

func (h *harness) resident(uid int64) *resident { return &resident{h: h, uid: uid} }

// await waits for the newest message at or after the last handled one whose text
// contains s (an edit of the last message counts), and makes it the last handled.
func (r *resident) await(s string) (telegramtest.Sent, error) {
	var found telegramtest.Sent
	// 120 s: after a close, the results (computed, charts drawn, queued at the
	// per-chat limit) take seconds on a busy 2-core machine under -race.
	wait := r.h.wait
	if wait == 0 {
		wait = 120 * time.Second
	}
	if testwait.Poll(wait, func() bool {
		msgs := r.h.tg.Chat(r.uid)
		for i := len(msgs) - 1; i >= 0 && msgs[i].MessageID >= r.last; i-- {
			if strings.Contains(msgs[i].Text, s) {
				found = msgs[i]
				return true
			}
		}
		return false
	}) {
		r.last = found.MessageID
		return found, nil
	}
	var texts []string
	for _, m := range r.h.tg.Chat(r.uid) {
		texts = append(texts, fmt.Sprintf("#%d %q", m.MessageID, m.Text))
	}
	return telegramtest.Sent{}, fmt.Errorf("resident %d: no message containing %q after #%d; chat: %s", r.uid, s, r.last, strings.Join(texts, "\n"))
}

// press taps the button with the label on message m.
func (r *resident) press(m telegramtest.Sent, label string) error {
	for _, row := range m.Keyboard {
		for _, b := range row {
			if b.Text == label {
				r.h.tg.Press(r.uid, m.MessageID, b.Data)
				return nil
			}
		}
	}
	return fmt.Errorf("resident %d: no button %q on message %q (buttons %v)", r.uid, label, m.Text, m.Keyboard)
}

// step waits for a message and taps a button on it.
func (r *resident) step(contains, label string) (telegramtest.Sent, error) {
	m, err := r.await(contains)
	if err != nil {
		return m, err
	}
	return m, r.press(m, label)
}

// join does /start, the age question, consent and the kern.
func (r *resident) join(age, kern string) error {
	r.h.tg.SendText(r.uid, "/start")
	if _, err := r.step("hoe oud bent u", age); err != nil {
		return err
	}
	if _, err := r.step("Gaat u akkoord", "Ja, ik doe mee"); err != nil {
		return err
	}
	if _, err := r.step("In welke kern woont u", kern); err != nil {
		return err
	}
	_, err := r.await("Bedankt!")
	return err
}

// callsTo lists the send calls to a chat (all methods when method is ""), only those
// answered with status when it is not 0.
func callsTo(h *harness, method string, chat int64, status int) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range h.tg.Calls(method) {
		if c.ChatID == chat && c.Method != "getUpdates" && c.Method != "answerCallbackQuery" && (status == 0 || c.Status == status) {
			out = append(out, c)
		}
	}
	return out
}

func countPrefix(msgs []telegramtest.Sent, prefix string) int {
	n := 0
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, prefix) {
			n++
		}
	}
	return n
}

func countContains(msgs []telegramtest.Sent, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

// roundMessages are the messages every resident of the e2e round gets once: the
// invitation, each question, the closing message and the results.
var roundMessages = []string{"Er staat een nieuwe vragenronde", "Vraag 1 van 7", "Vraag 2 van 7", "Vraag 3 van 7", "Vraag 4 van 7",
	"Vraag 5 van 7", "Vraag 6 van 7 · keuze 1 van 2", "Vraag 6 van 7 · keuze 2 van 2", "Vraag 7 van 7",
	"Klaar, bedankt!", "Bedankt voor uw deelname"}

// countRepeats checks that each of a resident's chats (their messages' texts) holds every
// one of roundMessages, failing t for each missing, and counts the ones that came
// more than once: by message, and in all.
func countRepeats(t *testing.T, chats map[string][]string) (map[string]int, int) {
	t.Helper()
	by, total := map[string]int{}, 0
	for who, texts := range chats {
		for _, w := range roundMessages {
			got := 0
			for _, s := range texts {
				if strings.Contains(s, w) {
					got++
				}
			}
			switch {
			case got == 0:
				t.Errorf("%s: no message with %q", who, w)
			case got > 1:
				by[w] += got - 1
				total += got - 1
			}
		}
	}
	return by, total
}

// tgTexts are the texts of a Telegram chat.
func tgTexts(msgs []telegramtest.Sent) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text
	}
	return out
}
