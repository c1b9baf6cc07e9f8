package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// engForgetter records the chats a channel was asked to forget.
type engForgetter struct {
	mu     sync.Mutex
	chats  []string
	failed error
}

func (f *engForgetter) Forget(_ context.Context, chat string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed != nil {
		return f.failed
	}
	f.chats = append(f.chats, chat)
	return nil
}

// deliverAll acks everything queued, as a sender would after sending it.
func (h *engHarness) deliverAll() {
	h.t.Helper()
	h.drain()
	items, err := h.store.Claim(h.ctx, engChannelName, engFarFuture.Add(time.Hour), time.Minute, 10000)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, it := range items {
		if err := h.store.Ack(h.ctx, engChannelName, it.ID); err != nil {
			h.t.Fatal(err)
		}
	}
}

// engScan returns every key, field and value in Redis that holds one of the needles.
func engScan(t *testing.T, h *engHarness, needles ...string) []string {
	t.Helper()
	return redistest.Find(t, h.rdb, needles...)
}

// engRightsRound: two other residents answer; the tallies are taken; then the resident
// under test answers everything, with texts of their own.
func engRightsRound(t *testing.T, h *engHarness) (*storage.Round, *engUser, map[string]int64) {
	t.Helper()
	r := h.open("peiling", "peiling-2026-11")
	for _, id := range []string{"7101", "7102"} {
		o := h.user(id, id)
		o.join("45 – 64 jaar", "Nieuwleusen")
		engAnswerAll(t, o)
	}
	without := h.tallies(r.ID)
	u := h.user("7777", "c7777")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	u.press("Ondernemer")
	u.press("☐ Cultuur")
	u.press("Klaar")
	u.press("Helemaal mee oneens")
	u.press("3")
	u.send("Het zwembad in Lemelerveld moet blijven")
	u.send("Bushalte Kerkstraat is onveilig")
	return r, u, without
}

func TestEngineMyData(t *testing.T) {
	h := engNew(t)
	r, u, _ := engRightsRound(t, h)
	h.deliverAll()
	got := u.command("mijngegevens")
	if len(got) != 2 || got[1].Document == nil {
		t.Fatalf("messages: got %d (%q), want the overview and a JSON file", len(got), engTexts(got))
	}
	for _, want := range []string{"woonkern Dalfsen", "leeftijdsgroep 25-44", "Toestemming gegeven", "privacytekst versie 2026-01",
		"Inwonerspeiling Dalfsen (open)", "Wat is uw positie in het proces? → Ondernemer", "Welke kansen ziet u? → Cultuur",
		"→ Helemaal mee oneens", "Welk cijfer geeft u de gemeente? → 3", "“Het zwembad in Lemelerveld moet blijven”",
		"“Bushalte Kerkstraat is onveilig”", "/vergeetmij"} {
		engWantText(t, got[:1], want)
	}
	var doc bot.MyData
	if err := json.Unmarshal(got[1].Document.Data, &doc); err != nil {
		t.Fatalf("document: %v", err)
	}
	if doc.Pseudonym != u.pid() || doc.Profile == nil || doc.Profile.Kern != "Dalfsen" || doc.Profile.Chat != "c7777" {
		t.Errorf("document profile: got %s %+v, want %s with kern Dalfsen and chat c7777", doc.Pseudonym, doc.Profile, u.pid())
	}
	if len(doc.Consents) != 1 || !doc.Consents[0].Given || doc.Consents[0].Version != "2026-01" {
		t.Errorf("document consents: got %+v, want one given, version 2026-01", doc.Consents)
	}
	if len(doc.Rounds) != 1 || doc.Rounds[0].Round != r.ID {
		t.Fatalf("document rounds: got %+v, want %s", doc.Rounds, r.ID)
	}
	var answers []string
	for _, a := range doc.Rounds[0].Answers {
		answers = append(answers, a.Answer)
	}
	want := []string{"Ondernemer", "Cultuur", "Helemaal mee oneens", "3", "“Het zwembad in Lemelerveld moet blijven”", "“Bushalte Kerkstraat is onveilig”"}
	if !slices.Equal(answers, want) {
		t.Errorf("document answers: got %q, want exactly %q", answers, want)
	}
	stranger := h.user("7800", "7800")
	engWantText(t, stranger.command("mijngegevens"), "We hebben niets van u opgeslagen")
}

