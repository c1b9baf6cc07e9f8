package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

func TestEngineInvite(t *testing.T) {
	h := engNew(t)
	a := h.user("1301", "1301")
	a.join("25 – 44 jaar", "Dalfsen")
	gone := h.user("1302", "1302")
	gone.join("65 jaar of ouder", "Oudleusen")
	if err := h.store.Deactivate(h.ctx, gone.pid()); err != nil {
		t.Fatal(err)
	}
	early := h.user("1303", "1303")
	early.join("16 – 24 jaar", "Hoonhorst")
	h.drain()
	r := h.open("peiling", "peiling-2026-11")
	// early starts the round through /start before the invitations go out
	early.command("start")
	early.press("Doe mee")
	early.press("Bewoner")
	h.drain()

	ok, err := h.invite(r, a.pid())
	if !ok || err != nil {
		t.Fatalf("invite: got %v, %v, want true, nil", ok, err)
	}
	got := h.drain()
	if len(got) != 1 {
		t.Fatalf("invitations: got %d, want 1", len(got))
	}
	inv := got[0]
	if inv.To != (bot.Address{Channel: engChannelName, ChatID: "1301"}) || inv.Participant != a.pid() {
		t.Errorf("invitation address: got %v %q, want test:1301 %q", inv.To, inv.Participant, a.pid())
	}
	if !h.queued[len(h.queued)-1].Quiet {
		t.Errorf("invitation: got not quiet, want held back in quiet hours")
	}
	for _, want := range []string{
		"Er staat een nieuwe vragenronde voor u klaar",
		"Inwonerspeiling Dalfsen",
		"Waarom vragen we dit? We willen weten hoe u de samenwerking met de gemeente ervaart.",
		"Wie beslist? De gemeenteraad",
		"Uw invloed: trede 2 van 5, raadplegen: u geeft uw mening",
		"Wat gebeurt er met uw antwoorden? De uitkomst gaat mee in de Kadernota.",
		"uiterlijk 15 februari 2027",
		"8 vragen · open tot dinsdag 17 november om 10:00",
	} {
		if !strings.Contains(inv.Text, want) {
			t.Errorf("invitation: got %q, want it to contain %q", inv.Text, want)
		}
	}
	if len(inv.Choices) != 1 || len(inv.Choices[0]) != 1 || inv.Choices[0][0] != (bot.Choice{Label: "Doe mee", Data: "go:" + r.Code}) {
		t.Errorf("invitation buttons: got %v, want one Doe mee", inv.Choices)
	}

	tests := []struct {
		name string
		pid  string
	}{
		{"second call for the same round", a.pid()},
		{"inactive participant", gone.pid()},
		{"participant who already started the round", early.pid()},
		{"unknown participant", "0123456789abcdef0123456789abcdef"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.invite(r, tt.pid)
			if ok || err != nil {
				t.Errorf("invite: got %v, %v, want false, nil", ok, err)
			}
			if got := h.drain(); len(got) != 0 {
				t.Errorf("queued: got %q, want nothing", engTexts(got))
			}
		})
	}

	engAnswerAll(t, a)
	if strings.Count(engTexts(h.drain()), "Er staat een nieuwe vragenronde") != 0 {
		t.Errorf("answering queued another invitation")
	}
}

