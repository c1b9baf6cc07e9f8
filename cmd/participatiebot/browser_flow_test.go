package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// flowSurveys are two short surveys beside e2e.yaml, in the words of the Dalfsen and
// Nieuwleusen documents, so that three rounds are open at once.
var flowSurveys = map[string]string{
	"speelplekken.yaml": `id: speelplekken
title: "Speelplekken Nieuwleusen"
participatiekaart:
  doel: "We willen weten welke speelplekken in Nieuwleusen opgeknapt moeten worden."
  wie_beslist: college
  trede: adviseren
  wat_gebeurt_er_mee: "Het college kiest met uw antwoorden welke speelplekken als eerste aan de beurt zijn."
  terugkoppeling: 2030-03-01
schedule:
  opens: "2030-01-01 09:00"
  duration: 14d
questions:
  - id: wensen
    type: multiple
    text: "Wat mist u op de speelplekken bij u in de buurt?"
    max: 3
    options: ["Schaduw", "Bankjes", "Toestellen voor kleine kinderen", "Een voetbalveldje", "Groen", "Verlichting"]
  - id: cijfer
    type: rating
    text: "Welk rapportcijfer geeft u de speelplekken nu?"
procesevaluatie: false
`,
	"omgevingsvisie.yaml": `id: omgevingsvisie
title: "Omgevingsvisie Dalfsen"
participatiekaart:
  doel: "We willen weten wat u belangrijk vindt voor de toekomst van uw kern."
  wie_beslist: gemeenteraad
  trede: raadplegen
  wat_gebeurt_er_mee: "De uitkomst gaat mee in de omgevingsvisie die de raad vaststelt."
  terugkoppeling: 2030-03-01
schedule:
  opens: "2030-01-01 09:00"
  duration: 14d
questions:
  - id: luistert
    type: likert
    text: "De gemeente luistert voldoende naar de mening van de inwoners"
procesevaluatie: false
`,
}

