package surveys

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/robfig/cron/v3"
)

// The validator speaks Dutch at B1 level to the organiser who wrote the file: every
// problem is a short message (what is wrong, at file:line:col) and a tip (how to fix
// it). This file holds what the tips show: the sections of a survey file with a line
// of YAML for each field, the translations of the YAML reader's syntax errors, and
// the reading of a cron spec. The messages themselves are written where the problem
// is found.

// section is one kind of mapping in a survey file: the fields it may have (keys), a
// line of YAML showing the mapping (shape), and per field what it says and a line of
// YAML showing it, for the tips on a missing, empty or misshapen field.
type section struct {
	keys   []string
	shape  string
	fields map[string]field
}

// field is one field of a section as the tips name it.
type field struct {
	what    string // what the field says, in a few words ("" to say nothing)
	example string // the field as one line of YAML
}

var (
	surveySection = &section{keys: yamlSurveyKeys,
		shape: "id: burgerpeiling (en daaronder title:, participatiekaart:, schedule: en questions:, elk op een eigen regel)",
		fields: map[string]field{
			"id":       {"de naam van de vragenlijst voor de computer", "id: burgerpeiling"},
			"title":    {"de titel die deelnemers zien", `title: "Burgerpeiling: inwoner en gemeente"`},
			"language": {"de taal van de vragen", "language: nl"},
			"talen":    {"de talen waarin de vragenlijst ook te lezen is", "talen: [en, ar, tr, pl, uk]"},
			"participatiekaart": {"waarom u het vraagt, wie beslist, de trede, wat er met de antwoorden gebeurt en wanneer de terugkoppeling komt",
				`participatiekaart: {doel: "Waarom we het vragen", wie_beslist: gemeenteraad, trede: raadplegen, wat_gebeurt_er_mee: "De raad neemt de uitkomst mee", terugkoppeling: 2027-02-15}`},
			"schedule":        {"wanneer de ronde opent en hoe lang hij duurt", `schedule: {opens: "2027-01-04 09:00", duration: 14d}`},
			"questions":       {"de vragen", `questions: [{id: goed, type: open, text: "Wat gaat goed?"}]`},
			"procesevaluatie": {"of de vaste slotvraag over het proces erbij komt", "procesevaluatie: false"},
			"bewaartermijn":   {"hoe lang de losse antwoorden bewaard blijven", "bewaartermijn: 12 maanden"},
			"publiceren":      {"of de uitslag van gesloten rondes op de openbare pagina komt", "publiceren: true"},
			"indicatoren":     {"de cijfers die de gemeente volgt, met een doel", `indicatoren: [{vraag: luistert, doel: ">= 50", jaar: 2027, eigenaar: "wethouder"}]`},
			"referenties":     {"vergelijkingscijfers uit een eigen benchmarkrapport", `referenties: [{vraag: luistert, waarde: 52, bron: "burgerpeiling 2025", jaar: 2025}]`},
		}}
	cardSection = &section{keys: yamlCardKeys,
		shape: `doel: "Waarom we het vragen" (elk veld van de kaart op een eigen regel, ingesprongen onder participatiekaart:)`,
		fields: map[string]field{
			"doel":               {"waarom de gemeente het vraagt", `doel: "Wat vindt u van het centrum?"`},
			"wie_beslist":        {"wie beslist: " + dutch.Or(wieBeslistValues), "wie_beslist: gemeenteraad"},
			"trede":              {"de trede op de participatieladder: " + dutch.Or(tredeValues), "trede: raadplegen"},
			"wat_gebeurt_er_mee": {"wat er met de antwoorden gebeurt", `wat_gebeurt_er_mee: "De raad neemt de uitkomst mee in het besluit."`},
			"terugkoppeling":     {"wanneer deelnemers horen wat er met hun inbreng is gedaan", "terugkoppeling: 2027-02-15"},
		}}
	scheduleSection = &section{keys: yamlScheduleKeys,
		shape: `opens: "2027-01-04 09:00" (elk veld van het schema op een eigen regel, ingesprongen onder schedule:)`,
		fields: map[string]field{
			"cron":      {"wanneer rondes die terugkomen openen", `cron: "0 9 1 3,9 *"`},
			"opens":     {"wanneer de ene ronde opent, in lokale tijd", `opens: "2027-01-04 09:00"`},
			"duration":  {"hoe lang een ronde open is", "duration: 14d"},
			"reminders": {"hoe lang vóór het sluiten een herinnering uitgaat", "reminders: [48h, 4h]"},
		}}
	questionSection = &section{keys: yamlQuestionKeys,
		shape: `- {id: vervoer, type: single, text: "Hoe komt u naar het centrum?", options: [Fiets, Auto, Bus]}`,
		fields: map[string]field{
			"id":           {"de naam van de vraag voor de computer", "id: vervoer"},
			"type":         {"het soort vraag: " + dutch.Or(questionTypeNames), "type: single"},
			"text":         {"de vraag zoals deelnemers hem lezen", `text: "Hoe komt u naar het centrum?"`},
			"optional":     {"of de vraag overgeslagen mag worden", "optional: true"},
			"labels":       {"de vijf punten van de stelling", `labels: ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]`},
			"weet_ik_niet": {"of er na de vijf punten een keuze Weet ik niet komt", "weet_ik_niet: true"},
			"options":      {"de keuzes", "options: [Fiets, Auto, Bus]"},
			"min":          {"hoeveel keuzes iemand minstens aanvinkt", "min: 1"},
			"max":          {"hoeveel keuzes iemand hoogstens aanvinkt", "max: 2"},
			"max_length":   {"hoe lang een antwoord hoogstens is, in tekens", "max_length: 500"},
			"category":     {"het soort open vraag, voor de thema's", "category: kansen"},
			"triads":       {"hoe vaak een deelnemer drie keuzes ziet", "triads: 4"},
			"pool":         {"de keuzes waaruit steeds drie worden getoond", "pool: [Groen, Samen, Veilig]"},
			"adaptief":     {"of de drie worden gekozen naar de antwoorden tot dan toe", "adaptief: true"},
		}}
	optionSection = &section{keys: yamlOptionKeys,
		shape: "- Fiets  of  - {id: fiets, label: Fiets, kort: Fiets}",
		fields: map[string]field{
			"id":    {"de naam van de keuze voor de computer", "- {id: fiets, label: Fiets}"},
			"label": {"de tekst van de keuze", "- {id: fiets, label: Fiets}"},
			"kort":  {"de tekst op een smalle knop", `- {label: "Met de fiets of lopend", kort: Fiets}`},
		}}
	likertLabelSection = &section{keys: yamlLikertLabelKeys,
		shape: `- "Helemaal mee eens"  of  - {label: "Helemaal mee eens", kort: Eens}`,
		fields: map[string]field{
			"label": {"de tekst van het punt", `- {label: "Helemaal mee eens", kort: Eens}`},
			"kort":  {"de tekst op een smalle knop", `- {label: "Helemaal mee eens", kort: Eens}`},
		}}
)

