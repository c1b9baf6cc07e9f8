package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// member is one simulated member of the municipality's Discord server, in a DM with the bot.
type member struct {
	dc   *discordtest.Server
	id   string
	last int      // index of the newest message handled in the DM
	ids  []string // interactions this member made
	mu   sync.Mutex
}

func (m *member) uid() int64 {
	n, _ := strconv.ParseInt(m.id, 10, 64)
	return n
}

func (m *member) made(id string, err error) error {
	m.mu.Lock()
	m.ids = append(m.ids, id)
	m.mu.Unlock()
	return err
}

func (m *member) messages() []discordtest.Message {
	ch := m.dc.DMChannel(m.id)
	if ch == "" {
		return nil
	}
	return m.dc.Messages(ch)
}

// await waits for the newest message at or after the last handled one containing s.
func (m *member) await(s string) (discordtest.Message, error) {
	var found discordtest.Message
	at := -1
	if testwait.Poll(120*time.Second, func() bool {
		msgs := m.messages()
		for i := len(msgs) - 1; i >= 0 && i >= m.last; i-- {
			if strings.Contains(msgs[i].Content, s) {
				found, at = msgs[i], i
				return true
			}
		}
		return false
	}) {
		m.last = at
		return found, nil
	}
	var texts []string
	for i, msg := range m.messages() {
		texts = append(texts, fmt.Sprintf("#%d %q", i, msg.Content))
	}
	return discordtest.Message{}, fmt.Errorf("member %s: no message containing %q after #%d:\n%s", m.id, s, m.last, strings.Join(texts, "\n"))
}

func (m *member) click(msg discordtest.Message, label string) error {
	for _, row := range msg.Components {
		for _, c := range row.Components {
			if c.Label == label {
				return m.made(m.dc.Click(m.id, msg.ID, c.CustomID))
			}
			for _, o := range c.Options {
				if o.Label == label {
					return m.made(m.dc.Select(m.id, msg.ID, c.CustomID, o.Value))
				}
			}
		}
	}
	return fmt.Errorf("member %s: no button or option %q on %q", m.id, label, msg.Content)
}

// withDiscord turns on serve's Discord channel against a fake Discord, its rate
// limit raised (the fake's limits are injected by the tests).
func withDiscord(h *harness) *discordtest.Server {
	dc := discordtest.NewServer(h.t, "discord-test-token")
	h.env["DISCORD_TOKEN"] = "discord-test-token"
	h.env["DISCORD_API_BASE"] = dc.URL()
	h.env["DISCORD_RATE_LIMIT"] = "1000"
	return dc
}

// joinDiscord adds n members (ids prefix + 5 digits) to the fake's server and takes
// each through /deelnemen (even ones in the server, odd ones in the DM), the age,
// the consent and the kern.
func joinDiscord(t *testing.T, dc *discordtest.Server, prefix string, n int) []*member {
	t.Helper()
	members := make([]*member, n)
	for i := range members {
		members[i] = &member{dc: dc, id: fmt.Sprintf("%s%05d", prefix, i)}
		dc.AddMember(members[i].id, fmt.Sprintf("lid%d", i))
	}
	dc.WaitFor(t, 10*time.Second, "the gateway connection", dc.Connected)
	parallel(t, n, func(i int) error {
		m := members[i]
		_ = m.made(dc.Slash(m.id, "deelnemen", i%2 == 0, nil), nil)
		if err := m.step("hoe oud bent u", ageLabels[i%4]); err != nil {
			return err
		}
		if err := m.step("Gaat u akkoord", "Ja, ik doe mee"); err != nil {
			return err
		}
		if err := m.step("In welke kern woont u", kernen[i%6]); err != nil {
			return err
		}
		_, err := m.await("Bedankt!")
		return err
	})
	return members
}

func (m *member) step(contains, label string) error {
	msg, err := m.await(contains)
	if err != nil {
		return err
	}
	return m.click(msg, label)
}

