package surveys

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"gopkg.in/yaml.v3"
)

// Trajectory is a participatietraject: the rounds of several surveys in phases,
// towards one decision, with the promise made at the start. A trajectory file
// (NAME.traject.yaml, beside the survey files) names the surveys of each phase by id;
// a survey belongs to at most one phase of one trajectory.
type Trajectory struct {
	ID    string
	Title string
	// Gemeente is the municipality's name, for the letters and the verslag.
	Gemeente string
	// Besluit is the decision the trajectory prepares, WieBeslist who takes it.
	Besluit    string
	WieBeslist string
	// Belofte is the participation promise made at the start: what residents may
	// expect and what is done with their input.
	Belofte string
	// Stuurgroep names who follow the trajectory (roles or names), for the verslag.
	Stuurgroep []string
	Phases     []Phase
	// File is the path the trajectory was loaded from, for messages.
	File string
	// Warnings are what validate warns about; the trajectory still loads.
	Warnings Problems
	// refs are the survey ids of the phases with their positions, for the checks
	// against the surveys (CheckTrajectories).
	refs []surveyRef
}

// Phase is one phase of a trajectory.
type Phase struct {
	ID   string
	Name string // "keuzes maken"
	// From and To are the first and the last day of the phase (dates, local).
	From, To time.Time
	Trede    Trede
	// Verwachting is what residents may expect in this phase.
	Verwachting string
	// Surveys are the ids of the surveys whose rounds belong to this phase.
	Surveys []string
}

type surveyRef struct {
	id, phase string
	line, col int
}

// TrajectorySuffix ends the name of a trajectory file; LoadDirs leaves such files to
// LoadTrajectories.
const TrajectorySuffix = ".traject.yaml"

// IsTrajectoryFile reports whether path names a trajectory file (NAME.traject.yaml or
// NAME.traject.yml).
func IsTrajectoryFile(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	return strings.HasSuffix(base, TrajectorySuffix) || strings.HasSuffix(base, ".traject.yml")
}

// PhaseOf is the phase a survey's rounds belong to: its index (from 0) and the phase.
func (t *Trajectory) PhaseOf(surveyID string) (int, *Phase, bool) {
	if t == nil {
		return 0, nil, false
	}
	for i := range t.Phases {
		if slices.Contains(t.Phases[i].Surveys, surveyID) {
			return i, &t.Phases[i], true
		}
	}
	return 0, nil, false
}

// PhaseLabel is how messages name phase i: "fase 2 van 4: keuzes maken".
func (t *Trajectory) PhaseLabel(i int) string {
	return fmt.Sprintf("fase %d van %d: %s", i+1, len(t.Phases), t.Phases[i].Name)
}

// Previous lists the surveys of the phase before phase i (none for the first).
func (t *Trajectory) Previous(i int) []string {
	if i <= 0 || i >= len(t.Phases) {
		return nil
	}
	return t.Phases[i-1].Surveys
}

var yamlTrajectoryKeys = []string{"id", "title", "gemeente", "besluit", "wie_beslist", "belofte", "stuurgroep", "fasen"}
var yamlPhaseKeys = []string{"id", "naam", "van", "tot", "trede", "verwachting", "rondes"}

const (
	limBelofte = 2000
	limPhases  = 12
)

