package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The dashboard in a browser: the round page reflows at 320 px and 200% zoom,
// and closing a round and sending its decision each go through a confirm page
// that shows what residents get, has no axe-core violations, and sends only
// after "Ja, versturen".

// axeSource is axe-core (testdata/axe, MPL-2.0), injected into the pages.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core: %v (testdata/axe/README says how to get it)", err)
	}
	return string(b)
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID      string   `json:"id"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// checkAxe runs axe-core's WCAG 2.1 A and AA rules on the page in ctx; every
// violation fails the test. DevTools' evaluate runs the script past the
// dashboard's Content-Security-Policy, which the page itself keeps.
func checkAxe(t *testing.T, ctx context.Context, src, page string) {
	t.Helper()
	var out string
	awaited := func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
	do(t, ctx, "axe "+page,
		chromedp.Evaluate(src, nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,
				targets: v.nodes.map(n => n.target.join(' '))}))))`, &out, awaited))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe %s: %v in %q", page, err, out)
	}
	for _, v := range vs {
		t.Errorf("axe %s: %s (%s) at %v", page, v.ID, v.Help, v.Targets)
	}
}

// narrow is a phone of 320 CSS px at 200% zoom: a layout viewport of 160 CSS
// px, drawn at device scale 2 (so the screenshot is 320 px wide).
var narrow = chromedp.EmulateViewport(160, 640, chromedp.EmulateScale(2))

// wide is a laptop screen.
var wide = chromedp.EmulateViewport(1100, 900)

