package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// The re-identification test builds a round in Dalfsen with small cells, takes
// every output of it, and attacks them together the way an outsider would: every
// figure becomes a fact, every sum and bound between them an equation, and the
// facts are tightened until nothing changes. No group of 1 to 9 may come out
// exact.

const popFile = "../../examples/bevolking/dalfsen-kernen.yaml"

// person is one respondent of the test round.
type person struct {
	kern, age string
	answers   map[string]surveys.Answer
}

// reidentPeople are 58 respondents: Nieuwleusen 13, of whom exactly one is 65+
// and the only one there with another positie (a group of 13 with a cell of 1),
// Hoonhorst 4, Oudleusen 1, three without a kern.
func reidentPeople(sv *surveys.Survey) []person {
	type group struct {
		kern string
		ages []string // one per person
	}
	rep := func(s string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	cat := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	groups := []group{
		{"Dalfsen", cat(rep("16-24", 4), rep("25-44", 8), rep("45-64", 8), rep("65+", 6))},
		{"Nieuwleusen", cat(rep("25-44", 6), rep("45-64", 6), rep("65+", 1))},
		{"Lemelerveld", cat(rep("16-24", 3), rep("25-44", 4), rep("45-64", 4))},
		{"Hoonhorst", cat(rep("45-64", 2), rep("65+", 2))},
		{"Oudleusen", rep("65+", 1)},
		{"", cat(rep("25-44", 1), rep("", 2))},
	}
	opt := func(qid string, i int) string {
		q := question(sv, qid)
		return optionIDs(q)[i%len(optionIDs(q))]
	}
	var out []person
	n := 0
	for _, g := range groups {
		for j, age := range g.ages {
			n++
			a := map[string]surveys.Answer{}
			pos := []int{0, 1, 0, 2}[n%4]
			if g.kern == "Nieuwleusen" {
				pos = 0
				if age == "65+" {
					pos = 3 // "Geen rol": the one of 13
				}
			}
			a["positie"] = surveys.Answer{Options: []string{opt("positie", pos)}}
			ks := []string{opt("kansen", n%3)}
			if n%2 == 0 {
				ks = append(ks, opt("kansen", (n+1)%3))
			}
			a["kansen"] = surveys.Answer{Options: ks}
			a["luistert"] = surveys.Answer{Options: []string{opt("luistert", 1+n%4)}}
			if j%5 == 4 {
				a["cijfer"] = surveys.Answer{Skipped: true}
			} else {
				a["cijfer"] = surveys.Answer{Options: []string{opt("cijfer", 5+n%4)}}
			}
			a["goed"] = surveys.Answer{Text: fmt.Sprintf("De korte lijnen, zegt inwoner %d", n)}
			pool := optionIDs(question(sv, "waarden"))
			for k := range 2 {
				w := pool[(n+k)%len(pool)]
				a["waarden#"+strconv.Itoa(k)] = surveys.Answer{Winner: w,
					Losers: []string{pool[(n+k+1)%len(pool)], pool[(n+k+2)%len(pool)]}}
			}
			if n%2 == 0 {
				a["beter"] = surveys.Answer{Skipped: true}
			} else {
				a["beter"] = surveys.Answer{Text: fmt.Sprintf("Sneller antwoord %d", n)}
			}
			out = append(out, person{kern: g.kern, age: age, answers: a})
		}
	}
	return out
}

func question(sv *surveys.Survey, qid string) surveys.Question {
	for _, q := range sv.Questions {
		if q.ID == qid {
			return q
		}
	}
	panic("no question " + qid)
}

// optionIDs are a question's option ids, the standard scale when it lists none.
func optionIDs(q surveys.Question) []string {
	var ids []string
	for _, o := range q.Options {
		ids = append(ids, o.ID)
	}
	if len(ids) > 0 {
		return ids
	}
	n := map[surveys.QuestionType]int{surveys.Likert: 5, surveys.Rating: 10}[q.Type]
	for i := 1; i <= n; i++ {
		ids = append(ids, strconv.Itoa(i))
	}
	return ids
}

// recordPeople writes every answer of the people into the round, as the engine does:
// one atomic write per answer with its tallies.
func recordPeople(t *testing.T, st *storage.Store, sv *surveys.Survey, rid string, people []person, first int) {
	t.Helper()
	ctx := context.Background()
	for i, p := range people {
		pid := fmt.Sprintf("p%03d", first+i)
		prof := surveys.Profile{Kern: p.kern, Leeftijd: p.age}
		fields := make([]string, 0, len(p.answers))
		for f := range p.answers {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			a := p.answers[f]
			qid, _, _ := strings.Cut(f, "#")
			q := question(sv, qid)
			w := storage.AnswerWrite{Round: rid, Participant: pid, Field: f, Value: surveys.EncodeAnswer(q, a),
				Kern: prof.Kern, Leeftijd: prof.Leeftijd}
			if _, err := st.RecordAnswer(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Complete(ctx, rid, pid); err != nil {
			t.Fatal(err)
		}
	}
}

// outputs are everything a round lets out, as text.
type outputs struct {
	text, json, csv, pubCSV, pubJSON, rounds, digest, stuurgroep string
	personal                                                     []string // per person, in order
	alts                                                         []string
}

// collect takes every output of the closed round rid.
func collect(t *testing.T, h *harness, st *storage.Store, sv *surveys.Survey, rid string, people []person) outputs {
	t.Helper()
	o := outputs{
		text:    h.cli("results", rid),
		json:    h.cli("results", rid, "--format", "json"),
		csv:     h.cli("results", rid, "--format", "csv-intl"),
		pubCSV:  h.cli("results", rid, "--raw", "--publicatie", "--format", "csv-intl"),
		pubJSON: h.cli("results", rid, "--raw", "--publicatie", "--format", "json"),
		rounds:  h.cli("rounds", "list"),
	}
	dir := t.TempDir()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	h.cli("digest", "--maand", time.Now().In(loc).Format("2006-01"), "--out", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		o.digest += string(b)
	}
	// What the service sends: the same results the scheduler publishes.
	ctx := context.Background()
	r, err := st.Round(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := surveys.LoadPopulation(popFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: 10, Population: pop})
	if err != nil {
		t.Fatal(err)
	}
	o.stuurgroep = results.StuurgroepSummary(res)
	for _, p := range people {
		o.personal = append(o.personal, results.PersonalSummary(lang.Dutch(), res, p.answers, surveys.Profile{Kern: p.kern, Leeftijd: p.age}))
	}
	for _, q := range res.Questions {
		c, ok, err := charts.Question(q)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			o.alts = append(o.alts, c.Alt)
		}
	}
	afs, err := charts.AfspiegelingOf(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range afs {
		o.alts = append(o.alts, c.Alt)
	}
	return o
}

// reidentRound opens a round of the e2e survey, with the Dalfsen population table, for
// the people of reidentPeople, who have not answered yet.
func reidentRound(t *testing.T) (*harness, *storage.Store, *surveys.Survey, string, []person) {
	t.Helper()
	h := newHarness(t)
	h.env["POPULATION_FILE"] = popFile
	st := storage.New(h.redis.Client(t))
	sv := loadE2E(t)
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	return h, st, sv, rid, reidentPeople(sv)
}

func TestReidentificationAcrossAllOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h, st, sv, rid, people := reidentRound(t)
	recordPeople(t, st, sv, rid, people, 0)
	h.cli("rounds", "close", rid)
	o := collect(t, h, st, sv, rid, people)

	truth := truthOf(sv, people)
	if got := truth.cells["J:Nieuwleusen|65+"]; got != 1 {
		t.Fatalf("test round: %d 65+ residents of Nieuwleusen, want exactly 1", got)
	}
	if got := truth.cells["c:positie:k:Nieuwleusen:"+optionIDs(question(sv, "positie"))[3]]; got != 1 || truth.cells["R:k:Nieuwleusen"] != 13 {
		t.Fatalf("test round: want a group of 13 with a cell of 1")
	}

	a := newAttack(truth)
	a.results(t, o.json)
	a.textLines(t, "text", o.text)
	a.textLines(t, "stuurgroep", o.stuurgroep)
	a.alts(o.alts)
	a.personal(t, sv, people, o.personal, o.json)
	a.publication(t, sv, o.pubCSV)
	a.totals(t, "rounds list", o.rounds, truth.cells["N"])
	a.totals(t, "digest", o.digest, truth.cells["N"])
	if leaks := a.solve(); len(leaks) > 0 {
		t.Errorf("the outputs together give away %d groups under 10:\n  %s", len(leaks), strings.Join(leaks, "\n  "))
	}
	// The publication JSON is the same file as the CSV.
	var pub struct{ Respondents []results.RawRespondent }
	if err := json.Unmarshal([]byte(o.pubJSON), &pub); err != nil || len(pub.Respondents) != len(people) {
		t.Fatalf("publication json: %v, %d respondents", err, len(pub.Respondents))
	}
	for _, r := range pub.Respondents {
		if r.Kern == "Nieuwleusen" && r.Leeftijd == "65+" {
			t.Errorf("the publication names the one 65+ resident of Nieuwleusen")
		}
	}
	// No output quotes a resident's open answer, except the results report for
	// the organiser (text and JSON of the results, which list the answers without
	// a name or group).
	for name, out := range map[string]string{"publication": o.pubCSV, "stuurgroep": o.stuurgroep, "digest": o.digest,
		"personal": strings.Join(o.personal, "\n"), "charts": strings.Join(o.alts, "\n")} {
		if strings.Contains(out, "zegt inwoner") {
			t.Errorf("%s quotes an open answer", name)
		}
	}

	// The attack works: given the raw export for the municipality's own
	// analysis (kern and leeftijd on every row) instead of the publication
	// file, it finds the one 65+ resident of Nieuwleusen.
	control := newAttack(truth)
	control.results(t, o.json)
	control.publication(t, sv, h.cli("results", rid, "--raw", "--format", "csv-intl"))
	if leaks := control.solve(); !containsPrefix(leaks, "J:Nieuwleusen|65+ = 1") {
		t.Errorf("control: the attack on the raw export found %v, want J:Nieuwleusen|65+ = 1 among them", leaks)
	}
}

func containsPrefix(list []string, p string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// truth are the true cells of the round, by the attack's names.
type truth struct {
	cells  map[string]int64
	kernen []string // every kern, "" for the unknown one
	ages   []string
	qs     []surveys.Question // the choice questions
}

func truthOf(sv *surveys.Survey, people []person) *truth {
	pop, err := surveys.LoadPopulation(popFile)
	if err != nil {
		panic(err)
	}
	tr := &truth{cells: map[string]int64{}, kernen: append(pop.Names(), ""), ages: []string{"16-24", "25-44", "45-64", "65+", ""}}
	for _, q := range sv.Questions {
		switch q.Type {
		case surveys.Single, surveys.Multiple, surveys.Likert, surveys.Rating:
			tr.qs = append(tr.qs, q)
		}
	}
	for _, p := range people {
		tr.cells["N"]++
		tr.cells["R:k:"+p.kern]++
		tr.cells["R:a:"+p.age]++
		tr.cells["J:"+p.kern+"|"+p.age]++
		for _, q := range tr.qs {
			a, ok := p.answers[q.ID]
			if !ok || a.Skipped {
				continue
			}
			for _, g := range groupsOf(p) {
				tr.cells["n:"+q.ID+":"+g]++
				for _, o := range a.Options {
					tr.cells["c:"+q.ID+":"+g+":"+o]++
				}
			}
		}
	}
	return tr
}

// groupsOf are the breakdown groups a person counts in: total, kern, leeftijd,
// and kern × leeftijd.
func groupsOf(p person) []string {
	return []string{"all", "k:" + p.kern, "a:" + p.age, "j:" + p.kern + "|" + p.age}
}

// attack is an outsider's view of the round: bounds on every cell, and the
// facts that tie them. It is written apart from package disclosure, so that a
// mistake there cannot hide a leak here.
type attack struct {
	tr     *truth
	lo, hi map[string]int64
	sums   [][]string // [total, parts...]
	le     [][2]string
	why    map[string]string // the output that gave a cell an exact value
}

const inf = int64(1) << 40

func newAttack(tr *truth) *attack {
	a := &attack{tr: tr, lo: map[string]int64{}, hi: map[string]int64{}, why: map[string]string{}}
	n := tr.cells["N"]
	a.exact("N", n, "totals")
	// The structure every outsider knows: groups add up to their totals.
	var ks, as []string
	for _, k := range tr.kernen {
		ks = append(ks, "R:k:"+k)
		var row []string
		for _, g := range tr.ages {
			row = append(row, "J:"+k+"|"+g)
		}
		a.sum("R:k:"+k, row...)
	}
	for _, g := range tr.ages {
		as = append(as, "R:a:"+g)
		var col []string
		for _, k := range tr.kernen {
			col = append(col, "J:"+k+"|"+g)
		}
		a.sum("R:a:"+g, col...)
	}
	a.sum("N", ks...)
	a.sum("N", as...)
	for _, q := range tr.qs {
		opts := optionIDs(q)
		cellsOf := func(g string) (string, []string) {
			var cs []string
			for _, o := range opts {
				cs = append(cs, "c:"+q.ID+":"+g+":"+o)
			}
			return "n:" + q.ID + ":" + g, cs
		}
		groups := [][]string{}
		var kg, ag []string
		for _, k := range tr.kernen {
			kg = append(kg, "k:"+k)
		}
		for _, g := range tr.ages {
			ag = append(ag, "a:"+g)
		}
		groups = append(groups, kg, ag)
		for _, dim := range groups {
			var ns []string
			perOpt := map[string][]string{}
			for _, g := range dim {
				n, cs := cellsOf(g)
				ns = append(ns, n)
				for i, c := range cs {
					perOpt[opts[i]] = append(perOpt[opts[i]], c)
				}
			}
			a.sum("n:"+q.ID+":all", ns...)
			for _, o := range opts {
				a.sum("c:"+q.ID+":all:"+o, perOpt[o]...)
			}
		}
		for _, k := range tr.kernen {
			var ns []string
			perOpt := map[string][]string{}
			for _, g := range tr.ages {
				n, cs := cellsOf("j:" + k + "|" + g)
				ns = append(ns, n)
				for i, c := range cs {
					perOpt[opts[i]] = append(perOpt[opts[i]], c)
				}
				a.le = append(a.le, [2]string{n, "J:" + k + "|" + g})
			}
			a.sum("n:"+q.ID+":k:"+k, ns...)
			for _, o := range opts {
				a.sum("c:"+q.ID+":k:"+k+":"+o, perOpt[o]...)
			}
		}
		for _, g := range tr.ages {
			var ns []string
			perOpt := map[string][]string{}
			for _, k := range tr.kernen {
				n, cs := cellsOf("j:" + k + "|" + g)
				ns = append(ns, n)
				for i, c := range cs {
					perOpt[opts[i]] = append(perOpt[opts[i]], c)
				}
			}
			a.sum("n:"+q.ID+":a:"+g, ns...)
			for _, o := range opts {
				a.sum("c:"+q.ID+":a:"+g+":"+o, perOpt[o]...)
			}
		}
		if q.Type != surveys.Multiple {
			for _, g := range append(append([]string{"all"}, kg...), ag...) {
				n, cs := cellsOf(g)
				a.sum(n, cs...)
			}
			for _, k := range tr.kernen {
				for _, g := range tr.ages {
					n, cs := cellsOf("j:" + k + "|" + g)
					a.sum(n, cs...)
				}
			}
		}
		for _, k := range tr.kernen {
			a.le = append(a.le, [2]string{"n:" + q.ID + ":k:" + k, "R:k:" + k})
		}
		for _, g := range tr.ages {
			a.le = append(a.le, [2]string{"n:" + q.ID + ":a:" + g, "R:a:" + g})
		}
	}
	return a
}

func (a *attack) cell(id string) {
	if _, ok := a.lo[id]; !ok {
		a.lo[id], a.hi[id] = 0, inf
	}
}

func (a *attack) bound(id string, lo, hi int64, why string) {
	a.cell(id)
	if lo > a.lo[id] {
		a.lo[id] = lo
	}
	if hi < a.hi[id] {
		a.hi[id] = hi
	}
	if a.lo[id] == a.hi[id] && a.why[id] == "" {
		a.why[id] = why
	}
	if a.lo[id] > a.hi[id] {
		panic(fmt.Sprintf("attack: %s has no value left (%s)", id, why))
	}
}

func (a *attack) exact(id string, v int64, why string) { a.bound(id, v, v, why) }

func (a *attack) sum(total string, parts ...string) {
	a.cell(total)
	for _, p := range parts {
		a.cell(p)
	}
	a.sums = append(a.sums, append([]string{total}, parts...))
}

// results reads the results JSON: totals, groups (their labels too), the
// percentages per kern, the afspiegeling and the R-score of merged groups.
func (a *attack) results(t *testing.T, out string) {
	t.Helper()
	var res results.Results
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	tval := int64(res.Threshold)
	a.exact("N", res.Respondents, "json respondents")
	group := func(g string) string {
		if g == results.UnknownGroup {
			return ""
		}
		return g
	}
	for _, dim := range []struct {
		prefix string
		cells  []results.Cell
		all    []string
	}{{"R:k:", res.ByKern, a.tr.kernen}, {"R:a:", res.ByLeeftijd, a.tr.ages}} {
		listed := map[string]bool{}
		for _, c := range dim.cells {
			g := group(c.Group)
			listed[g] = true
			switch {
			case !c.Suppressed:
				a.exact(dim.prefix+g, c.Count, "json by group")
			case c.Complementary:
				a.bound(dim.prefix+g, tval, inf, "json ≥10")
			default:
				a.bound(dim.prefix+g, 1, tval-1, "json <10")
			}
		}
		if len(dim.cells) > 0 {
			for _, g := range dim.all {
				if !listed[g] {
					a.exact(dim.prefix+g, 0, "json: not listed")
				}
			}
		}
	}
	for _, q := range res.Questions {
		if _, ok := a.lo["n:"+q.ID+":all"]; !ok {
			continue
		}
		a.exact("n:"+q.ID+":all", q.N, "json n")
		for _, o := range q.Options {
			a.exact("c:"+q.ID+":all:"+o.ID, o.Count, "json option count")
		}
		listed := map[string]bool{}
		for _, kr := range q.ByKern {
			listed[kr.Kern] = true
			id := "n:" + q.ID + ":k:" + kr.Kern
			switch {
			case kr.Suppressed && kr.Complementary:
				a.bound(id, tval, inf, "json kern ≥10")
			case kr.Suppressed:
				a.bound(id, 1, inf, "json kern listed")
			default:
				a.exact(id, kr.N, "json kern n")
				for oid, p := range kr.Percent {
					a.exact("c:"+q.ID+":k:"+kr.Kern+":"+oid, int64(math.Round(p*float64(kr.N)/100)), "json kern percent")
				}
			}
		}
		if len(q.ByKern) > 0 {
			for _, k := range a.tr.kernen {
				if k != "" && !listed[k] {
					a.exact("n:"+q.ID+":k:"+k, 0, "json kern not listed")
				}
			}
		}
	}
	if af := res.Afspiegeling; af != nil {
		rates := []float64{}
		var merged []string
		mergedPop := 0
		for _, row := range af.Kern {
			switch {
			case !row.Suppressed:
				a.exact("R:k:"+row.Group, row.Respondents, "afspiegeling")
				if row.Population > 0 {
					rates = append(rates, row.Rate)
				}
			case row.Population > 0:
				merged = append(merged, "R:k:"+row.Group)
				mergedPop += row.Population
			}
		}
		// The R-score is the lowest rate over the highest: when the merged
		// group is one of the two, R gives its sum back.
		if af.RScore > 0 && len(merged) > 0 && len(rates) > 0 {
			lo, hi := rates[0], rates[0]
			for _, r := range rates {
				lo, hi = math.Min(lo, r), math.Max(hi, r)
			}
			for _, cand := range []float64{af.RScore * hi * float64(mergedPop), lo / af.RScore * float64(mergedPop)} {
				if v := math.Round(cand); math.Abs(v-cand) < 1e-6 {
					a.cell("merged")
					a.sum("merged", merged...)
					a.bound("merged", int64(v), int64(v), "r-score")
				}
			}
		}
	}
	if w := res.Weighting; w != nil && w.Unavailable == "" && w.Respondents > 0 {
		// one dimension: who was not weighted are those without a kern
		a.exact("R:k:", w.Excluded, "weighting excluded")
	}
}

// textLines reads "Deelnemers per kern:" and "… per leeftijdsgroep:" blocks.
func (a *attack) textLines(t *testing.T, name, out string) {
	t.Helper()
	prefix := ""
	line := regexp.MustCompile(`^  (.+): (<10|≥10|[0-9.]+)$`)
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "Deelnemers per kern:"):
			prefix = "R:k:"
			continue
		case strings.HasPrefix(l, "Deelnemers per leeftijdsgroep:"):
			prefix = "R:a:"
			continue
		case !strings.HasPrefix(l, "  "):
			prefix = ""
		}
		m := line.FindStringSubmatch(l)
		if prefix == "" || m == nil {
			continue
		}
		g := m[1]
		if g == results.UnknownGroup {
			g = ""
		}
		switch m[2] {
		case "<10":
			a.bound(prefix+g, 1, 9, name)
		case "≥10":
			a.bound(prefix+g, 10, inf, name)
		default:
			v, _ := strconv.ParseInt(strings.ReplaceAll(m[2], ".", ""), 10, 64)
			a.exact(prefix+g, v, name)
		}
	}
}

