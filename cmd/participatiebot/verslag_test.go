package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerslagCommand writes the participatieverslag of the example trajectory as
// Markdown, HTML and PDF, and names the trajectories there are when asked for
// one that is not.
func TestVerslagCommand(t *testing.T) {
	h := newHarness(t)
	h.addSurveys("../../examples", "goed-goan.traject.yaml", "goed-goan-wie-van-de-drie.yaml")
	dir := t.TempDir()
	out := h.cli("verslag", "goed-goan", "--out", dir)
	if !strings.Contains(out, "Goed Goan: samen besturen in Dalfsen") {
		t.Errorf("output: got %q", out)
	}
	md, err := os.ReadFile(filepath.Join(dir, "participatieverslag-goed-goan.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Participatieverslag: Goed Goan: samen besturen in Dalfsen", "## De belofte aan het begin",
		"fase 1 van 3: kiezen wat bij Dalfsen past", "Er zijn nog geen rondes gehouden.", "Voor dit traject is niet geloot"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("verslag: no %q in\n%s", want, md)
		}
	}
	for _, ext := range []string{".html", ".pdf"} {
		if fi, err := os.Stat(filepath.Join(dir, "participatieverslag-goed-goan"+ext)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", ext, err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"verslag", "missie"}, h.getenv, &stdout, &stderr); code == 0 ||
		!strings.Contains(stderr.String(), `er is geen traject "missie"; wel: goed-goan`) {
		t.Errorf("unknown trajectory: exit %d, stderr %q", code, stderr.String())
	}
}
