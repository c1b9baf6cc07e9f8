package digest

import (
	"bytes"
	"fmt"
	"html/template"
)

// pageTemplate is the HTML report: one standalone page, its CSS inline, its
// charts embedded, no script. html/template escapes every text; the chart
// sources are the only values marked safe, and Build makes them itself. The
// markup is also well-formed XML, so any parser reads it.
var pageTemplate = template.Must(template.New("digest").Funcs(template.FuncMap{
	"src": func(s string) template.URL { return template.URL(s) },
}).Parse(`<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{.P.Heading}} — {{.P.Period}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.5; margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
.period, .note { color: #454545; }
figure { margin: 1rem 0; }
img { max-width: 100%; height: auto; border: 1px solid #ececec; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; }
</style>
</head>
<body>
<main>
<h1>{{.P.Heading}}</h1>
<p class="period">Periode: {{.P.Period}}</p>
<section>
<h2>{{.H.Summary}}</h2>
<ul>{{range .P.Summary}}
<li>{{.}}</li>{{end}}
</ul>
</section>
<section>
<h2>{{.H.Reading}}</h2>
<ul>{{range .Reading}}
<li>{{.}}</li>{{end}}
</ul>
</section>
<section>
<h2>{{.H.Rounds}}</h2>{{if not .P.Rounds}}
<p>{{.NoRounds}}</p>{{end}}{{range .P.Rounds}}
<article>
<h3>{{.Title}}{{if .ID}} (ronde {{.ID}}){{end}}</h3>
<ul>{{range .Facts}}
<li>{{.}}</li>{{end}}
</ul>
<h4>{{$.H.Afspiegeling}}</h4>
<ul>{{range .Afspiegeling}}
<li>{{.}}</li>{{end}}
</ul>{{range .AfspiegelingCharts}}
<figure><img src="{{src .Src}}" alt="{{.Alt}}" /></figure>{{end}}{{if .Pending}}
<p class="note">{{$.Pending}}</p>{{else}}{{if .Results}}
<h4>{{$.H.Results}}</h4>
<ol>{{range .Results}}
<li><strong>{{.Question}}</strong>
<ul>{{range .Lines}}
<li>{{.}}</li>{{end}}
</ul>{{with .Chart}}
<figure><img src="{{src .Src}}" alt="{{.Alt}}" /></figure>{{end}}
</li>{{end}}
</ol>{{end}}{{if .Themes}}
<h4>{{$.H.Themes}}</h4>
<p class="note">{{$.ThemesNote}}</p>
<ul>{{range .Themes}}
<li><strong>{{.Question}}</strong>
<ul>{{range .Items}}
<li>{{.}}</li>{{end}}
</ul>
</li>{{end}}
</ul>{{end}}{{end}}
</article>{{end}}
</section>
<section>
<h2>{{.H.Proces}}</h2>
<p>{{.ProcesQuestion}}</p>{{if .P.Proces.Rows}}
<table>
<thead><tr><th>Ronde</th><th>Gemiddeld cijfer</th><th>Antwoorden</th></tr></thead>
<tbody>{{range .P.Proces.Rows}}
<tr><td>{{.Round}}</td><td class="num">{{.Mean}}</td><td class="num">{{.N}}</td></tr>{{end}}
</tbody>
</table>
<p>Gemiddeld over de periode: <strong>{{.P.Proces.Overall}}</strong>; {{.ProcesWeights}}.</p>{{else}}
<p>{{.ProcesNone}}</p>{{end}}
</section>
{{if .P.Indicators}}<section>
<h2>{{.H.Indicators}}</h2>
<ul>{{range .P.Indicators}}<li>{{.}}</li>{{end}}</ul>
</section>{{end}}
<section>
<h2>{{.H.Overdue}}</h2>{{if .P.Overdue}}
<table>
<thead><tr><th>Ronde</th><th>Ronde-id</th><th>Beloofd op</th><th>Te laat</th><th>Wie beslist</th></tr></thead>
<tbody>{{range .P.Overdue}}
<tr><td>{{.Title}}</td><td>{{.ID}}</td><td>{{.Promised}}</td><td class="num">{{.Days}}</td><td>{{.WieBeslist}}</td></tr>{{end}}
</tbody>
</table>{{else}}
<p>{{.OverdueNone}}</p>{{end}}
</section>
</main>
</body>
</html>
`))

// headings are the section headings as the template reads them.
type headings struct {
	Summary, Reading, Rounds, Afspiegeling, Results, Themes, Proces, Overdue, Indicators string
}

// renderHTML is the page as a standalone HTML document.
func renderHTML(p *page) ([]byte, error) {
	data := struct {
		P                                                      *page
		H                                                      headings
		Reading                                                []string
		NoRounds, Pending, ThemesNote                          string
		ProcesQuestion, ProcesNone, ProcesWeights, OverdueNone string
	}{
		P:              p,
		H:              headings{headSummary, headReading, headRounds, headAfspiegeling, headResults, headThemes, headProces, headOverdue, headIndicators},
		Reading:        readingGuide,
		NoRounds:       noRounds,
		Pending:        pendingNote,
		ThemesNote:     themesNote,
		ProcesQuestion: procesQuestion,
		ProcesNone:     procesNone,
		ProcesWeights:  procesWeights,
		OverdueNone:    overdueNone,
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render html: %w", err)
	}
	return b.Bytes(), nil
}