var (
	trajectorySection = &section{keys: yamlTrajectoryKeys,
		shape: "id: missie-en-visie (en daaronder title:, gemeente:, besluit:, wie_beslist:, belofte: en fasen:, elk op een eigen regel)",
		fields: map[string]field{
			"id":          {"de naam van het traject voor de computer", "id: missie-en-visie"},
			"title":       {"de titel die inwoners zien", `title: "Missie en Visie Dalfsen 2040"`},
			"gemeente":    {"de naam van de gemeente, voor de brieven en het verslag", "gemeente: Dalfsen"},
			"besluit":     {"het besluit dat het traject voorbereidt", `besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."`},
			"wie_beslist": {"wie beslist: " + dutch.Or(wieBeslistValues), "wie_beslist: gemeenteraad"},
			"belofte":     {"wat inwoners aan het begin beloofd wordt: wat ze mogen verwachten", `belofte: "U hoort in elke fase wat er met uw inbreng is gedaan."`},
			"stuurgroep":  {"wie het traject volgen", `stuurgroep: ["wethouder participatie", "griffier"]`},
			"fasen":       {"de fasen, in volgorde", `fasen: [{id: beeldvorming, naam: beeldvorming, van: 2027-01-04, tot: 2027-02-28, trede: raadplegen, verwachting: "…", rondes: [impor-beeldvorming]}]`},
		}}
	phaseSection = &section{keys: yamlPhaseKeys,
		shape: `- {id: keuzes, naam: "keuzes maken", van: 2027-03-01, tot: 2027-04-15, trede: adviseren, verwachting: "…", rondes: [goed-goan-wie-van-de-drie]}`,
		fields: map[string]field{
			"id":          {"de naam van de fase voor de computer", "id: keuzes"},
			"naam":        {"de naam die inwoners zien", `naam: "keuzes maken"`},
			"van":         {"de eerste dag van de fase", "van: 2027-03-01"},
			"tot":         {"de laatste dag van de fase", "tot: 2027-04-15"},
			"trede":       {"de trede op de participatieladder: " + dutch.Or(tredeValues), "trede: adviseren"},
			"verwachting": {"wat inwoners in deze fase mogen verwachten", `verwachting: "U kiest mee welke ideeën we uitwerken."`},
			"rondes":      {"de ids van de vragenlijsten van deze fase", "rondes: [goed-goan-wie-van-de-drie]"},
		}}
)

// ParseTrajectory reads one trajectory file. file is only used in messages. It checks
// the file itself; CheckTrajectories checks it against the surveys. On failure the
// error is Problems.
func ParseTrajectory(file string, data []byte) (*Trajectory, error) {
	t, probs := parseTrajectory(file, data)
	if len(probs) > 0 {
		return nil, probs
	}
	return t, nil
}

// LoadTrajectoryFile reads and parses the trajectory file at path.
func LoadTrajectoryFile(path string) (*Trajectory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load trajectory: %w", err)
	}
	return ParseTrajectory(path, data)
}

func parseTrajectory(file string, data []byte) (*Trajectory, Problems) {
	d := &surveyDecoder{file: file}
	if len(data) > limFileBytes {
		d.problemAt(1, 1, "dit bestand is te groot: "+byteSize(len(data)),
			"Een trajectbestand is hoogstens "+byteSize(limFileBytes)+".")
		return nil, d.probs.list()
	}
	root := d.document(data)
	if root == nil || !d.checkBounds(root) {
		return nil, d.probs.list()
	}
	t := d.trajectory(root)
	if t != nil {
		t.Warnings = d.warnings()
	}
	return t, d.probs.list()
}