// alts reads the afspiegeling figures of the charts' alt texts.
func (a *attack) alts(alts []string) {
	re := regexp.MustCompile(`([A-Z][a-zë]+): deelnemers [0-9,]+% \(([0-9.]+)\)`)
	for _, alt := range alts {
		if !strings.HasPrefix(alt, "Staafdiagram: Afspiegeling per kern") {
			continue
		}
		for _, m := range re.FindAllStringSubmatch(alt, -1) {
			v, _ := strconv.ParseInt(strings.ReplaceAll(m[2], ".", ""), 10, 64)
			a.exact("R:k:"+m[1], v, "chart alt text")
		}
	}
}

// personal reads the kern percentages of every personal summary: "en 52% in
// Dalfsen koos dit", beside the kern's number of answers from the JSON.
func (a *attack) personal(t *testing.T, sv *surveys.Survey, people []person, msgs []string, resJSON string) {
	t.Helper()
	var res results.Results
	if err := json.Unmarshal([]byte(resJSON), &res); err != nil {
		t.Fatal(err)
	}
	shownN := map[string]int64{}
	for _, q := range res.Questions {
		for _, kr := range q.ByKern {
			if !kr.Suppressed {
				shownN[q.ID+":"+kr.Kern] = kr.N
			}
		}
	}
	re := regexp.MustCompile(`en ([0-9]+)% in (\S+) koos dit`)
	for i, msg := range msgs {
		qi := -1
		for _, l := range strings.Split(msg, "\n") {
			if m := regexp.MustCompile(`^([0-9]+)\. `).FindStringSubmatch(l); m != nil {
				qi, _ = strconv.Atoi(m[1])
				qi--
			}
			m := re.FindStringSubmatch(l)
			if m == nil || qi < 0 {
				continue
			}
			q := sv.Questions[qi]
			o := people[i].answers[q.ID].Options[0]
			n, ok := shownN[q.ID+":"+m[2]]
			if !ok {
				t.Errorf("personal summary %d shows a percentage of %s for %s, a kern the results hide", i, m[2], q.ID)
				continue
			}
			p, _ := strconv.ParseFloat(m[1], 64)
			lo := int64(math.Ceil(float64(n) * (p - 0.5) / 100))
			hi := int64(math.Floor(float64(n) * (p + 0.5) / 100))
			a.bound("c:"+q.ID+":k:"+m[2]+":"+o, lo, hi, "personal summary")
		}
	}
}

