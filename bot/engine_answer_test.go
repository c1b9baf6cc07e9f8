package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/surveys"
)

// engNav are the labels of the navigation buttons under a question.
var engNav = []string{"◀ Vorige", "Overslaan", "Klaar", "Antwoord houden"}

// engOptionLabels are the labels of the answer buttons of the newest message.
func (u *engUser) optionLabels() []string {
	var out []string
	for _, l := range u.lastChoices() {
		if !slices.Contains(engNav, l) {
			out = append(out, l)
		}
	}
	return out
}

// engWantStep fails unless the newest message is the given step ("Vraag 3 van 8").
func engWantStep(t testing.TB, u *engUser, step string) {
	t.Helper()
	if !strings.HasPrefix(u.lastText(), step+"\n") {
		t.Fatalf("newest message: got %q, want step %q", u.lastText(), step)
	}
}

// engOptionID finds an option id of a question by label.
func engOptionID(t testing.TB, s *surveys.Survey, qid, label string) string {
	t.Helper()
	for _, q := range s.Questions {
		for _, o := range q.Options {
			if q.ID == qid && o.Label == label {
				return o.ID
			}
		}
	}
	t.Fatalf("no option %q in question %s", label, qid)
	return ""
}

// engAnswerAll answers the whole peiling from its invitation on.
func engAnswerAll(t *testing.T, u *engUser) {
	t.Helper()
	u.press("Doe mee")
	engWantStep(t, u, "Vraag 1 van 8")
	u.press("Bewoner")
	u.press("☐ Meer groen")
	u.press("Klaar")
	u.press("Mee eens")
	u.press("8")
	engWantStep(t, u, "Vraag 5 van 8")
	u.send("Korte lijnen met de gemeente")
	u.send("Meer terugkoppeling over besluiten")
	for i := 1; i <= 2; i++ {
		engWantStep(t, u, fmt.Sprintf("Vraag 7 van 8 · keuze %d van 2", i))
		u.press(u.optionLabels()[0])
	}
	u.press("Tevreden")
	if !strings.HasPrefix(u.lastText(), "Klaar, bedankt!") {
		t.Fatalf("after the last question: got %q, want the thanks", u.lastText())
	}
}

// engCounts picks tallies by name; absent counters are 0.
func engCounts(all map[string]int64, names ...string) map[string]int64 {
	out := make(map[string]int64, len(names))
	for _, n := range names {
		out[n] = all[n]
	}
	return out
}

func engWantCounts(t *testing.T, all map[string]int64, want map[string]int64) {
	t.Helper()
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	got := engCounts(all, names...)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tallies: got %v, want %v", got, want)
	}
}

