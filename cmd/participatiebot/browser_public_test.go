package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/participatiebot/participatiebot/internal/synth"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// The public results page in a browser, as serve mounts it: the list and a
// round's page have no axe-core violations at 390 and 1280 px, never scroll
// sideways at 320 px (nor at 320 px and 200% zoom), and the not-found page is
// as accessible. The screenshots go to docs/screenshots.

// publishedRound loads a closed burgerpeiling round of 600 synthetic
// respondents into the store serve will use, with its decision sent: what the
// public page shows at its fullest. It returns the round's id.
func publishedRound(t *testing.T, h *harness, surveysDir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "burgerpeiling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(surveysDir, "burgerpeiling.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	sv, err := surveys.Parse("burgerpeiling.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st := storage.New(h.redis.Client(t))
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, time.September, 1, 9, 0, 0, 0, loc) // a fixed date: the screenshots stay the same
	r, err := synth.Round(ctx, st, sv, 600, 1, start)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Transition(ctx, r.ID, storage.Closed, storage.Published, start.Add(2*time.Hour)); err != nil || !ok {
		t.Fatalf("publish %s: got %v %v, want true nil", r.ID, ok, err)
	}
	if err := st.SetDecision(ctx, r.ID, "De gemeenteraad besloot een inwonerspanel te beginnen, zodat inwoners vaker en eerder meedenken.\nDank voor uw inbreng.", start.AddDate(0, 0, 10)); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Transition(ctx, r.ID, storage.Published, storage.Decided, start.AddDate(0, 0, 11)); err != nil || !ok {
		t.Fatalf("decide %s: got %v %v, want true nil", r.ID, ok, err)
	}
	return r.ID
}

// keepDoc saves a full-page screenshot into docs/screenshots.
func keepDoc(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	do(t, ctx, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	path := filepath.Join("..", "..", "docs", "screenshots", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserPublicResults(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	pop, err := filepath.Abs(filepath.Join("..", "..", "examples", "bevolking", "dalfsen-kernen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	h.env["POPULATION_FILE"] = pop
	rid := publishedRound(t, h, h.env["SURVEYS_DIR"])
	h.serve()
	base := h.baseURL()
	axe := axeSource(t)
	b := newBrowser(t)

	phone := chromedp.EmulateViewport(390, 844)
	laptop := chromedp.EmulateViewport(1280, 900)
	w320 := chromedp.EmulateViewport(320, 640)
	pages := []struct{ name, path, ready string }{
		{"list", "openbaar/", `a[href="/openbaar/` + rid + `"]`},
		{"round page", "openbaar/" + rid, `#data-kop`},
		{"not-found page", "openbaar/bestaat-niet", `a[href="/openbaar/"]`},
	}
	for _, p := range pages {
		for _, v := range []struct {
			name string
			vp   chromedp.Action
		}{{"1280", laptop}, {"390", phone}} {
			do(t, b, p.name+" at "+v.name, v.vp, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.ready, chromedp.ByQuery))
			checkAxe(t, b, axe, p.name+" at "+v.name+" px")
			if p.name == "round page" {
				keepDoc(t, b, "openbaar-"+v.name+".png")
			}
		}
		do(t, b, p.name+" at 320", w320, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.ready, chromedp.ByQuery))
		checkReflow(t, b, p.name+" at 320 px (100%)")
		do(t, b, p.name+" at 320 and 200%", narrow, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.ready, chromedp.ByQuery))
		checkReflow(t, b, p.name)
	}

	// The page works by keyboard: the skip link is the first stop and shows focus.
	var focus struct {
		Text    string
		Outline string
	}
	do(t, b, "keyboard", laptop, chromedp.Navigate(base+"openbaar/"+rid), chromedp.WaitVisible(`#data-kop`, chromedp.ByQuery),
		chromedp.KeyEvent("\t"),
		chromedp.Evaluate(`({Text: document.activeElement.textContent, Outline: getComputedStyle(document.activeElement).outlineStyle})`, &focus))
	if focus.Text != "Naar de inhoud" || focus.Outline == "none" {
		t.Errorf("first Tab: got %+v, want the skip link with a visible outline", focus)
	}
}