// publication counts the rows of a raw answers CSV per group it names, per
// group and answer, and per kern × leeftijd, with the groups it does not name
// (onderdrukt) as one pool per dimension.
func (a *attack) publication(t *testing.T, sv *surveys.Survey, out string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("publication csv: %v, %d rows", err, len(rows))
	}
	type resp struct {
		kern, age string
		answers   map[string]surveys.Answer
	}
	byID := map[string]*resp{}
	var order []string
	for _, r := range rows[1:] {
		id := r[1]
		if byID[id] == nil {
			byID[id] = &resp{kern: r[2], age: r[3], answers: map[string]surveys.Answer{}}
			order = append(order, id)
		}
		var opts []string
		if r[8] != "" {
			opts = strings.Split(r[8], ";")
		}
		byID[id].answers[r[5]] = surveys.Answer{Skipped: r[7] == "true", Options: opts}
	}
	named := func(all []string, shown map[string]bool) (names, pool []string) {
		for _, g := range all {
			if shown[g] {
				names = append(names, g)
			} else {
				pool = append(pool, g)
			}
		}
		return names, pool
	}
	shownK, shownA := map[string]bool{}, map[string]bool{}
	for _, id := range order {
		if r := byID[id]; r.kern != results.Suppressed {
			shownK[r.kern] = true
		}
		if r := byID[id]; r.age != results.Suppressed {
			shownA[r.age] = true
		}
	}
	kNames, kPool := named(a.tr.kernen, shownK)
	aNames, aPool := named(a.tr.ages, shownA)
	// A "class" is a named group or the pool of one dimension; a joint class one
	// of each. count adds, for every class, the fact its rows give.
	kClasses := [][]string{}
	for _, k := range kNames {
		kClasses = append(kClasses, []string{k})
	}
	if len(kPool) > 0 {
		kClasses = append(kClasses, kPool)
	}
	aClasses := [][]string{}
	for _, g := range aNames {
		aClasses = append(aClasses, []string{g})
	}
	if len(aPool) > 0 {
		aClasses = append(aClasses, aPool)
	}
	// classOf is the index of a respondent's class: its named group, or the
	// pool (the last class) when the file says onderdrukt.
	classOf := func(v string, names []string) int {
		if v == results.Suppressed {
			return len(names)
		}
		for i, g := range names {
			if g == v {
				return i
			}
		}
		panic("publication names group " + v + " twice as unknown")
	}
	groupsOf := map[[2]int][]*resp{}
	for _, id := range order {
		r := byID[id]
		key := [2]int{classOf(r.kern, kNames), classOf(r.age, aNames)}
		groupsOf[key] = append(groupsOf[key], r)
	}
	n := 0
	for ki, kc := range kClasses {
		for ai, ac := range aClasses {
			members := groupsOf[[2]int{ki, ai}]
			var js []string
			for _, k := range kc {
				for _, g := range ac {
					js = append(js, "J:"+k+"|"+g)
				}
			}
			n++
			total := fmt.Sprintf("pub:%d", n)
			a.sum(total, js...)
			a.exact(total, int64(len(members)), "publication rows")
			for _, q := range a.tr.qs {
				ans := map[string]int64{}
				answered := int64(0)
				for _, m := range members {
					x, ok := m.answers[q.ID]
					if !ok || x.Skipped {
						continue
					}
					answered++
					for _, o := range x.Options {
						ans[o]++
					}
				}
				var ns []string
				for _, k := range kc {
					for _, g := range ac {
						ns = append(ns, "n:"+q.ID+":j:"+k+"|"+g)
					}
				}
				id := fmt.Sprintf("pub:%d:%s", n, q.ID)
				a.sum(id, ns...)
				a.exact(id, answered, "publication answers")
				for _, o := range optionIDs(q) {
					var cs []string
					for _, k := range kc {
						for _, g := range ac {
							cs = append(cs, "c:"+q.ID+":j:"+k+"|"+g+":"+o)
						}
					}
					oid := id + ":" + o
					a.sum(oid, cs...)
					a.exact(oid, ans[o], "publication answers")
				}
			}
		}
	}
}