// The resident's flow in the web chat on a phone (390 px): three open rounds offered
// in one message and each joinable from it, multiple choice that changes in place
// (one question message, the count, a fourth tick refused, focus kept on the tick),
// a typed 8 on a rating, and the answers shown at the end with a change that returns
// there.
func TestBrowserResidentFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	for name, yaml := range flowSurveys {
		if err := os.WriteFile(filepath.Join(h.env["SURVEYS_DIR"], name), []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.serve()
	base := h.baseURL()
	rids := map[string]string{}
	for _, s := range []string{"e2e", "speelplekken", "omgevingsvisie"} {
		rids[s] = strings.Fields(h.cli("rounds", "open", s))[1]
	}
	res := newBrowser(t)
	axe := axeSource(t)
	do(t, res, "a phone", chromedp.EmulateViewport(390, 844))
	do(t, res, "join",
		chromedp.Navigate(base),
		click(`//button[normalize-space()='Beginnen']`),
		chromedp.WaitVisible(`//li[contains(@class,'inwoner')][normalize-space(.)='U Beginnen']`, chromedp.BySearch),
		click(button("25 – 44 jaar")),
		click(button("Ja, ik doe mee")),
		click(button("Dalfsen")),
		chromedp.WaitVisible(newest("Er staan 3 vragenrondes voor u klaar"), chromedp.BySearch),
	)
	screenshot(t, res, "webchat-drie-rondes.png")
	checkAxe(t, res, axe, "three rounds offered")

	do(t, res, "join one of three",
		click(button("Doe mee: Speelplekken Nieuwleusen")),
		chromedp.WaitVisible(newest("Vraag 1 van 2"), chromedp.BySearch),
	)
	// focus is on the question, not on its first button: Enter answers nothing
	var active string
	do(t, res, "focus on the question", chromedp.Evaluate(`document.activeElement.id + '|' + document.activeElement.tagName`, &active))
	if active != "laatste|LI" {
		t.Errorf("focus on a new question: got %q, want the message itself (laatste|LI)", active)
	}
	// five ticks: three, a fourth refused, one off, another on
	tick := func(label string) chromedp.Action {
		return click(`//li[@id='laatste']//button[@aria-pressed][normalize-space()='` + label + `']`)
	}
	pressed := func(label, state string) chromedp.Action {
		return chromedp.WaitVisible(`//li[@id='laatste']//button[@aria-pressed='`+state+`'][normalize-space()='`+label+`']`, chromedp.BySearch)
	}
	do(t, res, "tick five times",
		tick("Schaduw"), pressed("Schaduw", "true"),
		tick("Bankjes"), pressed("Bankjes", "true"),
		tick("Groen"), pressed("Groen", "true"),
		chromedp.WaitVisible(newest("Gekozen (3 van max. 3)"), chromedp.BySearch),
		tick("Verlichting"),
		chromedp.WaitVisible(newest("U heeft er al 3 gekozen, het maximum"), chromedp.BySearch),
		pressed("Verlichting", "false"),
		tick("Bankjes"), pressed("Bankjes", "false"),
	)
	var focused string
	var questions, bubbles int
	do(t, res, "read the question",
		chromedp.Evaluate(`document.activeElement.textContent.trim() + '|' + document.activeElement.getAttribute('aria-pressed')`, &focused),
		chromedp.Evaluate(`[...document.querySelectorAll('#gesprek > li')].filter(li => li.textContent.includes('Wat mist u op de speelplekken')).length`, &questions),
		chromedp.Evaluate(`document.querySelectorAll('#gesprek > li.inwoner').length`, &bubbles),
	)
	if questions != 1 {
		t.Errorf("question messages after five ticks: got %d, want 1", questions)
	}
	if focused != "Bankjes|false" {
		t.Errorf("focus after the last tick: got %q, want the option just unticked (Bankjes|false)", focused)
	}
	// Beginnen, age, consent, kern, Doe mee: the ticks add no bubbles
	if bubbles != 5 {
		t.Errorf("resident bubbles: got %d, want 5 (no bubble per tick)", bubbles)
	}
	screenshot(t, res, "webchat-meerkeuze.png")
	checkAxe(t, res, axe, "multiple choice with ticks")

	do(t, res, "Klaar, then a typed 8 on the rating",
		tick("Toestellen voor kleine kinderen"),
		chromedp.WaitVisible(newest("Gekozen (3 van max. 3)"), chromedp.BySearch),
		click(button("Klaar")),
		chromedp.WaitVisible(newest("Vraag 2 van 2"), chromedp.BySearch),
		chromedp.SendKeys(`#tekst`, "8", chromedp.ByQuery),
		click(`//form[@id='invoer']//button[normalize-space()='Versturen']`),
		chromedp.WaitVisible(newest("Klaar, bedankt!"), chromedp.BySearch),
		chromedp.WaitVisible(newest("2. Welk rapportcijfer geeft u de speelplekken nu? – 8"), chromedp.BySearch),
		chromedp.WaitVisible(newest("1. Wat mist u op de speelplekken bij u in de buurt? – Schaduw, Toestellen voor kleine kinderen, Groen"), chromedp.BySearch),
	)
	screenshot(t, res, "webchat-overzicht-antwoorden.png")
	checkAxe(t, res, axe, "the answers at the end")

	do(t, res, "change one answer from the overview",
		click(button("Antwoorden wijzigen")),
		click(button("Vraag 2")),
		chromedp.WaitVisible(newest("Vraag 2 van 2"), chromedp.BySearch),
		click(button("6")),
		chromedp.WaitVisible(newest("2. Welk rapportcijfer geeft u de speelplekken nu? – 6"), chromedp.BySearch),
	)

	// the next round from the thanks, the last one from the list far above
	do(t, res, "the next round",
		click(`//li[@id='laatste']//button[starts-with(normalize-space(), 'Volgende ronde: ')]`),
		chromedp.WaitVisible(`//li[contains(., 'Wie beslist?') and not(contains(., 'Speelplekken'))]`, chromedp.BySearch),
	)
	var title string
	do(t, res, "which round", chromedp.Evaluate(`[...document.querySelectorAll('#gesprek > li')].filter(li => li.textContent.includes('Wie beslist?')).pop().textContent`, &title))
	var first, second string
	switch {
	case strings.Contains(title, "Omgevingsvisie Dalfsen"):
		first, second = "Omgevingsvisie Dalfsen", "Proef IMPOR: alle vraagsoorten"
	case strings.Contains(title, "Proef IMPOR"):
		first, second = "Proef IMPOR: alle vraagsoorten", "Omgevingsvisie Dalfsen"
	default:
		t.Fatalf("next round: got the card %q, want one of the two other rounds", title)
	}
	if first == "Omgevingsvisie Dalfsen" {
		do(t, res, "answer the omgevingsvisie", chromedp.WaitVisible(newest("Vraag 1 van 1"), chromedp.BySearch), click(button("Mee eens")),
			chromedp.WaitVisible(newest("Klaar, bedankt!"), chromedp.BySearch))
	}
	do(t, res, "join "+second+" from the list above",
		click(fmt.Sprintf(`//button[normalize-space()='Doe mee: %s']`, second)),
		chromedp.WaitVisible(newest("Vraag 1 van "), chromedp.BySearch),
	)
	screenshot(t, res, "webchat-derde-ronde.png")

	// a message that arrives later out of view (the results) is pointed out
	var before int
	do(t, res, "scroll up", chromedp.Evaluate(`window.scrollTo(0, 0); document.querySelectorAll('#gesprek > li').length`, &before))
	h.cli("rounds", "close", rids["speelplekken"])
	do(t, res, "the results arrive",
		chromedp.Poll(fmt.Sprintf(`document.querySelectorAll('#gesprek > li').length > %d`, before), nil))
	var hint string
	do(t, res, "the hint for a new message",
		chromedp.WaitVisible(`#nieuw`, chromedp.ByQuery),
		chromedp.Text(`#nieuw`, &hint, chromedp.ByQuery),
		chromedp.Click(`#nieuw`, chromedp.ByQuery),
		chromedp.WaitNotVisible(`#nieuw`, chromedp.ByQuery),
	)
	if hint != "Nieuw bericht ↓" {
		t.Errorf("hint: got %q", hint)
	}
	screenshot(t, res, "webchat-nieuw-bericht.png")
	checkAxe(t, res, axe, "after the results")
}
