package surveys

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"

	"gopkg.in/yaml.v3"
)

// defaultLikertLabels are the five points of the agreement scale, disagree first.
var defaultLikertLabels = []string{
	"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens",
}

// typed decodes and checks the fields that belong to the question's type.
func (d *surveyDecoder) typed(q *Question, f *yamlFields) {
	switch q.Type {
	case Single:
		q.Options = d.options(f, "options", limOptionsMin, limOptions)
	case Multiple:
		q.Options = d.options(f, "options", limOptionsMin, limOptions)
		d.choiceBounds(q, f)
	case Likert:
		q.Options = d.likertOptions(f)
	case Rating:
		labels := make([]string, ratingPoints)
		for i := range labels {
			labels[i] = strconv.Itoa(i + 1)
		}
		q.Options = scaleOptions(labels)
	case Open:
		d.addOpen(q, f)
	case WieVanDeDrie:
		q.Options = d.options(f, "pool", limPoolMin, limPool)
		q.Triads = defaultTriads
		if v, ok := d.integer(f, "triads"); ok {
			if v < 1 || v > limTriads {
				d.errorf(f.val["triads"], fmt.Sprintf("triads is hoe vaak een deelnemer drie keuzes ziet. Kies 1 tot en met %d, of laat het weg voor %d.", limTriads, defaultTriads),
					"%striads ligt niet tussen 1 en %d: er staat %d", f.ctx, limTriads, v)
			}
			q.Triads = v
		}
		q.Adaptive = d.boolean(f, "adaptief")
	}
}

// defaultLikert is the five default points of a likert question, recorded with their
// translations.
func (d *surveyDecoder) defaultLikert() []Option {
	qi := d.qi
	for i := range likertPoints {
		d.addBuiltin(likertTexts[i], func(s *Survey) *string { return &s.Questions[qi].Options[i].Label })
	}
	return scaleOptions(defaultLikertLabels)
}

// scaleOptions makes options with ids "1", "2", … for the labels of a scale.
func scaleOptions(labels []string) []Option {
	opts := make([]Option, len(labels))
	for i, l := range labels {
		opts[i] = Option{ID: strconv.Itoa(i + 1), Label: l}
	}
	return opts
}

// likertOptions returns the five points of a likert question, with the default labels
// unless the file gives exactly five of its own, and after them "Weet ik niet" (id
// WeetNietID) when the file says weet_ik_niet: true. Each label is a label alone or a
// mapping {label, kort}; the ids of the points are "1" to "5".
func (d *surveyDecoder) likertOptions(f *yamlFields) []Option {
	opts, korts := d.likertScale(f)
	if d.boolean(f, "weet_ik_niet") {
		opts = append(opts, Option{ID: WeetNietID, Label: weetNietLabel(d.language)})
		korts = append(korts, nil)
		qi, oi := d.qi, len(opts)-1
		d.addBuiltin(weetNietTexts, func(s *Survey) *string { return &s.Questions[qi].Options[oi].Label })
	}
	d.checkShortLabels(f.ctx, "label", opts, korts)
	return opts
}

// likertScale returns the five points of a likert question and the nodes of their
// korts (nil where there is none).
func (d *surveyDecoder) likertScale(f *yamlFields) ([]Option, []*yaml.Node) {
	korts := make([]*yaml.Node, likertPoints)
	items, ok := d.sequence(f, "labels")
	if !ok {
		return d.defaultLikert(), korts
	}
	if len(items) != likertPoints {
		d.errorf(f.val["labels"], "Geef vijf labels, van oneens naar eens, of laat labels weg voor: "+strings.Join(defaultLikertLabels, ", ")+".",
			"%seen likert heeft precies %d labels, hier staan er %d", f.ctx, likertPoints, len(items))
		return d.defaultLikert(), korts
	}
	opts := make([]Option, len(items))
	texts := make([]*i18nText, len(items))
	qi := d.qi
	for i, n := range items {
		name := "label " + strconv.Itoa(i+1)
		lf := &yamlFields{node: n, ctx: f.ctx, sec: likertLabelSection, val: map[string]*yaml.Node{name: n}}
		if n.Kind == yaml.MappingNode && !isLangMap(n, yamlLikertLabelKeys) {
			if lf = d.mapping(n, f.ctx+name+": ", likertLabelSection); lf == nil {
				continue
			}
			name = "label"
		}
		opts[i] = Option{ID: strconv.Itoa(i + 1),
			Label: d.textIn(lf, name, true, limLabel, func(s *Survey) *string { return &s.Questions[qi].Options[i].Label })}
		texts[i] = d.lastText(lf.val[name])
		opts[i].Short = d.shortIn(lf, texts[i], func(s *Survey) *string { return &s.Questions[qi].Options[i].Short })
		korts[i] = lf.val["kort"]
	}
	d.checkScaleDirection(f, opts)
	d.checkTranslatedLabels(f.ctx, "label", texts)
	return opts, korts
}