// totals reads the round's respondents from an output that gives only totals
// (the organiser's round list, the digest), as a fact like any other.
func (a *attack) totals(t *testing.T, name, out string, n int64) {
	t.Helper()
	if !regexp.MustCompile(`\b` + strconv.FormatInt(n, 10) + `\b`).MatchString(out) {
		t.Errorf("%s does not name the round's %d respondents", name, n)
	}
	a.exact("N", n, name)
}

// solve tightens every bound to a fixed point, solves the sums together
// (subtracting one from another) and lists the cells under 10 it gives away.
func (a *attack) solve() []string {
	for range 20 {
		a.propagate()
		if !a.eliminate() {
			break
		}
	}
	var leaks []string
	ids := make([]string, 0, len(a.tr.cells))
	for id := range a.tr.cells {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		v := a.tr.cells[id]
		if id == "N" || strings.HasSuffix(id, ":all") || strings.Contains(id, ":all:") || v < 1 || v > 9 {
			continue
		}
		if a.lo[id] > v || a.hi[id] < v {
			panic(fmt.Sprintf("attack: %s = %d outside [%d, %d]", id, v, a.lo[id], a.hi[id]))
		}
		if a.lo[id] == a.hi[id] {
			leaks = append(leaks, fmt.Sprintf("%s = %d (%s)", id, v, a.why[id]))
		}
	}
	return leaks
}