func TestEngineQuestionTypes(t *testing.T) {
	h := engNew(t)
	s := engPeiling(h.cfg.Location)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("7007", "7007")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	engWantStep(t, u, "Vraag 1 van 8")

	t.Run("single", func(t *testing.T) {
		got := u.press("Ondernemer")
		engWantText(t, got, "✔ Ondernemer")
		if a := u.answer(r.ID, "positie"); !slices.Equal(a.Options, []string{"ondernemer"}) {
			t.Errorf("answer: got %v, want [ondernemer]", a.Options)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:positie:n": 1, "q:positie:o:ondernemer": 1,
			"q:positie:o:ondernemer:k:Dalfsen": 1, "q:positie:o:ondernemer:a:25-44": 1,
			"respondents": 1, "respondents:k:Dalfsen": 1, "respondents:a:25-44": 1})
		engWantStep(t, u, "Vraag 2 van 8")
	})

	t.Run("multiple", func(t *testing.T) {
		steps := []struct {
			press    string
			wantText string   // in the reply
			wantOn   []string // ticked after the press
		}{
			{press: "☐ Meer groen", wantOn: []string{"Meer groen"}},
			{press: "✅ Meer groen", wantOn: nil},
			{press: "Klaar", wantText: "Vink minstens één keuze aan"},
			{press: "☐ Meer groen", wantOn: []string{"Meer groen"}},
			{press: "☐ Cultuur", wantOn: []string{"Meer groen", "Cultuur"}},
			// a tick past the maximum is refused at the tick, with the reason, in place
			{press: "☐ Sport", wantText: "U heeft er al 2 gekozen, het maximum", wantOn: []string{"Meer groen", "Cultuur"}},
			{press: "✅ Cultuur", wantOn: []string{"Meer groen"}},
		}
		for _, st := range steps {
			got := u.press(st.press)
			if st.wantText != "" {
				engWantText(t, got, st.wantText)
			}
			if st.wantText == "" || st.wantOn != nil {
				var on []string
				m, _ := u.find("Klaar") // the question; a hint may have come after it
				for _, row := range m.Choices {
					if label, ok := strings.CutPrefix(row[0].Label, "✅ "); ok {
						on = append(on, label)
					}
				}
				if !slices.Equal(on, st.wantOn) {
					t.Errorf("after %q: got ticked %v, want %v", st.press, on, st.wantOn)
				}
			}
			if _, ok := u.answers(r.ID)["kansen"]; ok {
				t.Fatalf("after %q: got an answer recorded, want none before a valid Klaar", st.press)
			}
		}
		// a double tap: the same box twice before the edited message arrives
		ev := u.pressEvent("☐ Sport")
		h.handle(ev)
		ev.UpdateID = h.nextUpdate()
		h.handle(ev)
		if m, _ := u.find("Klaar"); !slices.ContainsFunc(m.Choices, func(row []bot.Choice) bool { return row[0].Label == "✅ Sport" }) {
			t.Errorf("double tap on a box: got %v, want Sport ticked", m.Choices)
		}
		if m, _ := u.find("Klaar"); !strings.Contains(m.Text, "Gekozen (2 van max. 2): Meer groen, Sport.") {
			t.Errorf("count: got %q, want \"Gekozen (2 van max. 2): Meer groen, Sport.\"", m.Text)
		}
		u.press("✅ Sport")
		u.press("☐ Cultuur")
		got := u.press("Klaar")
		engWantText(t, got, "✔ Meer groen, Cultuur")
		if a := u.answer(r.ID, "kansen"); !slices.Equal(a.Options, []string{"groen", "cultuur"}) {
			t.Errorf("answer: got %v, want [groen cultuur]", a.Options)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:kansen:n": 1, "q:kansen:o:groen": 1,
			"q:kansen:o:cultuur": 1, "q:kansen:o:sport": 0, "q:kansen:o:verkeer": 0})
		engWantStep(t, u, "Vraag 3 van 8")
	})

	t.Run("likert", func(t *testing.T) {
		if got, want := u.optionLabels(), []string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"}; !slices.Equal(got, want) {
			t.Errorf("buttons: got %v, want %v", got, want)
		}
		u.press("Mee eens")
		if a := u.answer(r.ID, "luistert"); !slices.Equal(a.Options, []string{"4"}) {
			t.Errorf("answer: got %v, want [4]", a.Options)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:luistert:n": 1, "q:luistert:o:4": 1})
		engWantStep(t, u, "Vraag 4 van 8")
	})

	t.Run("rating", func(t *testing.T) {
		if got := u.optionLabels(); len(got) != 10 || got[0] != "1" || got[9] != "10" {
			t.Errorf("buttons: got %v, want 1 … 10", got)
		}
		u.press("8")
		if a := u.answer(r.ID, "cijfer"); !slices.Equal(a.Options, []string{"8"}) {
			t.Errorf("answer: got %v, want [8]", a.Options)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:cijfer:n": 1, "q:cijfer:o:8": 1})
		engWantStep(t, u, "Vraag 5 van 8")
	})

	t.Run("open", func(t *testing.T) {
		long := strings.Repeat("é", 41) // runes, not bytes
		got := u.send(long)
		engWantText(t, got, "Uw antwoord is 41 tekens; het maximum is 40.")
		if _, ok := u.answers(r.ID)["goed"]; ok {
			t.Fatalf("too long: got an answer recorded, want none")
		}
		engWantText(t, u.send("   "), "Typ uw antwoord")
		got = u.send(strings.Repeat("é", 40))
		engWantText(t, got, "Antwoord opgeslagen")
		if a := u.answer(r.ID, "goed"); a.Text != strings.Repeat("é", 40) {
			t.Errorf("answer: got %q, want 40 é", a.Text)
		}
		texts, err := h.store.OpenTexts(h.ctx, r.ID, []string{"goed"})
		if err != nil {
			t.Fatal(err)
		}
		if got := texts["goed"]; len(got) != 1 || utf8.RuneCountInString(got[0]) != 40 {
			t.Errorf("open texts: got %q, want the one answer", got)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:goed:n": 1})
		engWantStep(t, u, "Vraag 6 van 8")
	})

	t.Run("optional skip", func(t *testing.T) {
		u.press("Overslaan")
		if a := u.answer(r.ID, "beter"); !a.Skipped {
			t.Errorf("answer: got %+v, want skipped", a)
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:beter:skip": 1, "q:beter:n": 0})
		engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	})

	t.Run("wie van de drie", func(t *testing.T) {
		want := map[string]int64{}
		for i := range 2 {
			engWantStep(t, u, fmt.Sprintf("Vraag 7 van 8 · keuze %d van 2", i+1))
			labels := u.optionLabels()
			if len(labels) != 3 {
				t.Fatalf("triad %d buttons: got %v, want 3", i, labels)
			}
			pick := labels[(i+1)%3]
			u.press(pick)
			a := u.answer(r.ID, fmt.Sprintf("waarden#%d", i))
			win := engOptionID(t, s, "waarden", pick)
			var losers []string
			for _, l := range labels {
				if l != pick {
					losers = append(losers, engOptionID(t, s, "waarden", l))
				}
			}
			if a.Winner != win || !slices.Equal(a.Losers, losers) {
				t.Errorf("triad %d: got %s over %v, want %s over %v", i, a.Winner, a.Losers, win, losers)
			}
			want["q:waarden:w:"+win]++
			want["q:waarden:s:"+win]++
			for _, l := range losers {
				want["q:waarden:s:"+l]++
				want["q:waarden:p:"+win+":"+l]++
			}
		}
		want["q:waarden:n"] = 2
		engWantCounts(t, h.tallies(r.ID), want)
		engWantStep(t, u, "Vraag 8 van 8")
	})

	t.Run("last question", func(t *testing.T) {
		got := u.press("Niet tevreden")
		engWantText(t, got, "Klaar, bedankt!")
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:tevreden:o:nee": 1, "completed": 1})
	})
}

func TestEngineBack(t *testing.T) {
	h := engNew(t)
	s := engPeiling(h.cfg.Location)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("8008", "8008")
	u.join("45 – 64 jaar", "Hoonhorst")
	u.press("Doe mee")
	u.press("Bewoner")
	engWantStep(t, u, "Vraag 2 van 8")

	t.Run("back to a question and change it", func(t *testing.T) {
		u.press("◀ Vorige")
		engWantStep(t, u, "Vraag 1 van 8")
		if !strings.Contains(u.lastText(), "Uw antwoord nu: Bewoner") {
			t.Errorf("question shown again: got %q, want the current answer in it", u.lastText())
		}
		ev := u.pressEvent("Ondernemer")
		got := h.handle(ev)
		if strings.Contains(engTexts(got), "gewijzigd") {
			t.Errorf("change at the current step: got %q, want no separate message", engTexts(got))
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:positie:o:bewoner": 0, "q:positie:o:ondernemer": 1,
			"q:positie:n": 1, "q:positie:o:bewoner:k:Hoonhorst": 0, "q:positie:o:ondernemer:k:Hoonhorst": 1, "respondents": 1})
		engWantStep(t, u, "Vraag 2 van 8")

		// a double tap: the same button's data again, as a new update
		ev.UpdateID = h.nextUpdate()
		got = h.handle(ev)
		if strings.Contains(engTexts(got), "gewijzigd") {
			t.Errorf("double tap: got %q, want no gewijzigd message", engTexts(got))
		}
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:positie:o:ondernemer": 1, "q:positie:n": 1})
		engWantStep(t, u, "Vraag 2 van 8")
	})

	u.press("☐ Sport")
	u.press("Klaar")
	u.press("Neutraal")
	u.press("6")
	u.send("De bibliotheek")
	u.press("Overslaan")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	first := u.optionLabels()

	t.Run("back from the first triad to the previous question", func(t *testing.T) {
		u.press("◀ Vorige")
		engWantStep(t, u, "Vraag 6 van 8")
		u.press("Overslaan")
		engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
		if got := u.optionLabels(); !slices.Equal(got, first) {
			t.Errorf("triad shown again: got %v, want %v", got, first)
		}
	})

	u.press(first[0])
	engWantStep(t, u, "Vraag 7 van 8 · keuze 2 van 2")
	second := u.optionLabels()

	t.Run("back within the triads and change the pick", func(t *testing.T) {
		u.press("◀ Vorige")
		engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
		if got := u.optionLabels(); !slices.Equal(got, first) {
			t.Errorf("triad shown again: got %v, want %v", got, first)
		}
		u.press(first[1])
		a, b, c := engOptionID(t, s, "waarden", first[0]), engOptionID(t, s, "waarden", first[1]), engOptionID(t, s, "waarden", first[2])
		engWantCounts(t, h.tallies(r.ID), map[string]int64{
			"q:waarden:w:" + a: 0, "q:waarden:w:" + b: 1, "q:waarden:n": 1,
			"q:waarden:s:" + a: 1, "q:waarden:s:" + b: 1, "q:waarden:s:" + c: 1,
			"q:waarden:p:" + a + ":" + b: 0, "q:waarden:p:" + b + ":" + a: 1, "q:waarden:p:" + b + ":" + c: 1})
		engWantStep(t, u, "Vraag 7 van 8 · keuze 2 van 2")
		if got := u.optionLabels(); !slices.Equal(got, second) {
			t.Errorf("second triad: got %v, want %v", got, second)
		}
	})

	t.Run("double tap on Vorige goes back one step", func(t *testing.T) {
		ev := u.pressEvent("◀ Vorige")
		h.handle(ev)
		ev.UpdateID = h.nextUpdate()
		h.handle(ev)
		engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
		ss, err := h.store.Session(h.ctx, r.ID, u.pid())
		if err != nil {
			t.Fatal(err)
		}
		if ss.Pos != 6 || ss.Sub != 0 {
			t.Errorf("session: got pos %d sub %d, want 6 0", ss.Pos, ss.Sub)
		}
		u.press(first[1])
	})

	u.press(second[2])
	engWantStep(t, u, "Vraag 8 van 8")

	t.Run("back from a question into the last triad", func(t *testing.T) {
		u.press("◀ Vorige")
		engWantStep(t, u, "Vraag 7 van 8 · keuze 2 van 2")
		if got := u.optionLabels(); !slices.Equal(got, second) {
			t.Errorf("triad shown again: got %v, want %v", got, second)
		}
		if !strings.Contains(u.lastText(), "Uw antwoord nu: "+second[2]) {
			t.Errorf("triad shown again: got %q, want the current pick in it", u.lastText())
		}
		u.press(second[2])
		engWantStep(t, u, "Vraag 8 van 8")
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:waarden:n": 2})
	})
}

func TestEngineResume(t *testing.T) {
	tests := []struct {
		name   string
		resume func(u *engUser)
	}{
		{"start", func(u *engUser) { u.command("start") }},
		{"Doe mee again", func(u *engUser) { u.press("Doe mee") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := engNew(t)
			h.open("peiling", "peiling-2026-11")
			u := h.user("9009", "9009")
			u.join("16 – 24 jaar", "Dalfsen")
			u.press("Doe mee")
			u.press("Bewoner")
			u.press("☐ Cultuur")
			u.press("Klaar")
			engWantStep(t, u, "Vraag 3 van 8")

			tt.resume(u)
			engWantStep(t, u, "Vraag 3 van 8")
			u.press("Mee eens")
			u.press("7")
			u.send("Het zwembad")
			u.send("Minder regels")
			engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
			triad := u.optionLabels()

			tt.resume(u)
			engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
			if got := u.optionLabels(); !slices.Equal(got, triad) {
				t.Errorf("triad after resuming: got %v, want %v", got, triad)
			}
		})
	}
}

// toQuestion5 joins u and answers the peiling up to its first open question.
func toQuestion5(u *engUser) {
	u.join("16 – 24 jaar", "Dalfsen")
	u.press("Doe mee")
	u.press("Bewoner")
	u.press("☐ Cultuur")
	u.press("Klaar")
	u.press("Mee eens")
	u.press("7")
}

func TestEngineResumeOpenQuestion(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("9010", "9010")
	toQuestion5(u)
	engWantStep(t, u, "Vraag 5 van 8")
	u.command("start")
	engWantStep(t, u, "Vraag 5 van 8")
	engWantText(t, u.send("De markt"), "Antwoord opgeslagen")
	if a := u.answer(r.ID, "goed"); a.Text != "De markt" {
		t.Errorf("open answer after resuming: got %q, want %q", a.Text, "De markt")
	}
}

// A typed answer sent again after it was saved (a Discord form submitted twice, a
// message repeated) gets one clear answer, not "use the buttons"; another text there
// still gets the hint with the question again, and the saved answer stays.
func TestEngineOpenAnswerSentTwice(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("9011", "9011")
	toQuestion5(u)
	engWantText(t, u.send("Korte lijnen met de gemeente"), "Antwoord opgeslagen")
	engWantText(t, u.send("Meer avondbijeenkomsten"), "Antwoord opgeslagen")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	engWantText(t, u.send("Korte lijnen met de gemeente"), "Uw antwoord was al ontvangen")
	engWantText(t, u.send("Meer avondbijeenkomsten"), "Uw antwoord was al ontvangen")
	engWantText(t, u.send("Iets anders"), "Dat antwoord past niet bij deze vraag")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	if a := u.answer(r.ID, "goed"); a.Text != "Korte lijnen met de gemeente" {
		t.Errorf("open answer: got %q, want the one saved", a.Text)
	}
}

func TestEngineClosedRound(t *testing.T) {
	tests := []struct {
		name   string
		reach  string // step to be at before the round closes
		act    func(u *engUser) []bot.Message
		want   string
		answer string // field that must stay unanswered
	}{
		{name: "answer button", reach: "Vraag 3 van 8", act: func(u *engUser) []bot.Message { return u.press("Mee eens") },
			want: "Deze ronde is gesloten", answer: "luistert"},
		{name: "toggle", reach: "Vraag 2 van 8", act: func(u *engUser) []bot.Message { return u.press("☐ Sport") },
			want: "Deze ronde is gesloten", answer: "kansen"},
		{name: "Doe mee", reach: "Vraag 1 van 8", act: func(u *engUser) []bot.Message { return u.press("Doe mee") },
			want: "Deze ronde is gesloten", answer: "positie"},
		{name: "open answer", reach: "Vraag 5 van 8", act: func(u *engUser) []bot.Message { return u.send("Te laat") },
			want: "Deze ronde is gesloten", answer: "goed"},
		{name: "unknown round code", reach: "Vraag 3 van 8", act: func(u *engUser) []bot.Message { return u.pressData("a:zzzzzzzz:2:3", "") },
			want: "Deze knop hoort bij een eerdere vraag", answer: "luistert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := engNew(t)
			r := h.open("peiling", "peiling-2026-11")
			u := h.user("1111", "1111")
			u.join("25 – 44 jaar", "Dalfsen")
			u.press("Doe mee")
			for step := []func(){
				func() { u.press("Bewoner") },
				func() { u.press("☐ Cultuur"); u.press("Klaar") },
				func() { u.press("Neutraal") },
				func() { u.press("5") },
			}; !strings.HasPrefix(u.lastText(), tt.reach+"\n"); step = step[1:] {
				step[0]()
			}
			if tt.name != "unknown round code" {
				h.close(r.ID)
			}
			before := h.tallies(r.ID)
			got := tt.act(u)
			engWantText(t, got, tt.want)
			if _, ok := u.answers(r.ID)[tt.answer]; ok {
				t.Errorf("answer %s: got one recorded, want none", tt.answer)
			}
			if after := h.tallies(r.ID); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("tallies: got %v, want %v", after, before)
			}
		})
	}
}

