package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// TestEndToEndRoundAcrossChannels: one round of the e2e survey (every question
// type) through the real serve, answered at once by residents on Telegram, on
// WhatsApp and in the web chat. The fake Cloud API's clock (the 24-hour window)
// is moved ahead where a day passes; the bot keeps its windows on its own clock,
// so it learns of a closed window only from Meta's 131047, as after a restart or
// a lost write.
//
//   - 10 Telegram, 30 WhatsApp and 3 web-chat residents join (age, consent with
//     the municipality named, kern); five WhatsApp residents a day earlier.
//   - WhatsApp replies come as quickly as the others' (the pair rate's burst).
//   - One WhatsApp resident cannot be reached: Meta takes the bot's reply and
//     reports it failed with 131026; the resident ends inactive and gets nothing
//     more: no invitation, results or decision.
//   - The five who joined early are outside their window at the invitation: Meta
//     refuses it (131047) once, they get the template participatie_uitnodiging,
//     whose button carries the invitation's own "Doe mee", and pressing it starts
//     the round. The others get the invitation as a message.
//   - Everyone answers every question type (plan of e2e_test); five WhatsApp
//     residents finish a day before the others answer the last question, so they
//     are outside the window at the close; one WhatsApp resident changes an answer.
//   - Exact tallies over the three channels (checkResults, checkRawExports); every
//     results message is the resident's personal summary; the charts follow it on
//     every channel, on WhatsApp by the media id of one upload per chart. The five
//     outside get one participatie_uitslag template each, and its button brings
//     their results and charts.
//   - "hulp" and "mijn gegevens" typed on WhatsApp; the data file as a document.
//   - A month later the decision: every WhatsApp resident, all outside the window
//     by then, gets one participatie_besluit template; its button brings it.
//   - The fake refused nothing for throughput or pair rate, and the round's
//     statuses count each WhatsApp invitation sent, delivered and read once.
func TestEndToEndRoundAcrossChannels(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	began := time.Now()
	phase := func(what string) { t.Logf("%6.1fs %s", time.Since(began).Seconds(), what) }
	h := newHarness(t)
	wa := withWhatsApp(h)
	h.serve()
	wa.hook(h)
	base := h.baseURL()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)
	pseudonym := bot.NewEngine(bot.EngineConfig{Secret: []byte(h.env["PSEUDONYM_KEY"])}, st, nil, nil, nil).Pseudonym
	sv := loadE2E(t)
	exp := newExpect(sv)
	pool, err := poolLabels(sv, "waarden")
	if err != nil {
		t.Fatal(err)
	}

	// Resident j of all has age j%4, kern j%6 and answers plan(j): Telegram first,
	// then WhatsApp, then the web chat.
	const nTG, nWA, nWeb = 10, 30, 3
	tgs := make([]*resident, nTG)
	was := make([]*waResident, nWA)
	webs := make([]*webResident, nWeb)
	kernOf := map[int64]string{}
	for j := range nTG + nWA + nWeb {
		var key int64
		switch {
		case j < nTG:
			tgs[j] = h.resident(int64(5000 + j))
			key = tgs[j].uid
		case j < nTG+nWA:
			was[j-nTG] = wa.resident(j)
			key = was[j-nTG].key
		default:
			w, err := newWebResident(base, int64(9_000_000+j))
			if err != nil {
				t.Fatal(err)
			}
			webs[j-nTG-nWA] = w
			key = w.key
		}
		kernOf[key] = kernen[j%6]
	}
	join := func(j int) error {
		age, kern := ageLabels[j%4], kernen[j%6]
		switch {
		case j < nTG:
			return tgs[j].join(age, kern)
		case j < nTG+nWA:
			return was[j-nTG].join(age, kern)
		}
		return webs[j-nTG-nWA].join(age, kern)
	}
	// Five WhatsApp residents join a day early (by Meta's clock) and write nothing
	// since: at the invitation they are outside their window, and the bot does not
	// know it (its window keys run on its own clock).
	outInvite := was[0:5]
	parallel(t, len(outInvite), func(i int) error { return join(nTG + i) })
	wa.later(25 * time.Hour)
	parallel(t, nTG+nWA+nWeb-len(outInvite), func(j int) error {
		if j >= nTG {
			j += len(outInvite)
		}
		return join(j)
	})
	phase("43 residents joined, 5 of them a day early")
	// A WhatsApp resident's next message comes as fast as for the others: the pair
	// rate (one message every 6 seconds to one number) allows a burst of 45, and the
	// channel declares a burst of 40 (whatsapp.DefaultLimits.PerChatBurst).
	slowestReply(t, was)

	// The last WhatsApp resident's number can no longer be reached: Meta takes the
	// bot's reply to their "status" and reports it failed a moment later. Nothing
	// else goes to WhatsApp now, so that reply is the next message Meta takes.
	gone := was[nWA-1]
	goneMsgs := len(wa.Chat(gone.id))
	wa.FailNextAsync(whatsapptest.CodeUndeliverable, 1)
	gone.say("status")
	wa.WaitFor(t, 20*time.Second, "the unreachable resident marked inactive", func() (bool, string) {
		p, err := st.Participant(ctx, pseudonym("whatsapp", gone.id))
		return err == nil && p != nil && !p.Active, fmt.Sprintf("participant %+v, err %v; chat:\n%s", p, err, gone.chat())
	})
	if got := len(wa.Chat(gone.id)) - goneMsgs; got != 1 {
		t.Errorf("unreachable resident: %d messages after the status, want the one that failed; chat:\n%s", got, gone.chat())
	}
	goneMsgs = len(wa.Chat(gone.id))

	out := h.cli("rounds", "open", "e2e")
	if !strings.Contains(out, "is open tot") {
		t.Fatalf("rounds open: got %q", out)
	}
	rid := strings.Fields(out)[1]
	answering := was[:nWA-1]
	// outResults finish the round a day before the others answer its last question:
	// when it closes they are outside their window.
	outResults := answering[3:8]
	finished := make(chan struct{}, len(outResults))
	dayLater := make(chan struct{})
	go func() {
		for range outResults {
			<-finished
		}
		wa.later(25 * time.Hour)
		close(dayLater)
	}()
	waitDay := func() error {
		select {
		case <-dayLater:
			return nil
		case <-time.After(wa.wait):
			return fmt.Errorf("the residents who answer a day early did not finish within %s", wa.wait)
		}
	}
	// the templates the outInvite residents got, for the checks below
	invites := make([]whatsapptest.Sent, len(outInvite))
	n := nTG + nWA - 1 + nWeb
	parallel(t, n, func(j int) error {
		switch {
		case j < nTG:
			return answerRound(tgs[j], j, exp, nil)
		case j < nTG+nWA-1:
			i := j - nTG
			r := was[i]
			early := slices.Contains(outResults, r)
			if early {
				defer func() { finished <- struct{}{} }() // also on failure: the others do not wait for nothing
			}
			if i < len(outInvite) {
				m, err := r.awaitTemplate("participatie_uitnodiging")
				if err != nil {
					return err
				}
				if len(m.Template.QuickReplies) != 1 {
					return fmt.Errorf("WhatsApp resident %s: invitation template without its button: %s", r.id, describeWA(r.last, m))
				}
				invites[i] = m
				r.tapTemplate(m.Template.QuickReplies[0].Payload, "Doe mee")
			} else if err := r.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
				return err
			}
			if early {
				return r.answer(j, exp, pool, nil)
			}
			return r.answer(j, exp, pool, waitDay)
		}
		return webs[j-nTG-nWA+1].answer(j, exp)
	})
	phase("everyone answered")
	slowestReply(t, was)

	// The template invitation: Meta refused the invitation itself (131047), once per
	// resident outside; the template names the municipality, the round and when it
	// closes, and its button carries the invitation's "Doe mee", which the residents
	// inside the window pressed.
	doeMee, invited := "", false
	for _, m := range wa.Chat(answering[len(answering)-2].id) {
		invited = invited || strings.Contains(m.Text, "Er staat een nieuwe vragenronde")
		for _, b := range m.Buttons {
			if invited && doeMee == "" && b.Title == "Doe mee" {
				doeMee = b.ID
			}
		}
	}
	refusedWindow := map[string]int{}
	for _, c := range wa.Calls() {
		if c.Code == whatsapptest.CodeReEngagement {
			refusedWindow[c.To]++
		}
	}
	for i, r := range answering {
		if i >= len(outInvite) {
			if c := countTemplates(wa.Chat(r.id), "participatie_uitnodiging"); c != 0 {
				t.Errorf("WhatsApp resident %s inside the window got %d invitation templates", r.id, c)
			}
			if refusedWindow[r.id] != 0 {
				t.Errorf("WhatsApp resident %s inside the window: %d messages refused with 131047", r.id, refusedWindow[r.id])
			}
			continue
		}
		if refusedWindow[r.id] != 1 {
			t.Errorf("WhatsApp resident %s outside the window: %d messages refused with 131047, want the invitation once", r.id, refusedWindow[r.id])
		}
		if c := countTemplates(wa.Chat(r.id), "participatie_uitnodiging"); c != 1 {
			t.Errorf("WhatsApp resident %s: %d invitation templates, want 1", r.id, c)
		}
		m := invites[i]
		if p := m.Template.BodyParams; len(p) != 3 || p[0] != waMunicipality || p[1] != sv.Title || p[2] == "" {
			t.Errorf("invitation template parameters %q, want the municipality, %q and the closing moment", p, sv.Title)
		}
		if got := m.Template.QuickReplies[0].Payload; got != doeMee || doeMee == "" {
			t.Errorf("invitation template payload %q, want the invitation's Doe mee %q", got, doeMee)
		}
		if c := countContainsWA(wa.Chat(r.id), "Er staat een nieuwe vragenronde"); c != 0 {
			t.Errorf("WhatsApp resident %s outside the window also got the invitation as a message (%d)", r.id, c)
		}
	}

	// One WhatsApp resident changes the first answer after finishing.
	changer := answering[len(answering)-1]
	ci := nTG + len(answering) - 1
	if err := changer.step("Klaar, bedankt!", "Antwoorden wijzigen"); err != nil {
		t.Fatal(err)
	}
	if err := changer.step("Welk antwoord wilt u wijzigen?", "Vraag 1"); err != nil {
		t.Fatal(err)
	}
	old, _, _, _, _ := plan(ci)
	newPos := (old + 1) % 4
	if err := changer.step("Vraag 1 van 7", posities[newPos]); err != nil {
		t.Fatal(err)
	}
	// back to the end, with the answers as they are now
	if _, err := changer.await("1. Wat is uw positie in het huidige proces? – " + posities[newPos]); err != nil {
		t.Fatal(err)
	}
	exp.counts["positie:"+posities[old]]--
	exp.counts["positie:"+posities[newPos]]++
	exp.answer(changer.key, "positie", surveys.Answer{Options: []string{exp.id("positie", posities[newPos])}})

	h.cli("rounds", "close", rid)
	parallel(t, n, func(j int) error {
		switch {
		case j < nTG:
			_, err := tgs[j].await("Bedankt voor uw deelname")
			return err
		case j < nTG+nWA-1:
			r := was[j-nTG]
			if slices.Contains(outResults, r) {
				m, err := r.awaitTemplate("participatie_uitslag")
				if err != nil {
					return err
				}
				if p := m.Template.BodyParams; len(p) != 2 || p[0] != waMunicipality || p[1] != sv.Title ||
					len(m.Template.QuickReplies) != 1 || m.Template.QuickReplies[0].Payload != waOpenPayload {
					return fmt.Errorf("WhatsApp resident %s: results template %s", r.id, describeWA(r.last, m))
				}
				r.wa.PressTemplateButton(r.id, waOpenPayload, "Bekijk uitslag")
			}
			_, err := r.await("Bedankt voor uw deelname")
			return err
		}
		return webs[j-nTG-nWA+1].awaitPage("Bedankt voor uw deelname", 60*time.Second)
	})
	phase("results out")
	h.tg.WaitFor(t, 10*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") == 1 })

	// Exact tallies over the three channels.
	res := h.results(rid)
	checkResults(t, res, exp, int64(n), int64(n))
	res.Survey = sv
	wantCharts := resultCharts(t, res)
	summary := func(key int64) string {
		return results.PersonalSummary(lang.Dutch(), res, exp.answers[key], surveys.Profile{Kern: kernOf[key]})
	}
	for _, r := range tgs {
		h.tg.WaitFor(t, 10*time.Second, "the charts on Telegram", func() bool { return countPhotos(h.tg.Chat(r.uid)) >= len(wantCharts) })
		msgs := h.tg.Chat(r.uid)
		checkCharts(t, msgs, wantCharts)
		if got, want := lastPrefix(msgs, "Bedankt voor uw deelname"), summary(r.uid); got != want {
			t.Errorf("Telegram resident %d: results message\n%s\nwant\n%s", r.uid, got, want)
		}
		if c := countPrefix(msgs, "Bedankt voor uw deelname"); c != 1 {
			t.Errorf("Telegram resident %d: %d results messages, want 1", r.uid, c)
		}
	}
	for _, w := range webs {
		checkWebCharts(t, w, wantCharts)
		raw, err := w.get("/mijngegevens.json")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Transcript []struct{ Van, Tekst string } `json:"webgesprek"`
		}
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatalf("web resident %d: data file: %v", w.key, err)
		}
		var got []string
		for _, l := range doc.Transcript {
			if strings.HasPrefix(l.Tekst, "Bedankt voor uw deelname") {
				got = append(got, l.Tekst)
			}
		}
		if want := summary(w.key); len(got) != 1 || got[0] != want {
			t.Errorf("web resident %d: results messages %q\nwant one:\n%s", w.key, got, want)
		}
	}
	// On WhatsApp the charts follow the results message as images, by the media id
	// of their one upload, captioned with their alt text.
	mediaOf := make([]map[string]int, len(wantCharts)) // chart -> media id -> residents
	for i := range mediaOf {
		mediaOf[i] = map[string]int{}
	}
	for _, r := range answering {
		wa.WaitFor(t, 20*time.Second, "the charts on WhatsApp", func() (bool, string) {
			return countImages(wa.Chat(r.id)) >= len(wantCharts), r.chat()
		})
		msgs := wa.Chat(r.id)
		var got []string
		var images []whatsapptest.Sent
		early := 0
		for _, m := range msgs {
			if strings.HasPrefix(m.Text, "Bedankt voor uw deelname") && m.Type == "text" {
				got = append(got, m.Text)
			}
			if m.Type == "image" {
				if len(got) == 0 {
					early++
				}
				images = append(images, m)
			}
		}
		if early > 0 {
			t.Errorf("WhatsApp resident %s: %d charts before the results message; chat:\n%s", r.id, early, r.chat())
		}
		if want := summary(r.key); len(got) != 1 || got[0] != want {
			t.Errorf("WhatsApp resident %s: results messages %q\nwant one:\n%s", r.id, got, want)
		}
		if len(images) != len(wantCharts) {
			t.Fatalf("WhatsApp resident %s: %d charts, want %d; chat:\n%s", r.id, len(images), len(wantCharts), r.chat())
		}
		for j, m := range images {
			mediaOf[j][m.MediaID]++
			media, ok := wa.Media(m.MediaID)
			if !ok || !bytes.Equal(media.Bytes, wantCharts[j].PNG) {
				t.Errorf("WhatsApp resident %s: chart %d (media %q) is not the PNG rendered from the checked results", r.id, j, m.MediaID)
			}
			if want := whatsapp.DefaultLimits.ClipCaption(wantCharts[j].Alt); m.Text != want {
				t.Errorf("WhatsApp resident %s: chart %d caption\n%s\nwant\n%s", r.id, j, m.Text, want)
			}
		}
		tpl := countTemplates(msgs, "participatie_uitslag")
		if want := b2i(slices.Contains(outResults, r)); tpl != want {
			t.Errorf("WhatsApp resident %s: %d results templates, want %d", r.id, tpl, want)
		}
	}
	if got := imageUploads(wa); got != len(wantCharts) {
		t.Errorf("WhatsApp image uploads: got %d, want %d (each chart once per round, not per resident)", got, len(wantCharts))
	}
	for j, ids := range mediaOf {
		if len(ids) != 1 {
			t.Errorf("WhatsApp chart %d (%s) went by %d media ids (residents per id: %v), want one upload for all", j, wantCharts[j].Name, len(ids), ids)
		}
	}
	delete(kernOf, gone.key) // not a respondent
	checkRawExports(t, h, rid, exp, kernOf)
	phase("results checked")

	// The words instead of slash commands: "hulp", and "mijn gegevens", whose file
	// comes as a document message.
	asker := answering[20]
	asker.say("hulp")
	if _, err := asker.await("Zo werkt de participatiebot"); err != nil {
		t.Fatal(err)
	}
	asker.say("mijn gegevens")
	if _, err := asker.await("Dit hebben we van u opgeslagen"); err != nil {
		t.Fatal(err)
	}
	file, err := asker.find("the data file", func(m whatsapptest.Sent) bool { return m.Type == "document" })
	if err != nil {
		t.Fatal(err)
	}
	var mine bot.MyData
	if media, ok := wa.Media(file.MediaID); !ok || file.Filename != "mijn-gegevens.json" || json.Unmarshal(media.Bytes, &mine) != nil {
		t.Errorf("mijn gegevens on WhatsApp: document %s (%q), not the data file", describeWA(asker.last, file), media.Bytes)
	}
	answered := 0
	for _, mr := range mine.Rounds {
		if mr.Round == rid {
			answered += len(mr.Answers)
		}
	}
	if mine.Pseudonym != pseudonym("whatsapp", asker.id) || answered != len(exp.answers[asker.key]) {
		t.Errorf("mijn gegevens on WhatsApp: pseudonym %s and %d answers of %s, want %s and %d",
			mine.Pseudonym, answered, rid, pseudonym("whatsapp", asker.id), len(exp.answers[asker.key]))
	}

	// A month later the decision: by then no WhatsApp resident wrote for 24 hours.
	wa.later(30 * 24 * time.Hour)
	besluit := filepath.Join(t.TempDir(), "besluit.txt")
	decision := "De raad besloot één aanspreekpunt voor initiatieven in te stellen."
	if err := os.WriteFile(besluit, []byte(decision), 0o600); err != nil {
		t.Fatal(err)
	}
	h.cli("decide", rid, "--text", besluit)
	opens := answering[:4]
	parallel(t, n, func(j int) error {
		switch {
		case j < nTG:
			_, err := tgs[j].await(decision)
			return err
		case j < nTG+nWA-1:
			r := was[j-nTG]
			m, err := r.awaitTemplate("participatie_besluit")
			if err != nil {
				return err
			}
			if p := m.Template.BodyParams; len(p) != 2 || p[0] != waMunicipality || p[1] != sv.Title ||
				len(m.Template.QuickReplies) != 1 || m.Template.QuickReplies[0].Payload != waOpenPayload {
				return fmt.Errorf("WhatsApp resident %s: decision template %s", r.id, describeWA(r.last, m))
			}
			if slices.Contains(opens, r) {
				r.wa.PressTemplateButton(r.id, waOpenPayload, "Lees het besluit")
				_, err := r.await(decision)
				return err
			}
			return nil
		}
		return webs[j-nTG-nWA+1].awaitPage(decision, 60*time.Second)
	})
	phase("decision out")
	for _, r := range answering {
		msgs := wa.Chat(r.id)
		if c := countTemplates(msgs, "participatie_besluit"); c != 1 {
			t.Errorf("WhatsApp resident %s: %d decision templates, want 1", r.id, c)
		}
		if c, want := countContainsWA(msgs, decision), b2i(slices.Contains(opens, r)); c != want {
			t.Errorf("WhatsApp resident %s: the decision %d times, want %d (after pressing the template)", r.id, c, want)
		}
	}

	// The unreachable resident got nothing after the failure, and stays inactive.
	if got := len(wa.Chat(gone.id)) - goneMsgs; got != 0 {
		t.Errorf("unreachable resident: %d messages after being marked unreachable; chat:\n%s", got, gone.chat())
	}
	if p, err := st.Participant(ctx, pseudonym("whatsapp", gone.id)); err != nil || p == nil || p.Active {
		t.Errorf("unreachable resident: %+v (%v), want inactive", p, err)
	}
	for _, c := range wa.Calls() {
		if c.To == gone.id && c.Time.After(began) && c.Code != 0 {
			t.Errorf("unreachable resident: a call refused with %d", c.Code)
		}
	}

	// Pacing: the fake refused nothing for throughput or pair rate.
	ls := wa.LimitStats()
	t.Logf("WhatsApp limits: %+v; messages per resident: %s", ls, perResident(wa, answering))
	if ls.Refused != 0 || ls.InsideThrottle != 0 {
		t.Errorf("WhatsApp refused %d messages for its limits (%d inside a throttle): %+v", ls.Refused, ls.InsideThrottle, ls)
	}
	// The statuses Meta reported, counted for the round's dashboard: each resident's
	// invitation (message or template) sent, delivered and read, once.
	deliveries, err := st.Deliveries(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("WhatsApp statuses of round %s: %v", rid, deliveries)
	for _, status := range []string{"sent", "delivered", "read"} {
		if got := deliveries[bot.NoticeInvite][status]; got != int64(len(answering)) {
			t.Errorf("invitations %s: got %d, want %d", status, got, len(answering))
		}
	}
	phase("done")
}

