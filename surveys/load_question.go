package surveys

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"gopkg.in/yaml.v3"
)

// Keys of a question: those every question has, and those that belong to one type.
var (
	yamlQuestionKeys = []string{"id", "type", "text", "optional",
		"labels", "weet_ik_niet", "options", "min", "max", "max_length", "category", "triads", "pool", "adaptief"}
	yamlCommonQuestionKeys = []string{"id", "type", "text", "optional"}
	yamlTypeKeys           = map[QuestionType][]string{
		Single:       {"options"},
		Multiple:     {"options", "min", "max"},
		Likert:       {"labels", "weet_ik_niet"},
		Rating:       {},
		Open:         {"max_length", "category"},
		WieVanDeDrie: {"triads", "pool", "adaptief"},
	}
	questionTypeNames = []string{string(Single), string(Multiple), string(Likert),
		string(Rating), string(Open), string(WieVanDeDrie)}
)

// typeChoices are the question types with what each asks, for the tips.
const typeChoices = "single (één keuze), multiple (meer keuzes), likert (een stelling met vijf punten), " +
	"rating (een cijfer van 1 tot 10), open (een eigen tekst) of wievandedrie (steeds de beste van drie)"

// notForTypeHint is the tip on field name in a question of type t that does not
// take it: what t takes, and for options, the type that does.
func notForTypeHint(name string, t QuestionType) string {
	hint := "Haal het weg, of kies een ander type. "
	switch {
	case name == "options" && t == Rating:
		hint = "Een rating is altijd een cijfer van 1 tot 10: haal options weg, of kies type: single voor eigen keuzes. "
	case name == "options" && t == WieVanDeDrie:
		hint = "Bij wievandedrie heten de keuzes pool: schrijf pool: in plaats van options:. "
	case name == "pool" && (t == Single || t == Multiple):
		hint = "Bij " + string(t) + " heten de keuzes options: schrijf options: in plaats van pool:. "
	case name == "options" && t == Likert:
		hint = "Bij een likert heten de vijf punten labels: schrijf labels: in plaats van options:, of laat het weg voor de gewone vijf. "
	case name == "weet_ik_niet" && (t == Single || t == Multiple):
		hint = "weet_ik_niet is er alleen voor een likert. Zet hier \"Weet ik niet\" als laatste keuze onder options. "
	case name == "weet_ik_niet":
		hint = "weet_ik_niet is er alleen voor een likert: haal het weg. "
	case name == "adaptief":
		hint = "adaptief is er alleen voor wievandedrie (het kiezen van de drie naar de antwoorden tot dan toe): haal het weg. "
	}
	if keys := yamlTypeKeys[t]; len(keys) > 0 {
		return hint + "Bij " + string(t) + " horen naast id, type, text en optional de velden " + dutch.And(keys) + "."
	}
	return hint + "Bij " + string(t) + " horen alleen id, type, text en optional."
}

// questions decodes the list of questions: 1 to limQuestions, ids unique.
func (d *surveyDecoder) questions(n *yaml.Node) []Question {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "Zet elke vraag op een eigen regel onder questions:, beginnend met \"- \", bijvoorbeeld: "+questionSection.shape,
			"questions: hier hoort een lijst met vragen, maar %s", nodeDesc(n))
		return nil
	}
	if len(n.Content) == 0 {
		d.errorf(n, "Een vragenlijst heeft minstens één vraag, bijvoorbeeld: "+questionSection.shape,
			"questions: de lijst met vragen is leeg")
		return nil
	}
	items := n.Content
	if len(items) > limQuestions {
		d.errorf(items[limQuestions], "Haal vragen weg, of verdeel ze over twee vragenlijsten: een korte ronde krijgt meer antwoorden.",
			"questions: te veel vragen: %d, hoogstens %d", len(items), limQuestions)
		// The questions past the limit are not checked: each costs time, and a
		// hostile file can list thousands of aliases of one question.
		items = items[:limQuestions]
	}
	var out []Question
	seen := map[string]*yaml.Node{}
	for i, qn := range items {
		d.qi = i
		q, idNode := d.question(i, resolveAlias(qn))
		if q.ID != "" && idNode != nil {
			if first := seen[q.ID]; first != nil {
				d.errorf(idNode, "Elke vraag heeft een eigen id: de antwoorden worden per id geteld. Geef een van de twee een ander id.",
					"het vraag-id %q staat er al, op regel %d", q.ID, first.Line)
			} else {
				seen[q.ID] = idNode
			}
		}
		out = append(out, q)
	}
	return out
}

