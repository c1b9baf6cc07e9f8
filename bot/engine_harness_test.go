// Test harness for the conversation engine: a private Redis, an outbox that is read
// instead of run, and residents whose chats show what the engine sent.
package bot_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without zoneinfo

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/outbox"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// engChannelName is the channel every test event comes from.
const engChannelName = "test"

// engFarFuture claims every queued message, quiet or not.
var engFarFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// engChannel is a channel that is never run: the tests read the outbox directly.
type engChannel struct{}

func (engChannel) Name() string { return engChannelName }

func (engChannel) Run(ctx context.Context, _ bot.Handler) error {
	<-ctx.Done()
	return ctx.Err()
}

func (engChannel) Send(context.Context, bot.Message) error { return nil }

func (engChannel) Limits() bot.Limits {
	return bot.Limits{PerSecond: 30, Burst: 1, PerChatPerSecond: 1, PerChatBurst: 1, MaxChoiceData: 64}
}

// engEnvelope is the outbox payload (see bot/outbox).
type engEnvelope struct {
	Message bot.Message `json:"m"`
	Quiet   bool        `json:"q"`
}

// engHarness is an engine on a private Redis with an outbox that is read, not run.
type engHarness struct {
	t       testing.TB
	ctx     context.Context
	rdb     redis.UniversalClient
	store   *storage.Store
	eng     *bot.Engine
	catalog *surveys.Catalog
	cfg     bot.EngineConfig
	now     time.Time
	logs    *testlog.Buffer
	update  int
	users   map[string]*engUser // by chat id
	queued  []engEnvelope       // everything ever read from the outbox
}

var engKernen = []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen"}

func engLocation(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatalf("load location: %v", err)
	}
	return loc
}

func engNew(t testing.TB, list ...*surveys.Survey) *engHarness {
	t.Helper()
	return engNewWith(t, nil, list...)
}