// slowestReply fails the test when a WhatsApp resident waited long for a reply.
func slowestReply(t *testing.T, rs []*waResident) {
	t.Helper()
	var slow *waResident
	for _, r := range rs {
		if slow == nil || r.slowest > slow.slowest {
			slow = r
		}
	}
	t.Logf("slowest WhatsApp reply: %s for %s", slow.slowest.Round(time.Millisecond), slow.slowFor)
	if slow.slowest > 5*time.Second {
		t.Fatalf("WhatsApp resident %s waited %s for %s: one message every 6 s to each resident, without the burst the pair rate allows (bot/outbox window.go and storage/ratelimit.go give every per-chat limit a burst of one, so whatsapp.DefaultLimits.PerChatBurst 40 has no effect); chat:\n%s",
			slow.id, slow.slowest.Round(time.Millisecond), slow.slowFor, slow.chat())
	}
}

// imageUploads counts the images uploaded to the fake.
func imageUploads(wa *waFake) int {
	n := 0
	for _, c := range wa.Calls() {
		if c.Endpoint == "media" && c.Status == 200 && strings.HasPrefix(c.Type, "image/") {
			n++
		}
	}
	return n
}

var webImage = regexp.MustCompile(`<img src="(bijlage/[^"]+)"`)

// checkWebCharts checks that the web chat shows the charts, the PNGs rendered from
// the checked results.
func checkWebCharts(t *testing.T, w *webResident, want []charts.Chart) {
	t.Helper()
	var refs [][]string
	if err := w.awaitPage("Bedankt voor uw deelname", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if !testwait.Poll(10*time.Second, func() bool {
		_, err := w.get("/")
		refs = webImage.FindAllStringSubmatch(w.page, -1)
		return err == nil && len(refs) >= len(want)
	}) || len(refs) != len(want) {
		t.Fatalf("web resident %d: %d charts, want %d", w.key, len(refs), len(want))
	}
	for i, ref := range refs {
		png, err := w.fetch("/" + html.UnescapeString(ref[1]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(png, want[i].PNG) {
			t.Errorf("web resident %d: chart %d is not the PNG rendered from the checked results", w.key, i)
		}
	}
}

func countTemplates(msgs []whatsapptest.Sent, name string) int {
	n := 0
	for _, m := range msgs {
		if m.Template != nil && m.Template.Name == name {
			n++
		}
	}
	return n
}

func countContainsWA(msgs []whatsapptest.Sent, s string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

func countImages(msgs []whatsapptest.Sent) int {
	n := 0
	for _, m := range msgs {
		if m.Type == "image" {
			n++
		}
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// perResident is the least, median and most messages a WhatsApp resident got.
func perResident(wa *waFake, rs []*waResident) string {
	var counts []int
	for _, r := range rs {
		counts = append(counts, len(wa.Chat(r.id)))
	}
	slices.Sort(counts)
	return fmt.Sprintf("min %d, median %d, max %d", counts[0], counts[len(counts)/2], counts[len(counts)-1])
}
