package whatsapp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/bottest"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

const (
	verifyToken = "verificatie-van-dalfsen"
	anna        = "31612345678"
	bram        = "31687654321"
)

// events records what the channel hands to the engine.
type events struct {
	mu   sync.Mutex
	all  []bot.Event
	fail atomic.Int32 // the next fail events are answered with an error
}

func (e *events) Handle(_ context.Context, ev bot.Event) error {
	if e.fail.Add(-1) >= 0 {
		return errors.New("engine busy")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
	return nil
}

func (e *events) seen() []bot.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Event(nil), e.all...)
}

// rig is the channel on the fake Cloud API and a private Redis, with its webhook
// served and the fake posting to it; Requeue sends at once, as the outbox would.
type rig struct {
	fake  *whatsapptest.Server
	ch    *whatsapp.Channel
	store *storage.Store
	hook  *httptest.Server
	ev    *events
	logs  *testlog.Buffer
	now   atomic.Pointer[time.Time]
	// requeued are the dedupe keys Requeue was given
	mu       sync.Mutex
	requeued []string
	gone     []string
}

type rigOption func(*whatsapp.Config)

func newRig(t testing.TB, opts ...rigOption) *rig {
	t.Helper()
	fake := whatsapptest.Start(t)
	rdb := redistest.Start(t).Client(t)
	r := &rig{fake: fake, store: storage.New(rdb), ev: &events{}, logs: &testlog.Buffer{}}
	cfg := r.config(fake)
	for _, o := range opts {
		o(&cfg)
	}
	ch, err := whatsapp.New(cfg, r.store, slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	r.ch = ch
	r.hook = httptest.NewServer(ch.WebhookHandler())
	t.Cleanup(r.hook.Close)
	fake.SetWebhook(r.hook.URL+whatsapp.WebhookPath, appSecret)
	return r
}

func (r *rig) config(fake *whatsapptest.Server) whatsapp.Config {
	return whatsapp.Config{Token: fake.Token(), PhoneNumberID: fake.PhoneNumberID(), AppSecret: appSecret,
		VerifyToken: verifyToken, APIBase: fake.URL(), Municipality: "Gemeente Dalfsen",
		Secret: []byte("sleutel-van-de-test-0123456789ab"), Replica: "r1", ClaimAfter: 600 * time.Millisecond,
		Templates: map[string]whatsapp.Template{
			bot.NoticeInvite: {"participatie_uitnodiging", "nl"}, bot.NoticeReminder: {"participatie_herinnering", "nl"},
			bot.NoticeResults: {"participatie_uitslag", "nl"}, bot.NoticeDecision: {"participatie_besluit", "nl"},
			whatsapp.KindMessage: {"participatie_bericht", "nl"}},
		Now: r.clock,
		Requeue: func(ctx context.Context, m bot.Message, dedupe string) error {
			r.mu.Lock()
			r.requeued = append(r.requeued, dedupe)
			r.mu.Unlock()
			return r.ch.Send(ctx, m)
		},
		Gone: func(_ context.Context, userID string) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.gone = append(r.gone, userID)
			return nil
		}}
}

