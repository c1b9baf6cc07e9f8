package dashboard

import (
	"errors"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

var (
	summaryOpen = `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="probleem-kop" autofocus>`
	summaryHead = regexp.MustCompile(`<h2 id="probleem-kop">Er is een probleem met het bestand</h2>`)
	summaryLink = regexp.MustCompile(`<li><a href="#([a-z0-9-]+)">([^<]*)</a>`)
	roleAlert   = regexp.MustCompile(`role="alert"`)
)

// TestUploadErrorSummary: a refused upload opens the page with one error summary,
// focused on load without script (autofocus on a focusable alert), before anything
// else on the page; it links every problem to its line in the listing of the file,
// where the problem is shown again; messages and tips are the validator's, the same
// Dutch that participatiebot validate prints.
func TestUploadErrorSummary(t *testing.T) {
	valid := readFile(t, "testdata/peiling.yaml")
	tests := []struct {
		name, content string
		wantLinks     []string // the anchors, in order
	}{
		{"two problems far apart", strings.Replace(strings.Replace(valid, "trede: raadplegen", "trede: roepen", 1), "type: rating", "type: cijfer", 1),
			[]string{"regel-7", "regel-32"}},
		{"a syntax error", "id: x\ntitle: [niet af\n", []string{"regel-2"}},
		{"an empty file links to the file field", "", []string{"file"}},
		{"wie_beslist wethouder", strings.Replace(valid, "wie_beslist: gemeenteraad", "wie_beslist: wethouder", 1), []string{"regel-6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			c := h.login("anna", "geheim")
			w := h.upload(c, h.csrf(c), "fout.yaml", tt.content, false)
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status: got %v, want %v", w.Code, http.StatusUnprocessableEntity)
			}
			body := w.Body.String()
			main := body[strings.Index(body, `<main`):]
			// first in the content, right under the page's heading
			if i, j := strings.Index(main, summaryOpen), strings.Index(main, "</h1>"); i < 0 || strings.TrimSpace(main[j+len("</h1>"):i]) != "" {
				t.Fatalf("got no error summary right under the heading:\n%s", main[:min(len(main), 600)])
			}
			if !summaryHead.MatchString(body) {
				t.Errorf("got no heading %q labelling the summary", "Er is een probleem met het bestand")
			}
			if n := len(roleAlert.FindAllString(body, -1)); n != 1 {
				t.Errorf("got %d role=alert, want the summary alone", n)
			}
			_, err := surveys.Parse("fout.yaml", []byte(tt.content))
			var probs surveys.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("got %v, want problems", err)
			}
			links := summaryLink.FindAllStringSubmatch(body, -1)
			var anchors []string
			for i, l := range links {
				anchors = append(anchors, l[1])
				if !strings.Contains(body, `id="`+l[1]+`"`) {
					t.Errorf("link to #%s: no element with that id", l[1])
				}
				if want := html.EscapeString(probs[i].Msg); !strings.HasSuffix(l[2], ": "+want) {
					t.Errorf("link %d: got %q, want the validator's message %q", i, l[2], want)
				}
			}
			if strings.Join(anchors, " ") != strings.Join(tt.wantLinks, " ") {
				t.Errorf("links: got %v, want %v", anchors, tt.wantLinks)
			}
			for _, p := range probs {
				if hint := "Tip: " + html.EscapeString(p.Hint); p.Hint == "" || strings.Count(body, hint) < 1 {
					t.Errorf("got no tip %q for %q", hint, p.Msg)
				}
			}
			for _, a := range tt.wantLinks {
				if a == "file" {
					continue
				}
				// the line in the listing shows its problem
				li := regexp.MustCompile(`<li id="` + a + `" class="fout"><code>[^<]*</code>\s*<p class="melding"><strong>Regel \d+, kolom \d+:</strong> `)
				if !li.MatchString(body) {
					t.Errorf("listing: got no line %s marked with its problem", a)
				}
			}
		})
	}
}

// TestUploadListingAroundProblems: the listing shows the lines near each problem in
// runs, numbered as in the file, and leaves out the rest.
func TestUploadListingAroundProblems(t *testing.T) {
	data := strings.Repeat("# regel\n", 20) + "id: x\n"
	up := refused("f.yaml", []byte(data), surveys.Problems{{Line: 3, Col: 1, Msg: "a", Hint: "b"}, {Line: 19, Col: 2, Msg: "c", Hint: "d"},
		{Line: 40, Col: 1, Msg: "e", Hint: "f"}, {Line: 21, Col: 1, Msg: "… en nog 7 problemen", More: 7}})
	var runs []string
	for _, run := range up.Listing {
		runs = append(runs, strings.TrimSpace(lineNumbers(run)))
	}
	if got, want := strings.Join(runs, " | "), "1 2 3 4 5 | 17 18 19 20 21"; got != want {
		t.Errorf("runs: got %s, want %s", got, want)
	}
	if got := up.Problems[2].Anchor; got != "regel-21" {
		t.Errorf("a problem past the last line: got anchor %q, want the last line", got)
	}
	if p := up.Problems[3]; p.Anchor != "" || p.Where != "" {
		t.Errorf("the count of problems left out: got anchor %q, where %q, want neither", p.Anchor, p.Where)
	}
	if up.Count != "10 problemen" {
		t.Errorf("count: got %q, want 10 problemen", up.Count)
	}
}

func lineNumbers(run []uploadLine) string {
	var b strings.Builder
	for _, l := range run {
		b.WriteString(" " + strings.TrimPrefix(l.ID, "regel-"))
	}
	return b.String()
}

// A survey that loads with warnings is active, and the page after the upload says
// what validate would warn about, with the tip.
func TestUploadShowsWarnings(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	content := strings.Replace(readFile(t, "testdata/peiling.yaml"), "id: peiling", "id: speelplek", 1)
	content = strings.Replace(content, `title: "`, `title: "Wat vind jij van de speeltuin bij je school? `, 1)
	w := h.upload(c, h.csrf(c), "speelplek.yaml", content, false)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v, want %v: %s", w.Code, http.StatusSeeOther, w.Body.String())
	}
	body := h.get(w.Header().Get("Location"), c).Body.String()
	for _, want := range []string{"is geladen en meteen actief", "Let op bij deze vragenlijst", "Inwoners jonger dan 16 kunnen niet meedoen via de bot"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after the upload: no %q in\n%s", want, body)
		}
	}
	if body := h.get("/dashboard/?gedaan=geladen&vragenlijst=peiling", c).Body.String(); strings.Contains(body, "Let op bij deze vragenlijst") {
		t.Errorf("a survey without warnings: got the warnings box")
	}
}

// TestUploadWarnsRewording: a survey uploaded over one whose last round asked a
// question in other words is loaded, with a warning that the question's trend
// starts again.
func TestUploadWarnsRewording(t *testing.T) {
	h := newHarness(t)
	h.openRound("peiling-1")
	c := h.login("anna", "geheim")
	content := strings.Replace(readFile(t, "testdata/peiling.yaml"), "Wat is uw positie in het huidige proces?", "Welke rol heeft u nu?", 1)
	w := h.upload(c, h.csrf(c), "peiling.yaml", content, true) // replacing the one of its id
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v: %s", w.Code, w.Body.String())
	}
	body := h.get(w.Header().Get("Location"), c).Body.String()
	for _, want := range []string{"is geladen en meteen actief", "Vraag positie", "anders gesteld dan in ronde peiling-1"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after the upload: no %q", want)
		}
	}
}
