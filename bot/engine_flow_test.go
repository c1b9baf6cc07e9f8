package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/surveys"
)

// engShort is a survey of one question, titled title.
func engShort(id, title string) *surveys.Survey {
	s := engPeiling(time.UTC)
	s.ID, s.Title = id, title
	s.Questions = s.Questions[:1]
	return s
}

// Several open rounds are offered in one message with a working button for each,
// joining one shows its participatiekaart, and "Klaar" offers the next.
func TestEngineSeveralOpenRounds(t *testing.T) {
	titles := []string{"Speelplekken Nieuwleusen", "Omgevingsvisie Dalfsen", "Inwonerspeiling Lemelerveld"}
	var list []*surveys.Survey
	for i, title := range titles {
		list = append(list, engShort(fmt.Sprintf("s%d", i), title))
	}
	h := engNew(t, list...)
	for i := range titles {
		h.open(fmt.Sprintf("s%d", i), fmt.Sprintf("r%d", i))
	}
	u := h.user("3131", "3131")
	u.join("25 – 44 jaar", "Dalfsen")

	offer := u.last()
	if !strings.Contains(offer.Text, "Er staan 3 vragenrondes voor u klaar") {
		t.Fatalf("offer: got %q, want the three rounds listed in one message", offer.Text)
	}
	var labels []string
	for _, row := range offer.Choices {
		for _, c := range row {
			labels = append(labels, c.Label)
		}
	}
	if len(labels) != 3 {
		t.Fatalf("offer buttons: got %v, want one per round", labels)
	}
	for i, title := range titles {
		if !strings.Contains(offer.Text, fmt.Sprintf("%d. %s\n", i+1, title)) {
			t.Errorf("offer: got %q, want round %d %q listed", offer.Text, i+1, title)
		}
		if labels[i] != "Doe mee: "+title {
			t.Errorf("button %d: got %q, want %q", i, labels[i], "Doe mee: "+title)
		}
	}

	// every button works, from the same message: each round in turn
	for i, title := range titles {
		got := u.press("Doe mee: " + title)
		if len(got) < 2 || !strings.HasPrefix(got[0].Text, "📋 "+title) || !strings.Contains(got[0].Text, "Wie beslist?") {
			t.Fatalf("round %d: got %q, want its participatiekaart first", i, engTexts(got))
		}
		engWantStep(t, u, "Vraag 1 van 1")
		got = u.press("Bewoner")
		engWantText(t, got, "Klaar, bedankt!")
		thanks := u.lastText()
		switch i {
		case len(titles) - 1:
			if strings.Contains(thanks, "Er staat nog een ronde") {
				t.Errorf("thanks of the last round: got %q, want no next round", thanks)
			}
		default:
			if !strings.Contains(thanks, "Er staat nog een ronde voor u open") || !strings.Contains(strings.Join(u.lastChoices(), "|"), "Volgende ronde: ") {
				t.Errorf("thanks of round %d: got %q %v, want the next round offered", i, thanks, u.lastChoices())
			}
		}
	}
	for i := range titles {
		engWantCounts(t, h.tallies(fmt.Sprintf("r%d", i)), map[string]int64{"completed": 1, "q:positie:o:bewoner": 1})
	}
}

// "Volgende ronde" on the thanks goes on with the next unfinished round.
func TestEngineThanksOffersNextRound(t *testing.T) {
	h := engNew(t, engShort("a", "Speelplekken Nieuwleusen"), engShort("b", "Omgevingsvisie Dalfsen"))
	h.open("a", "ra")
	h.open("b", "rb")
	u := h.user("3232", "3232")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee: Speelplekken Nieuwleusen")
	u.press("Bewoner")
	got := u.press("Volgende ronde: Omgevingsvisie Dalfsen")
	if len(got) < 2 || !strings.HasPrefix(got[0].Text, "📋 Omgevingsvisie Dalfsen") {
		t.Fatalf("next round: got %q, want its participatiekaart", engTexts(got))
	}
	engWantStep(t, u, "Vraag 1 van 1")
}

// /status shows the participatiekaart again when the resident goes on from it.
func TestEngineStatusShowsCardAgain(t *testing.T) {
	h := engNew(t)
	h.open("peiling", "p1")
	u := h.user("3333", "3333")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	u.press("Bewoner")
	engWantStep(t, u, "Vraag 2 van 8")
	u.command("status")
	got := u.press("Verder: Inwonerspeiling Dalfsen")
	if len(got) < 2 || !strings.HasPrefix(got[0].Text, "📋 Inwonerspeiling Dalfsen") {
		t.Fatalf("continue from /status: got %q, want the participatiekaart first", engTexts(got))
	}
	engWantStep(t, u, "Vraag 2 van 8")
}

// The welcome names the municipality (GEMEENTE); a "no" keeps the question in its
// place with the answer marked, and the reply comes below it as a new message.
func TestEngineRepliesBelowTheTap(t *testing.T) {
	h := engNewWith(t, func(c *bot.EngineConfig) { c.Municipality = "Gemeente Dalfsen" })
	u := h.user("3434", "3434")
	engWantText(t, u.command("start"), "Welkom bij de participatiebot van Gemeente Dalfsen!")
	u.press("25 – 44 jaar")
	for _, tt := range []struct{ press, echo, reply string }{
		{"Nee, liever niet", "Gaat u akkoord?\n\n✔ Nee, liever niet", "we slaan niets van u op"},
	} {
		got := u.press(tt.press)
		if len(got) != 2 || got[0].EditRef == "" || got[0].Text != tt.echo || got[1].EditRef != "" || !strings.Contains(got[1].Text, tt.reply) {
			t.Errorf("%s: got %q, want the question edited to %q and then a new message with %q", tt.press, engTexts(got), tt.echo, tt.reply)
		}
	}
	u.join("25 – 44 jaar", "Dalfsen")
	u.command("stop")
	got := u.press("Nee, ik blijf")
	if len(got) != 2 || got[0].EditRef == "" || got[0].Text != "Wilt u zich afmelden?\n\n✔ Nee, ik blijf" || got[1].EditRef != "" || got[1].Text != "Fijn, u blijft aangemeld." {
		t.Errorf("stop, no: got %q, want the question edited to the answer and then a new message", engTexts(got))
	}
}