func (d *surveyDecoder) trajectory(root *yaml.Node) *Trajectory {
	f := d.mapping(root, "", trajectorySection)
	if f == nil {
		return nil
	}
	t := &Trajectory{File: d.file}
	t.ID = d.text(f, "id", true, 0)
	if n := f.val["id"]; n != nil && t.ID != "" && !validSurveyID(t.ID) {
		d.errorf(n, idHint(t.ID, surveyIDChars, limSurveyID, "id", "missie-en-visie"), "het id %q is niet toegestaan", t.ID)
	}
	t.Title = d.text(f, "title", true, limTitle)
	t.Gemeente = d.text(f, "gemeente", true, limTitle)
	t.Besluit = d.text(f, "besluit", true, limCardText)
	t.WieBeslist = d.text(f, "wie_beslist", true, 0)
	d.oneOf(f, "wie_beslist", t.WieBeslist, wieBeslistValues, wieBeslistMeant)
	t.Belofte = d.text(f, "belofte", true, limBelofte)
	d.readerText("belofte", f.val["belofte"], t.Belofte)
	if items, ok := d.sequence(f, "stuurgroep"); ok {
		for _, n := range items {
			if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
				d.errorf(n, `Schrijf per lid een naam of rol, bijvoorbeeld: stuurgroep: ["wethouder participatie", "griffier"]`,
					"stuurgroep: hier hoort een naam of rol, maar %s", nodeDesc(n))
				continue
			}
			t.Stuurgroep = append(t.Stuurgroep, n.Value)
		}
	}
	n := d.required(f, "fasen")
	if n == nil {
		return t
	}
	items, ok := d.sequence(f, "fasen")
	if !ok {
		return t
	}
	if len(items) == 0 {
		d.errorf(n, "Zet er minstens één fase onder, bijvoorbeeld: "+trajectorySection.example("fasen"), "fasen: er staat geen fase in")
	}
	if len(items) > limPhases {
		d.errorf(items[limPhases], "Een traject heeft hoogstens "+fmt.Sprint(limPhases)+" fasen. Voeg fasen samen.",
			"fasen: te veel fasen (%d)", len(items))
		items = items[:limPhases]
	}
	seen := map[string]int{}
	inPhase := map[string]string{}
	for i, item := range items {
		p, ok := d.phase(i, item, t, inPhase)
		if !ok {
			continue
		}
		if p.ID != "" {
			if line, dup := seen[p.ID]; dup {
				d.errorf(item, "Geef elke fase een eigen id.", "fase %q staat er twee keer (eerst op regel %d)", p.ID, line)
			}
			seen[p.ID] = item.Line
		}
		if k := len(t.Phases); k > 0 && !p.From.IsZero() && !t.Phases[k-1].To.IsZero() && !p.From.After(t.Phases[k-1].To) {
			d.errorf(item, fmt.Sprintf("Laat fase %q beginnen na %s, de laatste dag van de fase ervoor.", p.ID, t.Phases[k-1].To.Format("2006-01-02")),
				"fase %q begint op %s, vóór het einde van fase %q", p.ID, p.From.Format("2006-01-02"), t.Phases[k-1].ID)
		}
		t.Phases = append(t.Phases, p)
	}
	return t
}

func (d *surveyDecoder) phase(i int, n *yaml.Node, t *Trajectory, inPhase map[string]string) (Phase, bool) {
	ctx := fmt.Sprintf("fase %d: ", i+1)
	f := d.mapping(n, ctx, phaseSection)
	if f == nil {
		return Phase{}, false
	}
	p := Phase{ID: d.text(f, "id", true, 0)}
	if p.ID != "" {
		if !validKeyID(p.ID) {
			d.errorf(f.val["id"], idHint(p.ID, keyIDChars, limKeyID, "id", "keuzes"), "%shet id %q is niet toegestaan", ctx, p.ID)
		}
		ctx = fmt.Sprintf("fase %q: ", clipID(p.ID))
		f.ctx = ctx
	}
	p.Name = d.text(f, "naam", true, limLabel)
	p.Trede = Trede(d.text(f, "trede", true, 0))
	d.oneOf(f, "trede", string(p.Trede), tredeValues, tredeMeant)
	p.Verwachting = d.text(f, "verwachting", true, limCardText)
	d.readerText(ctx+"verwachting", f.val["verwachting"], p.Verwachting)
	p.From = d.date(f, "van")
	p.To = d.date(f, "tot")
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		d.errorf(f.val["tot"], "De laatste dag (tot) komt na de eerste (van).",
			"%stot %s is vóór van %s", ctx, p.To.Format("2006-01-02"), p.From.Format("2006-01-02"))
	}
	items, _ := d.sequence(f, "rondes")
	for _, r := range items {
		if r.Kind != yaml.ScalarNode || r.Value == "" {
			d.errorf(r, "Schrijf het id van een vragenlijst, bijvoorbeeld: rondes: [burgerpeiling]", "%srondes: hier hoort het id van een vragenlijst, maar %s", ctx, nodeDesc(r))
			continue
		}
		if other, dup := inPhase[r.Value]; dup {
			d.errorf(r, "Een vragenlijst hoort bij één fase. Maak voor een tweede fase een nieuwe vragenlijst met een eigen id.",
				"%sde vragenlijst %q staat ook in fase %q", ctx, r.Value, other)
			continue
		}
		inPhase[r.Value] = p.ID
		p.Surveys = append(p.Surveys, r.Value)
		t.refs = append(t.refs, surveyRef{id: r.Value, phase: p.ID, line: r.Line, col: r.Column})
	}
	return p, true
}

// date is the value of a required date field (YYYY-MM-DD), zero when it is missing or wrong.
func (d *surveyDecoder) date(f *yamlFields, name string) time.Time {
	s := d.text(f, name, true, 0)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		d.errorf(f.val[name], dateHint(name, s), "%sde datum %s %q klopt niet", f.ctx, name, s)
		return time.Time{}
	}
	return t
}