func TestEngineForget(t *testing.T) {
	f := &engForgetter{}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Forget = map[string]bot.Forgetter{engChannelName: f} })
	r, u, without := engRightsRound(t, h)
	h.deliverAll()
	typed := []string{"Het zwembad in Lemelerveld moet blijven", "Bushalte Kerkstraat is onveilig"}
	if found := engScan(t, h, typed...); len(found) == 0 {
		t.Fatalf("before the erasure the typed texts are nowhere in Redis; the scan is broken")
	}

	engWantText(t, u.command("vergeetmij"), "Wissen kan niet ongedaan worden gemaakt")
	if got := h.tallies(r.ID); fmt.Sprint(got) == fmt.Sprint(without) {
		t.Fatalf("asking alone must not erase: tallies already back to %v", got)
	}
	engWantText(t, u.press("Ja, wis alles"), "Alles wat we van u hadden is gewist")
	h.deliverAll()
	if got := h.tallies(r.ID); fmt.Sprint(got) != fmt.Sprint(without) {
		t.Errorf("tallies of the open round: got %v, want those without the resident %v", got, without)
	}
	if found := engScan(t, h, append(typed, u.pid(), "c7777")...); len(found) > 0 {
		t.Errorf("after the erasure Redis still holds:\n%s", strings.Join(found, "\n"))
	}
	if !slices.Equal(f.chats, []string{"c7777"}) {
		t.Errorf("channel asked to forget: got %v, want [c7777]", f.chats)
	}
	if got := h.active(); slices.Contains(got, u.pid()) {
		t.Errorf("active participants still hold the erased resident")
	}
	engWantText(t, u.command("mijngegevens"), "We hebben niets van u opgeslagen")
	engWantText(t, u.command("status"), "U doet nog niet mee")
}

func TestEngineForgetClosedRoundKeepsFigures(t *testing.T) {
	h := engNew(t)
	r, u, _ := engRightsRound(t, h)
	h.close(r.ID)
	before := h.tallies(r.ID)
	u.command("vergeetmij")
	u.press("Ja, wis alles")
	h.deliverAll()
	if got := h.tallies(r.ID); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("tallies of the closed round: got %v, want them unchanged %v", got, before)
	}
	if found := engScan(t, h, u.pid(), "Bushalte Kerkstraat"); len(found) > 0 {
		t.Errorf("after the erasure Redis still holds:\n%s", strings.Join(found, "\n"))
	}
}

