package bot_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

func TestEngineUpdateHandledOnce(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("1001", "1001")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	ev := u.pressEvent("Bewoner")
	first := h.handle(ev)
	if len(first) == 0 {
		t.Fatalf("first handling: got no reply, want the next question")
	}
	before := h.tallies(r.ID)
	if got := before["q:positie:o:bewoner"]; got != 1 {
		t.Fatalf("tally after first handling: got %v, want 1", got)
	}
	// the handled mark lives as long as a platform may redeliver, not for months
	if ttl := h.rdb.TTL(h.ctx, "pb:seen:"+engChannelName+":"+ev.UpdateID).Val(); ttl <= 0 || ttl > bot.Redelivery {
		t.Errorf("handled mark: got ttl %s, want at most %s", ttl, bot.Redelivery)
	}
	tests := []struct {
		name   string
		replay func()
	}{
		{"same update again", func() {}},
		{"redelivered after a crash before it was marked", func() {
			h.rdb.Del(h.ctx, "pb:seen:"+engChannelName+":"+ev.UpdateID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.replay()
			if got := h.handle(ev); len(got) != 0 {
				t.Errorf("replies: got %q, want none", engTexts(got))
			}
			after := h.tallies(r.ID)
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("tallies: got %v, want %v", after, before)
			}
		})
	}
}

func TestEngineUnder16StoresNothing(t *testing.T) {
	h := engNew(t)
	h.open("peiling", "peiling-2026-11")
	u := h.user("2002", "2002")
	got := u.command("start")
	engWantText(t, got, "hoe oud bent u?")
	got = u.press("Jonger dan 16")
	engWantText(t, got, "jonger bent dan 16 jaar")
	// the age question keeps its place, with the answer marked; the explanation comes
	// below the resident's tap, as a new message, in the je-form
	if len(got) != 2 || got[0].EditRef == "" || !strings.HasSuffix(got[0].Text, "✔ Jonger dan 16") || got[1].EditRef != "" {
		t.Fatalf("explanation: got %q, want the age question edited to the answer, then a new message", engTexts(got))
	}
	if len(got[0].Choices)+len(got[1].Choices) != 0 {
		t.Errorf("explanation buttons: got %v %v, want none", got[0].Choices, got[1].Choices)
	}
	if !strings.Contains(got[1].Text, "Omdat je jonger bent") {
		t.Errorf("explanation: got %q, want it to speak to a child with je", got[1].Text)
	}
	if _, err := h.store.Participant(h.ctx, u.pid()); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("participant: got %v, want ErrNotFound", err)
	}
	if got := h.active(); len(got) != 0 {
		t.Errorf("active participants: got %v, want none", got)
	}
	keys := redistest.Keys(t, h.rdb, "*"+u.pid()+"*")
	if len(keys) != 0 {
		t.Errorf("keys about the resident: got %v, want none", keys)
	}
	for _, env := range h.queued {
		if env.Message.Participant != "" {
			t.Errorf("queued message names participant %q, want none for a resident who did not consent", env.Message.Participant)
		}
	}
}

func TestEngineConsent(t *testing.T) {
	tests := []struct {
		name, age, answer, kern string
		consented               bool
		wantLeeftijd, wantKern  string
	}{
		{name: "yes with kern", age: "25 – 44 jaar", answer: "Ja, ik doe mee", kern: "Nieuwleusen",
			consented: true, wantLeeftijd: "25-44", wantKern: "Nieuwleusen"},
		{name: "yes without kern", age: "65 jaar of ouder", answer: "Ja, ik doe mee", kern: "Zeg ik liever niet",
			consented: true, wantLeeftijd: "65+"},
		{name: "age not told", age: "16 of ouder, zeg ik liever niet", answer: "Ja, ik doe mee", kern: "Hoonhorst",
			consented: true, wantKern: "Hoonhorst"},
		{name: "no", age: "25 – 44 jaar", answer: "Nee, liever niet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := engNew(t)
			u := h.user("3003", "3003")
			u.command("start")
			got := u.press(tt.age)
			engWantText(t, got, "privacytekst versie 2026-01")
			h.now = h.now.Add(time.Minute) // the consent time is the clock's, not the round's
			got = u.press(tt.answer)
			if !tt.consented {
				engWantText(t, got, "we slaan niets van u op")
				if _, err := h.store.Participant(h.ctx, u.pid()); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("participant: got %v, want ErrNotFound", err)
				}
				return
			}
			engWantText(t, got, "In welke kern woont u?")
			p := u.participant()
			if !p.Consented() || p.ConsentVersion != "2026-01" || !p.ConsentAt.Equal(h.now) {
				t.Errorf("consent: got %q at %v, want %q at %v", p.ConsentVersion, p.ConsentAt, "2026-01", h.now)
			}
			if p.Leeftijd != tt.wantLeeftijd || !p.Active || p.ChatID != "3003" || p.Channel != engChannelName {
				t.Errorf("participant: got leeftijd %q active %v chat %q channel %q, want %q true 3003 %s",
					p.Leeftijd, p.Active, p.ChatID, p.Channel, tt.wantLeeftijd, engChannelName)
			}
			got = u.press(tt.kern)
			engWantText(t, got, "Woonkern:")
			if p := u.participant(); p.Kern != tt.wantKern {
				t.Errorf("kern: got %q, want %q", p.Kern, tt.wantKern)
			}
			if got := h.active(); !slices.Equal(got, []string{u.pid()}) {
				t.Errorf("active participants: got %v, want %v", got, []string{u.pid()})
			}
		})
	}
}