func TestEngineCompletion(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("1212", "1212")
	u.join("25 – 44 jaar", "Dalfsen")
	engAnswerAll(t, u)
	thanks := u.last()
	if !strings.Contains(thanks.Text, "15 februari 2027") {
		t.Errorf("thanks: got %q, want the terugkoppeling date", thanks.Text)
	}
	if got := u.lastChoices(); !slices.Equal(got, []string{"Antwoorden wijzigen"}) {
		t.Errorf("thanks buttons: got %v, want [Antwoorden wijzigen]", got)
	}
	engWantCounts(t, h.tallies(r.ID), map[string]int64{"completed": 1, "respondents": 1})
	if done, err := h.store.Completed(h.ctx, r.ID, u.pid()); !done || err != nil {
		t.Errorf("completed: got %v, %v, want true, nil", done, err)
	}

	// change one answer, keep the rest: the list of answers, a jump to the question,
	// and back to the end
	u.press("Antwoorden wijzigen")
	if want := "1. Wat is uw positie in het proces? – Bewoner"; !strings.Contains(u.lastText(), want) {
		t.Errorf("change: got %q, want the answers listed (%q)", u.lastText(), want)
	}
	u.press("Vraag 1")
	engWantStep(t, u, "Vraag 1 van 8")
	got := u.press("Vereniging")
	engWantText(t, got, "Klaar, bedankt!")
	if want := "1. Wat is uw positie in het proces? – Vereniging"; !strings.Contains(u.lastText(), want) {
		t.Errorf("thanks after the change: got %q, want %q", u.lastText(), want)
	}
	u.press("Antwoorden wijzigen")
	u.press("Vraag 2")
	engWantStep(t, u, "Vraag 2 van 8")
	if got := u.lastChoices(); !slices.Contains(got, "✅ Meer groen") {
		t.Errorf("multiple choice shown again: got %v, want the earlier choice ticked", got)
	}
	got = u.press("Klaar")
	engWantText(t, got, "Klaar, bedankt!")
	engWantCounts(t, h.tallies(r.ID), map[string]int64{"completed": 1, "respondents": 1,
		"q:positie:o:bewoner": 0, "q:positie:o:vereniging": 1, "q:positie:n": 1, "q:kansen:o:groen": 1,
		"q:goed:n": 1, "q:beter:n": 1, "q:waarden:n": 2, "q:tevreden:n": 1})
	if a := u.answer(r.ID, "goed"); a.Text != "Korte lijnen met de gemeente" {
		t.Errorf("kept open answer: got %q, want %q", a.Text, "Korte lijnen met de gemeente")
	}
}