// example is the line of YAML showing field name of sec, or name: … when it has none.
func (sec *section) example(name string) string {
	if sec != nil {
		if f, ok := sec.fields[name]; ok {
			return f.example
		}
	}
	return name + ": …"
}

// missingHint is the tip on a missing field: what it says and a line to add.
func (sec *section) missingHint(name string) string {
	what := ""
	if sec != nil {
		what = sec.fields[name].what
	}
	if what == "" {
		return "Voeg het toe, bijvoorbeeld: " + sec.example(name)
	}
	return fmt.Sprintf("Voeg het toe (%s), bijvoorbeeld: %s", what, sec.example(name))
}

// suggestHint is "Bedoelt u x? " when x is a likely typo's intended value, else "".
func suggestHint(s string, known []string) string {
	if best := didYouMean(s, known); best != "" {
		return "Bedoelt u " + best + "? "
	}
	return ""
}

// idHint is the tip on an id that is not allowed: which characters, and an id made
// from the one given when that makes one.
func idHint(value, chars string, maxLen int, name, fallback string) string {
	example := labelSlug(value)
	if example == "" || example == value {
		example = fallback
	}
	return fmt.Sprintf("Gebruik alleen %s, hoogstens %d tekens, bijvoorbeeld: %s: %s", chars, maxLen, name, example)
}