// engNewWith is engNew with the engine's configuration changed by mod.
func engNewWith(t testing.TB, mod func(*bot.EngineConfig), list ...*surveys.Survey) *engHarness {
	t.Helper()
	rdb := redistest.StartAny(t)
	store := storage.New(rdb)
	loc := engLocation(t)
	h := &engHarness{t: t, ctx: context.Background(), rdb: rdb, store: store,
		now: time.Date(2026, 11, 10, 10, 0, 0, 0, loc), logs: &testlog.Buffer{}, users: map[string]*engUser{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := func() time.Time { return h.now }
	ob := outbox.New(store, []bot.Channel{engChannel{}}, outbox.Config{Now: clock}, log)
	h.cfg = bot.EngineConfig{Secret: []byte("test-secret-0123456789abcdef"), ConsentVersion: "2026-01",
		Kernen: engKernen, Location: loc, Threshold: 10, Now: clock}
	if mod != nil {
		mod(&h.cfg)
	}
	if len(list) == 0 {
		list = []*surveys.Survey{engPeiling(loc)}
	}
	h.catalog = surveys.NewCatalog(list)
	h.eng = bot.NewEngine(h.cfg, store, ob, h.catalog, log)
	return h
}

// engPeiling is a survey with every question type:
//
//	0 positie single · 1 kansen multiple (1..2) · 2 luistert likert · 3 cijfer rating
//	4 goed open (max 40) · 5 beter open, optional · 6 waarden wie van de drie (2 triads)
//	7 tevreden single, optional
func engPeiling(loc *time.Location) *surveys.Survey {
	likert := []surveys.Option{{ID: "1", Label: "Helemaal mee oneens"}, {ID: "2", Label: "Mee oneens"},
		{ID: "3", Label: "Neutraal"}, {ID: "4", Label: "Mee eens"}, {ID: "5", Label: "Helemaal mee eens"}}
	var rating []surveys.Option
	for i := 1; i <= 10; i++ {
		rating = append(rating, surveys.Option{ID: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	return &surveys.Survey{
		ID: "peiling", Title: "Inwonerspeiling Dalfsen", Language: "nl",
		Card: surveys.Card{
			Doel:            "We willen weten hoe u de samenwerking met de gemeente ervaart.",
			WieBeslist:      "gemeenteraad",
			Trede:           surveys.Raadplegen,
			WatGebeurtErMee: "De uitkomst gaat mee in de Kadernota.",
			Terugkoppeling:  time.Date(2027, 2, 15, 0, 0, 0, 0, loc),
		},
		Questions: []surveys.Question{
			{ID: "positie", Type: surveys.Single, Text: "Wat is uw positie in het proces?", Options: []surveys.Option{
				{ID: "bewoner", Label: "Bewoner"}, {ID: "ondernemer", Label: "Ondernemer"},
				{ID: "vereniging", Label: "Vereniging"}, {ID: "anders", Label: "Anders"}}},
			{ID: "kansen", Type: surveys.Multiple, Text: "Welke kansen ziet u?", MinChoices: 1, MaxChoices: 2,
				Options: []surveys.Option{{ID: "groen", Label: "Meer groen"}, {ID: "verkeer", Label: "Veiliger verkeer"},
					{ID: "cultuur", Label: "Cultuur"}, {ID: "sport", Label: "Sport"}}},
			{ID: "luistert", Type: surveys.Likert, Text: "De gemeente luistert voldoende naar de mening van de inwoners.", Options: likert},
			{ID: "cijfer", Type: surveys.Rating, Text: "Welk cijfer geeft u de gemeente?", Options: rating},
			{ID: "goed", Type: surveys.Open, Text: "Wat gaat goed?", MaxLength: 40},
			{ID: "beter", Type: surveys.Open, Text: "Wat kan beter?", MaxLength: 200, Optional: true},
			{ID: "waarden", Type: surveys.WieVanDeDrie, Text: "Wie van de drie past het best bij Dalfsen?", Triads: 2,
				Options: []surveys.Option{{ID: "betrouwbaar", Label: "Betrouwbaar"}, {ID: "open", Label: "Open"},
					{ID: "dichtbij", Label: "Dichtbij"}, {ID: "duurzaam", Label: "Duurzaam"},
					{ID: "zorgzaam", Label: "Zorgzaam"}, {ID: "ondernemend", Label: "Ondernemend"}}},
			{ID: "tevreden", Type: surveys.Single, Text: "Bent u tevreden over dit proces?", Optional: true,
				Options: []surveys.Option{{ID: "ja", Label: "Tevreden"}, {ID: "nee", Label: "Niet tevreden"}}},
		},
	}
}

// open creates a round of a survey and opens it.
func (h *engHarness) open(surveyID, rid string) *storage.Round {
	h.t.Helper()
	r := &storage.Round{ID: rid, Survey: surveyID, Slot: h.now.Format("2006-01-02T15:04"),
		OpensAt: h.now, ClosesAt: h.now.Add(7 * 24 * time.Hour)}
	if _, err := h.store.CreateRound(h.ctx, r); err != nil {
		h.t.Fatal(err)
	}
	if ok, err := h.store.Transition(h.ctx, rid, storage.Scheduled, storage.Opened, h.now); err != nil || !ok {
		h.t.Fatalf("open round %s: got %v, %v, want true, nil", rid, ok, err)
	}
	return h.round(rid)
}

func (h *engHarness) close(rid string) {
	h.t.Helper()
	if ok, err := h.store.Transition(h.ctx, rid, storage.Opened, storage.Closed, h.now); err != nil || !ok {
		h.t.Fatalf("close round %s: got %v, %v, want true, nil", rid, ok, err)
	}
}

func (h *engHarness) round(rid string) *storage.Round {
	h.t.Helper()
	r, err := h.store.Round(h.ctx, rid)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *engHarness) tallies(rid string) map[string]int64 {
	h.t.Helper()
	m, err := h.store.Tallies(h.ctx, rid)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

func (h *engHarness) active() []string {
	h.t.Helper()
	var ids []string
	if err := h.store.ActiveParticipants(h.ctx, func(pid string) error {
		ids = append(ids, pid)
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	return ids
}

// drain reads what the engine queued since the last drain and shows it in the users' chats.
func (h *engHarness) drain() []bot.Message {
	h.t.Helper()
	items, err := h.store.Claim(h.ctx, engChannelName, engFarFuture, time.Minute, 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []bot.Message
	for _, it := range items {
		var env engEnvelope
		if err := json.Unmarshal(it.Payload, &env); err != nil {
			h.t.Fatalf("decode outbox payload %s: %v", it.Payload, err)
		}
		h.queued = append(h.queued, env)
		out = append(out, env.Message)
		if u := h.users[env.Message.To.ChatID]; u != nil {
			u.receive(env.Message)
		}
	}
	return out
}

// handle hands one event to the engine and returns the messages it queued.
func (h *engHarness) handle(ev bot.Event) []bot.Message {
	h.t.Helper()
	if err := h.eng.Handle(h.ctx, ev); err != nil {
		h.t.Fatalf("handle %+v: %v", ev, err)
	}
	return h.drain()
}

func (h *engHarness) nextUpdate() string {
	h.update++
	return strconv.Itoa(100000 + h.update)
}

// engUser is a resident with a chat that shows what the engine sent, edits applied.
type engUser struct {
	h      *engHarness
	userID string
	chatID string
	chat   []*engShown
	refs   int
	lang   string // the platform's language hint on every event (Event.Lang)
}

// engShown is a message as the chat shows it now.
type engShown struct {
	ref string
	bot.Message
}

func (h *engHarness) user(userID, chatID string) *engUser {
	u := &engUser{h: h, userID: userID, chatID: chatID}
	h.users[chatID] = u
	return u
}

func (u *engUser) pid() string { return u.h.eng.Pseudonym(engChannelName, u.userID) }

func (u *engUser) receive(m bot.Message) {
	if m.EditRef != "" {
		for _, s := range u.chat {
			if s.ref == m.EditRef {
				s.Text, s.Choices = m.Text, m.Choices
				return
			}
		}
	}
	u.refs++
	u.chat = append(u.chat, &engShown{ref: u.chatID + ":" + strconv.Itoa(u.refs), Message: m})
}

func (u *engUser) event(kind bot.EventKind) bot.Event {
	return bot.Event{Kind: kind, Channel: engChannelName, UpdateID: u.h.nextUpdate(), UserID: u.userID, ChatID: u.chatID, Lang: u.lang}
}

func (u *engUser) command(name string) []bot.Message {
	u.h.t.Helper()
	ev := u.event(bot.CommandEvent)
	ev.Command = name
	return u.h.handle(ev)
}

func (u *engUser) send(text string) []bot.Message {
	u.h.t.Helper()
	ev := u.event(bot.TextEvent)
	ev.Text = text
	return u.h.handle(ev)
}

// find returns the newest message in the chat with a button labelled label.
func (u *engUser) find(label string) (*engShown, bot.Choice) {
	u.h.t.Helper()
	for i := len(u.chat) - 1; i >= 0; i-- {
		for _, row := range u.chat[i].Choices {
			for _, c := range row {
				if c.Label == label {
					return u.chat[i], c
				}
			}
		}
	}
	u.h.t.Fatalf("no button %q in the chat; last message: %q %v", label, u.lastText(), u.lastChoices())
	return nil, bot.Choice{}
}

// pressEvent is the event of pressing the newest button labelled label.
func (u *engUser) pressEvent(label string) bot.Event {
	u.h.t.Helper()
	m, c := u.find(label)
	ev := u.event(bot.ChoiceEvent)
	ev.Data, ev.MessageRef = c.Data, m.ref
	return ev
}

func (u *engUser) press(label string) []bot.Message {
	u.h.t.Helper()
	return u.h.handle(u.pressEvent(label))
}

func (u *engUser) pressData(data, ref string) []bot.Message {
	u.h.t.Helper()
	ev := u.event(bot.ChoiceEvent)
	ev.Data, ev.MessageRef = data, ref
	return u.h.handle(ev)
}

func (u *engUser) last() *engShown {
	if len(u.chat) == 0 {
		return &engShown{}
	}
	return u.chat[len(u.chat)-1]
}

func (u *engUser) lastText() string { return u.last().Text }

func (u *engUser) lastChoices() []string {
	var labels []string
	for _, row := range u.last().Choices {
		for _, c := range row {
			labels = append(labels, c.Label)
		}
	}
	return labels
}

func (u *engUser) participant() *storage.Participant {
	u.h.t.Helper()
	p, err := u.h.store.Participant(u.h.ctx, u.pid())
	if err != nil {
		u.h.t.Fatalf("load participant: %v", err)
	}
	if p.ChatID != "" {
		if strings.Contains(p.ChatID, u.chatID) || !strings.HasPrefix(p.ChatID, "v1.") {
			u.h.t.Errorf("stored chat %q: want it sealed", p.ChatID)
		}
		if p.ChatID, err = u.h.eng.OpenChat(u.pid(), p.ChatID); err != nil {
			u.h.t.Fatalf("open sealed chat: %v", err)
		}
	}
	return p
}

func (u *engUser) answers(rid string) map[string]string {
	u.h.t.Helper()
	m, err := u.h.store.Answers(u.h.ctx, rid, u.pid())
	if err != nil {
		u.h.t.Fatal(err)
	}
	return m
}

func (u *engUser) answer(rid, field string) surveys.Answer {
	u.h.t.Helper()
	raw, ok := u.answers(rid)[field]
	if !ok {
		u.h.t.Fatalf("answer %s: none stored", field)
	}
	a, err := surveys.DecodeAnswer(raw)
	if err != nil {
		u.h.t.Fatalf("decode answer %s: %v", field, err)
	}
	return a
}

// join takes the user through age, consent and kern.
func (u *engUser) join(age, kern string) {
	u.h.t.Helper()
	u.command("start")
	u.press(age)
	u.press("Ja, ik doe mee")
	u.press(kern)
}

// engTexts joins the texts of messages.
func engTexts(ms []bot.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Text + "\n---\n")
	}
	return b.String()
}

func engWantText(t *testing.T, ms []bot.Message, want string) {
	t.Helper()
	if !strings.Contains(engTexts(ms), want) {
		t.Errorf("messages: got %q, want one containing %q", engTexts(ms), want)
	}
}

// engDump returns the contents of a key as field -> value ("" field for plain values).
func engDump(t *testing.T, h *engHarness, key string) map[string]string {
	t.Helper()
	typ, err := h.rdb.Type(h.ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	switch typ {
	case "string":
		out[""] = h.rdb.Get(h.ctx, key).Val()
	case "hash":
		out = h.rdb.HGetAll(h.ctx, key).Val()
	case "set":
		for _, m := range h.rdb.SMembers(h.ctx, key).Val() {
			out[m] = ""
		}
	case "zset":
		for _, m := range h.rdb.ZRange(h.ctx, key, 0, -1).Val() {
			out[m] = ""
		}
	case "list":
		for i, m := range h.rdb.LRange(h.ctx, key, 0, -1).Val() {
			out[strconv.Itoa(i)] = m
		}
	default:
		t.Fatalf("key %s: unexpected type %s", key, typ)
	}
	return out
}

// The rounds service hands the engine's broadcasts a batch of recipients; these
// give it a batch of one and report whether that one was queued.

func (h *engHarness) invite(r *storage.Round, pid string) (bool, error) {
	sent, err := h.eng.Invite(h.ctx, r, []string{pid})
	return sent.Queued == 1, err
}

func (h *engHarness) remind(r *storage.Round, i int, pid string) (bool, error) {
	sent, err := h.eng.Remind(h.ctx, r, i, []string{pid})
	return sent.Queued == 1, err
}

func (h *engHarness) sendResults(r *storage.Round, res *results.Results, pid string) (bool, error) {
	sent, err := h.eng.SendResults(h.ctx, r, res, []string{pid})
	return sent.Queued == 1, err
}

// With PB_TEST_CLUSTER set, the engine's tests share one Redis Cluster (test.sh).
func TestMain(m *testing.M) { redistest.Main(m) }