// answer takes member i through the seven questions of the e2e survey.
func (m *member) answer(i int, exp *expect) error {
	pos, ks, lik, cijfer, _ := plan(i)
	if err := m.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
		return err
	}
	if err := m.step("Vraag 1 van 7", posities[pos]); err != nil {
		return err
	}
	msg, err := m.await("Vraag 2 van 7")
	if err != nil {
		return err
	}
	for _, k := range ks {
		if err := m.click(msg, "☐ "+kansen[k]); err != nil {
			return err
		}
	}
	if err := m.click(msg, "Klaar"); err != nil {
		return err
	}
	if err := m.step("Vraag 3 van 7", likert[lik]); err != nil {
		return err
	}
	if err := m.step("Vraag 4 van 7", fmt.Sprint(cijfer)); err != nil {
		return err
	}
	if err := m.step("Vraag 5 van 7", "✏️ Antwoord typen"); err != nil {
		return err
	}
	goed := fmt.Sprintf("Goed overleg @everyone (lid %d)", i)
	_ = m.made(m.dc.SubmitModal(m.id, "antwoord", map[string]string{"tekst": goed}), nil)
	for t := 1; t <= 2; t++ {
		msg, err := m.await(fmt.Sprintf("Vraag 6 van 7 · keuze %d van 2", t))
		if err != nil {
			return err
		}
		pick := msg.Components[i%3].Components[0].Label
		if err := m.click(msg, pick); err != nil {
			return err
		}
		a := surveys.Answer{Winner: exp.id("waarden", pick)}
		exp.mu.Lock()
		exp.wins[pick]++
		for _, row := range msg.Components[:3] {
			exp.shown[row.Components[0].Label]++
			if l := row.Components[0].Label; l != pick {
				a.Losers = append(a.Losers, exp.id("waarden", l))
			}
		}
		exp.mu.Unlock()
		exp.answer(m.uid(), fmt.Sprintf("waarden#%d", t-1), a)
	}
	if err := m.step("Vraag 7 van 7", "Overslaan"); err != nil {
		return err
	}
	if _, err = m.await("Klaar, bedankt!"); err != nil {
		return err
	}
	exp.add("positie", posities[pos])
	var kansIDs []string
	for _, k := range ks {
		exp.add("kansen", kansen[k])
		kansIDs = append(kansIDs, exp.id("kansen", kansen[k]))
	}
	exp.add("luistert", likert[lik])
	exp.add("cijfer", fmt.Sprint(cijfer))
	for field, a := range map[string]surveys.Answer{
		"positie": {Options: []string{exp.id("positie", posities[pos])}}, "kansen": {Options: kansIDs},
		"luistert": {Options: []string{fmt.Sprint(lik + 1)}}, "cijfer": {Options: []string{fmt.Sprint(cijfer)}},
		"goed": {Text: goed}, "beter": {Skipped: true},
	} {
		exp.answer(m.uid(), field, a)
	}
	exp.mu.Lock()
	defer exp.mu.Unlock()
	exp.open["goed"] = append(exp.open["goed"], goed)
	exp.skipped["beter"]++
	return nil
}

