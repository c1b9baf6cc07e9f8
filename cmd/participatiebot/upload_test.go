package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// organiser is a dashboard session of anna, as a browser without script has it.
type organiser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func loginOrganiser(t *testing.T, base string) *organiser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"dashboard/login", map[string][]string{"name": {"anna"}, "password": {"geheim-wachtwoord"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: got %d, want %d", resp.StatusCode, http.StatusSeeOther)
	}
	return &organiser{t: t, base: base, c: c}
}

func (o *organiser) get(path string) string {
	o.t.Helper()
	resp, err := o.c.Get(o.base + path)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		o.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

var csrfValue = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// upload posts a survey file with the overview's upload form and returns the status.
func (o *organiser) upload(name, content string, replace bool) int {
	o.t.Helper()
	m := csrfValue.FindStringSubmatch(o.get("dashboard/"))
	if m == nil {
		o.t.Fatal("no csrf token on the overview")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", m[1])
	if replace {
		_ = mw.WriteField("vervangen", "1")
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	resp, err := o.c.Post(o.base+"dashboard/surveys", mw.FormDataContentType(), &body)
	if err != nil {
		o.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUploadSavedInDataDir: a survey uploaded in the dashboard is saved in
// DATA_DIR/vragenlijsten, never in SURVEYS_DIR (the repository's examples); after a
// restart serve loads it again, an upload over a survey of SURVEYS_DIR replaces that
// one, and the CLI opens rounds of uploaded surveys.
func TestUploadSavedInDataDir(t *testing.T) {
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	base := h.publicAddr() + "/" // one address for both runs
	h.serve()
	logged(t, h.logs, "participatiebot running", 1)
	e2e := readFile(t, "testdata/e2e.yaml")
	nieuw := strings.Replace(strings.Replace(e2e, "id: e2e", "id: nieuw", 1), "Proef IMPOR: alle vraagsoorten", "Nieuwe peiling", 1)
	vervangen := strings.Replace(e2e, "Proef IMPOR: alle vraagsoorten", "Proef IMPOR, geüpload", 1)
	o := loginOrganiser(t, base)
	if got := o.upload("nieuw.yaml", nieuw, false); got != http.StatusSeeOther {
		t.Fatalf("upload nieuw: got %d, want %d", got, http.StatusSeeOther)
	}
	if got := o.upload("e2e.yaml", vervangen, true); got != http.StatusSeeOther {
		t.Fatalf("upload over e2e: got %d, want %d", got, http.StatusSeeOther)
	}
	uploads := filepath.Join(h.env["DATA_DIR"], "vragenlijsten")
	if got := readFile(t, filepath.Join(uploads, "nieuw.yaml")); got != nieuw {
		t.Errorf("%s/nieuw.yaml: got %d bytes, want the upload", uploads, len(got))
	}
	if got := readFile(t, filepath.Join(uploads, "e2e.yaml")); got != vervangen {
		t.Errorf("%s/e2e.yaml: got %d bytes, want the upload", uploads, len(got))
	}
	files, _ := os.ReadDir(h.env["SURVEYS_DIR"])
	if len(files) != 1 || readFile(t, filepath.Join(h.env["SURVEYS_DIR"], "e2e.yaml")) != e2e {
		t.Errorf("SURVEYS_DIR: got %d files, want e2e.yaml alone and unchanged", len(files))
	}
	h.stop()

	// after a restart serve (the scheduler's catalog) has both, e2e as uploaded
	h.serve()
	logged(t, h.logs, "participatiebot running", 2)
	page := loginOrganiser(t, base).get("dashboard/")
	for _, title := range []string{"Nieuwe peiling", "Proef IMPOR, geüpload"} {
		if !strings.Contains(page, title) {
			t.Errorf("overview after the restart: no survey %q", title)
		}
	}
	if strings.Contains(page, "Proef IMPOR: alle vraagsoorten") {
		t.Errorf("overview after the restart: got the e2e of SURVEYS_DIR, want the upload over it")
	}
	if out := h.cli("rounds", "open", "nieuw"); !strings.HasPrefix(out, "Ronde nieuw-") {
		t.Errorf("rounds open nieuw: got %q, want a round of the uploaded survey", out)
	}
	h.stop()
}

// TestBrowserUploadErrorSummary: in Chromium, with and without script, a refused
// upload lands with the focus on the error summary, and its link takes the
// organiser to the line of the problem.
func TestBrowserUploadErrorSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	h.serve()
	base := h.baseURL()
	bad := filepath.Join(t.TempDir(), "kapot.yaml")
	e2e := readFile(t, "testdata/e2e.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(e2e, "wie_beslist: college", "wie_beslist: wethouder", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, script := range []bool{true, false} {
		name := map[bool]string{true: "with script", false: "without script"}[script]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t)
			if !script {
				do(t, ctx, "turn script off", emulation.SetScriptExecutionDisabled(true))
			}
			var focused, hash, target string
			do(t, ctx, "log in and upload",
				chromedp.Navigate(base+"dashboard/"),
				chromedp.WaitVisible(`#name`, chromedp.ByQuery),
				chromedp.SendKeys(`#name`, "anna", chromedp.ByQuery),
				chromedp.SendKeys(`#password`, "geheim-wachtwoord", chromedp.ByQuery),
				click(`//button[normalize-space()='Inloggen']`),
				chromedp.WaitVisible(`#file`, chromedp.ByQuery),
				chromedp.SetUploadFiles(`#file`, []string{bad}, chromedp.ByQuery),
				click(`//button[normalize-space()='Controleren en laden']`),
				chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery),
				chromedp.Evaluate(`document.activeElement.className + " " + document.activeElement.getAttribute("role")`, &focused),
			)
			if focused != "error-summary alert" {
				t.Errorf("focus after the upload: got %q, want the error summary", focused)
			}
			screenshot(t, ctx, "dashboard-upload-probleem-"+strings.ReplaceAll(name, " ", "-")+".png")
			do(t, ctx, "follow the link",
				click(`//div[@class='error-summary']//a`),
				chromedp.Evaluate(`location.hash`, &hash),
				chromedp.Evaluate(`(document.querySelector(":target") || {}).textContent || ""`, &target),
			)
			if hash != "#regel-6" || !strings.Contains(target, "wie_beslist: wethouder") || !strings.Contains(target, "kies college") {
				t.Errorf("after the link: got %s at %q, want #regel-6 with the line and its tip", hash, target)
			}
		})
	}
}