// TestEngineForgetResumes: an erasure interrupted half-way (the process died after
// taking the resident out of one round) is finished by ResumeErasures.
func TestEngineForgetResumes(t *testing.T) {
	h := engNew(t)
	r, u, without := engRightsRound(t, h)
	h.deliverAll()
	p, err := h.store.Participant(h.ctx, u.pid())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.BeginErasure(h.ctx, storage.Erasure{Participant: u.pid(), Channel: p.Channel, Chat: p.ChatID}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ForgetInRound(h.ctx, r.ID, u.pid(), storage.Erase); err != nil {
		t.Fatal(err)
	}
	// the process dies here; on start-up:
	if err := h.eng.ResumeErasures(h.ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.tallies(r.ID); fmt.Sprint(got) != fmt.Sprint(without) {
		t.Errorf("tallies: got %v, want %v", got, without)
	}
	if found := engScan(t, h, u.pid(), "c7777", "Bushalte Kerkstraat"); len(found) > 0 {
		t.Errorf("after the resumed erasure Redis still holds:\n%s", strings.Join(found, "\n"))
	}
	// and running it again does nothing more
	if err := h.eng.ResumeErasures(h.ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.tallies(r.ID); fmt.Sprint(got) != fmt.Sprint(without) {
		t.Errorf("tallies after a second resume: got %v, want %v", got, without)
	}
}

func TestEngineStopUnlinks(t *testing.T) {
	f := &engForgetter{}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Forget = map[string]bot.Forgetter{engChannelName: f} })
	r, u, _ := engRightsRound(t, h)
	h.deliverAll()
	with := h.tallies(r.ID)
	engWantText(t, u.command("stop"), "/vergeetmij")
	engWantText(t, u.press("Ja, afmelden"), "uw antwoorden zijn niet meer aan u gekoppeld")
	h.deliverAll()
	if got := h.tallies(r.ID); fmt.Sprint(got) != fmt.Sprint(with) {
		t.Errorf("tallies: got %v, want them unchanged %v (the answers stay counted)", got, with)
	}
	texts, err := h.store.OpenTexts(h.ctx, r.ID, []string{"goed"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(texts["goed"], "Het zwembad in Lemelerveld moet blijven") {
		t.Errorf("open texts: got %q, want the resident's text kept, unlinked", texts["goed"])
	}
	// the pseudonym is left only on the consent history, which expires
	for _, f := range engScan(t, h, u.pid(), "c7777") {
		if !strings.HasPrefix(f, "pb:p:"+u.pid()+" ") {
			t.Errorf("after /stop the pseudonym or chat is in %s; want only the participant record", f)
		}
	}
	var fields []string
	for f := range engDump(t, h, "pb:p:"+u.pid()) {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	if want := []string{"active", "channel", "consents"}; !slices.Equal(fields, want) {
		t.Errorf("participant record after /stop: got fields %v, want %v", fields, want)
	}
	ttl := h.rdb.TTL(h.ctx, "pb:p:"+u.pid()).Val()
	if ttl <= 0 || ttl > storage.WithdrawnTTL {
		t.Errorf("consent history expiry: got %v, want within %v", ttl, storage.WithdrawnTTL)
	}
	p := u.participant()
	if len(p.Consents) != 2 || !p.Consents[0].Given || p.Consents[1].Given || p.Kern != "" || p.ChatID != "" {
		t.Errorf("participant after /stop: got %+v, want consent given then withdrawn and no profile or chat", p)
	}
	if !slices.Equal(f.chats, []string{"c7777"}) {
		t.Errorf("channel asked to forget: got %v, want [c7777]", f.chats)
	}
	// joining again keeps the history and starts afresh
	u.join("25 – 44 jaar", "Hoonhorst")
	if p := u.participant(); len(p.Consents) != 3 || !p.Consents[2].Given || p.Kern != "Hoonhorst" {
		t.Errorf("participant after joining again: got %+v", p)
	}
	if ttl := h.rdb.TTL(h.ctx, "pb:p:"+u.pid()).Val(); ttl != -1 {
		t.Errorf("expiry after joining again: got %v, want none", ttl)
	}
}

// TestEngineInboundPolicy: an update whose handling fails is offered again up to
// MaxInboundAttempts times and then set aside; the resident hears it did not work.
func TestEngineInboundPolicy(t *testing.T) {
	f := &engForgetter{failed: errors.New("channel down")}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Forget = map[string]bot.Forgetter{engChannelName: f} })
	h.open("peiling", "peiling-2026-11")
	u := h.user("8801", "8801")
	u.join("25 – 44 jaar", "Dalfsen")
	u.command("stop")
	ev := u.pressEvent("Ja, afmelden")
	for i := 1; i < bot.MaxInboundAttempts; i++ {
		if err := h.eng.Handle(h.ctx, ev); err == nil {
			t.Fatalf("attempt %d: got nil, want the error so the channel offers the update again", i)
		}
	}
	if err := h.eng.Handle(h.ctx, ev); err != nil {
		t.Fatalf("attempt %d: got %v, want nil: set aside", bot.MaxInboundAttempts, err)
	}
	engWantText(t, h.drain(), "er ging bij ons iets mis")
	dead, err := h.store.SetAsideUpdates(h.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].UpdateID != ev.UpdateID || dead[0].Attempts != bot.MaxInboundAttempts ||
		dead[0].Detail != "stop:y" || !strings.Contains(dead[0].Reason, "channel down") {
		t.Errorf("set aside: got %+v, want update %s after %d attempts", dead, ev.UpdateID, bot.MaxInboundAttempts)
	}
	if err := h.eng.Handle(h.ctx, ev); err != nil {
		t.Errorf("the update again after it was set aside: got %v, want nil", err)
	}
	if got := h.drain(); len(got) != 0 {
		t.Errorf("the update again after it was set aside: got replies %q, want none", engTexts(got))
	}
}

// TestEngineInboundStoreDown: an update that fails because Redis cannot be reached
// (here on the forget call, as the web chat's Forgetter talks to Redis) is not the
// update's fault: it is offered again as long as that lasts, never set aside, and
// handled once Redis is back.
func TestEngineInboundStoreDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := redis.NewClient(&redis.Options{Addr: l.Addr().String(), MaxRetries: -1})
	l.Close()
	defer down.Close()
	refused := down.Get(context.Background(), "pb:web:x").Err()
	f := &engForgetter{failed: fmt.Errorf("forget web chat: %w", refused)}
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Forget = map[string]bot.Forgetter{engChannelName: f} })
	u := h.user("8802", "8802")
	u.join("25 – 44 jaar", "Dalfsen")
	u.command("stop")
	ev := u.pressEvent("Ja, afmelden")
	for i := 1; i <= 2*bot.MaxInboundAttempts; i++ {
		if err := h.eng.Handle(h.ctx, ev); err == nil {
			t.Fatalf("attempt %d while Redis is down: got nil, want the error so the channel offers the update again", i)
		}
	}
	if dead, err := h.store.SetAsideUpdates(h.ctx, 10); err != nil || len(dead) != 0 {
		t.Fatalf("set aside while Redis was down: got %+v %v, want none", dead, err)
	}
	if got := engTexts(h.drain()); strings.Contains(got, "er ging bij ons iets mis") {
		t.Errorf("replies while Redis was down: got %q, want no 'er ging bij ons iets mis'", got)
	}
	f.mu.Lock()
	f.failed = nil
	f.mu.Unlock()
	if err := h.eng.Handle(h.ctx, ev); err != nil {
		t.Fatalf("once Redis is back: got %v, want nil", err)
	}
	if !slices.Equal(f.chats, []string{"8802"}) {
		t.Errorf("channel asked to forget once Redis was back: got %v, want [8802]", f.chats)
	}
}

