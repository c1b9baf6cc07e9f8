// Package verslag makes the participatieverslag of a trajectory: the report a
// council gets with its decision, as the Omgevingswet and the
// participatieverordening ask it. It says what was promised at the start, per
// phase who took part (response, afspiegeling, R-indicator, the lottery-drawn
// panel beside the self-selected residents), what they said (results, themes),
// how they judged the process (procesevaluatie), what was done with their input
// (the decisions beside the outcomes), whether every terugkoppeling came on time,
// and how the lottery was drawn.
//
// Every figure comes from the rounds' results (package results), so the one
// disclosure decision of each round decides what the verslag shows: a round with
// fewer respondents than the threshold shows no figure, a group under it never
// appears, and open answers appear only as themes that at least the threshold
// of residents share. The report is a list of blocks (headings, paragraphs,
// lists, tables) that Markdown, HTML and PDF render alike.
package verslag

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Round is one round of the trajectory with its results.
type Round struct {
	Round  *storage.Round
	Survey *surveys.Survey
	// Results are the round's results as published (nil while it is scheduled
	// or open: the verslag then says so and shows no figures).
	Results *results.Results
}

// Input is what the verslag is made of.
type Input struct {
	Trajectory *surveys.Trajectory
	Rounds     []Round
	// Audits are the lottery's draws (their JSON audit records, as stored).
	Audits []string
	// Invited are the letters sent per stratum (storage.PanelInvited).
	Invited map[string]int64
	// Threshold is the smallest group shown.
	Threshold int
	Now       time.Time
	Location  *time.Location
}

// Kind is what a block is.
type Kind int

// Blocks of a report.
const (
	Heading   Kind = iota + 1 // Text at Level 1, 2 or 3
	Paragraph                 // Text
	List                      // Items
	Table                     // Caption, Header, Rows
)

// Block is one part of the report.
type Block struct {
	Kind    Kind
	Level   int
	Text    string
	Items   []string
	Caption string
	Header  []string
	Rows    [][]string
}

// Report is the participatieverslag.
type Report struct {
	Title  string
	Blocks []Block
}

// Sections are the headings (level 2) every verslag has, in order.
var Sections = []string{
	"De belofte aan het begin",
	"Wie deden mee",
	"Wat inwoners zeiden",
	"Hoe inwoners het proces vonden",
	"Wat er met de inbreng is gedaan",
	"Terugkoppeling op tijd",
	"Verantwoording van de loting",
	"Over dit verslag",
}

type builder struct {
	in  Input
	rep *Report
}

func (b *builder) h(level int, text string) {
	b.rep.Blocks = append(b.rep.Blocks, Block{Kind: Heading, Level: level, Text: text})
}
func (b *builder) p(format string, args ...any) {
	b.rep.Blocks = append(b.rep.Blocks, Block{Kind: Paragraph, Text: fmt.Sprintf(format, args...)})
}
func (b *builder) list(items []string) {
	if len(items) == 0 {
		return
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = strings.TrimPrefix(it, "• ")
	}
	b.rep.Blocks = append(b.rep.Blocks, Block{Kind: List, Items: out})
}
func (b *builder) table(caption string, header []string, rows [][]string) {
	if len(rows) > 0 {
		b.rep.Blocks = append(b.rep.Blocks, Block{Kind: Table, Caption: caption, Header: header, Rows: rows})
	}
}

// Build makes the verslag.
func Build(in Input) (*Report, error) {
	t := in.Trajectory
	if t == nil {
		return nil, fmt.Errorf("verslag: geen traject")
	}
	if in.Location == nil {
		in.Location = time.UTC
	}
	rounds := slices.Clone(in.Rounds)
	slices.SortStableFunc(rounds, func(a, b Round) int {
		pa, pb := phaseIndex(t, a.Survey.ID), phaseIndex(t, b.Survey.ID)
		if pa != pb {
			return pa - pb
		}
		return a.Round.OpensAt.Compare(b.Round.OpensAt)
	})
	in.Rounds = rounds
	b := &builder{in: in, rep: &Report{Title: "Participatieverslag: " + t.Title}}
	b.h(1, b.rep.Title)
	b.p("Gemeente %s · %s · opgemaakt op %s.", t.Gemeente, dutch.Plural(int64(len(t.Phases)), "fase", "fasen"), dutch.Date(in.Now.In(in.Location)))
	b.p("Het besluit: %s Wie beslist: %s.", t.Besluit, t.WieBeslist)
	b.promise()
	b.participation()
	b.said()
	b.process()
	b.done()
	b.onTime()
	if err := b.lottery(); err != nil {
		return nil, err
	}
	b.about()
	return b.rep, nil
}

