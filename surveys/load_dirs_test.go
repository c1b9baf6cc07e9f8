package surveys

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadDirsLaterReplaces: a survey in a later directory (the dashboard's uploads)
// replaces the one of its id from an earlier one (SURVEYS_DIR); within one directory
// an id twice is still a problem.
func TestLoadDirsLaterReplaces(t *testing.T) {
	uploads := t.TempDir()
	orig, err := os.ReadFile("testdata/dir-ok/peiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(orig), `title: "Proefpeiling"`, `title: "Geüpload"`, 1)
	if err := os.WriteFile(filepath.Join(uploads, "peiling.yaml"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	all, err := LoadDirs("testdata/dir-ok", uploads)
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	byID := map[string]*Survey{}
	for _, s := range all {
		byID[s.ID] = s
	}
	if len(all) != 2 || byID["aanpak"] == nil || byID["peiling"] == nil {
		t.Fatalf("got %d surveys %v, want aanpak and peiling", len(all), byID)
	}
	if got, want := byID["peiling"].File, filepath.Join(uploads, "peiling.yaml"); got != want {
		t.Errorf("peiling from %s, want the upload %s", got, want)
	}
	if got := byID["peiling"].Title; got != "Geüpload" {
		t.Errorf("peiling title: got %q, want the upload's", got)
	}

	// two files with one id in the uploads: a problem, as in one directory
	if err := os.WriteFile(filepath.Join(uploads, "nog-een.yaml"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadDirs("testdata/dir-ok", uploads)
	var probs Problems
	if !errors.As(err, &probs) || len(probs) != 1 || !strings.Contains(probs[0].Msg, `het vragenlijst-id "peiling" staat ook in`) {
		t.Errorf("got %v, want the id twice in the uploads", err)
	}

	if _, err := LoadDirs("testdata/dir-ok", filepath.Join(uploads, "bestaat-niet")); err == nil || errors.As(err, &probs) {
		t.Errorf("missing directory: got %v, want a read error", err)
	}
}