// question decodes question number i (from 0) and returns it with the node of its id.
func (d *surveyDecoder) question(i int, n *yaml.Node) (Question, *yaml.Node) {
	ctx := fmt.Sprintf("vraag %d: ", i+1)
	if m := d.silentMapping(n); m != nil && m["id"] != nil && m["id"].Kind == yaml.ScalarNode && m["id"].Value != "" {
		ctx = fmt.Sprintf("vraag %q: ", clipID(m["id"].Value))
	}
	f := d.mapping(n, ctx, questionSection)
	if f == nil {
		return Question{}, nil
	}
	qi := d.qi
	q := Question{
		ID:       d.text(f, "id", true, 0),
		Type:     QuestionType(d.text(f, "type", true, 0)),
		Text:     d.textIn(f, "text", true, limQuestionText, func(s *Survey) *string { return &s.Questions[qi].Text }),
		Optional: d.boolean(f, "optional"),
	}
	if q.ID != "" && !validKeyID(q.ID) {
		d.errorf(f.val["id"], idHint(q.ID, keyIDChars, limKeyID, "id", "vraag-1"), "%shet id %q is niet toegestaan", ctx, q.ID)
	}
	d.readerText(strings.TrimSuffix(ctx, ": "), f.val["text"], q.Text)
	if q.Type == "" {
		return q, f.val["id"]
	}
	allowed, known := yamlTypeKeys[q.Type]
	if !known {
		d.errorf(f.val["type"], suggestHint(string(q.Type), questionTypeNames)+"Kies "+typeChoices+".",
			"%shet type %q bestaat niet", ctx, q.Type)
		return q, f.val["id"]
	}
	for name, k := range f.key {
		if !slices.Contains(yamlCommonQuestionKeys, name) && !slices.Contains(allowed, name) {
			d.errorf(k, notForTypeHint(name, q.Type), "%shet veld %s hoort niet bij een vraag van type %s", ctx, name, q.Type)
		}
	}
	d.typed(&q, f)
	return q, f.val["id"]
}

// options decodes a list of options (field "options" or "pool") with lo..hi entries.
// Each entry is a label, whose id is made from it, or a mapping {id, label}.
func (d *surveyDecoder) options(f *yamlFields, name string, lo, hi int) []Option {
	if d.required(f, name) == nil {
		return nil
	}
	items, ok := d.sequence(f, name)
	if !ok {
		return nil
	}
	what, fewHint := "keuzes", "Geef minstens twee keuzes, bijvoorbeeld: "+questionSection.example("options")
	if name == "pool" {
		what = "keuzes in de pool"
		fewHint = "Wie van de drie toont steeds drie keuzes uit de pool: geef er minstens drie, bijvoorbeeld: " + questionSection.example("pool")
	}
	switch {
	case len(items) < lo:
		d.errorf(f.val[name], fewHint, "%ste weinig %s: %d, minstens %d", f.ctx, what, len(items), lo)
	case len(items) > hi:
		d.errorf(items[hi], "Haal keuzes weg, of maak er twee vragen van.", "%ste veel %s: %d, hoogstens %d", f.ctx, what, len(items), hi)
		// As with questions, the options past the limit are not checked.
		items = items[:hi]
	}
	opts := make([]Option, len(items))
	korts := make([]*yaml.Node, len(items))
	ids := map[string]*yaml.Node{}
	labels := map[string]*yaml.Node{}
	texts := make([]*i18nText, len(items))
	for i, n := range items {
		o, of, label := d.option(f.ctx+fmt.Sprintf("optie %d: ", i+1), n, i)
		texts[i] = label
		var idNode *yaml.Node
		if of != nil {
			idNode, korts[i] = of.val["id"], of.val["kort"]
		}
		if o.ID != "" {
			if first := ids[o.ID]; first != nil {
				d.errorf(idNode, "Geef elke keuze een eigen id: de antwoorden worden per id geteld.",
					"%shet optie-id %q staat er al, op regel %d", f.ctx, o.ID, first.Line)
			}
			ids[o.ID] = idNode
		}
		if o.Label != "" {
			if first := labels[o.Label]; first != nil {
				d.errorf(n, "Twee keuzes met dezelfde tekst zijn niet uit elkaar te houden. Haal er een weg, of maak de teksten verschillend.",
					"%sde keuze %q staat er al, op regel %d", f.ctx, o.Label, first.Line)
			}
			labels[o.Label] = n
		}
		opts[i] = o
	}
	d.checkShortLabels(f.ctx, "optie", opts, korts)
	d.checkTranslatedLabels(f.ctx, "optie", texts)
	assignSlugs(opts)
	return opts
}

var yamlOptionKeys = []string{"id", "label", "kort"}