func TestEngineRemind(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	done := h.user("1401", "1401")
	done.join("25 – 44 jaar", "Dalfsen")
	engAnswerAll(t, done)
	busy := h.user("1402", "1402")
	busy.join("25 – 44 jaar", "Dalfsen")
	busy.press("Doe mee")
	busy.press("Bewoner")
	idle := h.user("1403", "1403")
	idle.join("25 – 44 jaar", "Dalfsen")
	h.drain()

	tests := []struct {
		name   string
		u      *engUser
		i      int
		queued bool
		want   string
	}{
		{name: "completed", u: done, i: 0},
		{name: "halfway", u: busy, i: 0, queued: true, want: "U heeft 1 van de 8 vragen beantwoord"},
		{name: "halfway, same reminder again", u: busy, i: 0},
		{name: "halfway, next reminder", u: busy, i: 1, queued: true, want: "Verder"},
		{name: "not started", u: idle, i: 0, queued: true, want: "Het zijn 8 korte vragen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.remind(r, tt.i, tt.u.pid())
			if ok != tt.queued || err != nil {
				t.Fatalf("remind: got %v, %v, want %v, nil", ok, err, tt.queued)
			}
			got := h.drain()
			if !tt.queued {
				if len(got) != 0 {
					t.Errorf("queued: got %q, want nothing", engTexts(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("queued: got %d messages, want 1", len(got))
			}
			all := got[0].Text + fmt.Sprint(got[0].Choices)
			if !strings.Contains(all, "Herinnering") || !strings.Contains(all, tt.want) {
				t.Errorf("reminder: got %q, want %q in it", all, tt.want)
			}
		})
	}
}

func TestEngineSendResults(t *testing.T) {
	h := engNew(t)
	s := engPeiling(h.cfg.Location)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("1501", "1501")
	u.join("25 – 44 jaar", "Dalfsen")
	engAnswerAll(t, u)
	h.close(r.ID)
	h.drain()

	texts, err := h.store.OpenTexts(h.ctx, r.ID, []string{"goed", "beter"})
	if err != nil {
		t.Fatal(err)
	}
	// Threshold 1: with 10 this one participant gets "te weinig deelnemers"
	// instead of numbers (disclosure; see TestSendResultsTooFew).
	// The picks of 60 other residents' triads, so that every option of the
	// wie van de drie has enough showings for a figure (and so a chart).
	tallies := h.tallies(r.ID)
	pool := []string{"betrouwbaar", "open", "dichtbij", "duurzaam", "zorgzaam", "ondernemend"}
	for i := range 60 {
		a := surveys.Answer{Winner: pool[i%6], Losers: []string{pool[(i+1+i/6)%6], pool[(i+3+i/6)%6]}}
		if a.Losers[0] == a.Winner || a.Losers[1] == a.Winner || a.Losers[0] == a.Losers[1] {
			a.Losers = []string{pool[(i+1)%6], pool[(i+2)%6]}
		}
		for _, f := range surveys.TallyFields(s.Questions[len(s.Questions)-2], a, surveys.Profile{}) {
			tallies[f]++
		}
	}
	res := results.Compute(s, results.RoundInfo{ID: r.ID}, tallies, texts, 1)
	ok, err := h.sendResults(r, res, u.pid())
	if !ok || err != nil {
		t.Fatalf("send results: got %v, %v, want true, nil", ok, err)
	}
	got := h.drain()
	// The text, then one album of one chart per chartable question (all six, no
	// longer the first five), each a PNG sent by reference with its alt text.
	if len(got) != 2 || len(got[1].Album) != 6 {
		t.Fatalf("queued: got %d messages, want the text and one album of 6 charts", len(got))
	}
	if m := got[1]; m.Text != "" || m.Image != nil || len(m.Choices) != 0 {
		t.Errorf("album: got %+v, want the charts alone", m)
	}
	for _, f := range got[1].Album {
		if f.Ref == "" || f.Data != nil || f.Alt == "" || !strings.HasSuffix(f.Name, ".png") {
			t.Errorf("chart: got %+v, want an image by reference with its alt text", f)
		}
	}
	for _, want := range []string{"Bedankt voor uw deelname aan Inwonerspeiling Dalfsen", "Uw keuze: Bewoner", "Uw cijfer: 8"} {
		if !strings.Contains(got[0].Text, want) {
			t.Errorf("results: got %q, want %q in it", got[0].Text, want)
		}
	}
	if ok, err := h.sendResults(r, res, u.pid()); ok || err != nil {
		t.Errorf("send results again: got %v, %v, want false, nil", ok, err)
	}
}

func TestEngineReactivation(t *testing.T) {
	tests := []struct {
		name    string
		chat    string
		act     func(u *engUser)
		wantMsg string
	}{
		{"writes again", "1601", func(u *engUser) { u.command("status") }, "U doet mee sinds"},
		{"presses an old button", "1601", func(u *engUser) { u.press("Doe mee") }, "Vraag 1 van 8"},
		{"from a new chat", "1699", func(u *engUser) { u.command("start") }, "Welkom terug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := engNew(t)
			r := h.open("peiling", "peiling-2026-11")
			u := h.user("1601", "1601")
			u.join("25 – 44 jaar", "Dalfsen")
			if err := h.store.Deactivate(h.ctx, u.pid()); err != nil {
				t.Fatal(err)
			}
			if got := h.active(); len(got) != 0 {
				t.Fatalf("active after 403: got %v, want none", got)
			}
			h.users[tt.chat] = u
			u.chatID = tt.chat
			tt.act(u)
			engWantText(t, h.queuedMessages(), tt.wantMsg)
			p := u.participant()
			if !p.Active || p.ChatID != tt.chat || !p.Consented() {
				t.Errorf("participant: got active %v chat %q consented %v, want true %q true", p.Active, p.ChatID, p.Consented(), tt.chat)
			}
			if got := h.active(); !slices.Equal(got, []string{u.pid()}) {
				t.Errorf("active participants: got %v, want %v", got, []string{u.pid()})
			}
			if ok, err := h.invite(r, u.pid()); !ok || err != nil {
				t.Errorf("invite: got %v, %v, want true, nil", ok, err)
			}
			if got := h.drain(); len(got) != 1 || got[0].To.ChatID != tt.chat {
				t.Errorf("invitation: got %v, want one to chat %s", got, tt.chat)
			}
		})
	}
}

// queuedMessages are the messages of the last handled event and before, newest last.
func (h *engHarness) queuedMessages() []bot.Message {
	out := make([]bot.Message, 0, len(h.queued))
	for _, env := range h.queued {
		out = append(out, env.Message)
	}
	return out
}

// TestEngineButtonData runs a survey built to overflow button data: a 40-character id,
// 50 options with 200-character labels (emoji, right-to-left script), and wie van de
// drie with a pool of 100 and 20 triads. Every button must fit Telegram's 64 bytes.
func TestEngineButtonData(t *testing.T) {
	loc := engLocation(t)
	const id = "omgevingsvisie-dalfsen-2040-kernen-wijk1"
	if len(id) != 40 {
		t.Fatalf("survey id: got %d characters, want 40", len(id))
	}
	label := func(i int) string {
		base := fmt.Sprintf("%02d 🌳🏘️ Meer groen en ontmoeting in de wijk — مساحات خضراء — מרחב ירוק 👩‍👩‍👧 ", i)
		l := []rune(strings.Repeat(base, 10))[:200]
		return string(l)
	}
	opts := func(n int) []surveys.Option {
		var out []surveys.Option
		for i := range n {
			out = append(out, surveys.Option{ID: fmt.Sprintf("optie-met-een-lang-id-%03d", i), Label: label(i)})
		}
		return out
	}
	s := engPeiling(loc)
	s.ID = id
	s.Questions = []surveys.Question{
		{ID: "keuze-uit-vijftig-opties-met-een-lang-id", Type: surveys.Single, Text: "Welke?", Options: opts(50)},
		{ID: "meerdere-uit-vijftig-met-een-lang-id-xx", Type: surveys.Multiple, Text: "Welke allemaal?", Options: opts(50), Optional: true},
		{ID: "wie-van-de-drie-uit-honderd-met-lang-id", Type: surveys.WieVanDeDrie, Text: "Wie van de drie?", Options: opts(100), Triads: 20, Optional: true},
	}
	h := engNew(t, s)
	r := h.open(id, "ronde-"+id+"-2026-11-10T10:00")
	u := h.user("1701", "1701")
	u.join("25 – 44 jaar", "Nieuwleusen")

	u.press("Doe mee")
	engWantStep(t, u, "Vraag 1 van 3")
	engWantNumbered(t, u, s.Questions[0].Options)
	u.press("50")
	if a := u.answer(r.ID, s.Questions[0].ID); !slices.Equal(a.Options, []string{s.Questions[0].Options[49].ID}) {
		t.Errorf("answer by number: got %v, want the 50th option", a.Options)
	}
	engWantStep(t, u, "Vraag 2 van 3")
	engWantNumbered(t, u, s.Questions[1].Options)
	u.press("☐ 2")
	u.press("☐ 49")
	u.press("Klaar")
	if a := u.answer(r.ID, s.Questions[1].ID); !slices.Equal(a.Options, []string{s.Questions[1].Options[1].ID, s.Questions[1].Options[48].ID}) {
		t.Errorf("answer by number: got %v, want options 2 and 49", a.Options)
	}
	for i := range 20 {
		engWantStep(t, u, fmt.Sprintf("Vraag 3 van 3 · keuze %d van 20", i+1))
		// the texts on the buttons, numbered as in the list and shortened at a word
		got := u.optionLabels()
		if len(got) != 3 {
			t.Fatalf("triad buttons: got %v, want three", got)
		}
		for k, l := range got {
			if !strings.HasPrefix(l, fmt.Sprintf("%d. ", k+1)) || utf8.RuneCountInString(l) > 45 || !strings.HasSuffix(l, "…") {
				t.Fatalf("triad button %d: got %q, want the number and the text shortened", k+1, l)
			}
		}
		if i == 10 {
			u.press("◀ Vorige")
			u.press(u.optionLabels()[1])
		}
		u.press(u.optionLabels()[2])
	}
	engWantText(t, h.queuedMessages()[len(h.queuedMessages())-1:], "Klaar, bedankt!")
	if got := h.tallies(r.ID)["q:"+s.Questions[2].ID+":n"]; got != 20 {
		t.Errorf("picks: got %v, want 20", got)
	}

	max := engChannel{}.Limits().MaxChoiceData
	n := 0
	for _, env := range h.queued {
		for _, row := range env.Message.Choices {
			for _, c := range row {
				n++
				if len(c.Data) > max {
					t.Errorf("button %q: data %q is %d bytes, want at most %d", c.Label, c.Data, len(c.Data), max)
				}
				if utf8.RuneCountInString(c.Label) > 40+2 {
					t.Errorf("button label %q: %d characters, want the number instead", c.Label, utf8.RuneCountInString(c.Label))
				}
			}
		}
	}
	if n < 150 {
		t.Errorf("buttons checked: got %d, want at least 150", n)
	}
}

// engWantNumbered checks that the newest message lists long options by number and
// its buttons carry the numbers.
func engWantNumbered(t *testing.T, u *engUser, opts []surveys.Option) {
	t.Helper()
	text := u.lastText()
	for i, o := range opts {
		if !strings.Contains(text, fmt.Sprintf("\n%d. %s", i+1, o.Label)) {
			t.Errorf("option %d: not listed with its number in %q", i+1, text)
			return
		}
	}
	labels := u.optionLabels()
	if len(labels) != len(opts) {
		t.Fatalf("buttons: got %d, want %d", len(labels), len(opts))
	}
	for i, l := range labels {
		l = strings.TrimPrefix(strings.TrimPrefix(l, "☐ "), "✅ ")
		if l != fmt.Sprint(i+1) {
			t.Errorf("button %d: got %q, want %q", i, l, fmt.Sprint(i+1))
		}
	}
}
