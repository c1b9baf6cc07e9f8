package digest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
)

// november is the digest of input(), built once: its charts take a while
// under the race detector.
var november = sync.OnceValues(func() (*Report, error) { return Build(input()) })

func novemberReport(t *testing.T) *Report {
	t.Helper()
	r, err := november()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return r
}

func build(t *testing.T, in Input) *Report {
	t.Helper()
	r, err := Build(in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return r
}

func TestChat(t *testing.T) {
	r := novemberReport(t)
	lines := strings.Split(r.Chat, "\n")
	for _, tc := range []struct {
		name, want string
	}{
		{"title", "Participatie-digest — Gemeente Dalfsen — participatie"},
		{"period", "Periode: 1 november 2026 t/m 30 november 2026"},
		{"rounds", "Rondes in deze periode: 2 (1 gesloten, 1 uitslag gepubliceerd)"},
		{"respondents", "Deelnemers, opgeteld over de rondes: 1.274"},
		// (8×7 + 2×9 + 5×8) / 15 = 114 / 15 = 7,6
		{"procesevaluatie", "Procesevaluatie gemiddeld: 7,6 (15 antwoorden in 2 rondes)"},
		{"overdue count", "Terugkoppeling te laat: 1 ronde"},
		{"first round", "• Burgerpeiling Dalfsen (2026-11), gesloten: 1.234 deelnemers, responspercentage 62,5%, R-indicator 0,94 (goede afspiegeling), R-score 0,62 (redelijke afspiegeling), procesevaluatie 7,4"},
		{"second round", "• Goed goan in Hoonhorst (2026-11), uitslag gepubliceerd: 40 deelnemers, R-indicator niet te berekenen, R-score niet te berekenen, procesevaluatie 8,0"},
		{"overdue", "• Omgevingsvisie | fase 2 (2026-08): beloofd op 1 oktober 2026, 61 dagen te laat; wie beslist: gemeenteraad"},
		{"report", "Volledig verslag: participatie-digest-2026-11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Contains(lines, tc.want) {
				t.Errorf("got chat\n%s\nwant a line %q", r.Chat, tc.want)
			}
		})
	}
	if n := utf8.RuneCountInString(r.Chat); n > ChatLimit {
		t.Errorf("got %d runes, want at most %d", n, ChatLimit)
	}
}

