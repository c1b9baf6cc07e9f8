package verslag

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestEmptyTrajectory: before any round, the verslag has every section and says
// that nothing was held or drawn yet; an organiser's text cannot become markup.
func TestEmptyTrajectory(t *testing.T) {
	tr, err := surveys.ParseTrajectory("t.traject.yaml", []byte(`id: t
title: "Traject *vet* <b>"
gemeente: Dalfsen
besluit: "De raad besluit."
wie_beslist: gemeenteraad
belofte: "U hoort [hier](http://example.org) wat er gebeurt."
fasen:
  - {id: een, naam: eerst, van: 2027-01-01, tot: 2027-01-31, trede: raadplegen, verwachting: "U denkt mee."}
`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(Input{Trajectory: tr, Threshold: 10, Now: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var md, html, pdf bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, s := range Sections {
		if !strings.Contains(md.String(), "\n## "+s+"\n") {
			t.Errorf("no section %q", s)
		}
	}
	for _, want := range []string{"Er zijn nog geen rondes gehouden.", "Voor dit traject is niet geloot", `Traject \*vet\* &lt;b&gt;`, `U hoort \[hier\](http://example.org)`} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown: no %q in\n%s", want, md.String())
		}
	}
	if err := rep.WriteHTML(&html); err != nil || strings.Contains(html.String(), "<b>") {
		t.Errorf("html: %v, or the title's <b> became markup", err)
	}
	if err := rep.WritePDF(&pdf); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Errorf("pdf: %v", err)
	}
	if _, err := Build(Input{}); err == nil {
		t.Errorf("no trajectory: got no error")
	}
}
