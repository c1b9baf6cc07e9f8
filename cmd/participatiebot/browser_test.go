package main

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// artefacts is where browser tests keep their screenshots (ARTEFACTS_DIR, default
// artefacts/ at the repository root, ignored by git).
func artefacts(t *testing.T) string {
	dir := os.Getenv("ARTEFACTS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "artefacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts headless Debian Chromium with the flags this closed network needs.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium not found on PATH: install Debian's chromium package (./test.sh does)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(420, 900),
		// a Dutch browser, as most residents': the web chat preselects the browser's
		// language (browser_lang_test.go sets others per request)
		chromedp.Flag("accept-lang", "nl-NL,nl"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// the first Run starts the browser on this context; steps then run with their own timeouts
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

var webURL = regexp.MustCompile(`web chat: (http://[0-9.:]+/)`)

// baseURL waits for serve to log where the web chat listens.
func (h *harness) baseURL() string {
	var url string
	h.tg.WaitFor(h.t, 10*time.Second, "the web chat address in the log", func() bool {
		m := webURL.FindStringSubmatch(h.logs.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	return url
}

func button(label string) string {
	return `//li[@id='laatste']//button[normalize-space()='` + label + `']`
}

func newest(text string) string {
	return `//li[@id='laatste'][contains(., '` + text + `')]`
}

func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	// 60 s: a step such as the results after a close takes seconds on a busy
	// 2-core machine under -race; a deadline, not a pause.
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(step, actions...); err != nil {
		var png []byte
		var html string
		_ = chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100), chromedp.OuterHTML("main", &html, chromedp.ByQuery))
		name := filepath.Join(artefacts(t), "failed-"+strings.ReplaceAll(what, " ", "-")+".png")
		_ = os.WriteFile(name, png, 0o644)
		t.Fatalf("%s: %v (screenshot %s)\n%s", what, err, name, html)
	}
}

// openInDashboard logs the organiser anna in (DASHBOARD_USERS
// anna:geheim-wachtwoord) and opens a round of e2e there, after the actions before;
// it returns the round's id.
func openInDashboard(t *testing.T, org context.Context, base string, before ...chromedp.Action) string {
	t.Helper()
	do(t, org, "log in", append(before,
		chromedp.Navigate(base+"dashboard/"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "anna", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "geheim-wachtwoord", chromedp.ByQuery),
		click(`//button[normalize-space()='Inloggen']`),
		click(`//input[@name='survey' and @value='e2e']/following-sibling::button`),
	)...)
	var rid string
	do(t, org, "find the round",
		chromedp.WaitVisible(`[data-field=respondents][data-round^="e2e-"]`, chromedp.ByQuery),
		chromedp.AttributeValue(`[data-field=respondents][data-round^="e2e-"]`, "data-round", &rid, nil, chromedp.ByQuery))
	return rid
}

func click(xpath string) chromedp.Action {
	return chromedp.Tasks{chromedp.WaitVisible(xpath, chromedp.BySearch), chromedp.Click(xpath, chromedp.BySearch)}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	do(t, ctx, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	keepShot(t, name, png)
}

// keepShot writes a screenshot into the artefacts.
func keepShot(t *testing.T, name string, png []byte) {
	t.Helper()
	path := filepath.Join(artefacts(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserWebChatAndDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	h.env["PUBLIC_URL"] = "https://praatmee.example.nl"
	h.env["PRIVACY_THRESHOLD"] = "1" // two residents: with 10 they get "te weinig deelnemers" and no charts
	h.serve()
	base := h.baseURL()
	org, res := newBrowser(t), newBrowser(t)
	// A Telegram resident takes part in the same round: one engine, one set of tallies.
	tgRes := h.resident(3001)
	if err := tgRes.join(ageLabels[0], kernen[1]); err != nil {
		t.Fatal(err)
	}

	// The organiser logs in and opens a round.
	rid := openInDashboard(t, org, base)
	respondents := `//*[@data-round='` + rid + `' and @data-field='respondents']`

	// A resident takes part in the web chat and completes the round.
	do(t, res, "join",
		chromedp.Navigate(base),
		click(`//button[normalize-space()='Beginnen']`),
		click(button("25 – 44 jaar")),
		click(button("Ja, ik doe mee")),
		click(button("Dalfsen")),
		click(button("Doe mee")),
		chromedp.WaitVisible(newest("Vraag 1 van 7"), chromedp.BySearch),
	)
	screenshot(t, res, "webchat-vraag1.png")
	do(t, res, "answer",
		click(button("Aan de voorkant")),
		click(`//li[@id='laatste']//button[@aria-pressed='false'][normalize-space()='Koppelkansen']`),
		click(`//li[@id='laatste']//button[@aria-pressed='true'][normalize-space()='Koppelkansen']/ancestor::li//button[normalize-space()='Klaar']`),
		chromedp.WaitVisible(newest("Vraag 3 van 7"), chromedp.BySearch),
		click(button("Mee eens")),
		chromedp.WaitVisible(newest("Vraag 4 van 7"), chromedp.BySearch),
		click(button("8")),
		chromedp.WaitVisible(newest("Vraag 5 van 7"), chromedp.BySearch),
		chromedp.SendKeys(`#tekst`, "De korte lijnen met de gemeente <script>alert(1)</script> 👍", chromedp.ByQuery),
		click(`//form[@id='invoer']//button[normalize-space()='Versturen']`),
		chromedp.WaitVisible(newest("keuze 1 van 2"), chromedp.BySearch),
		click(`(//li[@id='laatste']//button)[1]`),
		chromedp.WaitVisible(newest("keuze 2 van 2"), chromedp.BySearch),
		click(`(//li[@id='laatste']//button)[1]`),
		chromedp.WaitVisible(newest("Vraag 7 van 7"), chromedp.BySearch),
		click(button("Overslaan")),
		chromedp.WaitVisible(newest("Klaar, bedankt!"), chromedp.BySearch),
	)
	screenshot(t, res, "webchat-klaar.png")
	var page string
	do(t, res, "read the page", chromedp.OuterHTML("html", &page, chromedp.ByQuery))
	if strings.Contains(page, "<script>alert(1)</script>") {
		t.Errorf("the typed answer reached the page unescaped")
	}

	// The organiser sees the count move without reloading, then downloads the CSV.
	do(t, org, "count moves", chromedp.WaitVisible(respondents+`[normalize-space()='1']`, chromedp.BySearch))
	if err := answerRound(tgRes, 0, newExpect(loadE2E(t)), nil); err != nil {
		t.Fatal(err)
	}
	do(t, org, "count moves again", chromedp.WaitVisible(respondents+`[normalize-space()='2']`, chromedp.BySearch))
	screenshot(t, org, "dashboard-overzicht.png")
	dl := t.TempDir()
	do(t, org, "download the CSV",
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dl),
		chromedp.Navigate(base+"dashboard/rounds/"+rid),
		chromedp.WaitVisible(`a[href$="export.csv"]`, chromedp.ByQuery),
	)
	screenshot(t, org, "dashboard-ronde.png")
	do(t, org, "click CSV", chromedp.Click(`a[href$="export.csv"]`, chromedp.ByQuery))
	var rows [][]string
	h.tg.WaitFor(t, 10*time.Second, "the downloaded CSV", func() bool {
		files, _ := filepath.Glob(filepath.Join(dl, "*.csv"))
		if len(files) != 1 {
			return false
		}
		b, err := os.ReadFile(files[0])
		body, bom := strings.CutPrefix(string(b), "\ufeff") // the CSV for Dutch offices
		if err != nil || !bom {
			return false
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = ';'
		rows, err = r.ReadAll()
		return err == nil && len(rows) > 1
	})
	// The round is open: the download is the tussenstand, a row per question
	// without figures (two of them around one answer would show that answer).
	found := false
	for _, r := range rows {
		if len(r) > 7 && r[1] == "positie" {
			found = r[6] == "" && r[7] == ""
		}
	}
	if !found {
		t.Errorf("CSV has no row positie without figures:\n%v", rows)
	}

	// The organiser closes the round; the web resident gets the results and their
	// charts in the open page, loaded from /bijlage/ with their alt text.
	do(t, org, "close the round",
		chromedp.Navigate(base+"dashboard/rounds/"+rid),
		click(`//button[starts-with(normalize-space(),'Sluiten en uitslag versturen')]`),
		click(`//button[normalize-space()='Ja, versturen']`), // the confirm page (browser_dashboard_test.go)
		chromedp.WaitVisible(`//*[contains(., 'De ronde is gesloten')]`, chromedp.BySearch),
	)
	do(t, res, "the results arrive", chromedp.WaitVisible(`//li[contains(., 'Bedankt voor uw deelname')]`, chromedp.BySearch))
	var loaded int
	h.tg.WaitFor(t, 20*time.Second, "the charts in the web chat", func() bool {
		err := chromedp.Run(res, chromedp.Evaluate(`Array.from(document.querySelectorAll('img[src^="bijlage/"]')).`+
			`filter(i => i.complete && i.naturalWidth === 1080 && i.alt.length > 20).length`, &loaded))
		// five chartable questions, less the wie van de drie: one resident's
		// triads show no option often enough for a figure, so it has no chart
		return err == nil && loaded == 4
	})
	do(t, res, "scroll to the charts", chromedp.ScrollIntoView(`img[src^="bijlage/"]`, chromedp.ByQuery))
	screenshot(t, res, "webchat-uitslag.png")

	// The resident's personal link starts with PUBLIC_URL. Opened in another browser
	// (the organiser's, which has no conversation) it asks first, and only the
	// confirmation opens the conversation.
	var link string
	do(t, res, "read the personal link", chromedp.Text(`.persoonlijk a`, &link, chromedp.ByQuery))
	const public = "https://praatmee.example.nl/?p="
	if !strings.HasPrefix(link, public) {
		t.Fatalf("personal link: got %q, want it under %s", link, public)
	}
	do(t, org, "open the personal link",
		chromedp.Navigate(base+"?p="+strings.TrimPrefix(link, public)),
		chromedp.WaitVisible(`//main[contains(., 'Wilt u dit gesprek openen?')]`, chromedp.BySearch),
	)
	var before string
	do(t, org, "read the question", chromedp.Text(`main`, &before, chromedp.ByQuery))
	if strings.Contains(before, "Bedankt voor uw deelname") {
		t.Errorf("the link showed the conversation before it was confirmed")
	}
	screenshot(t, org, "webchat-link-openen.png")
	do(t, org, "confirm",
		click(`//button[normalize-space()='Ja, open dit gesprek']`),
		chromedp.WaitVisible(`//li[contains(., 'Bedankt voor uw deelname')]`, chromedp.BySearch),
	)
}