// TestEngineForgedButtons hands the engine button data no button of it carries (a
// modified client, the web chat): it must answer politely, not panic or store anything.
func TestEngineForgedButtons(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	member := h.user("4004", "4004")
	member.join("25 – 44 jaar", "Dalfsen")
	member.press("Doe mee")
	datas := []string{"", ":", "age:-1", "age:4", "age:x", "ok:-1", "ok:4", "ok:-9", "kern:-1", "kern:99",
		"kern:x", "stop", "zzz:1", "a:" + r.Code + ":-1:0", "a:" + r.Code + ":0:-1", "a:" + r.Code + ":0:99",
		"a:" + r.Code + ":99:0", "w:" + r.Code + ":6:5:0", "w:" + r.Code + ":6:0:3", "t:" + r.Code + ":1:9:1",
		"b:" + r.Code + ":9:0", "go:nosuchcd", "a:nosuchcd:0:0", "d:" + r.Code, "s:" + r.Code + ":0",
		// a verb no button carries with a valid round code crashed the service (issue 9)
		"zz:" + r.Code, "zz:" + r.Code + ":1", "x:" + r.Code + ":0:0:0", "a:" + r.Code + ":00:0",
		"a:" + r.Code + ":+0:0", "go:" + r.Code + ":0", "e:" + r.Code + ":", "p:" + r.Code + ":6:0:0:1:2:3",
		"me:1", "forget", "forget:x", "stop:y:y", "age:u16:1", "no:1", "kern:01", "\xff", strings.Repeat("a:", 200)}
	for i, data := range datas {
		t.Run(fmt.Sprintf("%q", data), func(t *testing.T) {
			stranger := h.user(strconv.Itoa(5000+i), strconv.Itoa(5000+i))
			for _, u := range []*engUser{stranger, member} {
				before := h.tallies(r.ID)
				got := u.pressData(data, "")
				if len(got) == 0 {
					t.Errorf("replies: got none, want a polite answer")
				}
				if after := h.tallies(r.ID); fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("tallies: got %v, want %v", after, before)
				}
			}
			if _, err := h.store.Participant(h.ctx, stranger.pid()); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("stranger: got %v, want ErrNotFound", err)
			}
			if p := member.participant(); !p.Consented() || p.Leeftijd != "25-44" || p.Kern != "Dalfsen" {
				t.Errorf("member: got %+v, want the profile unchanged", p)
			}
		})
	}
}

func TestEngineStop(t *testing.T) {
	h := engNew(t)
	u := h.user("6006", "6006")
	u.join("45 – 64 jaar", "Lemelerveld")

	engWantText(t, u.command("stop"), "Wilt u zich afmelden?")
	engWantText(t, u.press("Nee, ik blijf"), "u blijft aangemeld")
	if p := u.participant(); !p.Consented() || !p.Active {
		t.Fatalf("after Nee: got consented %v active %v, want true true", p.Consented(), p.Active)
	}

	u.command("stop")
	engWantText(t, u.press("Ja, afmelden"), "U bent afgemeld")
	p := u.participant()
	if p.Consented() || p.Active || p.Kern != "" || p.Leeftijd != "" {
		t.Errorf("withdrawn: got consented %v active %v kern %q leeftijd %q, want false false \"\" \"\"",
			p.Consented(), p.Active, p.Kern, p.Leeftijd)
	}
	if got := h.active(); len(got) != 0 {
		t.Errorf("active participants: got %v, want none", got)
	}

	r := h.open("peiling", "peiling-2026-11")
	if ok, err := h.invite(r, u.pid()); ok || err != nil {
		t.Errorf("invite after stop: got %v, %v, want false, nil", ok, err)
	}
	if ok, err := h.remind(r, 0, u.pid()); ok || err != nil {
		t.Errorf("reminder after stop: got %v, %v, want false, nil", ok, err)
	}
	if got := h.drain(); len(got) != 0 {
		t.Errorf("queued after stop: got %q, want nothing", engTexts(got))
	}
	engWantText(t, u.send("Hoe gaat het nu verder?"), "U doet nog niet mee")

	got := u.command("start")
	engWantText(t, got, "hoe oud bent u?")
	u.press("25 – 44 jaar")
	u.press("Ja, ik doe mee")
	u.press("Oudleusen")
	if p := u.participant(); !p.Consented() || !p.Active || p.Kern != "Oudleusen" || p.Leeftijd != "25-44" {
		t.Errorf("joined again: got %+v, want consented, active, Oudleusen, 25-44", p)
	}
	if ok, err := h.invite(r, u.pid()); !ok || err != nil {
		t.Errorf("invite after joining again: got %v, %v, want true, nil", ok, err)
	}
}