const (
	surveyIDChars = `kleine letters a-z, cijfers en "-"`
	keyIDChars    = `kleine letters a-z, cijfers, "_" en "-"`
)

// Values organisers write for wie_beslist and trede that are not on the
// participatiekaart, with the value they mean.
var (
	wieBeslistMeant = map[string]string{
		"wethouder":                              "een wethouder beslist namens het college: kies college",
		"wethouders":                             "wethouders beslissen namens het college: kies college",
		"b&w":                                    "burgemeester en wethouders zijn samen het college: kies college",
		"burgemeester en wethouders":             "burgemeester en wethouders zijn samen het college: kies college",
		"college van b&w":                        "kies college",
		"raad":                                   "de raad heet hier gemeenteraad",
		"de raad":                                "de raad heet hier gemeenteraad",
		"inwoner":                                "kies inwoners",
		"bewoners":                               "kies inwoners",
		"burgers":                                "kies inwoners",
		"dorpsraad":                              "een dorpsraad adviseert; kies wie het besluit neemt, en zet de dorpsraad in doel",
		"gemeente":                               "zeg wie binnen de gemeente beslist: de gemeenteraad of het college",
		"gemeenteraad en college":                "kies wie het laatste woord heeft",
		"college en gemeenteraad":                "kies wie het laatste woord heeft",
		"ambtenaar":                              "ambtenaren beslissen namens het college: kies college",
		"ambtenaren":                             "ambtenaren beslissen namens het college: kies college",
		"stuurgroep":                             "de stuurgroep adviseert; kies wie het besluit neemt",
		"college van burgemeester en wethouders": "kies college",
	}
	tredeMeant = map[string]string{
		"meedenken":     "meedenken heet op de ladder raadplegen als u een mening vraagt, en adviseren als u om advies vraagt",
		"meepraten":     "meepraten heet op de ladder raadplegen",
		"meedoen":       "kies coproduceren als inwoners mee ontwerpen, meebeslissen als zij beslissen",
		"meewerken":     "meewerken heet op de ladder coproduceren",
		"participeren":  "kies de trede die past: raadplegen, adviseren, coproduceren of meebeslissen",
		"informatie":    "kies informeren",
		"consulteren":   "consulteren heet op de ladder raadplegen",
		"samenwerken":   "samenwerken heet op de ladder coproduceren",
		"zelfbeheer":    "kies meebeslissen als inwoners zelf beslissen",
		"beslissen":     "kies meebeslissen",
		"co-produceren": "schrijf coproduceren, zonder streepje",
		"mee beslissen": "schrijf meebeslissen, aan elkaar",
		"mee-beslissen": "schrijf meebeslissen, aan elkaar",
	}
)

// choiceHint is the tip on a value not among allowed: a likely typo's intended value,
// the choices, and for a value organisers often write, what it is called here.
func choiceHint(value string, allowed []string, meant map[string]string) string {
	hint := suggestHint(value, allowed) + "Kies " + dutch.Or(allowed)
	if m := meant[strings.ToLower(strings.TrimSpace(value))]; m != "" {
		hint += " (" + m + ")"
	}
	return hint + "."
}