func (r *rig) clock() time.Time {
	if t := r.now.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// later moves the channel's clock and the fake's by d.
func (r *rig) later(d time.Duration) {
	t := time.Now().Add(d)
	r.now.Store(&t)
	r.fake.SetNow(func() time.Time { return time.Now().Add(d) })
}

func (r *rig) run(t testing.TB, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.ch.Run(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
}

func (r *rig) approveAll() {
	r.fake.ApproveTemplate("participatie_uitnodiging", "nl", 3, 1)
	r.fake.ApproveTemplate("participatie_herinnering", "nl", 3, 1)
	r.fake.ApproveTemplate("participatie_uitslag", "nl", 2, 1)
	r.fake.ApproveTemplate("participatie_besluit", "nl", 2, 1)
	r.fake.ApproveTemplate("participatie_bericht", "nl", 1, 1)
}

func (r *rig) send(t *testing.T, m bot.Message) error {
	t.Helper()
	if m.To.ChatID == "" {
		m.To = bot.Address{Channel: "whatsapp", ChatID: anna}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.ch.Send(ctx, m)
}

func (r *rig) waitEvents(t *testing.T, n int) []bot.Event {
	t.Helper()
	testwait.Until(t, 10*time.Second, fmt.Sprintf("%d events", n), func() (bool, string) {
		got := r.ev.seen()
		return len(got) >= n, fmt.Sprintf("events %+v", got)
	})
	return r.ev.seen()
}

func (r *rig) waitInboxEmpty(t *testing.T) {
	t.Helper()
	testwait.Until(t, 10*time.Second, "the inbox handled", func() (bool, string) {
		n, err := r.store.InboxLen(context.Background(), "whatsapp")
		return err == nil && n == 0, fmt.Sprintf("%d items, err %v", n, err)
	})
}

func TestInboundEvents(t *testing.T) {
	r := newRig(t)
	r.run(t, r.ev)
	r.fake.SendText(anna, "Start")
	evs := r.waitEvents(t, 1)
	if ev := evs[0]; ev.Kind != bot.CommandEvent || ev.Command != "start" || ev.UserID != anna || ev.ChatID != anna || ev.UpdateID == "" || ev.At.IsZero() {
		t.Fatalf("start: got %+v", ev)
	}
	// a question with three buttons, and the resident presses one
	if err := r.send(t, bot.Message{Text: "Hoeveel vertrouwen heeft u in de gemeente?", Choices: [][]bot.Choice{
		{{Label: "Veel", Data: "a:x:0:0"}}, {{Label: "Weinig", Data: "a:x:0:1"}}, {{Label: "Weet niet", Data: "a:x:0:2"}}}}); err != nil {
		t.Fatal(err)
	}
	q := r.fake.Last(anna)
	r.fake.PressButton(anna, q.MessageID, "a:x:0:1", "Weinig")
	evs = r.waitEvents(t, 2)
	if ev := evs[1]; ev.Kind != bot.ChoiceEvent || ev.Data != "a:x:0:1" || ev.MessageRef != q.MessageID {
		t.Fatalf("button: got %+v", ev)
	}
	for _, tc := range []struct{ text, cmd string }{{"status", "status"}, {"STOP!", "stop"}, {"/hulp", "hulp"},
		{"Mijn gegevens", "mijngegevens"}, {"vergeet  mij", "vergeetmij"}, {"?", "hulp"}} {
		r.fake.SendText(anna, tc.text)
		evs = r.waitEvents(t, len(evs)+1)
		if ev := evs[len(evs)-1]; ev.Kind != bot.CommandEvent || ev.Command != tc.cmd {
			t.Errorf("%q: got %+v, want command %s", tc.text, ev, tc.cmd)
		}
	}
	r.fake.SendText(anna, "Meer bankjes op het plein, en stop met de parkeerplaatsen")
	evs = r.waitEvents(t, len(evs)+1)
	if ev := evs[len(evs)-1]; ev.Kind != bot.TextEvent || !strings.HasPrefix(ev.Text, "Meer bankjes") {
		t.Errorf("open answer: got %+v", ev)
	}
	// a photo is answered politely by the channel and never reaches the engine
	before := len(r.fake.Chat(anna))
	r.fake.SendImage(anna)
	r.fake.WaitFor(t, 5*time.Second, "the polite answer", func() (bool, string) {
		c := r.fake.Chat(anna)
		return len(c) > before && strings.Contains(c[len(c)-1].Text, "Gebruik de knoppen"), fmt.Sprint(c[before:])
	})
	r.waitInboxEmpty(t)
	if got := len(r.ev.seen()); got != len(evs) {
		t.Errorf("the photo became an event: %d events, want %d", got, len(evs))
	}
	bottest.CheckNoSecrets(t, harnessOf(r), nil)
}

// TestWebhookRefusesUnsigned: a delivery with a bad or missing signature is refused
// with 401 and changes nothing; the GET verification echoes the challenge only with
// the verify token.
func TestWebhookRefusesUnsigned(t *testing.T) {
	r := newRig(t)
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Anna"},"wa_id":"31612345678"}],"messages":[{"from":"31612345678","id":"wamid.vals","timestamp":"1764669600","type":"text","text":{"body":"stop"}}]}}]}]}`)
	for _, tc := range []struct{ name, sig string }{
		{"missing", ""},
		{"wrong secret", whatsapptest.Sign("een ander geheim", body)},
		{"not hex", "sha256=zz"},
		{"sha1", "sha1=" + strings.Repeat("0", 40)},
	} {
		req, _ := http.NewRequest(http.MethodPost, r.hook.URL+whatsapp.WebhookPath, bytes.NewReader(body))
		if tc.sig != "" {
			req.Header.Set(whatsapp.SignatureHeader, tc.sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tc.name, resp.StatusCode)
		}
	}
	if n, err := r.store.InboxLen(context.Background(), "whatsapp"); err != nil || n != 0 {
		t.Errorf("inbox holds %d (err %v) after refused deliveries, want 0", n, err)
	}
	if got := r.ch.WebhookRefused(); got != 4 {
		t.Errorf("refused %d, want 4", got)
	}
	// the same body signed right is taken
	req, _ := http.NewRequest(http.MethodPost, r.hook.URL+whatsapp.WebhookPath, bytes.NewReader(body))
	req.Header.Set(whatsapp.SignatureHeader, whatsapptest.Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n, _ := r.store.InboxLen(context.Background(), "whatsapp"); resp.StatusCode != 200 || n != 1 {
		t.Errorf("signed delivery: status %d, inbox %d; want 200 and 1", resp.StatusCode, n)
	}
	if answer, ok := r.fake.VerifyWebhook(r.hook.URL+whatsapp.WebhookPath, verifyToken); !ok || answer == "" {
		t.Errorf("verification with the token: %q, %v", answer, ok)
	}
	if _, ok := r.fake.VerifyWebhook(r.hook.URL+whatsapp.WebhookPath, "geraden"); ok {
		t.Error("verification with a wrong token succeeded")
	}
	if strings.Contains(r.logs.String(), appSecret) || strings.Contains(r.logs.String(), verifyToken) {
		t.Errorf("logs hold a secret:\n%s", r.logs)
	}
}

// TestDuplicatesAndRetries: Meta's duplicate deliveries reach the engine with the
// same update id (the engine handles one), and a delivery whose handling failed is
// taken again.
func TestDuplicatesAndRetries(t *testing.T) {
	r := newRig(t)
	r.run(t, r.ev)
	r.fake.Duplicate(1)
	id := r.fake.SendText(anna, "hulp")
	evs := r.waitEvents(t, 2)
	if evs[0].UpdateID != id || evs[1].UpdateID != id {
		t.Errorf("duplicates: update ids %q %q, want %q twice", evs[0].UpdateID, evs[1].UpdateID, id)
	}
	r.ev.fail.Store(1)
	r.fake.SendText(bram, "status")
	evs = r.waitEvents(t, 3)
	if evs[2].UserID != bram || evs[2].Command != "status" {
		t.Errorf("retried: got %+v", evs[2])
	}
	r.waitInboxEmpty(t)
}

// TestDeliveryTakenOverFromADeadReplica: a delivery one replica took and never
// finished (killed) is handled by another.
func TestDeliveryTakenOverFromADeadReplica(t *testing.T) {
	r := newRig(t)
	r.fake.SendText(anna, "status")
	ctx := context.Background()
	testwait.Until(t, 5*time.Second, "stored", func() (bool, string) {
		n, _ := r.store.InboxLen(ctx, "whatsapp")
		return n == 1, fmt.Sprint(n)
	})
	// replica "dood" reads it and dies without acknowledging
	items, err := r.store.ReadInbox(ctx, "whatsapp", "dood", 10, time.Second)
	if err != nil || len(items) != 1 {
		t.Fatalf("read: %v %v", items, err)
	}
	r.run(t, r.ev)
	evs := r.waitEvents(t, 1)
	if evs[0].Command != "status" {
		t.Errorf("got %+v", evs[0])
	}
	r.waitInboxEmpty(t)
}

// rows is the rendering of n options, one to a row like the engine's, and nav.
func rows(labels []string, nav ...string) [][]bot.Choice {
	var out [][]bot.Choice
	for i, l := range labels {
		out = append(out, []bot.Choice{{Label: l, Data: fmt.Sprintf("a:r:1:%d", i)}})
	}
	if len(nav) > 0 {
		var row []bot.Choice
		for i, l := range nav {
			row = append(row, bot.Choice{Label: l, Data: fmt.Sprintf("b:r:1:%d", i), Aside: true})
		}
		out = append(out, row)
	}
	return out
}

func TestRendering(t *testing.T) {
	r := newRig(t)
	r.run(t, r.ev)
	r.fake.SendText(anna, "start") // opens the window
	r.waitEvents(t, 1)
	likert := []string{"Helemaal mee eens", "Mee eens", "Niet mee eens, niet mee oneens", "Niet mee eens", "Helemaal niet mee eens"}
	cases := []struct {
		name string
		m    bot.Message
		want []string // per message: "text", "button:<n>", "list:<rows>"
	}{
		{"text", bot.Message{Text: "Bedankt voor uw antwoorden!"}, []string{"text"}},
		{"wie van de drie with Vorige", bot.Message{Text: "Wat vindt u het belangrijkst?",
			Choices: rows([]string{"Groen in het dorp", "Veilige fietspaden", "Een bruisend centrum"}, "◀ Vorige")},
			[]string{"button:3", "button:1"}},
		{"likert with Vorige and Overslaan", bot.Message{Text: "De gemeente luistert voldoende naar de mening van de inwoners.",
			Choices: rows(likert, "◀ Vorige", "Overslaan")}, []string{"list:7"}},
		{"rating 1-10 with Vorige", bot.Message{Text: "Welk rapportcijfer geeft u?",
			Choices: rows([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, "◀ Vorige")}, []string{"list:10", "button:1"}},
		{"twelve kernen", bot.Message{Text: "In welke kern woont u?",
			Choices: rows([]string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum", "Welsum", "Emmen", "Marienberg", "Rosengaarde", "Dieze", "Buitengebied"})},
			[]string{"list:10", "list:2"}},
		{"long text before buttons", bot.Message{Text: strings.Repeat("Lange uitleg. ", 100), Choices: rows([]string{"Ja", "Nee"})},
			[]string{"text", "button:2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(r.fake.Chat(anna))
			if err := r.send(t, tc.m); err != nil {
				t.Fatal(err)
			}
			got := r.fake.Chat(anna)[before:]
			var kinds []string
			for _, s := range got {
				switch {
				case s.Type == "interactive" && s.Interactive == "button":
					kinds = append(kinds, fmt.Sprintf("button:%d", len(s.Buttons)))
				case s.Type == "interactive":
					kinds = append(kinds, fmt.Sprintf("list:%d", len(s.Rows())))
				default:
					kinds = append(kinds, s.Type)
				}
			}
			if fmt.Sprint(kinds) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", kinds, tc.want)
			}
		})
	}
	// a long label is cut on the row and whole in its description; a kort label
	// is the title
	m := bot.Message{Text: "Hoeveel vertrouwen heeft u in de gemeente?", Choices: [][]bot.Choice{
		{{Label: "Veel vertrouwen", Data: "a:v:0"}}, {{Label: "Niet veel, niet weinig vertrouwen", Data: "a:v:1"}},
		{{Label: "Weinig vertrouwen", Data: "a:v:2"}}, {{Label: "Heel weinig vertrouwen in de gemeente", Data: "a:v:3", Short: "Heel weinig"}}}}
	if err := r.send(t, m); err != nil {
		t.Fatal(err)
	}
	got := r.fake.Last(anna).Rows()
	if len(got) != 4 || got[1].Title != "Niet veel, niet weinig …" || got[1].Description != "Niet veel, niet weinig vertrouwen" ||
		got[3].Title != "Heel weinig" || got[3].Description != "Heel weinig vertrouwen in de gemeente" {
		t.Errorf("rows %+v", got)
	}
	// the data export goes as a document; an HTML report is not taken
	doc := bot.Message{Text: "Uw gegevens als bestand (JSON).", Document: &bot.File{Name: "mijn-gegevens.json", Data: []byte(`{"pseudonym":"ab12"}`)}}
	if err := r.send(t, doc); err != nil {
		t.Fatal(err)
	}
	if last := r.fake.Last(anna); last.Type != "document" || last.Filename != "mijn-gegevens.json" || last.Text != doc.Text {
		t.Errorf("document: %+v", last)
	}
	html := bot.Message{Text: "Verslag", Document: &bot.File{Name: "verslag.html", Data: []byte("<!DOCTYPE html><html><body>x</body></html>")}}
	if err := r.send(t, html); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("HTML document: %v, want ErrPermanent", err)
	}
	if v := r.fake.LimitStats(); v.Refused != 0 {
		t.Errorf("the fake refused %d messages", v.Refused)
	}
}

func TestSendFailures(t *testing.T) {
	for _, tc := range []struct {
		code int
		want bottest.Class
		chat bool
	}{
		{whatsapptest.CodeUndeliverable, bottest.Class{Kind: bottest.Gone}, false},
		{whatsapptest.CodeRateLimitHit, bottest.Class{Kind: bottest.RateLimited, RetryAfter: time.Second}, false},
		{whatsapptest.CodePairRateLimitHit, bottest.Class{Kind: bottest.RateLimited, RetryAfter: 6 * time.Second, ChatOnly: true}, true},
		{80007, bottest.Class{Kind: bottest.RateLimited, RetryAfter: time.Minute}, false},
		{131000, bottest.Class{Kind: bottest.Temporary}, false},
		{whatsapptest.CodeInvalidParameter, bottest.Class{Kind: bottest.Permanent}, false},
		{whatsapptest.CodeAccessTokenFailed, bottest.Class{Kind: bottest.Permanent}, false},
	} {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			r := newRig(t)
			r.run(t, r.ev)
			r.fake.SendText(anna, "start")
			r.waitEvents(t, 1)
			r.fake.FailNext(tc.code, 1)
			err := r.send(t, bot.Message{Text: "De uitslag staat klaar."})
			if got := bottest.Classify(err); got != tc.want {
				t.Errorf("got %v (%v), want %v", got, err, tc.want)
			}
			var limited *bot.RateLimitedError
			if errors.As(err, &limited) && limited.ChatOnly != tc.chat {
				t.Errorf("ChatOnly %v, want %v", limited.ChatOnly, tc.chat)
			}
			bottest.CheckNoSecrets(t, harnessOf(r), err)
		})
	}
}

// TestOutsideTheWindow: an invitation to a resident who has not written in 24 hours
// goes as its template, whose button starts the round; results and their charts are
// held, told once with the results template, and arrive when the resident taps it; a
// 131047 on a window thought open switches to the template.
func TestOutsideTheWindow(t *testing.T) {
	r := newRig(t)
	r.approveAll()
	r.run(t, r.ev)
	ctx := context.Background()
	invite := bot.Message{Text: "Er staat een nieuwe vragenronde voor u klaar.", Choices: [][]bot.Choice{{{Label: "Doe mee", Data: "go:K7"}}},
		About:  &bot.About{Kind: bot.AboutInvite, Round: "r1"},
		Notice: &bot.Notice{Kind: bot.NoticeInvite, Round: "r1", Title: "Omgevingsvisie Dalfsen", Closes: "vrijdag 18 december om 17:00"}}
	if err := r.send(t, invite); err != nil {
		t.Fatal(err)
	}
	tpl := r.fake.Last(anna)
	if tpl.Type != "template" || tpl.Template.Name != "participatie_uitnodiging" ||
		fmt.Sprint(tpl.Template.BodyParams) != "[Gemeente Dalfsen Omgevingsvisie Dalfsen vrijdag 18 december om 17:00]" ||
		len(tpl.Template.QuickReplies) != 1 || tpl.Template.QuickReplies[0].Payload != "go:K7" {
		t.Fatalf("invitation outside the window: %+v %+v", tpl, tpl.Template)
	}
	r.fake.PressTemplateButton(anna, "go:K7", "Doe mee")
	evs := r.waitEvents(t, 1)
	if evs[0].Kind != bot.ChoiceEvent || evs[0].Data != "go:K7" {
		t.Fatalf("template button: %+v", evs[0])
	}

	// Bram never wrote: his results and both charts wait, and he is told once
	png := bottest.PNG(6, 4)
	ref, err := r.store.PutBlob(ctx, png)
	if err != nil {
		t.Fatal(err)
	}
	notice := &bot.Notice{Kind: bot.NoticeResults, Round: "r1", Title: "Omgevingsvisie Dalfsen"}
	results := bot.Message{To: bot.Address{Channel: "whatsapp", ChatID: bram}, Text: "📊 De uitslag van ‘Omgevingsvisie Dalfsen’", Notice: notice}
	album := bot.Message{To: bot.Address{Channel: "whatsapp", ChatID: bram}, Notice: notice,
		Album: []bot.File{{Name: "a.png", Data: png, Ref: ref, Alt: "Grafiek vertrouwen"}, {Name: "b.png", Data: png, Ref: ref + "x", Alt: "Grafiek centrum"}}}
	for _, m := range []bot.Message{results, album, album} { // the album twice: the outbox tried again
		if err := r.send(t, m); err != nil {
			t.Fatal(err)
		}
	}
	chat := r.fake.Chat(bram)
	if len(chat) != 1 || chat[0].Type != "template" || chat[0].Template.Name != "participatie_uitslag" ||
		chat[0].Template.QuickReplies[0].Payload != "wa:open" {
		t.Fatalf("bram's chat: %+v", chat)
	}
	r.fake.PressTemplateButton(bram, "wa:open", "Bekijk uitslag")
	r.fake.WaitFor(t, 10*time.Second, "the held messages", func() (bool, string) {
		c := r.fake.Chat(bram)
		return len(c) == 4, fmt.Sprintf("%d messages: %+v", len(c), c)
	})
	chat = r.fake.Chat(bram)
	if chat[1].Type != "text" || !strings.HasPrefix(chat[1].Text, "📊") || chat[2].Type != "image" || chat[2].Text != "Grafiek vertrouwen" || chat[3].Type != "image" {
		t.Errorf("released: %+v", chat[1:])
	}
	if got := len(r.ev.seen()); got != 1 {
		t.Errorf("the open button reached the engine: %d events", got)
	}
	// the same chart to Anna goes by the same media id: uploaded once
	uploads := r.fake.Uploads()
	if err := r.send(t, bot.Message{Album: album.Album[:1]}); err != nil {
		t.Fatal(err)
	}
	if r.fake.Uploads() != uploads || uploads != 2 {
		t.Errorf("uploads %d then %d, want 2 and no more", uploads, r.fake.Uploads())
	}

	// a day later Anna's window is closed, though nothing told the channel
	r.later(25 * time.Hour)
	decision := bot.Message{Text: "📣 Terugkoppeling: Omgevingsvisie Dalfsen", Notice: &bot.Notice{Kind: bot.NoticeDecision, Round: "r1", Title: "Omgevingsvisie Dalfsen"}}
	// the window key expires by Redis's clock, which did not move: 131047 decides
	if err := r.send(t, decision); err != nil {
		t.Fatal(err)
	}
	if last := r.fake.Last(anna); last.Type != "template" || last.Template.Name != "participatie_besluit" {
		t.Fatalf("decision after 131047: %+v", last)
	}
	d, err := r.store.Deliveries(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "statuses counted", func() (bool, string) {
		d, _ = r.store.Deliveries(ctx, "r1")
		return d[bot.NoticeInvite]["read"] == 1 && d[bot.NoticeResults]["delivered"] >= 1, fmt.Sprint(d)
	})
}

// harnessOf is the rig as far as CheckNoSecrets needs it.
func harnessOf(r *rig) bottest.Harness { return secretsOnly{r} }

type secretsOnly struct{ r *rig }

func (s secretsOnly) Channel() bot.Channel             { return s.r.ch }
func (s secretsOnly) Start(*testing.T, bot.Handler)    {}
func (s secretsOnly) Chat() string                     { return anna }
func (s secretsOnly) Deliver(*testing.T, string)       {}
func (s secretsOnly) Fail(*testing.T, bottest.Failure) {}
func (s secretsOnly) Requests() []bottest.Request      { return nil }
func (s secretsOnly) Texts(string) []string            { return nil }
func (s secretsOnly) Violations() []string             { return nil }
func (s secretsOnly) Secrets() []string                { return []string{s.r.fake.Token(), appSecret, verifyToken} }
func (s secretsOnly) Logs() string                     { return s.r.logs.String() }

// blocked is a handler that holds every event until released.
type blocked struct {
	release chan struct{}
	got     atomic.Int32
}

func (b *blocked) Handle(ctx context.Context, _ bot.Event) error {
	b.got.Add(1)
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestWebhookAnswersBeforeHandling: Meta gets its 200 as soon as a delivery is
// stored, while the engine is still busy with it (or with others): the webhook's
// answer never waits on the handling.
func TestWebhookAnswersBeforeHandling(t *testing.T) {
	r := newRig(t)
	b := &blocked{release: make(chan struct{})}
	r.run(t, b)
	defer close(b.release)
	ids := []string{r.fake.SendText(anna, "start"), r.fake.SendText(bram, "start"), r.fake.SendText(anna, "status")}
	r.fake.WaitFor(t, 5*time.Second, "three deliveries answered 200", func() (bool, string) {
		ok := 0
		for _, d := range r.fake.Deliveries() {
			if d.Kind == "message" && d.OK() {
				ok++
			}
		}
		return ok == len(ids), fmt.Sprintf("%+v", r.fake.Deliveries())
	})
	// (the handler holds every event until the test ends: each 200 came first)
	if got := b.got.Load(); got > 2 {
		t.Errorf("%d events in the engine at once, want at most one per resident (2)", got)
	}
}

// TestForget: after an erasure the channel keeps nothing about the chat: no window,
// no message held for it.
func TestForget(t *testing.T) {
	r := newRig(t)
	r.run(t, r.ev)
	r.fake.SendText(anna, "start")
	r.waitEvents(t, 1)
	// Bram never wrote: his results are held
	if err := r.send(t, bot.Message{To: bot.Address{Channel: "whatsapp", ChatID: bram}, Text: "📊 De uitslag",
		Notice: &bot.Notice{Kind: bot.NoticeResults, Round: "r1", Title: "Omgevingsvisie"}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n := len(redistest.Keys(t, r.store.Client(), "pb:wa:held:*")) + len(redistest.Keys(t, r.store.Client(), "pb:wa:win:*")); n != 2 {
		t.Fatalf("before Forget: %d held and window keys, want Bram's held message and Anna's window", n)
	}
	for _, who := range []string{anna, bram} {
		if err := r.ch.Forget(ctx, who); err != nil {
			t.Fatal(err)
		}
	}
	keys := redistest.Keys(t, r.store.Client(), "pb:wa:*")
	for _, k := range keys {
		if !strings.HasPrefix(k, "pb:wa:sent:") && !strings.HasPrefix(k, "pb:wa:st:") { // per message and per round, no chat
			t.Errorf("after Forget Redis holds %s", k)
		}
	}
}
