package surveys

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// full uses every question type and leaves every optional field to its default
// somewhere.
const full = `id: centrum-2027
title: "Centrumvisie"
language: en
participatiekaart:
  doel: "Wat vindt u van het centrum?"
  wie_beslist: inwoners
  trede: meebeslissen
  wat_gebeurt_er_mee: "De uitkomst is bindend."
  terugkoppeling: 2027-03-01
schedule:
  cron: "0 9 1 3,9 *"
  duration: 72h
  reminders: [4h, 2d, 30m]
questions:
  - id: vervoer
    type: single
    text: "Hoe komt u naar het centrum?"
    options:
      - "Fiets"
      - {id: auto, label: "Auto"}
      - "Één keer per week met de bus"
      - "Eén keer per week met de bus!"
  - id: thema
    type: multiple
    text: "Welke thema's?"
    optional: true
    options: [Groen, Verkeer]
  - id: luistert
    type: likert
    text: "De gemeente luistert voldoende naar de mening van de inwoners"
  - id: cijfer
    type: rating
    text: "Welk cijfer?"
  - id: goed
    type: open
    text: "Wat gaat goed?"
  - id: kansen
    type: open
    text: "Welke kansen ziet u?"
    max_length: 3000
    category: kansen
  - id: waarden
    type: wievandedrie
    text: "Welke van deze drie past het best bij Dalfsen?"
    pool: [Groen, Samen, Veilig]
`