// CheckTrajectories checks trajectories against the surveys they name: every round
// is a known survey, and a survey is in one trajectory only. It warns (in each
// trajectory's Warnings) when a survey's participatiekaart names another trede than
// its phase, or a one-off round opens outside its phase.
func CheckTrajectories(ts []*Trajectory, all []*Survey) Problems {
	byID := make(map[string]*Survey, len(all))
	ids := make([]string, 0, len(all))
	for _, s := range all {
		byID[s.ID] = s
		ids = append(ids, s.ID)
	}
	var probs Problems
	owner := map[string]string{}
	for _, t := range ts {
		for _, r := range t.refs {
			s, ok := byID[r.id]
			if !ok {
				probs = append(probs, Problem{File: t.File, Line: r.line, Col: r.col,
					Msg:  fmt.Sprintf("fase %q: er is geen vragenlijst met het id %q", clipID(r.phase), clipValue(r.id)),
					Hint: suggestHint(r.id, ids) + "Zet de vragenlijst in dezelfde map als het traject, of verbeter het id."})
				continue
			}
			if other, dup := owner[r.id]; dup && other != t.ID {
				probs = append(probs, Problem{File: t.File, Line: r.line, Col: r.col,
					Msg:  fmt.Sprintf("de vragenlijst %q hoort al bij het traject %q", clipValue(r.id), clipValue(other)),
					Hint: "Een vragenlijst hoort bij één traject. Maak een nieuwe vragenlijst met een eigen id."})
				continue
			}
			owner[r.id] = t.ID
			_, p, _ := t.PhaseOf(r.id)
			if s.Card.Trede != "" && p.Trede != "" && s.Card.Trede != p.Trede {
				t.Warnings = append(t.Warnings, Problem{File: t.File, Line: r.line, Col: r.col, Warning: true,
					Msg: fmt.Sprintf("fase %q staat op de trede %s, maar de participatiekaart van %q op %s",
						clipID(p.ID), p.Trede, clipValue(r.id), s.Card.Trede),
					Hint: "Inwoners lezen beide. Zet dezelfde trede in de fase en in de participatiekaart, of leg het verschil uit in de verwachting."})
			}
			if o := s.Schedule.Opens; !o.IsZero() && !p.From.IsZero() && !p.To.IsZero() {
				day := time.Date(o.Year(), o.Month(), o.Day(), 0, 0, 0, 0, time.UTC)
				if day.Before(p.From) || day.After(p.To) {
					t.Warnings = append(t.Warnings, Problem{File: t.File, Line: r.line, Col: r.col, Warning: true,
						Msg: fmt.Sprintf("de ronde %q opent op %s, buiten fase %q (%s tot en met %s)", clipValue(r.id),
							o.Format("2006-01-02"), clipID(p.ID), p.From.Format("2006-01-02"), p.To.Format("2006-01-02")),
						Hint: "Pas de datums van de fase of het schema van de vragenlijst aan."})
				}
			}
		}
		t.Warnings.sort()
	}
	probs.sort()
	return probs
}

// LoadTrajectories loads the trajectory files (*.traject.yaml) of the directories and
// checks them against the surveys; a trajectory of a later directory replaces the one
// of its id from an earlier one. On failure the error is Problems.
func LoadTrajectories(all []*Survey, dirs ...string) ([]*Trajectory, error) {
	byID := map[string]*Trajectory{}
	var probs Problems
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("load trajectories: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || !IsTrajectoryFile(e.Name()) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("load trajectories: %w", err)
			}
			t, ps := parseTrajectory(path, data)
			probs = append(probs, ps...)
			if t != nil && len(ps) == 0 {
				byID[t.ID] = t
			}
		}
	}
	list := make([]*Trajectory, 0, len(byID))
	for _, t := range byID {
		list = append(list, t)
	}
	slices.SortFunc(list, func(a, b *Trajectory) int { return strings.Compare(a.ID, b.ID) })
	probs = append(probs, CheckTrajectories(list, all)...)
	if len(probs) > 0 {
		probs.sort()
		return nil, probs
	}
	return list, nil
}