// eliminate solves every sum together: Gauss–Jordan elimination over the cells
// not yet exact, the exact ones as constants; a cell whose reduced row holds no
// other unknown is exact. It reports whether it found one.
func (a *attack) eliminate() bool {
	col := map[string]int{}
	var names []string
	var rows [][]float64
	var rhs []float64
	for _, s := range a.sums {
		row := map[int]float64{}
		b := 0.0
		for i, id := range s {
			coef := 1.0
			if i == 0 {
				coef = -1
			}
			if a.lo[id] == a.hi[id] {
				b -= coef * float64(a.lo[id])
				continue
			}
			j, ok := col[id]
			if !ok {
				j = len(names)
				col[id] = j
				names = append(names, id)
			}
			row[j] += coef
		}
		if len(row) == 0 {
			continue
		}
		dense := make([]float64, 0)
		for j, v := range row {
			for len(dense) <= j {
				dense = append(dense, 0)
			}
			dense[j] = v
		}
		rows = append(rows, dense)
		rhs = append(rhs, b)
	}
	m := len(names)
	for i := range rows {
		for len(rows[i]) < m {
			rows[i] = append(rows[i], 0)
		}
	}
	pivots := map[int]int{} // row -> column
	r := 0
	for j := 0; j < m && r < len(rows); j++ {
		best := -1
		for i := r; i < len(rows); i++ {
			if math.Abs(rows[i][j]) > 1e-9 && (best < 0 || math.Abs(rows[i][j]) > math.Abs(rows[best][j])) {
				best = i
			}
		}
		if best < 0 {
			continue
		}
		rows[r], rows[best] = rows[best], rows[r]
		rhs[r], rhs[best] = rhs[best], rhs[r]
		p := rows[r][j]
		for x := range rows[r] {
			rows[r][x] /= p
		}
		rhs[r] /= p
		for i := range rows {
			if i != r && math.Abs(rows[i][j]) > 1e-9 {
				f := rows[i][j]
				for x := range rows[i] {
					rows[i][x] -= f * rows[r][x]
				}
				rhs[i] -= f * rhs[r]
			}
		}
		pivots[r] = j
		r++
	}
	found := false
	for i, j := range pivots {
		alone := true
		for x := range rows[i] {
			if x != j && math.Abs(rows[i][x]) > 1e-7 {
				alone = false
				break
			}
		}
		if v := math.Round(rhs[i]); alone && math.Abs(v-rhs[i]) < 1e-6 {
			id := names[j]
			a.lo[id], a.hi[id] = int64(v), int64(v)
			if a.why[id] == "" {
				a.why[id] = "sums solved together"
			}
			found = true
		}
	}
	return found
}