func phaseIndex(t *surveys.Trajectory, surveyID string) int {
	i, _, ok := t.PhaseOf(surveyID)
	if !ok {
		return len(t.Phases)
	}
	return i
}

func (b *builder) promise() {
	t := b.in.Trajectory
	b.h(2, Sections[0])
	b.p("%s", t.Belofte)
	var rows [][]string
	for i, ph := range t.Phases {
		trede := ph.Trede.Uitleg()
		if trede == "" {
			trede = string(ph.Trede)
		}
		rows = append(rows, []string{t.PhaseLabel(i), dutch.Date(ph.From) + " – " + dutch.Date(ph.To), trede, ph.Verwachting})
	}
	b.table("De fasen, met de trede op de participatieladder en wat inwoners mochten verwachten",
		[]string{"Fase", "Periode", "Trede", "Verwachting"}, rows)
	if len(t.Stuurgroep) > 0 {
		b.p("Het traject werd gevolgd door: %s.", dutch.And(t.Stuurgroep))
	}
}

// shown reports whether a round has figures to show, and else why not.
func (b *builder) shown(r Round) (bool, string) {
	switch {
	case r.Results == nil:
		return false, "nog geen uitslag (de ronde is nog niet gesloten)"
	case r.Results.Respondents == 0:
		return false, "niemand deed mee"
	case r.Results.TooFew:
		return false, fmt.Sprintf("minder dan %d deelnemers: daarom geen cijfers", b.in.Threshold)
	}
	return true, ""
}

func (b *builder) roundTitle(r Round) string {
	t := b.in.Trajectory
	label := ""
	if i, _, ok := t.PhaseOf(r.Survey.ID); ok {
		label = " (" + t.PhaseLabel(i) + ")"
	}
	return r.Survey.Title + label
}

func (b *builder) participation() {
	b.h(2, Sections[1])
	if len(b.in.Rounds) == 0 {
		b.p("Er zijn nog geen rondes gehouden.")
		return
	}
	var rows [][]string
	for _, r := range b.in.Rounds {
		ok, why := b.shown(r)
		row := []string{b.roundTitle(r), period(r.Round, b.in.Location)}
		if !ok {
			row = append(row, "–", "–", why)
		} else {
			res := r.Results
			rate := "–"
			if res.Invited > 0 {
				rate = percent(100 * res.ResponseRate)
			}
			row = append(row, dutch.Int(res.Respondents), rate, rIndicator(res))
		}
		rows = append(rows, row)
	}
	b.table("Deelname per ronde", []string{"Ronde", "Periode", "Deelnemers", "Respons", "Afspiegeling (R-indicator)"}, rows)
	for _, r := range b.in.Rounds {
		if ok, _ := b.shown(r); !ok {
			continue
		}
		res := r.Results
		b.h(3, b.roundTitle(r))
		b.list(results.RepresentationLines(res))
		var groups []string
		for _, c := range res.ByKern {
			groups = append(groups, c.Group+": "+cellText(c, b.in.Threshold))
		}
		if len(groups) > 0 {
			b.p("Deelnemers per kern: %s.", strings.Join(groups, "; "))
		}
		groups = groups[:0]
		for _, c := range res.ByLeeftijd {
			groups = append(groups, results.AgeText(c.Group)+": "+cellText(c, b.in.Threshold))
		}
		if len(groups) > 0 {
			b.p("Deelnemers per leeftijdsgroep: %s.", strings.Join(groups, "; "))
		}
		if res.Panel != nil {
			b.panel(res.Panel)
		}
	}
}

