package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

func TestOutboxCommandLines(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		want     string // on stdout (help) or stderr (refusal)
	}{
		{[]string{"outbox", "--help"}, 0, "participatiebot outbox retry ID…"},
		{[]string{"outbox", "dead", "--help"}, 0, "Gebruik: participatiebot outbox dead"},
		{[]string{"outbox", "retry", "-h"}, 0, "Gebruik: participatiebot outbox retry"},
		{[]string{"help", "outbox", "dead"}, 0, "Chat-id's en de tekst van het\nbericht worden niet getoond"},
		{[]string{"outbox"}, 2, "kies dead of retry"},
		{[]string{"outbox", "wis"}, 2, "onbekend: outbox wis"},
		{[]string{"outbox", "dead", "extra"}, 2, `onverwacht argument "extra"`},
		{[]string{"outbox", "dead", "-n", "0"}, 2, "-n moet groter dan 0 zijn"},
		{[]string{"outbox", "dead", "--all"}, 2, "onbekende optie -all"},
		{[]string{"outbox", "retry"}, 2, "noem de id's van de berichten, of --all"},
		{[]string{"outbox", "retry", "--all", "telegram:1"}, 2, "noem de id's van de berichten, of --all"},
		{[]string{"outbox", "retry", "42"}, 2, `onbekende id "42": schrijf kanaal:nummer`},
		{[]string{"outbox", "retry", "telegram:1", "--kanaal", "telegram"}, 2, "--kanaal hoort bij --all"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			env, _ := quietEnv(t)
			code, out, errOut := runQuick(t, tc.args, env)
			if code != tc.wantCode {
				t.Errorf("exit: got %d, want %d (stderr %q)", code, tc.wantCode, errOut)
			}
			if got := out + errOut; !strings.Contains(got, tc.want) {
				t.Errorf("output: got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// outbox dead lists what was given up on without chat ids or texts; outbox retry puts
// it back in its queue.
func TestOutboxDeadAndRetry(t *testing.T) {
	srv := redistest.Start(t)
	st := storage.New(srv.Client(t))
	ctx := context.Background()
	now := time.Now()
	bury := func(channel string, m bot.Message, bulk bool, reason string) {
		t.Helper()
		payload, err := json.Marshal(map[string]any{"m": m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.EnqueueBatch(ctx, channel, []storage.OutboxEntry{{Payload: payload, Due: now, Bulk: bulk}}); err != nil {
			t.Fatal(err)
		}
		items, err := st.Claim(ctx, channel, now, time.Minute, 1)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim: got %d, %v", len(items), err)
		}
		if err := st.Bury(ctx, channel, items[0].ID, now, reason, storage.DeadKeep{}); err != nil {
			t.Fatal(err)
		}
	}
	to := bot.Address{Channel: "telegram", ChatID: "555123456"}
	bury("telegram", bot.Message{To: to, Participant: "abcdef0123456789", Text: "Er staat een nieuwe vragenronde",
		About: &bot.About{Kind: bot.AboutInvite, Round: "e2e-20300101-0900"}}, true, "ontvanger onbereikbaar (bot geblokkeerd of account weg)")
	bury("telegram", bot.Message{To: to, Text: "Vraag 3 van 7", EditRef: "555123456:9"}, false, "door het platform geweigerd: message is not modified")
	bury("discord", bot.Message{To: bot.Address{Channel: "discord", ChatID: "998877665544"}, Text: "📣 Terugkoppeling"}, true, "opgegeven na 8 pogingen: 502 Bad Gateway")

	env, _ := quietEnv(t)
	env["REDIS_URL"] = srv.URL()
	cli := func(args ...string) string {
		t.Helper()
		code, out, errOut := runQuick(t, args, env)
		if code != 0 {
			t.Fatalf("participatiebot %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	out := cli("outbox", "dead")
	t.Logf("outbox dead:\n%s", out)
	for _, want := range []string{"ID", "REDEN", "telegram:1", "telegram:2", "discord:1", "uitnodiging (rondzending)", "e2e-20300101-0900",
		"abcdef01…", "bewerking", "bericht (rondzending)", "ontvanger onbereikbaar", "opgegeven na 8 pogingen"} {
		if !strings.Contains(out, want) {
			t.Errorf("outbox dead: got\n%s\nwant %q in it", out, want)
		}
	}
	for _, secret := range []string{"555123456", "998877665544", "vragenronde", "Vraag 3", "Terugkoppeling", "abcdef0123456789"} {
		if strings.Contains(out, secret) {
			t.Errorf("outbox dead shows %q:\n%s", secret, out)
		}
	}
	if out := cli("outbox", "dead", "--kanaal", "discord"); strings.Contains(out, "telegram") || !strings.Contains(out, "discord:1") {
		t.Errorf("outbox dead --kanaal discord: got\n%s", out)
	}

	if out := cli("outbox", "retry", "telegram:1", "telegram:7"); !strings.Contains(out, "1 bericht staat weer in de wachtrij.") ||
		!strings.Contains(out, "1 van de genoemde id's niet gevonden") {
		t.Errorf("outbox retry: got %q", out)
	}
	items, err := st.ClaimEach(ctx, "telegram", time.Now(), time.Minute, 10, 10, 10)
	if err != nil || len(items) != 1 || !items[0].Bulk || items[0].Attempts != 0 {
		t.Errorf("queued after retry: got %+v, %v; want the invitation back in the bulk queue", items, err)
	}
	if out := cli("outbox", "retry", "--all"); !strings.Contains(out, "2 berichten staan weer in de wachtrij.") {
		t.Errorf("outbox retry --all: got %q", out)
	}
	if out := cli("outbox", "dead"); !strings.Contains(out, "Geen opgegeven berichten.") {
		t.Errorf("outbox dead after retry --all: got %q", out)
	}
}