// yamlSyntax are the YAML reader's syntax errors in Dutch, with a tip each. The keys
// are yaml.v3's messages (libyaml's problems); an error not listed gets a general
// message and tip.
var yamlSyntax = map[string][2]string{
	"did not find expected ',' or ']'": {"een lijst tussen [ en ] is niet afgesloten",
		"Sluit de lijst af met ] en zet komma's tussen de waarden. Staat er een komma of ] in een tekst, zet die tekst dan tussen aanhalingstekens."},
	"did not find expected ',' or '}'": {"velden tussen { en } zijn niet afgesloten",
		"Sluit af met } en zet komma's tussen de velden. Staat er een komma of } in een tekst, zet die tekst dan tussen aanhalingstekens."},
	"found a tab character that violates indentation": {"hier staat een tab waar spaties horen",
		"Spring in met spaties, niet met tabs. Veel editors zetten tabs om in spaties als u dat instelt."},
	"found a tab character where an indentation space is expected": {"hier staat een tab waar spaties horen",
		"Spring in met spaties, niet met tabs. Veel editors zetten tabs om in spaties als u dat instelt."},
	"mapping values are not allowed in this context": {"hier staat een dubbele punt op een plek waar die niet kan",
		`Staat er een dubbele punt in een tekst, zet de tekst dan tussen aanhalingstekens: text: "Let op: …". Anders klopt het inspringen niet.`},
	"did not find expected key": {"hier hoort een veld (naam: waarde), maar het inspringen klopt niet",
		"Zet velden die bij elkaar horen precies even ver naar rechts, met spaties."},
	"did not find expected '-' indicator": {"hier hoort een nieuw item van de lijst, beginnend met \"- \"",
		"Zet de items van een lijst precies even ver naar rechts, elk beginnend met een streepje en een spatie."},
	"did not find expected node content": {"hier ontbreekt een waarde",
		`Schrijf een waarde achter de dubbele punt of na "- ". Begint een tekst met een teken als [ { * & ! | > ' " % @ of een komma, zet hem dan tussen aanhalingstekens.`},
	"did not find expected <document start>": {"hier hoort niets meer te staan, of het inspringen klopt niet",
		"Zet velden die bij elkaar horen precies even ver naar rechts, met spaties."},
	"could not find expected ':'": {"hier ontbreekt een dubbele punt achter de naam van een veld",
		"Schrijf naam: waarde, met een spatie na de dubbele punt. Loopt een tekst door op de volgende regel, zet hem dan tussen aanhalingstekens."},
	"found unexpected end of stream": {"het bestand houdt op midden in een tekst tussen aanhalingstekens",
		"Sluit de tekst af met hetzelfde aanhalingsteken als waarmee hij begint."},
	"found character that cannot start any token": {"dit teken kan niet aan het begin van een waarde staan",
		"Tekens als @ en ` kunnen niet vooraan staan: zet de waarde tussen aanhalingstekens."},
	"block sequence entries are not allowed in this context": {"hier begint een lijst (\"- \") op een plek waar dat niet kan",
		"Zet de items van een lijst op de regels onder de naam, ingesprongen: eerst options: en dan op elke regel - keuze."},
	"found unknown escape character": {"na een \\ in een tekst tussen dubbele aanhalingstekens staat een onbekend teken",
		`Schrijf \\ voor een \, of zet de tekst tussen enkele aanhalingstekens ('…').`},
	"did not find expected alphabetic or numeric character": {"na & of * hoort een naam",
		"Staat & of * aan het begin van een tekst, zet de tekst dan tussen aanhalingstekens."},
	"did not find expected comment or line break": {"na deze waarde hoort niets meer op de regel",
		"Zet een tekst met aanhalingstekens helemaal tussen aanhalingstekens, en begin een opmerking met een spatie en #."},
	"did not find expected whitespace or line break": {"hier hoort een spatie of een nieuwe regel",
		"Schrijf naam: waarde met een spatie na de dubbele punt, en - waarde met een spatie na het streepje."},
	"found unexpected document indicator": {"--- of ... staat midden in een tekst",
		"Zet de tekst tussen aanhalingstekens, of haal --- en ... weg."},
	"control characters are not allowed": {"het bestand bevat een onzichtbaar stuurteken",
		"Sla het bestand op als gewone tekst (UTF-8), zonder opmaak."},
	"invalid leading UTF-8 octet":             {"het bestand is geen UTF-8-tekst", utf8Hint},
	"invalid trailing UTF-8 octet":            {"het bestand is geen UTF-8-tekst", utf8Hint},
	"incomplete UTF-8 octet sequence":         {"het bestand is geen UTF-8-tekst", utf8Hint},
	"invalid length of a UTF-8 sequence":      {"het bestand is geen UTF-8-tekst", utf8Hint},
	"invalid Unicode character":               {"het bestand is geen UTF-8-tekst", utf8Hint},
	"found an incorrect leading UTF-8 octet":  {"het bestand is geen UTF-8-tekst", utf8Hint},
	"found an incorrect trailing UTF-8 octet": {"het bestand is geen UTF-8-tekst", utf8Hint},
}

