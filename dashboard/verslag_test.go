package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestTrajectoryPages: a round of a trajectory with a drawn panel shows the panel
// beside the self-selected residents on its page; the overview links the trajectory, whose page is its verslag, with
// the downloads.
func TestTrajectoryPages(t *testing.T) {
	h := newHarness(t)
	tr, err := surveys.ParseTrajectory("t.traject.yaml", []byte(`id: proef
title: "Proeftraject Dalfsen"
gemeente: Dalfsen
besluit: "De raad besluit over de proef."
wie_beslist: gemeenteraad
belofte: "U hoort wat er met uw inbreng is gedaan."
fasen:
  - {id: een, naam: proberen, van: 2026-11-01, tot: 2026-12-31, trede: raadplegen, verwachting: "U denkt mee.", rondes: [peiling]}
`))
	if err != nil {
		t.Fatal(err)
	}
	h.catalog.SetTrajectories([]*surveys.Trajectory{tr})
	codes := map[string]string{}
	for i := range 60 {
		codes[fmt.Sprintf("c%d", i)] = []string{"Dalfsen|25-44", "Nieuwleusen|45-64", "Hoonhorst|65+"}[i%3]
	}
	if _, err := h.store.SavePanel(context.Background(), storage.PanelDraw{Traject: "proef", ID: "d", Codes: codes,
		Expires: time.Now().Add(time.Hour), Audit: []byte(`{"seed":"7","size":60,"method":"Gestratificeerde loting."}`)}); err != nil {
		t.Fatal(err)
	}
	h.openRound("proef-1")
	n := 0
	add := func(count int, p surveys.Profile, opt string) {
		for range count {
			n++
			h.answer("proef-1", fmt.Sprintf("p%d", n), "positie", surveys.Answer{Options: []string{opt}}, p)
		}
	}
	add(15, surveys.Profile{Kern: "Dalfsen", Leeftijd: "25-44", Panel: true}, "voorkant")
	add(12, surveys.Profile{Kern: "Nieuwleusen", Leeftijd: "45-64", Panel: true}, "geen")
	add(30, surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}, "voorkant")
	if ok, err := h.store.Transition(context.Background(), "proef-1", storage.Opened, storage.Closed, h.now); err != nil || !ok {
		t.Fatal(ok, err)
	}
	c := h.login("anna", "geheim")
	page := h.get("/dashboard/rounds/proef-1", c).Body.String()
	for _, want := range []string{"Loting en open deelname", "60 brieven verstuurd, <strong>27</strong> deden mee (45%); daarnaast 30 inwoners",
		"Respons per groep van de loting", "Loting en zelf aangemeld per vraag"} {
		if !strings.Contains(page, want) {
			t.Errorf("round page: no %q", want)
		}
	}
	// Hoonhorst's 20 letters brought nobody: a response of 0%, no weight
	if !strings.Contains(page, `<th scope="row" class="text">Hoonhorst</th><td class="text">65 jaar of ouder</td><td class="num">20</td>`) {
		t.Errorf("round page: no Hoonhorst stratum")
	}
	if !strings.Contains(h.get("/dashboard/", c).Body.String(), `<a href="/dashboard/trajecten/proef">Proeftraject Dalfsen</a>`) {
		t.Errorf("overview: no link to the trajectory")
	}
	v := h.get("/dashboard/trajecten/proef", c)
	if v.Code != http.StatusOK || !strings.Contains(v.Body.String(), "<h1>Participatieverslag: Proeftraject Dalfsen</h1>") ||
		!strings.Contains(v.Body.String(), "De belofte aan het begin") || !strings.Contains(v.Body.String(), "Gestratificeerde loting.") {
		t.Errorf("verslag page: %d %s", v.Code, v.Body.String())
	}
	if strings.Count(v.Body.String(), "<h1>") != 1 {
		t.Errorf("verslag page: got %d h1, want 1", strings.Count(v.Body.String(), "<h1>"))
	}
	pdf := h.get("/dashboard/trajecten/proef/verslag.pdf", c)
	if pdf.Code != http.StatusOK || pdf.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body.String(), "%PDF-") {
		t.Errorf("verslag.pdf: %d %s", pdf.Code, pdf.Header().Get("Content-Type"))
	}
	if md := h.get("/dashboard/trajecten/proef/verslag.md", c); !strings.HasPrefix(md.Body.String(), "# Participatieverslag") {
		t.Errorf("verslag.md: %q", md.Body.String()[:min(60, md.Body.Len())])
	}
	for _, path := range []string{"/dashboard/trajecten/bestaatniet", "/dashboard/trajecten/proef/verslag.exe"} {
		if got := h.get(path, c).Code; got != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", path, got)
		}
	}
	if got := h.get("/dashboard/trajecten/proef", nil).Code; got == http.StatusOK {
		t.Errorf("verslag without a login: got 200")
	}
}