// checkReflow fails when the page scrolls sideways: WCAG 1.4.10 wants no
// horizontal scrolling at 320 px; wide tables scroll inside their own region.
func checkReflow(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	var got struct{ Scroll, Client int }
	do(t, ctx, "measure "+page, chromedp.Evaluate(
		`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`, &got))
	if got.Client == 0 || got.Scroll > got.Client {
		var wider []string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('body *')).
			filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !(e.parentElement && e.parentElement.closest('.tabel, .table-wrap'))).
			sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right).
			slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).concat(Array.from(document.querySelectorAll('*')).filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).slice(0, 8).map(e => 'scroll:' + e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth))`, &wider))
		t.Errorf("%s at 320 px and 200%%: scrollWidth %d > clientWidth %d; wider: %v", page, got.Scroll, got.Client, wider)
	}
}

// viewShot saves what the viewport shows from the element sel down.
func viewShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	var png []byte
	do(t, ctx, "screenshot "+name, chromedp.ScrollIntoView(sel, chromedp.ByQuery), chromedp.CaptureScreenshot(&png))
	keepShot(t, name, png)
}

func TestBrowserDashboardConfirmations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	h.env["PRIVACY_THRESHOLD"] = "1" // one resident: with 10 the results say "te weinig deelnemers"
	pop, err := filepath.Abs(filepath.Join("..", "..", "examples", "bevolking", "dalfsen-kernen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	h.env["POPULATION_FILE"] = pop // the afspiegeling table at its widest
	h.serve()
	base := h.baseURL()
	axe := axeSource(t)
	res := h.resident(4001)
	if err := res.join(ageLabels[1], kernen[0]); err != nil {
		t.Fatal(err)
	}
	org := newBrowser(t)
	rid := openInDashboard(t, org, base, wide)
	if err := answerRound(res, 0, newExpect(loadE2E(t)), nil); err != nil {
		t.Fatal(err)
	}
	roundURL := base + "dashboard/rounds/" + rid
	do(t, org, "the answer counts", chromedp.Navigate(roundURL),
		chromedp.WaitVisible(`//*[@data-round='`+rid+`' and @data-field='respondents'][normalize-space()='1']`, chromedp.BySearch))
	screenshot(t, org, "dashboard-ronde-uitleg.png")

	// 320 px at 200%: the page itself never scrolls sideways.
	do(t, org, "narrow round page", narrow, chromedp.Navigate(roundURL), chromedp.WaitVisible(`#afspiegeling-kop`, chromedp.ByQuery))
	checkReflow(t, org, "round page")
	screenshot(t, org, "dashboard-ronde-320px-200pct.png")
	viewShot(t, org, `#kern-kop`, "dashboard-afspiegeling-320px-200pct.png")

	// Closing asks first, showing the results message and who gets it.
	do(t, org, "close: the confirm page", wide, chromedp.Navigate(roundURL),
		click(`//button[starts-with(normalize-space(),'Sluiten en uitslag versturen')]`),
		chromedp.WaitVisible(`#voorbeeld-deelnemers`, chromedp.ByQuery))
	var body string
	do(t, org, "read the confirm page", chromedp.Text(`main`, &body, chromedp.ByQuery))
	for _, want := range []string{"Dit gaat naar 1 deelnemer.", "Bedankt voor uw deelname", "Het bericht aan de stuurgroep", "Ja, versturen", "Terug"} {
		if !strings.Contains(body, want) {
			t.Errorf("close confirm page: no %q", want)
		}
	}
	if countContains(h.tg.Chat(res.uid), "Bedankt voor uw deelname") != 0 {
		t.Fatalf("the results went out before the confirmation")
	}
	checkAxe(t, org, axe, "close confirm page")
	screenshot(t, org, "dashboard-sluiten-bevestigen.png")
	do(t, org, "close: narrow", narrow)
	checkReflow(t, org, "close confirm page")
	do(t, org, "close: confirm", wide,
		click(`//button[normalize-space()='Ja, versturen']`),
		chromedp.WaitVisible(`//*[contains(., 'De ronde is gesloten')]`, chromedp.BySearch))
	if _, err := res.await("Bedankt voor uw deelname"); err != nil {
		t.Fatal(err)
	}

	// The decision field is empty, full width, with a placeholder; sending asks
	// first and shows the message exactly as the resident gets it.
	h.tg.WaitFor(t, 60*time.Second, "the decision form once the results went out", func() bool {
		var n int
		err := chromedp.Run(org, chromedp.Navigate(roundURL), chromedp.WaitReady(`main`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('textarea#besluit').length`, &n))
		return err == nil && n == 1
	})
	var field struct {
		Value, Placeholder string
		Width, Container   float64
	}
	do(t, org, "the decision field", chromedp.Evaluate(`(() => { const a = document.querySelector('#besluit');
		return {Value: a.value, Placeholder: a.placeholder, Width: a.getBoundingClientRect().width,
			Container: a.closest('form').getBoundingClientRect().width}; })()`, &field))
	if field.Value != "" || !strings.HasPrefix(field.Placeholder, "Bijvoorbeeld: ") || field.Width < field.Container-1 {
		t.Errorf("decision field: got %+v, want empty, a placeholder, the form's full width", field)
	}
	const besluit = "De gemeenteraad heeft op 12 maart besloten de ingang aan de voorkant te maken.\nDank voor uw inbreng."
	do(t, org, "decide: the confirm page",
		chromedp.SendKeys(`#besluit`, besluit, chromedp.ByQuery),
		click(`//button[normalize-space()='Besluit versturen aan alle deelnemers']`),
		chromedp.WaitVisible(`#voorbeeld-deelnemers`, chromedp.ByQuery))
	var shown string
	do(t, org, "read the preview", chromedp.Evaluate(`document.querySelector('#voorbeeld-deelnemers').textContent`, &shown),
		chromedp.Text(`main`, &body, chromedp.ByQuery))
	if !strings.Contains(body, "Dit gaat naar 1 deelnemer.") || !strings.Contains(shown, besluit) {
		t.Errorf("decide confirm page: got\n%s", body)
	}
	if countContains(h.tg.Chat(res.uid), "📣 Terugkoppeling") != 0 {
		t.Fatalf("the decision went out before the confirmation")
	}
	checkAxe(t, org, axe, "decide confirm page")
	screenshot(t, org, "dashboard-besluit-bevestigen.png")
	do(t, org, "decide: narrow", narrow)
	checkReflow(t, org, "decide confirm page")
	do(t, org, "decide: confirm", wide,
		click(`//button[normalize-space()='Ja, versturen']`),
		chromedp.WaitVisible(`//*[contains(., 'Het besluit is opgeslagen')]`, chromedp.BySearch))
	got, err := res.await("📣 Terugkoppeling")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != shown {
		t.Errorf("the resident got\n%q\nthe preview showed\n%q", got.Text, shown)
	}
}
