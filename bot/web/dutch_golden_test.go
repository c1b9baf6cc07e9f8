package web

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/nl/*.html from the pages as they are now")

// variable parts of a page: ids, nonces, signatures, digests and the link's expiry
var (
	hexID    = regexp.MustCompile(`[0-9a-f]{32}`)
	mac      = regexp.MustCompile(`[A-Za-z0-9_-]{43}`)
	digest   = regexp.MustCompile(`data-(h|v)="[0-9a-f]{16}"`)
	linkTime = regexp.MustCompile(`\.[0-9]{10}\.`)
	asset    = regexp.MustCompile(`\?v=[0-9a-f]{12}`)
)

func normalise(s string) string {
	s = hexID.ReplaceAllString(s, "ID")
	s = mac.ReplaceAllString(s, "MAC")
	s = digest.ReplaceAllString(s, `data-$1="H"`)
	s = linkTime.ReplaceAllString(s, ".T.")
	return asset.ReplaceAllString(s, "?v=V")
}

// TestDutchPagesUnchanged keeps every page a resident sees in Dutch byte for byte as
// it was before the pages were printed from the catalogue (testdata/nl, written from
// the pages of the commit before; -update-golden rewrites them). The style sheet and
// script links (their version) may differ; on purpose since then: the text form
// carries chat.js's texts (data-fout, data-offline), and "◀ Vorige" is the button
// "Vorige" whose arrow the style sheet draws (class vorige), mirrored right to left.
func TestDutchPagesUnchanged(t *testing.T) {
	h := newHarness(t)
	pages := map[string]func() string{}
	pages["welcome"] = func() string { return h.client().get("/").Body.String() }
	pages["conversation"] = func() string {
		c, id := h.resident()
		h.send(id, bot.Message{Text: "Welkom bij de participatiebot!"})
		h.send(id, bot.Message{Text: "Vraag 1 van 2\nHoe tevreden bent u?", Choices: [][]bot.Choice{
			{{Label: "Tevreden", Data: "a"}, {Label: "Ontevreden", Data: "b"}}, {{Label: "◀ Vorige", Data: "v"}}}})
		h.send(id, bot.Message{Text: "Welke onderwerpen?", Choices: [][]bot.Choice{
			{{Label: "☑ Groen", Data: "g", Tick: bot.TickOn}, {Label: "☐ Verkeer", Data: "v2", Tick: bot.TickOff}}}})
		h.send(id, bot.Message{Text: "Het besluit", Document: &bot.File{Name: "besluit.pdf", Data: []byte("%PDF-1.4 test")}})
		c.post("/send", h.form(id, "text", "een antwoord"), "Accept", "text/html")
		return c.get("/").Body.String()
	}
	pages["updates"] = func() string {
		c, id := h.resident()
		h.send(id, bot.Message{Text: "Later: de uitslag"})
		return c.get("/updates?after=0&v=x").Body.String()
	}
	pages["privacy"] = func() string {
		return h.client().get("/privacy").Body.String()
	}
	pages["mijngegevens-leeg"] = func() string { return h.client().get("/mijngegevens").Body.String() }
	pages["mijngegevens"] = func() string {
		c, id := h.resident()
		h.send(id, bot.Message{Text: "Welkom"})
		return c.get("/mijngegevens").Body.String()
	}
	pages["vergeetmij"] = func() string {
		c, _ := h.resident()
		return c.get("/vergeetmij").Body.String()
	}
	pages["vergeetmij-leeg"] = func() string { return h.client().get("/vergeetmij").Body.String() }
	pages["niet-gevonden"] = func() string { return h.client().get("/bestaat-niet").Body.String() }
	pages["niet-gevonden.json"] = func() string {
		c := h.client()
		req := httptestGet("/bestaat-niet")
		req.Header.Set("Accept", "application/json")
		return c.do(req).Body.String()
	}
	pages["link"] = func() string {
		c, _ := h.resident()
		return c.get("/link").Body.String()
	}
	pages["link-openen"] = func() string {
		a, _ := h.resident()
		p := h.linkOf(a)
		b, _ := h.resident()
		req := httptestGet("/?p=" + p)
		return b.do(req).Body.String()
	}
	pages["link-ongeldig"] = func() string { return h.client().get("/?p=nietgoed.x").Body.String() }
	pages["zonder-sessie"] = func() string {
		req := httptestGet("/updates")
		req.Header.Set("Accept", "application/json")
		return h.client().do(req).Body.String()
	}
	for name, get := range pages {
		t.Run(name, func(t *testing.T) {
			got := normalise(get())
			file := filepath.Join("testdata", "nl", name+".html")
			if *updateGolden {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Dutch page %s changed:\n--- got\n%s\n--- want\n%s", name, got, want)
			}
		})
	}
	_ = http.StatusOK
}
