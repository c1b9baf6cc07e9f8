package surveys

import (
	"os"
	"strings"
	"testing"
)

// TestProcesevaluatie: every survey ends with the standard closing question
// unless it says procesevaluatie: false or asks it itself.
func TestProcesevaluatie(t *testing.T) {
	base, err := LoadFile("../examples/goed-goan-wie-van-de-drie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	last := base.Questions[len(base.Questions)-1]
	if last.ID != ProcesevaluatieID || last.Type != Rating || !last.Optional || len(last.Options) != 10 ||
		last.Text != "Hoe tevreden bent u over hoe deze ronde verliep? Geef een cijfer van 1 tot 10." {
		t.Errorf("standard question: got %+v", last)
	}
	data, err := readExample("goed-goan-wie-van-de-drie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	off, err := Parse("uit.yaml", []byte(data+"\nprocesevaluatie: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(off.Questions) != len(base.Questions)-1 || hasQuestion(off, ProcesevaluatieID) {
		t.Errorf("procesevaluatie: false: got %d questions, want %d without it", len(off.Questions), len(base.Questions)-1)
	}
	own := strings.Replace(data, "questions:\n", "questions:\n  - id: procesevaluatie\n    type: likert\n    text: \"Hoe tevreden bent u over deze ronde?\"\n", 1)
	mine, err := Parse("eigen.yaml", []byte(own))
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Questions) != len(base.Questions) || mine.Questions[0].Type != Likert {
		t.Errorf("own procesevaluatie: got %d questions (first %s), want it kept once", len(mine.Questions), mine.Questions[0].Type)
	}
	if _, err := Parse("fout.yaml", []byte(data+"\nprocesevaluatie: misschien\n")); err == nil || !strings.Contains(err.Error(), "procesevaluatie") {
		t.Errorf("bad value: got %v, want a problem about procesevaluatie", err)
	}
}

func readExample(name string) (string, error) {
	b, err := os.ReadFile("../examples/" + name)
	return string(b), err
}