// TestEnginePseudonym checks that Redis never holds the raw platform user id, and the
// chat id only where a message must be delivered.
func TestEnginePseudonym(t *testing.T) {
	const userID, chatID = "777000111", "555000222"
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user(userID, chatID)
	u.join("25 – 44 jaar", "Dalfsen")
	engAnswerAll(t, u)
	u.command("status")
	if _, err := h.invite(r, u.pid()); err != nil {
		t.Fatal(err)
	}
	h.drain()

	keys := redistest.Keys(t, h.rdb, "*")
	for _, key := range keys {
		if strings.Contains(key, userID) || strings.Contains(key, chatID) {
			t.Errorf("key %q holds a platform id", key)
		}
		for field, value := range engDump(t, h, key) {
			if strings.Contains(field, userID) || strings.Contains(value, userID) {
				t.Errorf("%s %q = %q holds the raw user id", key, field, value)
			}
			if !strings.Contains(field+value, chatID) {
				continue
			}
			deliver := key == "pb:p:"+u.pid() && field == "chat" ||
				strings.HasPrefix(key, "pb:{ob:") // queued messages carry their address
			if !deliver {
				t.Errorf("%s %q = %q holds the chat id", key, field, value)
			}
		}
	}
	if strings.Contains(h.logs.String(), userID) {
		t.Errorf("logs hold the raw user id:\n%s", h.logs.String())
	}
}

// TestEngineUpdateIDs covers update ids that are missing or come back later for
// someone else (Telegram numbers updates at random after a week without any).
func TestEngineUpdateIDs(t *testing.T) {
	t.Run("no update id: every event is handled", func(t *testing.T) {
		h := engNew(t)
		u := h.user("1801", "1801")
		for i := range 3 {
			ev := u.event(bot.CommandEvent)
			ev.UpdateID, ev.Command = "", "help"
			if got := h.handle(ev); len(got) != 1 {
				t.Errorf("event %d: got %d replies, want 1", i, len(got))
			}
		}
	})
	t.Run("update id used again after a week by another resident", func(t *testing.T) {
		h := engNew(t)
		a, b := h.user("1802", "1802"), h.user("1803", "1803")
		ev := a.event(bot.CommandEvent)
		ev.Command = "help"
		if got := h.handle(ev); len(got) != 1 {
			t.Fatalf("first resident: got %d replies, want 1", len(got))
		}
		h.rdb.Del(h.ctx, "pb:seen:"+engChannelName+":"+ev.UpdateID) // the mark expired
		ev.UserID, ev.ChatID = b.userID, b.chatID
		if got := h.handle(ev); len(got) != 1 {
			t.Errorf("second resident: got %d replies, want 1", len(got))
		}
	})
}

func TestEngineConsentButtonsAfterJoining(t *testing.T) {
	h := engNew(t)
	u := h.user("1901", "1901")
	u.join("25 – 44 jaar", "Dalfsen")
	tests := []struct {
		name, data, want string
	}{
		{"Nee, liever niet", "no", "U doet al mee"},
		{"Ja, ik doe mee", "ok:1", "U doet al mee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := u.pressData(tt.data, "")
			engWantText(t, got, tt.want)
			if strings.Contains(engTexts(got), "niets van u op") {
				t.Errorf("reply: got %q, want no claim that nothing is stored", engTexts(got))
			}
			if p := u.participant(); !p.Consented() || p.Kern != "Dalfsen" || p.Leeftijd != "25-44" {
				t.Errorf("participant: got %+v, want unchanged", p)
			}
		})
	}
}