func TestEndToEndRoundOnDiscordAndTelegram(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	dc := withDiscord(h)
	h.env["STUURGROEP_CHATS"] = "telegram:-100999,discord:" + dc.GuildChannelID()
	public := h.publicAddr()            // the charts go by URL, fetched by Discord's media proxy
	dc.MessageBuckets(5, 5*time.Second) // Discord's bucket per DM, named in every answer
	h.serve()
	const n = 30
	members := joinDiscord(t, dc, "2000000000000", n)
	tg := h.resident(4001)
	if err := tg.join(ageLabels[1], kernen[0]); err != nil {
		t.Fatal(err)
	}
	// The last member closes DMs: one refused invitation, then no more tries.
	closed := members[n-1]
	dc.CloseDMs(closed.id)
	answering := members[:n-1]
	// The first message send of the round hits the bot's global limit: every send
	// waits retry_after.
	dc.RateLimit("/api/v9/channels/", 1, time.Second, true)
	out := h.cli("rounds", "open", "e2e")
	rid := strings.Fields(out)[1]
	exp := newExpect(loadE2E(t))
	parallel(t, len(answering), func(i int) error { return answering[i].answer(i, exp) })
	if err := answerRound(tg, 1, exp, nil); err != nil {
		t.Fatal(err)
	}
	h.cli("rounds", "close", rid)
	for _, m := range answering {
		if _, err := m.await("Bedankt voor uw deelname"); err != nil {
			t.Fatal(err)
		}
	}
	// Discord and Telegram answers land in one set of tallies, exactly, and every
	// member's results message is the personal summary of their own answers.
	res := h.results(rid)
	checkResults(t, res, exp, n, n+1)
	res.Survey = loadE2E(t)
	wantCharts := resultCharts(t, res)
	for i, m := range answering {
		msgs := m.messages()
		want := results.PersonalSummary(lang.Dutch(), res, exp.answers[m.uid()], surveys.Profile{Kern: kernen[i%6]})
		// The summary may be longer than Discord's 2,000 characters: the bot then
		// sends it in parts (bot.SplitBy), one after the other, which add up to it.
		got := ""
		for _, msg := range msgs {
			switch {
			case strings.HasPrefix(msg.Content, "Bedankt voor uw deelname"):
				got = msg.Content
			case got != "" && len(got) < len(want) && msg.Content != "" && len(msg.Embedded) == 0:
				got += msg.Content
			}
		}
		if got != want {
			t.Errorf("member %s: results message\n%s\nwant\n%s", m.id, got, want)
		}
		// The charts follow as one message, each shown by an embed that carries its
		// alt text, its image by URL from this service (no upload): Discord's media
		// proxy fetches it once for every member.
		dc.WaitFor(t, 10*time.Second, "the charts on Discord", func() bool { return len(chartMessages(m.messages())) >= 1 })
		charts := chartMessages(m.messages())
		if len(charts) != 1 || len(charts[0].Files) != 0 || len(charts[0].Embedded) != len(wantCharts) {
			t.Fatalf("member %s: got %d chart messages, want one with %d charts by URL", m.id, len(charts), len(wantCharts))
		}
		for j, e := range charts[0].Embedded {
			img, fetched := dc.Image(e.Image)
			if !strings.HasPrefix(e.Image, public+"/bijlage/") || !fetched || !img.OK() || !bytes.Equal(img.Bytes, wantCharts[j].PNG) ||
				e.Description != bot.Clip(wantCharts[j].Alt, 6000/len(wantCharts)) {
				t.Errorf("member %s: chart %d (%s) is not %s with its alt text: fetched %v %+v", m.id, j, e.Image, wantCharts[j].Name, fetched, img.Status)
			}
		}
	}
	if got := dc.ImageFetches(); len(got) != len(wantCharts) {
		t.Errorf("the media proxy fetched %d images, want each of the %d charts once", len(got), len(wantCharts))
	}

	// The stuurgroep summary arrives on Discord exactly as on Telegram.
	h.tg.WaitFor(t, 10*time.Second, "the stuurgroep summary on Telegram", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") == 1 })
	want := lastPrefix(h.tg.Chat(-100999), "Stuurgroep")
	dc.WaitFor(t, 10*time.Second, "the stuurgroep summary on Discord", func() bool {
		return countContainsDC(dc.Messages(dc.GuildChannelID()), want) == 1
	})

	// A button from the closed round answers politely instead of recording.
	m0 := answering[0]
	m0.last = 0
	if err := m0.step("Klaar, bedankt!", "Antwoorden wijzigen"); err != nil {
		t.Fatal(err)
	}
	if _, err := m0.await("Deze ronde is gesloten"); err != nil {
		t.Fatal(err)
	}

	var refused, limited int
	for _, r := range dc.Requests() {
		switch {
		case r.Status == 403 && strings.Contains(r.Path, dc.DMChannel(closed.id)):
			refused++
		case r.Status == 429:
			limited++
		}
	}
	if refused != 1 || limited != 1 {
		t.Errorf("refused DMs / rate limited: got %d/%d, want 1/1", refused, limited)
	}
	if n := dc.RouteRefused(); n != 0 {
		t.Errorf("the DMs' message buckets refused %d requests, want none", n)
	}
	// After the 429 the whole channel waits retry_after. Requests already on their
	// way when the 429 reached the bot are not its choice: the fake notes a request
	// when its handler runs, and under -race on a busy 2-core machine a request sent
	// before the bot could know of the 429 was noted up to 180 ms after it; a pause
	// not kept would show as sends throughout the second.
	const inFlight = 300 * time.Millisecond
	if inside := dc.InsideRetryAfter(inFlight); len(inside) > 0 {
		t.Errorf("%d requests within retry_after of the global 429: %q", len(inside), inside)
	}
	for _, m := range members {
		for _, id := range m.ids {
			rs := dc.Responses(id)
			if len(rs) != 1 || rs[0].Status != 204 || rs[0].Delay >= 3*time.Second || dc.Failed(id) {
				t.Errorf("interaction %s: %d responses, first after %v; want one within 3s", id, len(rs), rs)
			}
		}
	}
	// the decision, to every member who took part, closes the loop
	besluit := filepath.Join(t.TempDir(), "besluit.txt")
	decision := "De raad besloot één aanspreekpunt voor initiatieven in te stellen."
	if err := os.WriteFile(besluit, []byte(decision), 0o600); err != nil {
		t.Fatal(err)
	}
	h.cli("decide", rid, "--text", besluit)
	parallel(t, len(answering), func(i int) error {
		_, err := answering[i].await(decision)
		return err
	})
	// what a whole round costs on Discord, onboarding to decision (the closing note's figure)
	t.Log(perMember(requestKinds(dc.Requests()), n))
	if c := countContainsDC(closed.messages(), "Bedankt voor uw deelname"); c != 0 {
		t.Errorf("member with closed DMs got %d results messages", c)
	}
	for _, m := range members {
		for _, msg := range m.messages() {
			var am struct {
				Parse []string `json:"parse"`
				Users []string `json:"users"`
				Roles []string `json:"roles"`
			}
			if err := json.Unmarshal(msg.AllowedMentions, &am); err != nil || am.Parse == nil || len(am.Parse)+len(am.Users)+len(am.Roles) != 0 {
				t.Fatalf("message %q: allowed_mentions %s, want none allowed", msg.Content, msg.AllowedMentions)
			}
		}
	}
}

// chartMessages are the messages with embeds that show images: the results' charts.
func chartMessages(msgs []discordtest.Message) []discordtest.Message {
	var out []discordtest.Message
	for _, m := range msgs {
		if len(m.Embedded) > 0 && m.Embedded[0].Image != "" {
			out = append(out, m)
		}
	}
	return out
}

func countContainsDC(msgs []discordtest.Message, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Content, s) {
			n++
		}
	}
	return n
}