const (
	utf8Hint        = "Sla het bestand op als UTF-8 (in Kladblok: Opslaan als, Codering UTF-8)."
	yamlGeneralHint = "Kijk op deze regel en de regel erboven naar het inspringen (spaties, geen tabs), de dubbele punten en de aanhalingstekens."
)

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// syntaxText is the Dutch message and tip for a syntax error of the YAML reader.
func syntaxText(msg string) (string, string) {
	if t, ok := yamlSyntax[msg]; ok {
		return t[0], t[1]
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		name := clipValue(m[1])
		return fmt.Sprintf("de verwijzing *%s wijst naar een anker &%s dat er (nog) niet is", name, name),
			fmt.Sprintf("Zet eerst &%s bij de waarde die u wilt hergebruiken, en pas daaronder *%s. Begint een tekst met *, zet hem dan tussen aanhalingstekens.", name, name)
	}
	return "hier klopt de opmaak van de YAML niet", yamlGeneralHint
}

// cronFields are the five fields of a cron spec, with what they may hold.
var cronFields = [5]struct{ name, values string }{
	{"minuut", "0-59"}, {"uur", "0-23"}, {"dag", "1-31"}, {"maand", "1-12 of jan-dec"}, {"weekdag", "0-6 of sun-sat, 0 is zondag"},
}

const cronHint = `Een cron-schema heeft vijf velden: minuut (0-59), uur (0-23), dag (1-31), maand (1-12) en weekdag (0-6, 0 is zondag); * is elke. ` +
	`Bijvoorbeeld: cron: "0 9 1 3,9 *" (om 9:00 op de 1e van maart en september)`

// cronDetail says which part of a spec that cron.ParseStandard refuses is wrong.
func cronDetail(spec string) string {
	parts := strings.Fields(spec)
	if strings.HasPrefix(spec, "@") {
		return "dit woord kent cron niet (wel @yearly, @monthly, @weekly, @daily en @hourly)"
	}
	if len(parts) != 5 {
		return fmt.Sprintf("er staan %d velden, een cron-schema heeft er 5", len(parts))
	}
	for i, p := range parts {
		test := []string{"*", "*", "*", "*", "*"}
		test[i] = p
		if _, err := cron.ParseStandard(strings.Join(test, " ")); err != nil {
			return fmt.Sprintf("%s %q kan niet (%s)", cronFields[i].name, clipValue(p), cronFields[i].values)
		}
	}
	return "deze combinatie van velden kan niet"
}

// dayFirst matches a date written day first, 15-02-2027 or 15/2/2027.
var dayFirst = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// yearFirst turns a date written day first into YYYY-MM-DD.
func yearFirst(date string) (string, bool) {
	m := dayFirst.FindStringSubmatch(date)
	if m == nil {
		return "", false
	}
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[1])
	return fmt.Sprintf("%s-%02d-%02d", m[3], month, day), true
}

// dateHint is the tip on a date that is not YYYY-MM-DD, with the date turned round
// when it was written day first.
func dateHint(name, value string) string {
	if ymd, ok := yearFirst(value); ok {
		return fmt.Sprintf("Schrijf eerst het jaar, dan de maand en de dag: %s: %s", name, ymd)
	}
	return fmt.Sprintf("Schrijf de datum als jaar-maand-dag, bijvoorbeeld: %s: 2027-02-15", name)
}