var yamlLikertLabelKeys = []string{"label", "kort"}

// choiceBounds sets and checks how many options a multiple-choice answer takes:
// 0 <= min <= max <= number of options, max 0 meaning no bound. min defaults to 1,
// or 0 for an optional question.
func (d *surveyDecoder) choiceBounds(q *Question, f *yamlFields) {
	mn, hasMin := d.integer(f, "min")
	if !hasMin {
		mn = 1
		if q.Optional {
			mn = 0
		}
	}
	mx, _ := d.integer(f, "max")
	q.MinChoices, q.MaxChoices = mn, mx
	k := len(q.Options)
	at := func(name string) *yaml.Node {
		if n := f.val[name]; n != nil {
			return n
		}
		return f.node
	}
	switch {
	case mn < 0:
		d.errorf(at("min"), "min is hoeveel keuzes iemand minstens aanvinkt: 0 of meer.",
			"%smin is kleiner dan 0: er staat %d", f.ctx, mn)
	case mx < 0:
		d.errorf(at("max"), "max is hoeveel keuzes iemand hoogstens aanvinkt: 1 of meer, of 0 voor geen maximum.",
			"%smax is kleiner dan 0: er staat %d", f.ctx, mx)
	case mx > 0 && mn > mx:
		d.errorf(at("min"), "Maak min kleiner of max groter: niemand kan meer keuzes aanvinken dan max toestaat.",
			"%smin %d is meer dan max %d", f.ctx, mn, mx)
	case k >= limOptionsMin && mx > k:
		d.errorf(at("max"), fmt.Sprintf("Kies een max van %d of minder, of laat max weg voor geen maximum.", k),
			"%smax %d is meer dan de %d keuzes", f.ctx, mx, k)
	case k >= limOptionsMin && mn > k:
		d.errorf(at("min"), fmt.Sprintf("Kies een min van %d of minder: niemand kan meer keuzes aanvinken dan er zijn.", k),
			"%smin %d is meer dan de %d keuzes", f.ctx, mn, k)
	}
}

// open sets and checks the maximum answer length and the category of an open question.
func (d *surveyDecoder) addOpen(q *Question, f *yamlFields) {
	q.MaxLength = defaultMaxLen
	if v, ok := d.integer(f, "max_length"); ok {
		if v < 1 || v > MaxAnswerLen {
			d.errorf(f.val["max_length"], fmt.Sprintf("max_length is hoeveel tekens een antwoord hoogstens heeft. Kies 1 tot en met %s, of laat het weg voor %s.",
				dutch.Int(MaxAnswerLen), dutch.Int(defaultMaxLen)),
				"%smax_length ligt niet tussen 1 en %s: er staat %d", f.ctx, dutch.Int(MaxAnswerLen), v)
		}
		q.MaxLength = v
	}
	q.Category = d.text(f, "category", false, 0)
	if q.Category != "" && !validKeyID(q.Category) {
		d.errorf(f.val["category"], idHint(q.Category, keyIDChars, limKeyID, "category", "kansen"),
			"%sde categorie %q is niet toegestaan", f.ctx, q.Category)
	}
}