func TestDiscordSelectMenuBeyond25Options(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	var opts []string
	for i := 1; i <= 30; i++ {
		opts = append(opts, fmt.Sprintf("    - \"Straat %02d\"", i))
	}
	survey := `id: straten
title: "Herinrichting: welke straat eerst?"
participatiekaart:
  doel: "We willen weten welke straat inwoners als eerste heringericht zien."
  wie_beslist: college
  trede: raadplegen
  wat_gebeurt_er_mee: "De volgorde gaat mee in het Integraal Meerjaren Programma Openbare Ruimte."
  terugkoppeling: 2030-03-01
procesevaluatie: false
schedule:
  opens: "2030-01-01 09:00"
  duration: 7d
questions:
  - id: straat
    type: single
    text: "Welke straat moet als eerste worden heringericht?"
    options:
` + strings.Join(opts, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(h.env["SURVEYS_DIR"], "straten.yaml"), []byte(survey), 0o600); err != nil {
		t.Fatal(err)
	}
	dc := discordtest.NewServer(t, "discord-test-token")
	h.env["DISCORD_TOKEN"], h.env["DISCORD_API_BASE"] = "discord-test-token", dc.URL()
	h.env["ANNOUNCE_CHATS"] = "discord:" + dc.GuildChannelID()
	h.serve()
	m := &member{dc: dc, id: "300000000000000001"}
	dc.AddMember(m.id, "lid")
	dc.WaitFor(t, 10*time.Second, "the gateway connection", dc.Connected)
	dc.WaitFor(t, 10*time.Second, "the slash commands", func() bool { return len(dc.Commands("")) > 0 })
	var names []string
	for _, raw := range dc.Commands("") {
		var c struct{ Name string }
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "deelnemen stoppen status hulp mijngegevens vergeetmij taal rondes uitslag open sluit" {
		t.Errorf("slash commands: got %q", got)
	}
	_ = m.made(dc.Slash(m.id, "deelnemen", false, nil), nil)
	for _, s := range [][2]string{{"hoe oud bent u", ageLabels[2]}, {"Gaat u akkoord", "Ja, ik doe mee"}, {"In welke kern woont u", kernen[3]}} {
		if err := m.step(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	rid := strings.Fields(h.cli("rounds", "open", "straten"))[1]
	if err := m.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
		t.Fatal(err)
	}

	// The round is announced in the server; "Doe mee" there starts joining in a DM.
	newcomer := &member{dc: dc, id: "300000000000000002"}
	dc.AddMember(newcomer.id, "nieuw")
	var ann discordtest.Message
	dc.WaitFor(t, 10*time.Second, "the announcement", func() bool {
		msgs := dc.Messages(dc.GuildChannelID())
		if len(msgs) == 1 {
			ann = msgs[0]
		}
		return len(msgs) == 1
	})
	if !strings.Contains(ann.Content, "Nieuwe vragenronde") || !strings.Contains(ann.Content, "Wie beslist?") {
		t.Errorf("announcement: got %q, want the participatiekaart", ann.Content)
	}
	if err := newcomer.click(ann, "Doe mee"); err != nil {
		t.Fatal(err)
	}
	if _, err := newcomer.await("hoe oud bent u"); err != nil {
		t.Fatal(err)
	}
	q, err := m.await("Vraag 1 van 1")
	if err != nil {
		t.Fatal(err)
	}
	var menus []int
	for _, row := range q.Components {
		if c := row.Components[0]; len(c.Options) > 0 {
			menus = append(menus, len(c.Options))
		}
	}
	if fmt.Sprint(menus) != "[25 5]" {
		t.Errorf("select menus: got %v, want [25 5]", menus)
	}
	if err := m.click(q, "Straat 27"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.await("Klaar, bedankt!"); err != nil {
		t.Fatal(err)
	}
	_ = m.made(dc.Slash(m.id, "status", false, nil), nil)
	if _, err := m.await("klaar ✅"); err != nil {
		t.Fatal(err)
	}
	_ = m.made(dc.Slash(m.id, "stoppen", false, nil), nil)
	if err := m.step("Wilt u zich afmelden?", "Ja, afmelden"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.await("U bent afgemeld"); err != nil {
		t.Fatal(err)
	}
	for _, o := range h.results(rid).Questions[0].Options {
		if want := map[bool]int64{true: 1}[o.Label == "Straat 27"]; o.Count != want {
			t.Errorf("%s: got %d, want %d", o.Label, o.Count, want)
		}
	}
}
