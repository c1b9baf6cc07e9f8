package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestCatalogueIDsExist: every catalogue id the engine prints, literally
// (c.t("stale"), pr.N("round_list", …)) or built from a value (optin_<channel>,
// trede_<trede>, …), is in the Dutch catalogue, so that no resident reads "[id]".
func TestCatalogueIDsExist(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`\.(?:t|T|N|Has)\("([a-z0-9_]+)"[,)]`)
	var ids []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			ids = append(ids, m[1])
		}
	}
	for _, ch := range []string{"whatsapp", "telegram", "discord", "chat"} {
		ids = append(ids, "optin_"+ch)
	}
	for _, tr := range tredes {
		ids = append(ids, "trede_"+string(tr))
	}
	for _, w := range []string{"gemeenteraad", "college", "burgemeester", "inwoners"} {
		ids = append(ids, "wie_beslist_"+w)
	}
	for _, st := range []string{"open", "gepland", "gesloten"} {
		ids = append(ids, "state_"+st)
	}
	for _, id := range commandIDs {
		ids = append(ids, id)
	}
	nl := lang.Dutch()
	for _, id := range ids {
		if !nl.Has(id) {
			t.Errorf("catalogue text %s is not in the Dutch catalogue", id)
		}
	}
	for _, g := range surveys.Leeftijdsgroepen {
		if got := groupLabel(nl, g); got != g.Label {
			t.Errorf("age group %s: catalogue says %q, surveys %q", g.ID, got, g.Label)
		}
	}
}

// TestTypedWordsDutchEverywhere: the Dutch words for commands, numbers and
// instructions are understood whatever the resident's language.
func TestTypedWordsDutchEverywhere(t *testing.T) {
	for _, l := range lang.Supported {
		for text, want := range map[string]string{"Stop": "stop", "hoe werkt dit?": "hulp", "/mijn gegevens": "mijngegevens", "Hallo!": "start"} {
			if got, ok := CommandWord(text, l); !ok || got != want {
				t.Errorf("%s: CommandWord(%q) = %q, %v; want %q", l, text, got, ok, want)
			}
		}
		if n, ok := typedNumber(l, "een 8"); !ok || n != 8 {
			t.Errorf("%s: typedNumber(een 8) = %d, %v", l, n, ok)
		}
		if n, ok := typedNumber(l, fold("zeven")); !ok || n != 7 {
			t.Errorf("%s: typedNumber(zeven) = %d, %v", l, n, ok)
		}
		if !isWord(l, "words_skip", fold("Sla over")) || !isWord(l, "words_done", "klaar") || isWord(l, "words_back", "klaar") {
			t.Errorf("%s: the Dutch instruction words are not understood", l)
		}
	}
	if _, ok := CommandWord("K7QM-X3VD-R9", lang.AR); ok {
		t.Error("a code read as a command word")
	}
}