func TestMarkdown(t *testing.T) {
	md := string(novemberReport(t).Markdown)
	for _, tc := range []struct {
		name, want string
	}{
		{"heading", "# Participatie-digest — Gemeente Dalfsen — participatie\n"},
		{"summary", "\n## " + headSummary + "\n"},
		{"rounds", "\n## " + headRounds + "\n"},
		{"round", "\n### Burgerpeiling Dalfsen (ronde 2026-11)\n"},
		{"response", "\n- Respons: 1.234 deelnemers, 1.200 volledig; 1.920 uitgenodigd, responspercentage 62,5%\n"},
		{"afspiegeling", "\n#### " + headAfspiegeling + "\n"},
		{"reading guide", "\n## " + headReading + "\n"},
		{"r-score explained", "\n- De R-score vergelijkt hoe vaak elke groep (kern, leeftijdsgroep) meedeed, naar het aantal inwoners: de groep die het minst meedeed gedeeld door de groep die het meest meedeed. 1 is: elke groep even vaak. Vanaf 0,8 is de afspiegeling goed, vanaf 0,5 redelijk, daaronder scheef.\n"},
		{"interval explained", "\n- “95% zeker: tussen … en …”: zo ver kan het echte percentage onder alle inwoners"},
		{"r-indicator explained", "\n- " + results.RIndicatorHelp + "\n"},
		{"r-indicator", "\n- R-indicator 0,94 (95%-marge 0,93–0,95): goede afspiegeling\n- Respons per kern: Dalfsen 7%, Nieuwleusen 5%, Lemelerveld niet te tonen, Hoonhorst niet te tonen.\n- Bij een lage respons (hier 4,3% van de inwoners) ligt de R-indicator vanzelf dicht bij 1. Kijk daarom ook naar de respons per groep: die wijkt gemiddeld 70% af van de gemiddelde respons.\n- R-score 0,62: redelijke afspiegeling\n"},
		{"r-indicator unavailable", "\n- R-indicator: niet te berekenen (te kleine groepen). Daarvoor zijn per groep minstens 10 deelnemers nodig.\n- Respons per kern: Hoonhorst 1,6%.\n"},
		{"r-score", "\n- R-score 0,62: redelijke afspiegeling\n"},
		{"r-score unavailable", "\n- R-score: niet te berekenen. Daarvoor zijn per groep minstens 10 deelnemers nodig.\n"},
		{"merged", "\n- Samen geteld omdat ze minder dan 10 deelnemers hadden: Hoonhorst, Lemelerveld.\n"},
		{"weighting", "\n- Gewogen naar kern en leeftijdsgroep van de bevolking.\n- 34 deelnemers zonder bekende kern of leeftijd zijn niet meegewogen.\n- De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met 987 deelnemers zonder weging (gewogen: 1.200 deelnemers).\n"},
		{"results", "\n#### " + headResults + "\n"},
		{"likert", "\n   - 62,5% helemaal mee eens of mee eens (95% zeker: tussen 47% en 75,8%)\n"},
		{"single", "\n   - Meest gekozen: Fiets (62,5%; gewogen 58,1%, 95%-marge: 41,2%–73,3%)\n"},
		{"ranking", "\n   - 1\\. Meer groen in de kernen — kans gekozen uit drie 85%, onzekerheid (90%): 75–93%\n"},
		{"ranking third", "\n   - 2–4. Samen activiteiten — kans gekozen uit drie 40%, onzekerheid (90%): 30–50%\n"},
		{"ranking count", "\n   - 36 keuzes\n"},
		{"chart", "](burgerpeiling-2026-11-vraag-vertrouwen.png)\n"},
		{"themes", "\n#### " + headThemes + "\n"},
		{"theme", "\n  - “fietspad”: 3 antwoorden\n"},
		{"overig", "\n  - overig: 1 antwoord\n"},
		{"proces", "\n## " + headProces + "\n"},
		{"proces round", "\n| Burgerpeiling Dalfsen (2026-11) | 7,4 | 10 |\n"},
		{"proces period", "\nGemiddeld over de periode: 7,6 (15 antwoorden in 2 rondes); elke ronde telt mee naar het aantal antwoorden.\n"},
		{"overdue", "\n## " + headOverdue + "\n"},
		{"overdue row", "\n| Omgevingsvisie \\| fase 2 | 2026-08 | 1 oktober 2026 | 61 dagen | gemeenteraad |\n"},
		{"hostile script", `\<script\>alert(1)\</script\>`},
		{"hostile link", `\[klik\](http\://x)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(md, tc.want) {
				t.Errorf("got markdown\n%s\nwant it to contain %q", md, tc.want)
			}
		})
	}
	// An unescaped "<" or "[" would start HTML or a link.
	if m := regexp.MustCompile(`(^|[^\\])(<script|\[klik\])`).FindString(md); m != "" {
		t.Errorf("got %q in the markdown, want it escaped", m)
	}
}

func TestHTML(t *testing.T) {
	r := novemberReport(t)
	page := string(r.HTML)
	for _, want := range []string{
		`<html lang="nl">`,
		"<h2>" + headOverdue + "</h2>",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"<td>Omgevingsvisie | fase 2</td><td>2026-08</td><td>1 oktober 2026</td><td class=\"num\">61 dagen</td><td>gemeenteraad</td>",
		"<strong>7,6 (15 antwoorden in 2 rondes)</strong>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got no %q in the page, want it", want)
		}
	}
	for _, bad := range []string{"<script", "<a ", "<link", "http://x\""} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("got %q in the page, want none", bad)
		}
	}
	imgs := checkMarkup(t, r.HTML)
	if imgs != len(r.Charts) {
		t.Errorf("got %d images, want one per chart (%d)", imgs, len(r.Charts))
	}
}

// checkMarkup reads the page as strict XML (the template writes well-formed
// markup) and checks every element: the root is <html lang="nl">, every image
// is an embedded PNG with alt text, and nothing runs or loads anything. It
// returns the number of images.
func checkMarkup(t *testing.T, page []byte) int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	imgs, depth := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("page is not well-formed: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("got attribute %s on <%s>, want no event handlers", a.Name.Local, el.Name.Local)
				}
			}
			if depth == 0 && (el.Name.Local != "html" || attrs["lang"] != "nl") {
				t.Errorf("got root <%s lang=%q>, want <html lang=\"nl\">", el.Name.Local, attrs["lang"])
			}
			switch el.Name.Local {
			case "script", "iframe", "object", "embed", "link":
				t.Errorf("got <%s>, want none", el.Name.Local)
			case "img":
				imgs++
				if strings.TrimSpace(attrs["alt"]) == "" {
					t.Errorf("got an image without alt text, want alt on every image")
				}
				if !strings.HasPrefix(attrs["src"], "data:image/png;base64,") {
					t.Errorf("got image src %.40q, want an embedded PNG", attrs["src"])
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return imgs
}

func TestNoOpenAnswers(t *testing.T) {
	r := novemberReport(t)
	var alts strings.Builder
	for _, c := range r.Charts {
		alts.WriteString(c.Alt + "\n")
	}
	for _, part := range []struct{ name, text string }{
		{"chat", r.Chat}, {"markdown", string(r.Markdown)}, {"html", string(r.HTML)}, {"alt texts", alts.String()},
	} {
		for _, a := range openAnswers {
			if strings.Contains(part.text, a) || strings.Contains(part.text, md(a)) {
				t.Errorf("got open answer %q in the %s, want only themes", a, part.name)
			}
		}
	}
}

func TestCharts(t *testing.T) {
	r := novemberReport(t)
	want := []string{
		"burgerpeiling-2026-11-afspiegeling-kern.png",
		"burgerpeiling-2026-11-vraag-vertrouwen.png",
		"burgerpeiling-2026-11-vraag-vervoer.png",
		"burgerpeiling-2026-11-vraag-prioriteit.png",
		"goed-goan-2026-11-afspiegeling-kern.png",
		"goed-goan-2026-11-vraag-vertrouwen.png",
	}
	var got []string
	for _, c := range r.Charts {
		got = append(got, c.Name)
		if len(c.PNG) == 0 || c.Alt == "" {
			t.Errorf("got chart %s with %d bytes and alt %q, want both", c.Name, len(c.PNG), c.Alt)
		}
		if !strings.Contains(string(r.Markdown), "]("+c.Name+")") {
			t.Errorf("got no reference to %s in the markdown, want one", c.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got charts %v, want %v", got, want)
	}
}

// roundN is one of many rounds with a long title, for the message limit.
func roundN(i int) Round {
	r := goedGoan()
	res := *r.Results
	res.Title = fmt.Sprintf("Ronde %02d over een onderwerp met een heel lange titel die de stuurgroep moet kunnen herkennen", i)
	res.Round.ID = fmt.Sprintf("2026-11-%02d", i)
	res.Afspiegeling = nil
	res.Questions = []results.QuestionResult{proces(map[int]int64{6: 3, 8: 3})}
	res.Survey = survey("s", res.Title, "gemeenteraad met een lange toelichting over wie er precies beslist", time.Date(2026, 9, i%28+1, 0, 0, 0, 0, time.UTC))
	r.Results = &res
	return r
}

func TestChatLimit(t *testing.T) {
	in := input()
	in.Rounds, in.Overdue = nil, nil
	for i := range 30 {
		in.Rounds = append(in.Rounds, roundN(i))
		in.Overdue = append(in.Overdue, roundN(i))
	}
	r := build(t, in)
	if n := utf8.RuneCountInString(r.Chat); n > ChatLimit {
		t.Errorf("got %d runes, want at most %d", n, ChatLimit)
	}
	for _, want := range []string{
		"Rondes in deze periode: 30 (30 uitslag gepubliceerd)",
		"Procesevaluatie gemiddeld: 7,0 (180 antwoorden in 30 rondes)",
		"Terugkoppeling te laat: 30 rondes",
		"… en nog ",
		"Volledig verslag: participatie-digest-2026-11",
	} {
		if !strings.Contains(r.Chat, want) {
			t.Errorf("got chat\n%s\nwant %q", r.Chat, want)
		}
	}
	if got := strings.Count(string(r.Markdown), "\n### Ronde "); got != 30 {
		t.Errorf("got %d rounds in the markdown, want all 30", got)
	}
}

func TestEmptyPeriod(t *testing.T) {
	in := input()
	in.Rounds = nil
	r := build(t, in)
	for _, part := range []struct{ name, text string }{
		{"chat", r.Chat}, {"markdown", string(r.Markdown)}, {"html", string(r.HTML)},
	} {
		for _, want := range []string{noRounds, "Omgevingsvisie", "61 dagen"} {
			if !strings.Contains(part.text, want) {
				t.Errorf("got no %q in the %s, want it", want, part.name)
			}
		}
	}
	if !strings.Contains(r.Chat, "Terugkoppeling te laat: 1 ronde") {
		t.Errorf("got chat\n%s\nwant the overdue count", r.Chat)
	}
	if !strings.Contains(string(r.Markdown), procesNone) {
		t.Errorf("got markdown\n%s\nwant %q", r.Markdown, procesNone)
	}
	if len(r.Charts) != 0 {
		t.Errorf("got %d charts, want none", len(r.Charts))
	}
	checkMarkup(t, r.HTML)
}

func TestRoundStates(t *testing.T) {
	open := burgerpeiling()
	open.State = StateOpen
	open.Results.Round.Closed = time.Time{}
	decided := omgevingsvisie()
	decided.DecidedAt = time.Date(2026, 11, 20, 10, 0, 0, 0, cet)
	in := input()
	in.Rounds = []Round{open}
	in.Overdue = []Round{decided}
	r := build(t, in)
	md := string(r.Markdown)
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"open round waits", pendingNote, true},
		{"open since", "- Open sinds 2 november 2026\n", true},
		{"no results of an open round", headResults, false},
		{"no themes of an open round", headThemes, false},
		{"no procesevaluatie of an open round", procesNone, true},
		{"decided round is not late", overdueNone, true},
		{"afspiegeling of an open round", "R-score 0,62: redelijke afspiegeling", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Contains(md, tc.text); got != tc.want {
				t.Errorf("got %v for %q in\n%s\nwant %v", got, tc.text, md, tc.want)
			}
		})
	}
	if !strings.Contains(r.Chat, "Terugkoppeling te laat: geen") {
		t.Errorf("got chat\n%s\nwant no late rounds", r.Chat)
	}
	if len(r.Charts) != 1 {
		t.Errorf("got %d charts, want only the afspiegeling", len(r.Charts))
	}
}

func TestDeterministic(t *testing.T) {
	a := novemberReport(t)
	in := input()
	slices.Reverse(in.Rounds)
	b := build(t, in)
	if a.Chat != b.Chat || !bytes.Equal(a.Markdown, b.Markdown) || !bytes.Equal(a.HTML, b.HTML) || a.Name != b.Name {
		t.Errorf("got different reports for the same rounds in another order, want the same")
	}
	for i := range a.Charts {
		if a.Charts[i].Name != b.Charts[i].Name || !bytes.Equal(a.Charts[i].PNG, b.Charts[i].PNG) {
			t.Errorf("got chart %d different, want the same", i)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
	}{
		{"empty period", func(in *Input) { in.To = in.From }},
		{"no From", func(in *Input) { in.From = time.Time{} }},
		{"round without results", func(in *Input) { in.Rounds = append(in.Rounds, Round{State: StateClosed}) }},
		{"overdue without survey", func(in *Input) { in.Overdue = []Round{{Results: &results.Results{}}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input()
			tc.edit(&in)
			if _, err := Build(in); err == nil {
				t.Errorf("got no error, want one")
			}
		})
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     string
	}{
		{"month", periodFrom, periodTo, "participatie-digest-2026-11"},
		{"december", time.Date(2026, 12, 1, 0, 0, 0, 0, cet), time.Date(2027, 1, 1, 0, 0, 0, 0, cet), "participatie-digest-2026-12"},
		{"week", time.Date(2026, 11, 2, 0, 0, 0, 0, cet), time.Date(2026, 11, 9, 0, 0, 0, 0, cet), "participatie-digest-2026-11-02-2026-11-08"},
		{"two months", periodFrom, time.Date(2027, 1, 1, 0, 0, 0, 0, cet), "participatie-digest-2026-11-01-2026-12-31"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reportName(tc.from, tc.to); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMarkdownEscape(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "Meer groen in de kernen", "Meer groen in de kernen"},
		{"link", "[klik](http://x)", `\[klik\](http\://x)`},
		{"image", "![x](y.png)", `\!\[x\](y.png)`},
		{"html", "<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"table cell", "ja | nee", `ja \| nee`},
		{"emphasis", "*heel* _erg_ ~weg~ `code`", "\\*heel\\* \\_erg\\_ \\~weg\\~ \\`code\\`"},
		{"backslash", `a\b`, `a\\b`},
		{"autolink", "zie www.dalfsen.nl", `zie www\.dalfsen.nl`},
		{"ordered list", "1. eerst", `1\. eerst`},
		{"bullet", "- punt", `\- punt`},
		{"heading underline", "===", `\===`},
		{"newline", "twee\nregels", "twee regels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := md(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDutchNumbers(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"thousands", dutch.Int(1234), "1.234"},
		{"millions", dutch.Int(-1234567), "-1.234.567"},
		{"percent", dutchPercent(62.5), "62,5%"},
		{"whole percent", dutchPercent(40), "40%"},
		{"rounded percent", dutchPercent(58.14), "58,1%"},
		{"mean", dutch.Decimal(7.4, 1), "7,4"},
		{"plural one", dutch.Plural(1, "dag", "dagen"), "1 dag"},
		{"plural many", dutch.Plural(1061, "dag", "dagen"), "1.061 dagen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// TestTooFewAndLiveRounds: a round with fewer respondents than the threshold
// shows no number in any part of the digest, and does not count in the total
// of respondents (the total minus the other rounds would give it); an open
// round shows only its banded tussenstand, no afspiegeling and no charts.
func TestTooFewAndLiveRounds(t *testing.T) {
	small := goedGoan()
	small.Results.Respondents, small.Results.Completed, small.Results.TooFew = 8, 8, true
	open := burgerpeiling()
	open.State = StateOpen
	open.Results.Round.Closed = time.Time{}
	open.Results = results.Live(open.Results)
	in := input()
	in.Rounds = []Round{small, open, burgerpeiling()}
	r := build(t, in)
	for name, part := range map[string]string{"chat": r.Chat, "markdown": string(r.Markdown), "html": string(r.HTML)} {
		t.Run(name, func(t *testing.T) {
			for _, want := range []string{"te weinig deelnemers", "Tussenstand: 1.230–1.239 deelnemers"} {
				if name != "chat" && !strings.Contains(strings.ToLower(part), strings.ToLower(want)) {
					t.Errorf("no %q in\n%s", want, part)
				}
			}
			for _, secret := range []string{"8 deelnemers", "8 volledig", "2.476", "2.468"} {
				if strings.Contains(part, secret) {
					t.Errorf("%q in\n%s", secret, part)
				}
			}
			if !strings.Contains(part, "Deelnemers, opgeteld over de rondes: 2.464") {
				t.Errorf("total: want 1.230 (banded) + 1.234, without the small round, in\n%s", part)
			}
		})
	}
	// Charts: only the closed large round's; none of the small or open round.
	want := len(novemberReport(t).Charts) - 1 // goedGoan's afspiegeling chart is gone
	if got := len(r.Charts); got > want {
		t.Errorf("got %d charts, want at most %d", got, want)
	}
	for _, c := range r.Charts {
		if strings.Contains(c.Alt, "Goed goan") {
			t.Errorf("a chart of the small round: %s", c.Name)
		}
	}
}

// TestPanelInDigest: a round of a trajectory with a drawn panel says in the
// digest how the panel responded and whether the self-selected answered otherwise.
func TestPanelInDigest(t *testing.T) {
	in := input()
	in.Rounds[0].Results.Panel = &results.Panel{Traject: "goed-goan", Invited: 400, Respondents: 160, SelfSelected: 90, Rate: 0.4,
		RIndicator: &results.RIndicator{R: 0.81, Low: 0.74, High: 0.88},
		Questions: []results.PanelComparison{{QuestionID: "vertrouwen", Text: "Vertrouwen in de gemeente", Measure: "(zeer) mee eens",
			Percent: true, Panel: 41, PanelLow: 33, PanelHigh: 49, Self: 63, SelfLow: 53, SelfHigh: 72, Meaningful: true}}}
	rep := build(t, in)
	for _, want := range []string{"Loting: 400 brieven verstuurd, 160 deden mee (40%); 90 inwoners meldden zich zelf; R-indicator van de loting 0,81.",
		"antwoordde duidelijk anders dan de loting bij: Vertrouwen in de gemeente (loting 41% (33%–49%), zelf aangemeld 63% (53%–72%))"} {
		if !strings.Contains(string(rep.Markdown), want) {
			t.Errorf("digest: no %q in\n%s", want, rep.Markdown)
		}
	}
}

// TestIndicatorsInDigest: the indicators the caller gives have their own section,
// in the Markdown and in the HTML; without any, there is none.
func TestIndicatorsInDigest(t *testing.T) {
	in := input()
	in.Indicators = []string{"Burgerpeiling: ‘De gemeente luistert voldoende naar de mening van de inwoners.’, (zeer) mee eens: 42% (38%–46%) in ronde burgerpeiling-20270301-0900, doel ≥ 50% in 2027 (wethouder participatie): niet op koers"}
	rep := build(t, in)
	if !strings.Contains(string(rep.Markdown), "\n## Indicatoren\n\n- Burgerpeiling: ‘De gemeente luistert") {
		t.Errorf("markdown: no indicators section in\n%s", rep.Markdown)
	}
	if !strings.Contains(string(rep.HTML), "<h2>Indicatoren</h2>\n<ul><li>Burgerpeiling: ‘De gemeente luistert") {
		t.Errorf("html: no indicators section")
	}
	if rep := build(t, input()); strings.Contains(string(rep.Markdown), "## Indicatoren") {
		t.Errorf("a digest without indicators has the section")
	}
}