func TestParseValues(t *testing.T) {
	s, err := Parse("full.yaml", []byte(full))
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	q := map[string]Question{}
	for _, x := range s.Questions {
		q[x.ID] = x
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"id", s.ID, "centrum-2027"},
		{"file", s.File, "full.yaml"},
		{"language", s.Language, "en"},
		{"wie beslist", s.Card.WieBeslist, "inwoners"},
		{"trede", s.Card.Trede, Meebeslissen},
		{"terugkoppeling", s.Card.Terugkoppeling, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"cron", s.Schedule.Cron, "0 9 1 3,9 *"},
		{"opens unset", s.Schedule.Opens.IsZero(), true},
		{"duration", s.Schedule.Duration, 72 * time.Hour},
		{"reminders largest first", s.Schedule.Reminders, []time.Duration{48 * time.Hour, 4 * time.Hour, 30 * time.Minute}},
		{"option ids", optionIDs(q["vervoer"].Options), []string{"fiets", "auto", "een-keer-per-week-met-de", "een-keer-per-week-met-2"}},
		{"option label kept", q["vervoer"].Options[2].Label, "Één keer per week met de bus"},
		{"multiple optional min", q["thema"].MinChoices, 0},
		{"multiple max", q["thema"].MaxChoices, 0},
		{"likert default labels", optionLabels(q["luistert"].Options), defaultLikertLabels},
		{"likert ids", optionIDs(q["luistert"].Options), []string{"1", "2", "3", "4", "5"}},
		{"rating ids", strings.Join(optionIDs(q["cijfer"].Options), ","), "1,2,3,4,5,6,7,8,9,10"},
		{"open default max_length", q["goed"].MaxLength, 1000},
		{"open max_length", q["kansen"].MaxLength, 3000},
		{"open category", q["kansen"].Category, "kansen"},
		{"triads default", q["waarden"].Triads, 4},
		{"pool ids", optionIDs(q["waarden"].Options), []string{"groen", "samen", "veilig"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestParseOpensAndDefaults(t *testing.T) {
	s, err := Parse("test.yaml", []byte(baseSurvey+"  - id: m\n    type: multiple\n    text: Kies\n    options: [a, b]\n"))
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	if got, want := s.Schedule.Opens, time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("opens: got %v, want %v", got, want)
	}
	if got, want := s.Language, "nl"; got != want {
		t.Errorf("language: got %q, want %q", got, want)
	}
	if got, want := s.Questions[1].MinChoices, 1; got != want {
		t.Errorf("min of a required multiple: got %d, want %d", got, want)
	}
}

func TestParseAllProblemsOfAFile(t *testing.T) {
	_, err := LoadFile("testdata/veel-fouten.yaml")
	want := strings.Join([]string{
		`testdata/veel-fouten.yaml:2:5: het id "Centrumvisie Dalfsen" is niet toegestaan`,
		`  tip: Gebruik alleen kleine letters a-z, cijfers en "-", hoogstens 40 tekens, bijvoorbeeld: id: centrumvisie-dalfsen`,
		`testdata/veel-fouten.yaml:4:11: de taal "fr" wordt niet ondersteund`,
		`  tip: Kies nl (Nederlands) of en (Engels), bijvoorbeeld: language: nl`,
		`testdata/veel-fouten.yaml:6:3: participatiekaart: het veld wat_gebeurt_er_mee ontbreekt`,
		`  tip: Voeg het toe (wat er met de antwoorden gebeurt), bijvoorbeeld: wat_gebeurt_er_mee: "De raad neemt de uitkomst mee in het besluit."`,
		`testdata/veel-fouten.yaml:7:16: participatiekaart: wie_beslist "wethouder" bestaat niet`,
		`  tip: Kies gemeenteraad, college, burgemeester of inwoners (een wethouder beslist namens het college: kies college).`,
		`testdata/veel-fouten.yaml:8:10: participatiekaart: trede "meedenken" bestaat niet`,
		`  tip: Kies informeren, raadplegen, adviseren, coproduceren of meebeslissen (meedenken heet op de ladder raadplegen als u een mening vraagt, en adviseren als u om advies vraagt).`,
		`testdata/veel-fouten.yaml:9:19: participatiekaart: de datum van terugkoppeling "volgend jaar" klopt niet`,
		`  tip: Schrijf de datum als jaar-maand-dag, bijvoorbeeld: terugkoppeling: 2027-02-15`,
		`testdata/veel-fouten.yaml:12:3: schedule: cron en opens staan er allebei`,
		`  tip: Kies er één: cron voor rondes die terugkomen, opens voor één ronde. Haal de andere weg.`,
		`testdata/veel-fouten.yaml:13:13: schedule: duration "0d" is niet langer dan 0`,
		`  tip: Kies een duur langer dan 0, bijvoorbeeld 14d of 48h.`,
		`testdata/veel-fouten.yaml:14:20: schedule: herinnering "48h" staat er al, op regel 14`,
		`  tip: Twee herinneringen op één moment worden één bericht. Haal er een weg.`,
		`testdata/veel-fouten.yaml:16:5: vraag "vervoer": het veld options ontbreekt`,
		`  tip: Voeg het toe (de keuzes), bijvoorbeeld: options: [Fiets, Auto, Bus]`,
		`testdata/veel-fouten.yaml:19:5: vraag "vervoer": het veld "optoins" bestaat niet`,
		`  tip: Bedoelt u options? Hier kunnen de velden id, type, text, optional, labels, weet_ik_niet, options, min, max, max_length, category, triads, pool en adaptief.`,
		`testdata/veel-fouten.yaml:20:9: het vraag-id "vervoer" staat er al, op regel 16`,
		`  tip: Elke vraag heeft een eigen id: de antwoorden worden per id geteld. Geef een van de twee een ander id.`,
		`testdata/veel-fouten.yaml:23:13: vraag "vervoer": een likert heeft precies 5 labels, hier staan er 3`,
		`  tip: Geef vijf labels, van oneens naar eens, of laat labels weg voor: Helemaal mee oneens, Mee oneens, Neutraal, Mee eens, Helemaal mee eens.`,
		`testdata/veel-fouten.yaml:28:10: vraag "thema": min 3 is meer dan max 2`,
		`  tip: Maak min kleiner of max groter: niemand kan meer keuzes aanvinken dan max toestaat.`,
		`testdata/veel-fouten.yaml:33:13: vraag "waarden": triads ligt niet tussen 1 en 20: er staat 0`,
		`  tip: triads is hoe vaak een deelnemer drie keuzes ziet. Kies 1 tot en met 20, of laat het weg voor 4.`,
		`testdata/veel-fouten.yaml:34:11: vraag "waarden": te weinig keuzes in de pool: 2, minstens 3`,
		`  tip: Wie van de drie toont steeds drie keuzes uit de pool: geef er minstens drie, bijvoorbeeld: pool: [Groen, Samen, Veilig]`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%v", err, want)
	}
}

func TestLoadDir(t *testing.T) {
	all, err := LoadDir("testdata/dir-ok")
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	var ids []string
	for _, s := range all {
		ids = append(ids, s.ID)
	}
	if got, want := strings.Join(ids, ","), "aanpak,peiling"; got != want {
		t.Errorf("ids: got %v, want %v", got, want)
	}
}

func TestLoadDirProblems(t *testing.T) {
	all, err := LoadDir("testdata/dir-bad")
	if all != nil {
		t.Errorf("got %d surveys, want none", len(all))
	}
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("got %v, want Problems", err)
	}
	want := []string{
		`testdata/dir-bad/b-dubbel.yaml:1:5: het vragenlijst-id "peiling" staat ook in testdata/dir-bad/a-peiling.yaml, op regel 1`,
		`testdata/dir-bad/c-kapot.yaml:6:10: participatiekaart: trede "meepraten" bestaat niet`,
	}
	lines := make([]string, len(probs))
	for i, p := range probs {
		lines[i] = p.Error()
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%v", got, strings.Join(want, "\n"))
	}
	if len(probs) != 2 {
		t.Fatalf("got %d problems, want 2", len(probs))
	}
	if got, want := probs[1].Error(), want[1]; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/bestaat-niet.yaml")
	var probs Problems
	if err == nil || errors.As(err, &probs) {
		t.Errorf("got %v, want a read error that is not Problems", err)
	}
}

func TestLabelSlug(t *testing.T) {
	tests := []struct{ label, want string }{
		{"Fiets", "fiets"},
		{"Eén aanspreekpunt", "een-aanspreekpunt"},
		{"Café & terras", "cafe-terras"},
		{"  -- Ja! --  ", "ja"},
		{"Risico’s", "risico-s"},
		{"Gebiedsmakelaars die kerngericht werken", "gebiedsmakelaars-die"},
		{"Onafhankelijkeprocesbegeleiders", "onafhankelijkeprocesbege"},
		{"Wijk 12 (Nieuwleusen)", "wijk-12-nieuwleusen"},
		{"😊", ""},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			if got := labelSlug(tt.label); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAssignSlugsUnique(t *testing.T) {
	opts := []Option{{Label: "Ja"}, {Label: "Ja!"}, {ID: "ja-2", Label: "Zeker"}, {Label: "ja?"}, {Label: "😊"}}
	assignSlugs(opts)
	if got, want := optionIDs(opts), []string{"ja", "ja-3", "ja-2", "ja-4", "optie-5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"optoins", "options"},
		{"tpye", "type"},
		{"titel", "title"},
		{"maxlength", "max_length"},
		{"kleur", ""},
		{"ix", "id"},
		{"xyz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := didYouMean(tt.in, append(yamlQuestionKeys, yamlSurveyKeys...)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func optionIDs(opts []Option) []string {
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return ids
}

func optionLabels(opts []Option) []string {
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.Label
	}
	return labels
}