// propagate tightens every bound to a fixed point.
func (a *attack) propagate() {
	for range 500 {
		changed := false
		for _, s := range a.sums {
			if a.tighten(s) {
				changed = true
			}
		}
		for _, le := range a.le {
			x, y := le[0], le[1]
			a.cell(x)
			a.cell(y)
			if a.hi[x] > a.hi[y] {
				a.hi[x], changed = a.hi[y], true
			}
			if a.lo[y] < a.lo[x] {
				a.lo[y], changed = a.lo[x], true
			}
		}
		if !changed {
			return
		}
	}
}

// tighten narrows one sum total = Σ parts; it reports whether a bound moved.
func (a *attack) tighten(s []string) bool {
	total, parts := s[0], s[1:]
	var loSum, hiSum int64
	for _, p := range parts {
		loSum += a.lo[p]
		hiSum = min(hiSum+a.hi[p], inf)
	}
	changed := false
	set := func(id string, lo, hi int64) {
		if lo > a.lo[id] {
			a.lo[id], changed = lo, true
			if a.lo[id] == a.hi[id] && a.why[id] == "" {
				a.why[id] = "subtraction"
			}
		}
		if hi < a.hi[id] {
			a.hi[id], changed = hi, true
			if a.lo[id] == a.hi[id] && a.why[id] == "" {
				a.why[id] = "subtraction"
			}
		}
	}
	set(total, loSum, min(hiSum, inf))
	for _, p := range parts {
		restLo, restHi := loSum-a.lo[p], hiSum-a.hi[p]
		if hiSum >= inf {
			restHi = inf
		}
		lo := a.lo[total] - restHi
		hi := a.hi[total] - restLo
		if restHi >= inf {
			lo = 0
		}
		set(p, max(lo, 0), hi)
	}
	return changed
}
