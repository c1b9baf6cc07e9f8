package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/testwait"
)

// serve loads a survey that validate warns about (it speaks to children) and says
// so in its log, with where.
func TestServeLogsSurveyWarnings(t *testing.T) {
	h := newHarness(t)
	data, err := os.ReadFile("testdata/e2e.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(data), "id: e2e", "id: speeltuin", 1)
	yaml = strings.Replace(yaml, `text: "Wat is uw positie in het huidige proces?"`, `text: "Wat vind jij van de speeltuin bij je school?"`, 1)
	if err := os.WriteFile(filepath.Join(h.env["SURVEYS_DIR"], "speeltuin.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	h.serve()
	testwait.Until(t, 20*time.Second, "the survey warning in the log, for speeltuin only", func() (bool, string) {
		var ours, others int
		for _, line := range strings.Split(h.logs.String(), "\n") {
			switch {
			case !strings.Contains(line, "survey warning"):
			case strings.Contains(line, "speeltuin.yaml:"):
				ours++
			default:
				others++
			}
		}
		return ours == 1 && others == 0, h.logs.String()
	})
}