// panel shows a round's lottery-drawn panel: its response, per stratum in a
// table, the R-indicator, and per question beside the self-selected residents.
func (b *builder) panel(p *results.Panel) {
	lines := results.PanelLines(p, b.in.Threshold)
	// the summary line, and the R-indicator's and the withheld note, as
	// PanelLines says them; the strata and the questions as tables
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "Respons per groep:") || strings.HasPrefix(l, "• ") || strings.HasPrefix(l, "Loting en wie") {
			continue
		}
		b.p("%s", l)
	}
	var rows [][]string
	for _, st := range p.Strata {
		row := []string{st.Kern, results.AgeText(st.Leeftijd), dutch.Int(st.Invited)}
		switch {
		case st.Suppressed:
			label := st.Label
			if label == "" {
				label = "niet getoond"
			}
			row = append(row, label, "–", "–")
		case st.Respondents == 0:
			row = append(row, "0", "0%", "–")
		default:
			row = append(row, dutch.Int(st.Respondents), percent(100*st.Rate), dutch.Decimal(st.Weight, 2))
		}
		rows = append(rows, row)
	}
	b.table("Loting: respons per groep (brieven, deelnemers, respons en weging)", []string{"Kern", "Leeftijd", "Brieven", "Deden mee", "Respons", "Weging"}, rows)
	rows = nil
	for _, q := range p.Questions {
		row := []string{q.Text, q.Measure}
		switch {
		case q.Hidden:
			row = append(row, "–", "–", "niet te vergelijken: een groep is te klein")
		default:
			verdict := "geen duidelijk verschil"
			if q.Meaningful {
				verdict = "duidelijk verschil"
			}
			row = append(row, results.FigureText(q.Panel, q.PanelLow, q.PanelHigh, q.Percent), results.FigureText(q.Self, q.SelfLow, q.SelfHigh, q.Percent), verdict)
		}
		rows = append(rows, row)
	}
	b.table("Loting (gewogen naar de uitgenodigden) en wie zich zelf meldde, per vraag, met de 95%-marge",
		[]string{"Vraag", "Cijfer", "Loting", "Zelf aangemeld", "Verschil"}, rows)
}

func (b *builder) said() {
	b.h(2, Sections[2])
	any := false
	for _, r := range b.in.Rounds {
		ok, why := b.shown(r)
		b.h(3, b.roundTitle(r))
		if !ok {
			b.p("Geen uitslag: %s.", why)
			continue
		}
		any = true
		var items []string
		for _, q := range r.Results.Questions {
			if q.ID == surveys.ProcesevaluatieID {
				continue
			}
			if s := questionLine(q, b.in.Threshold); s != "" {
				items = append(items, s)
			}
		}
		b.list(items)
	}
	if any {
		b.p("%s", results.IntervalHelp)
	}
}

// questionLine is one question's outcome in a sentence.
func questionLine(q results.QuestionResult, threshold int) string {
	head := q.Text + " — "
	switch surveys.QuestionType(q.Type) {
	case surveys.Likert:
		if q.N == 0 {
			return head + "niet beantwoord."
		}
		return head + fmt.Sprintf("%s (zeer) mee eens (%s), van %s die antwoordden.", percent(q.Agree),
			results.IntervalText(q.AgreeLow, q.AgreeHigh), dutch.Int(q.N))
	case surveys.Rating:
		if q.N == 0 {
			return head + "niet beantwoord."
		}
		return head + fmt.Sprintf("gemiddeld %s, van %s die antwoordden.", dutch.Decimal(q.Mean, 1), dutch.Int(q.N))
	case surveys.Single, surveys.Multiple:
		opts := slices.Clone(q.Options)
		slices.SortStableFunc(opts, func(a, b results.OptionResult) int { return int(b.Count - a.Count) })
		var parts []string
		for _, o := range opts[:min(3, len(opts))] {
			parts = append(parts, fmt.Sprintf("%s %s", o.Label, percent(o.Percent)))
		}
		if len(parts) == 0 {
			return head + "niet beantwoord."
		}
		return head + "het vaakst gekozen: " + strings.Join(parts, ", ") + fmt.Sprintf(" (van %s).", dutch.Int(q.N))
	case surveys.WieVanDeDrie:
		v := results.Ranked(q.Ranking)
		var parts []string
		for _, row := range v.Rows {
			if row.TooFew || row.NotShown || len(parts) == 3 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", row.Label, row.Value))
		}
		if len(parts) == 0 {
			return head + "te weinig keuzes voor een volgorde."
		}
		line := head + "paste het best: " + strings.Join(parts, ", ") + "."
		if v.Verdict != "" {
			line += " " + v.Verdict
		}
		return line
	case surveys.Open:
		var themes []string
		for _, t := range q.Themes {
			if t.Count >= threshold {
				themes = append(themes, fmt.Sprintf("%s (%d)", t.Term, t.Count))
			}
		}
		if len(themes) == 0 {
			return head + fmt.Sprintf("%s; geen onderwerp dat %d of meer inwoners noemden.", dutch.Plural(q.N, "antwoord", "antwoorden"), threshold)
		}
		return head + fmt.Sprintf("%s; vaak genoemd: %s.", dutch.Plural(q.N, "antwoord", "antwoorden"), strings.Join(themes[:min(5, len(themes))], ", "))
	}
	return ""
}

