package dashboard

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
)

func TestOpenRoundByForm(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	w := h.post("/dashboard/rounds/open", c, url.Values{"survey": {"peiling"}, "csrf": {h.csrf(c)}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v, want %v", w.Code, http.StatusSeeOther)
	}
	const rid = "peiling-20261201-1000"
	if got, want := w.Header().Get("Location"), "/dashboard/rounds/"+rid+"?gedaan=geopend"; got != want {
		t.Errorf("location: got %v, want %v", got, want)
	}
	r, err := h.store.Round(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != storage.Opened {
		t.Errorf("state: got %v, want %v", r.State, storage.Opened)
	}
	if got := h.auditActions(); !slices.Contains(got, "anna: ronde geopend: "+rid) {
		t.Errorf("audit: got %v, want anna: ronde geopend: %s", got, rid)
	}
	page := h.get(w.Header().Get("Location"), c)
	if !strings.Contains(page.Body.String(), "De ronde is geopend") {
		t.Errorf("round page does not confirm the opening")
	}

	tests := []struct {
		name, survey string
		want         int
	}{
		{"twice in one minute", "peiling", http.StatusConflict},
		{"unknown survey", "bestaat-niet", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.post("/dashboard/rounds/open", c, url.Values{"survey": {tt.survey}, "csrf": {h.csrf(c)}})
			if w.Code != tt.want {
				t.Errorf("got %v, want %v", w.Code, tt.want)
			}
		})
	}
}

func TestCloseRoundByForm(t *testing.T) {
	h := newHarness(t)
	const rid = "peiling-20261201-0900"
	h.openRound(rid)
	c := h.login("bert", "ook-geheim")
	page := h.get("/dashboard/rounds/"+rid, c).Body.String()
	if !strings.Contains(page, `action="/dashboard/rounds/`+rid+`/close"`) || !strings.Contains(page, "Sluiten en uitslag versturen") {
		t.Fatalf("round page has no close form")
	}
	tests := []struct {
		name  string
		want  int
		state storage.State
	}{
		{"open round closes", http.StatusSeeOther, storage.Closed},
		{"closed round cannot close again", http.StatusConflict, storage.Closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.post("/dashboard/rounds/"+rid+"/close", c, url.Values{"csrf": {h.csrf(c)}, "bevestig": {"ja"}})
			if w.Code != tt.want {
				t.Fatalf("status: got %v, want %v", w.Code, tt.want)
			}
			r, err := h.store.Round(t.Context(), rid)
			if err != nil {
				t.Fatal(err)
			}
			if r.State != tt.state {
				t.Errorf("state: got %v, want %v", r.State, tt.state)
			}
		})
	}
	if got := h.auditActions(); !slices.Contains(got, "bert: ronde gesloten, uitslag wordt verstuurd: "+rid) {
		t.Errorf("audit: got %v, want bert closing %s", got, rid)
	}
	if w := h.post("/dashboard/rounds/bestaat-niet/close", c, url.Values{"csrf": {h.csrf(c)}}); w.Code != http.StatusNotFound {
		t.Errorf("unknown round: got %v, want %v", w.Code, http.StatusNotFound)
	}
}

