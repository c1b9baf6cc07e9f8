package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// readyChannel is a channel that says whether it is connected.
type readyChannel struct {
	bot.Channel // only Name and Ready are called
	name        string
	err         error
}

func (c readyChannel) Name() string { return c.name }
func (c readyChannel) Ready() error { return c.err }

// plainChannel cannot say whether it is connected, so it counts as ready.
type plainChannel struct{ bot.Channel }

func (plainChannel) Name() string { return "plain" }

// TestReadyz: 200 "ok" only when Redis answers and every channel that can tell is
// connected; else 503, naming each thing that is not ready and nothing that is,
// without the Redis error (it may name internal addresses).
func TestReadyz(t *testing.T) {
	redisDown := func(context.Context) error { return errors.New("dial tcp 10.0.0.7:6379: connection refused") }
	redisUp := func(context.Context) error { return nil }
	gateway := errors.New("discord: gateway session not open")
	tests := []struct {
		name     string
		ping     pinger
		channels []bot.Channel
		code     int
		want     []string // lines of the body
	}{
		{"all up", redisUp, []bot.Channel{readyChannel{name: "telegram"}, readyChannel{name: "discord"}, plainChannel{}},
			200, []string{"ok"}},
		{"redis down", redisDown, []bot.Channel{readyChannel{name: "telegram"}}, 503,
			[]string{"niet gereed / not ready", "redis: de opslag (Redis) antwoordt niet / Redis does not answer"}},
		{"discord gateway closed", redisUp, []bot.Channel{readyChannel{name: "telegram"}, readyChannel{name: "discord", err: gateway}}, 503,
			[]string{"niet gereed / not ready", "discord: niet verbonden / not connected (discord: gateway session not open)"}},
		{"both", redisDown, []bot.Channel{readyChannel{name: "discord", err: gateway}}, 503,
			[]string{"niet gereed / not ready", "redis: de opslag (Redis) antwoordt niet / Redis does not answer",
				"discord: niet verbonden / not connected (discord: gateway session not open)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			readyz(tt.ping, tt.channels, slog.New(slog.NewTextHandler(io.Discard, nil))).
				ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			got := strings.Split(strings.TrimSuffix(rec.Body.String(), "\n"), "\n")
			if rec.Code != tt.code || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %d %q, want %d %q", rec.Code, got, tt.code, tt.want)
			}
			if strings.Contains(rec.Body.String(), "10.0.0.7") {
				t.Errorf("body %q names Redis' address", rec.Body.String())
			}
		})
	}
}