func (b *builder) process() {
	b.h(2, Sections[3])
	var rows [][]string
	for _, r := range b.in.Rounds {
		ok, why := b.shown(r)
		if !ok {
			rows = append(rows, []string{b.roundTitle(r), "–", why})
			continue
		}
		asked := false
		for _, q := range r.Results.Questions {
			if q.ID == surveys.ProcesevaluatieID {
				asked = true
				mean := "–"
				if q.N > 0 {
					mean = dutch.Decimal(q.Mean, 1)
				}
				rows = append(rows, []string{b.roundTitle(r), mean, dutch.Plural(q.N, "antwoord", "antwoorden")})
			}
		}
		if !asked {
			rows = append(rows, []string{b.roundTitle(r), "–", "deze ronde vroeg het niet"})
		}
	}
	b.p("Elke ronde eindigt met de vraag “Hoe tevreden bent u over hoe deze ronde verliep?” (een cijfer van 1 tot 10).")
	b.table("Procesevaluatie per ronde", []string{"Ronde", "Gemiddeld cijfer", "Antwoorden"}, rows)
}

func (b *builder) done() {
	b.h(2, Sections[4])
	for _, r := range b.in.Rounds {
		b.h(3, b.roundTitle(r))
		if ok, _ := b.shown(r); ok {
			b.p("Uitkomst: %s", headline(r.Results, b.in.Threshold))
		}
		if r.Round.Decision == "" || r.Round.DecidedAt.IsZero() {
			b.p("Nog geen besluit teruggekoppeld. Beloofd: uiterlijk %s.", dutch.Date(r.Survey.Card.Terugkoppeling))
			continue
		}
		b.p("Besluit (teruggekoppeld op %s): %s", dutch.Date(r.Round.DecidedAt.In(b.in.Location)), r.Round.Decision)
	}
	b.p("Wijkt een besluit af van de uitkomst, dan staat in de tekst van het besluit waarom: zo kregen ook de deelnemers het te lezen.")
}

// headline is a round's main outcome in one sentence: its first question with a
// figure.
func headline(res *results.Results, threshold int) string {
	for _, q := range res.Questions {
		if q.ID == surveys.ProcesevaluatieID || q.N == 0 {
			continue
		}
		if s := questionLine(q, threshold); s != "" {
			return s
		}
	}
	return "geen vraag met een uitkomst."
}

func (b *builder) onTime() {
	b.h(2, Sections[5])
	var rows [][]string
	late := 0
	for _, r := range b.in.Rounds {
		promised := r.Survey.Card.Terugkoppeling
		status := ""
		sent := "–"
		switch at := r.Round.DecidedAt; {
		case at.IsZero() && b.in.Now.After(endOfDay(promised, b.in.Location)):
			status = fmt.Sprintf("te laat: nog niet teruggekoppeld, %s over de beloofde datum", days(b.in.Now.Sub(endOfDay(promised, b.in.Location))))
			late++
		case at.IsZero():
			status = "nog niet: de beloofde datum komt nog"
		case at.After(endOfDay(promised, b.in.Location)):
			sent = dutch.Date(at.In(b.in.Location))
			status = fmt.Sprintf("te laat: %s na de beloofde datum", days(at.Sub(endOfDay(promised, b.in.Location))))
			late++
		default:
			sent = dutch.Date(at.In(b.in.Location))
			status = "op tijd"
		}
		results := "–"
		if !r.Round.PublishedAt.IsZero() {
			results = dutch.Date(r.Round.PublishedAt.In(b.in.Location))
		}
		rows = append(rows, []string{b.roundTitle(r), results, dutch.Date(promised), sent, status})
	}
	if len(rows) > 0 {
		if late == 0 {
			b.p("Elke terugkoppeling kwam op tijd, of de beloofde datum komt nog.")
		} else {
			b.p("%s niet op tijd teruggekoppeld.", dutch.Plural(int64(late), "ronde is", "rondes zijn"))
		}
	}
	b.table("De uitslag en het besluit naar de deelnemers", []string{"Ronde", "Uitslag verstuurd", "Besluit beloofd", "Besluit verstuurd", "Op tijd?"}, rows)
}