// option decodes option number oi (from 0), a label alone or a mapping {id, label,
// kort}, and returns it with its fields (nil when it is neither) and its label as
// recorded for the translations. A label alone (a text, or a mapping of texts per
// language) leaves the id empty for assignSlugs, which makes it from the source text.
func (d *surveyDecoder) option(ctx string, n *yaml.Node, oi int) (Option, *yamlFields, *i18nText) {
	var f *yamlFields
	if n.Kind == yaml.ScalarNode || isLangMap(n, yamlOptionKeys) {
		f = &yamlFields{node: n, ctx: ctx, sec: optionSection, val: map[string]*yaml.Node{"label": n}}
	} else if f = d.mapping(n, ctx, optionSection); f == nil {
		return Option{}, nil, nil
	}
	qi := d.qi
	o := Option{
		ID:    d.text(f, "id", false, 0),
		Label: d.textIn(f, "label", true, limLabel, func(s *Survey) *string { return &s.Questions[qi].Options[oi].Label }),
	}
	label := d.lastText(f.val["label"])
	o.Short = d.shortIn(f, label, func(s *Survey) *string { return &s.Questions[qi].Options[oi].Short })
	if o.ID != "" && !validKeyID(o.ID) {
		d.errorf(f.val["id"], idHint(o.ID, keyIDChars, limKeyID, "id", "keuze-1"), "%shet optie-id %q is niet toegestaan", ctx, o.ID)
		o.ID = ""
	}
	return o, f, label
}

// short returns an option's kort, the label for short buttons. An empty kort (or one
// of spaces only) is the same as none; one longer than MaxShortLen is a problem, so
// that a kort fits a WhatsApp reply button, the shortest button of the platforms.
func (d *surveyDecoder) short(f *yamlFields) string {
	n := f.val["kort"]
	if n == nil {
		return ""
	}
	s, ok := d.scalar(f, "kort", n)
	if s = strings.TrimSpace(s); !ok || s == "" {
		return ""
	}
	if c := utf8.RuneCountInString(s); c > MaxShortLen {
		d.errorf(n, fmt.Sprintf("Een kort staat op een knop, en WhatsApp toont op een knop hoogstens %d tekens. Kies een korter woord.", MaxShortLen),
			"%skort is te lang: %d tekens, hoogstens %d", f.ctx, c, MaxShortLen)
		return ""
	}
	return s
}

// checkShortLabels reports a kort that is also the button text (kort or label) of
// another option of the question: residents could not tell the two buttons apart, and
// WhatsApp refuses a message with two buttons of one title. korts are the options'
// kort nodes (nil: none); item names an option in messages ("optie", "label"). Two
// options with one label are reported as duplicates already, two with one kort once,
// at the second.
func (d *surveyDecoder) checkShortLabels(ctx, item string, opts []Option, korts []*yaml.Node) {
	for i, o := range opts {
		if o.Short == "" || korts[i] == nil {
			continue
		}
		for k, p := range opts {
			if k == i || p.ShortLabel() != o.Short || k > i && p.Short != "" {
				continue
			}
			d.errorf(korts[i], "Twee knoppen met dezelfde tekst zijn niet uit elkaar te houden, en WhatsApp weigert zo'n bericht. Kies een andere kort.",
				"%s%s %d: kort %q staat ook op de knop van %s %d", ctx, item, i+1, o.Short, item, k+1)
			break
		}
	}
}

// assignSlugs gives options without an id one made from the label, unique among all
// ids of the question by a suffix -2, -3, ….
func assignSlugs(opts []Option) {
	used := map[string]bool{}
	for _, o := range opts {
		if o.ID != "" {
			used[o.ID] = true
		}
	}
	for i := range opts {
		if opts[i].ID != "" {
			continue
		}
		base := labelSlug(opts[i].Label)
		if base == "" {
			base = "optie-" + strconv.Itoa(i+1)
		}
		id := base
		for k := 2; used[id]; k++ {
			suffix := "-" + strconv.Itoa(k)
			id = truncateID(base, limKeyID-len(suffix)) + suffix
		}
		used[id] = true
		opts[i].ID = id
	}
}

// labelSlug makes an option id from a label: lowercase ASCII letters and digits, diacritics
// folded ("één" → "een"), every other run of characters a single "-", at most 24
// characters, cut between words where possible.
func labelSlug(label string) string {
	var b strings.Builder
	dash := false
	put := func(c rune) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		} else {
			dash = true
		}
	}
	for _, r := range label {
		// Rune by rune and without allocating: a hostile file can make this
		// run for every option of every question it lists.
		r = unicode.ToLower(r)
		if s, ok := dutch.Fold(r); ok {
			for _, c := range s {
				put(c)
			}
		} else {
			put(r)
		}
		// truncateID looks at one character past the limit, no further.
		if b.Len() > limKeyID {
			break
		}
	}
	return truncateID(b.String(), limKeyID)
}

// truncateID shortens an id to at most n bytes, at a "-" between words when there is
// one, and without a trailing "-".
func truncateID(s string, n int) string {
	if len(s) > n {
		cut := s[:n]
		if s[n] != '-' {
			if i := strings.LastIndexByte(cut, '-'); i > 0 {
				cut = cut[:i]
			}
		}
		s = cut
	}
	return strings.TrimRight(s, "-")
}