// TestEngineMalformedEvents: events no platform sends are set aside at once, never stored.
func TestEngineMalformedEvents(t *testing.T) {
	h := engNew(t)
	u := h.user("8901", "8901")
	tests := []struct {
		name string
		mod  func(*bot.Event)
	}{
		{"channel could not map it", func(ev *bot.Event) { ev.Problem = "panic: runtime error" }},
		{"no kind", func(ev *bot.Event) { ev.Kind = 0 }},
		{"no user", func(ev *bot.Event) { ev.UserID = "" }},
		{"user id with a newline", func(ev *bot.Event) { ev.UserID = "1\n2" }},
		{"huge text", func(ev *bot.Event) { ev.Kind, ev.Text = bot.TextEvent, strings.Repeat("x", 20000) }},
		{"invalid utf-8", func(ev *bot.Event) { ev.Kind, ev.Text = bot.TextEvent, "\xff\xfe" }},
		{"no command", func(ev *bot.Event) { ev.Command = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := u.event(bot.CommandEvent)
			ev.Command = "start"
			tt.mod(&ev)
			if err := h.eng.Handle(h.ctx, ev); err != nil {
				t.Fatalf("handle: got %v, want nil (set aside)", err)
			}
			h.drain()
			dead, err := h.store.SetAsideUpdates(h.ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) == 0 || dead[0].UpdateID != ev.UpdateID || dead[0].Attempts != 1 {
				t.Errorf("set aside: got %+v, want update %s first", dead, ev.UpdateID)
			}
			if _, err := h.store.Participant(h.ctx, u.pid()); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("participant: got %v, want none stored", err)
			}
		})
	}
}