func endOfDay(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc)
}

func days(d time.Duration) string {
	n := int64(d.Hours()/24) + 1
	return dutch.Plural(n, "dag", "dagen")
}

func (b *builder) lottery() error {
	b.h(2, Sections[6])
	if len(b.in.Audits) == 0 {
		b.p("Voor dit traject is niet geloot: alle deelnemers meldden zich zelf.")
		return nil
	}
	var total int64
	for _, n := range b.in.Invited {
		total += n
	}
	b.p("Er %s verstuurd aan inwoners die door loting uit de basisregistratie personen (BRP) zijn gekozen. De adressen zijn na het maken van de brieven niet bewaard; de code in de brief zegt alleen de kern en leeftijdsgroep.",
		map[bool]string{true: "is 1 brief", false: "zijn " + dutch.Int(total) + " brieven"}[total == 1])
	for i, raw := range b.in.Audits {
		var a panel.Audit
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return fmt.Errorf("verslag: verantwoording van loting %d: %w", i+1, err)
		}
		if len(b.in.Audits) > 1 {
			b.h(3, fmt.Sprintf("Loting %d", i+1))
		}
		b.list([]string{
			"Getrokken op: " + dutch.DateTime(a.DrawnAt.In(b.in.Location)),
			fmt.Sprintf("Seed: %d", a.Seed),
			fmt.Sprintf("Bevolkingsbestand: %s, SHA-256 %s", dutch.Plural(int64(a.RegisterRows), "inwoner", "inwoners"), a.RegisterSHA256),
			fmt.Sprintf("Te loten: %s; niet te loten (in geen leeftijdsgroep): %s", dutch.Int(int64(a.Drawable)), dutch.Int(int64(a.Excluded))),
			fmt.Sprintf("Getrokken: %s", dutch.Plural(int64(a.Size), "adres", "adressen")),
		})
		b.p("%s", a.Method)
		var rows [][]string
		for _, s := range a.Strata {
			kern, age, _ := strings.Cut(s.Key, "|")
			rows = append(rows, []string{kern, results.AgeText(age), dutch.Int(int64(s.Register)), dutch.Int(int64(s.Allocated)), dutch.Int(int64(s.Drawn))})
		}
		b.table("Per groep: inwoners in het bestand, toegewezen en getrokken", []string{"Kern", "Leeftijd", "Inwoners", "Toegewezen", "Getrokken"}, rows)
	}
	b.p("Met hetzelfde bevolkingsbestand (dezelfde SHA-256) en dezelfde seed geeft de loting precies dezelfde adressen: zo is de loting na te doen.")
	return nil
}

func (b *builder) about() {
	b.h(2, Sections[7])
	b.p("Alle cijfers komen uit de tellingen van de rondes. Groepen met minder dan %d deelnemers tonen we nooit, ook niet als ze uit andere cijfers terug te rekenen zouden zijn; van open antwoorden noemen we alleen onderwerpen die %d of meer inwoners noemden.",
		b.in.Threshold, b.in.Threshold)
}

func period(r *storage.Round, loc *time.Location) string {
	from := r.OpenedAt
	if from.IsZero() {
		from = r.OpensAt
	}
	to := r.ClosedAt
	if to.IsZero() {
		to = r.ClosesAt
	}
	return dutch.Date(from.In(loc)) + " – " + dutch.Date(to.In(loc))
}

func percent(p float64) string { return strings.TrimSuffix(dutch.Decimal(p, 1), ",0") + "%" }

func rIndicator(res *results.Results) string {
	if res.Panel != nil && res.Panel.RIndicator != nil {
		ri := res.Panel.RIndicator
		return fmt.Sprintf("%s (loting, %s–%s)", dutch.Decimal(ri.R, 2), dutch.Decimal(ri.Low, 2), dutch.Decimal(ri.High, 2))
	}
	if a := res.Afspiegeling; a != nil && a.RIndicator != nil {
		return fmt.Sprintf("%s (%s–%s)", dutch.Decimal(a.RIndicator.R, 2), dutch.Decimal(a.RIndicator.Low, 2), dutch.Decimal(a.RIndicator.High, 2))
	}
	return "niet te berekenen"
}

func cellText(c results.Cell, threshold int) string {
	switch {
	case !c.Suppressed:
		return dutch.Int(c.Count)
	case c.Complementary:
		return fmt.Sprintf("≥%d", threshold)
	}
	return fmt.Sprintf("<%d", threshold)
}