// upload posts a survey file as the upload form does.
func (h *harness) upload(c *http.Cookie, token, name, content string, replace bool) *httptest.ResponseRecorder {
	h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", token)
	if replace {
		_ = mw.WriteField("vervangen", "1")
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		h.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/dashboard/surveys", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.AddCookie(c)
	return h.do(r)
}

func TestUpload(t *testing.T) {
	valid := readFile(t, "testdata/peiling.yaml")
	nieuw := strings.Replace(strings.Replace(valid, "id: peiling", "id: nieuwe-peiling", 1),
		"Proefpeiling: inwoner en gemeente", "Nieuwe peiling", 1)
	tests := []struct {
		name, file, content string
		replace             bool
		wantStatus          int
		wantBody            []string
		wantFile            string // file that must exist afterwards, "" for none
		wantTitle           string // title of the survey with the id afterwards
		wantAudit           string
	}{
		{name: "yaml syntax error", file: "kapot.yaml", content: "id: x\ntitle: [niet af\n",
			wantStatus: http.StatusUnprocessableEntity, wantBody: []string{"Regel 2, kolom 1: de YAML klopt niet", "Er is niets opgeslagen"},
			wantAudit: "anna: vragenlijst geweigerd: kapot.yaml (1 probleem)"},
		{name: "validation problems", file: "fout.yaml",
			content:    strings.Replace(strings.Replace(valid, "trede: raadplegen", "trede: roepen", 1), "type: rating", "type: cijfer", 1),
			wantStatus: http.StatusUnprocessableEntity,
			wantBody:   []string{"Regel 7, kolom 10:", "roepen", "Regel 32, kolom 11:", "het type &#34;cijfer&#34; bestaat niet"}},
		{name: "new survey", file: "nieuw.yaml", content: nieuw, wantStatus: http.StatusSeeOther,
			wantFile: "nieuwe-peiling.yaml", wantTitle: "Nieuwe peiling",
			wantAudit: "anna: vragenlijst geladen: nieuwe-peiling (nieuwe-peiling.yaml, nieuw)"},
		{name: "existing id without vervangen", file: "peiling.yaml", content: strings.Replace(valid, "Proefpeiling", "Andere peiling", 1),
			wantStatus: http.StatusConflict, wantBody: []string{"Er is al een vragenlijst met id", "vervangen"},
			wantTitle: "Proefpeiling: inwoner en gemeente"},
		{name: "existing id with vervangen", file: "peiling.yaml", content: strings.Replace(valid, "Proefpeiling", "Andere peiling", 1),
			replace: true, wantStatus: http.StatusSeeOther, wantFile: "peiling.yaml", wantTitle: "Andere peiling: inwoner en gemeente"},
		{name: "empty file", file: "leeg.yaml", content: "", wantStatus: http.StatusUnprocessableEntity,
			wantBody: []string{"Regel 1, kolom 1: het bestand is leeg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.login("anna", "geheim")
			before, _ := os.ReadDir(h.dir)
			w := h.upload(c, h.csrf(c), tt.file, tt.content, tt.replace)
			if w.Code != tt.wantStatus {
				t.Fatalf("status: got %v, want %v\n%s", w.Code, tt.wantStatus, w.Body.String())
			}
			for _, s := range tt.wantBody {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body does not contain %q", s)
				}
			}
			after, _ := os.ReadDir(h.dir)
			if tt.wantFile == "" {
				if len(after) != len(before) {
					t.Errorf("files: got %d, want %d (nothing written)", len(after), len(before))
				}
			} else if got := readFile(t, filepath.Join(h.dir, tt.wantFile)); got != tt.content {
				t.Errorf("saved file: got %d bytes, want the upload (%d bytes)", len(got), len(tt.content))
			}
			if tt.wantTitle != "" {
				id := "peiling"
				if tt.wantFile != "" {
					id = strings.TrimSuffix(tt.wantFile, ".yaml")
				}
				sv, ok := h.catalog.Survey(id)
				if !ok || sv.Title != tt.wantTitle {
					t.Errorf("catalog %s: got %v, want title %q", id, ok, tt.wantTitle)
				}
			}
			if tt.wantAudit != "" && !slices.Contains(h.auditActions(), tt.wantAudit) {
				t.Errorf("audit: got %v, want %q", h.auditActions(), tt.wantAudit)
			}
		})
	}
}

func TestUploadReplacesInPlace(t *testing.T) {
	h := newHarness(t)
	// the loaded survey came from a file in SurveysDir with another name
	orig := filepath.Join(h.dir, "mijn-peiling.yaml")
	content := readFile(t, "testdata/peiling.yaml")
	if err := os.WriteFile(orig, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sv, _ := h.catalog.Survey("peiling")
	sv.File = orig
	c := h.login("anna", "geheim")
	changed := strings.Replace(content, "Proefpeiling", "Vervangen peiling", 1)
	if w := h.upload(c, h.csrf(c), "peiling.yaml", changed, true); w.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v, want %v", w.Code, http.StatusSeeOther)
	}
	if got := readFile(t, orig); got != changed {
		t.Errorf("original file not replaced")
	}
	if _, err := os.Stat(filepath.Join(h.dir, "peiling.yaml")); err == nil {
		t.Errorf("a second file with the same id was written")
	}
}

func TestUploadTooBig(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	big := "# " + strings.Repeat("x", maxUpload) + "\n"
	w := h.upload(c, h.csrf(c), "groot.yaml", big, false)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("got %v, want %v", w.Code, http.StatusRequestEntityTooLarge)
	}
	if files, _ := os.ReadDir(h.dir); len(files) != 0 {
		t.Errorf("files: got %d, want 0", len(files))
	}
}
