package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// linguist is a resident in the three-language test: on Telegram or on Discord,
// reading the bot in one language.
type linguist struct {
	name string
	code lang.Code
	kern string
	tg   *resident
	dc   *member
	// picks are the options chosen: of bankjes and of groen
	picks [2]int
}

func (l *linguist) pr() *lang.Printer { return lang.For(l.code, false) }

// step waits for a message containing s and taps label on it, on either platform.
func (l *linguist) step(s, label string) error {
	if l.tg != nil {
		_, err := l.tg.step(s, label)
		return err
	}
	return l.dc.step(s, label)
}

func (l *linguist) await(s string) (string, error) {
	if l.tg != nil {
		m, err := l.tg.await(s)
		return m.Text, err
	}
	m, err := l.dc.await(s)
	return m.Content, err
}

// texts are all the texts the resident received.
func (l *linguist) texts() []string {
	if l.tg != nil {
		return tgTexts(l.tg.h.tg.Chat(l.tg.uid))
	}
	var out []string
	for _, m := range l.dc.messages() {
		out = append(out, m.Content)
	}
	return out
}

// TestEndToEndRoundInThreeLanguages: residents reading Dutch, English and Arabic take
// part in one round on Telegram and on Discord. Telegram's language_code and
// Discord's locale preselect the language; a Discord member chooses Arabic with the
// language button (Discord has no Arabic client). Each gets the welcome, the
// invitation, the questions, the results and the decision in their own language;
// the answers land in one set of tallies, and the stuurgroep reads Dutch.
func TestEndToEndRoundInThreeLanguages(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.addSurveys("testdata/talen", "talen.yaml")
	const gemeente = "Gemeente Dalfsen"
	h.env["GEMEENTE"], h.env["PRIVACY_THRESHOLD"] = gemeente, "1"
	dc := withDiscord(h)
	h.serve()
	sv, err := surveys.LoadFile("testdata/talen/talen.yaml")
	if err != nil {
		t.Fatal(err)
	}

	h.tg.SetLanguage(6002, "en")
	dcAR, dcEN := &member{dc: dc, id: "3000000000001"}, &member{dc: dc, id: "3000000000002"}
	dc.AddMember(dcAR.id, "lid-ar")
	dc.AddMember(dcEN.id, "lid-en")
	dc.SetLocale(dcEN.id, "en-US")
	people := []*linguist{
		{name: "telegram nl", code: lang.NL, kern: kernen[0], tg: h.resident(6001), picks: [2]int{0, 4}},
		{name: "telegram en", code: lang.EN, kern: kernen[1], tg: h.resident(6002), picks: [2]int{0, 3}},
		{name: "discord ar", code: lang.AR, kern: kernen[2], dc: dcAR, picks: [2]int{1, 4}},
		{name: "discord en", code: lang.EN, kern: kernen[3], dc: dcEN, picks: [2]int{0, 0}},
	}
	dc.WaitFor(t, 10*time.Second, "the gateway connection", dc.Connected)

	// Joining: each in their language, from the first message on.
	nl := lang.Dutch()
	parallel(t, len(people), func(i int) error {
		l := people[i]
		pr := l.pr()
		if l.tg != nil {
			h.tg.SendText(l.tg.uid, "/start")
		} else {
			_ = l.dc.made(dc.Slash(l.dc.id, "deelnemen", false, nil), nil)
		}
		if l.code == lang.AR { // the welcome in Dutch, then the choice
			if err := l.step(firstLine(nl.T("welcome", "Gemeente", gemeente)), "🌐 "+nl.T("lang.other")+" · Language"); err != nil {
				return err
			}
			if err := l.step(firstLine(nl.T("lang.ask")), lang.AR.Name()); err != nil {
				return err
			}
		}
		if err := l.step(firstLine(pr.T("welcome", "Gemeente", gemeente)), pr.T("age_45_64")); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
		if err := l.step(firstLine(pr.T("consent")), pr.T("consent_yes_button")); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
		if err := l.step(firstLine(pr.T("kern")), l.kern); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
		_, err := l.await(firstLine(pr.T("ready")))
		return err
	})

	out := h.cli("rounds", "open", "talen")
	rid := strings.Fields(out)[1]
	answers := map[string]map[string]surveys.Answer{}
	for _, l := range people {
		in := sv.In(l.code)
		answers[l.name] = map[string]surveys.Answer{
			"bankjes": {Options: []string{in.Questions[0].Options[l.picks[0]].ID}},
			"groen":   {Options: []string{in.Questions[1].Options[l.picks[1]].ID}},
		}
	}
	parallel(t, len(people), func(i int) error {
		l := people[i]
		pr, in := l.pr(), sv.In(l.code)
		// the invitation: the participatiekaart in their language, with its button
		if err := l.step("📋 "+in.Title, pr.T("round.join_button")); err != nil {
			return fmt.Errorf("%s: invitation: %w", l.name, err)
		}
		for qi, q := range in.Questions {
			if err := l.step(q.Text, q.Options[l.picks[qi]].Label); err != nil {
				return fmt.Errorf("%s: question %s: %w", l.name, q.ID, err)
			}
		}
		_, err := l.await(firstLine(pr.T("round.thanks", "Titel", in.Title)))
		return err
	})

	h.cli("rounds", "close", rid)
	res := h.results(rid)
	// One set of tallies: the answers of every language counted together, by option id.
	if res.Respondents != 4 {
		t.Errorf("respondents: got %d, want 4", res.Respondents)
	}
	want := map[string]int64{"bankjes:ja": 3, "bankjes:nee": 1}
	for _, q := range res.Questions {
		for _, o := range q.Options {
			if w, ok := want[q.ID+":"+o.ID]; ok && o.Count != w {
				t.Errorf("%s %s: counted %d, want %d", q.ID, o.ID, o.Count, w)
			}
		}
	}
	// The answers by language, a breakdown of its own, suppressed as the others.
	var langs []string
	for _, c := range res.ByTaal {
		langs = append(langs, c.Group)
	}
	if strings.Join(langs, ",") != "nl,en,ar" {
		t.Errorf("respondents by language: %+v, want nl, en and ar", res.ByTaal)
	}
	res.Survey = sv
	for _, l := range people {
		pr, in := l.pr(), sv.In(l.code)
		wantText := results.PersonalSummary(pr, res.In(in), answers[l.name], surveys.Profile{Kern: l.kern})
		got, err := l.await(firstLine(wantText))
		if err != nil {
			t.Fatal(err)
		}
		if got != wantText {
			t.Errorf("%s: results message\n%s\nwant\n%s", l.name, got, wantText)
		}
	}

	// The charts in each resident's language: their own words and the texts of the
	// survey in it, drawn right to left for Arabic.
	for _, l := range people {
		var want []charts.Chart
		for _, q := range res.In(sv.In(l.code)).Questions {
			c, ok, err := charts.QuestionIn(l.pr(), q)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				want = append(want, c)
			}
		}
		var got [][]byte
		testwait.Poll(30*time.Second, func() bool {
			got = got[:0]
			if l.tg != nil {
				for _, m := range h.tg.Chat(l.tg.uid) {
					if m.Photo != nil {
						got = append(got, m.Photo.Bytes)
					}
				}
			} else {
				for _, m := range chartMessages(l.dc.messages()) {
					for _, f := range m.Files {
						got = append(got, f.Bytes)
					}
				}
			}
			return len(got) >= len(want)
		})
		if len(got) != len(want) {
			t.Errorf("%s: got %d charts, want %d", l.name, len(got), len(want))
			continue
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i].PNG) {
				t.Errorf("%s: chart %d is not the chart in %s (%s)", l.name, i, l.code.DutchName(), want[i].Name)
			}
		}
	}

	// The decision, written by the organiser in Dutch, framed in each language.
	decision := "De raad besloot: er komen vier bankjes bij."
	file := filepath.Join(t.TempDir(), "besluit.txt")
	if err := os.WriteFile(file, []byte(decision), 0o600); err != nil {
		t.Fatal(err)
	}
	h.cli("decide", rid, "--text", file)
	for _, l := range people {
		in := sv.In(l.code)
		wantText := results.DecisionMessage(l.pr(), in.Title, decision)
		if _, err := l.await(wantText); err != nil {
			t.Fatal(err)
		}
	}

	// Nothing Dutch reached the English and Arabic readers, but the names of the
	// kernen and the organiser's own decision text.
	dutchWords := []string{"Bedankt", "vragenronde", " uw ", "Vraag ", "Welkom", "Doe mee", "uitslag", " het ", " de ", " en ", "besluit", "gemeente", "antwoord", "deelnemer"}
	for _, l := range people {
		if l.code == lang.NL {
			continue
		}
		for _, text := range l.texts() {
			if strings.Contains(text, decision) || strings.Contains(text, firstLine(nl.T("welcome", "Gemeente", gemeente))) ||
				text == nl.T("lang.ask") {
				continue // the decision's own words; the Arabic reader's first welcome and the choice
			}
			for _, w := range dutchWords {
				if strings.Contains(text, w) {
					t.Errorf("%s: a message holds the Dutch %q:\n%s", l.name, w, text)
				}
			}
		}
	}
	// The stuurgroep reads Dutch, with the respondents per language.
	h.tg.WaitFor(t, 10*time.Second, "the stuurgroep summary", func() bool { return countPrefix(h.tg.Chat(-100999), "Stuurgroep") == 1 })
	if got := lastPrefix(h.tg.Chat(-100999), "Stuurgroep"); !strings.Contains(got, "Deelnemers per taal:\n  Nederlands: 1\n  Engels: 2\n  Arabisch: 1") {
		t.Errorf("stuurgroep summary without the languages:\n%s", got)
	}
}
