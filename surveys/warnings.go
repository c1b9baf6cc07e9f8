package surveys

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"gopkg.in/yaml.v3"
)

// A warning is about a file that loads and runs, but that residents will likely
// misread or be turned away by. validate prints the warnings (Survey.Warnings) after
// "ok", each with its position and tip, and they do not change its exit status:
//
//   - a likert question whose own labels run from agree to disagree, while every
//     other survey, the engine's order of the buttons and the results (points 4 and
//     5 are "(helemaal) mee eens") go from disagree to agree (checkScaleDirection);
//   - a survey that speaks to children, who cannot take part: the bot turns residents
//     under 16 away (checkChildren);
//   - a text without a translation into a language the survey is offered in: residents
//     who chose that language read the source text there (checkTranslations).

// readerText is a text residents read (the title, a text of the participatiekaart, a
// question), with what it is called in messages and its node.
type readerText struct {
	where string
	node  *yaml.Node
	text  string
}

// readerText records a text residents read, for the warnings at the end.
func (d *surveyDecoder) readerText(where string, n *yaml.Node, text string) {
	// A text per language (load_i18n.go) stands at its source text.
	if n != nil && n.Kind == yaml.MappingNode {
		if v := d.silentMapping(n)[string(d.source)]; v != nil {
			n = v
		}
	}
	if n != nil && text != "" {
		d.texts = append(d.texts, readerText{where, n, text})
	}
}

// warnf records a warning at node n, as errorf records a problem.
func (d *surveyDecoder) warnf(n *yaml.Node, hint, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clipValue(s)
		}
	}
	d.warns = append(d.warns, Problem{File: d.file, Line: n.Line, Col: n.Column,
		Msg: fmt.Sprintf(format, args...), Hint: hint, Warning: true})
}

// warnings are the file's warnings in position order, those that need the whole
// survey included.
func (d *surveyDecoder) warnings() Problems {
	d.checkChildren()
	d.checkTranslations()
	if len(d.warns) == 0 {
		return nil
	}
	out := Problems(slices.Clone(d.warns))
	out.sort()
	return out
}

// scaleDirectionHint is the tip on likert labels that run from agree to disagree.
const scaleDirectionHint = `Zet "Helemaal mee oneens" eerst en "Helemaal mee eens" laatst, zoals in elke andere vragenlijst. ` +
	"De bot toont de punten in de volgorde van het bestand, en de uitslag telt de laatste twee als (helemaal) mee eens."

// checkScaleDirection warns when a likert question's own labels run from agree to
// disagree: the first label says "eens" but not "oneens", or the last says "oneens".
func (d *surveyDecoder) checkScaleDirection(f *yamlFields, opts []Option) {
	if len(opts) != likertPoints {
		return
	}
	first, last := strings.ToLower(opts[0].Label), strings.ToLower(opts[len(opts)-1].Label)
	agreeFirst := strings.Contains(first, "eens") && !strings.Contains(first, "oneens")
	if !agreeFirst && !strings.Contains(last, "oneens") {
		return
	}
	d.warnf(f.val["labels"], scaleDirectionHint, "%sde labels lopen van eens naar oneens: eerst %q, als laatste %q",
		f.ctx, opts[0].Label, opts[len(opts)-1].Label)
}

// childrenHint is the tip on a survey that speaks to children.
const childrenHint = "Inwoners jonger dan 16 kunnen niet meedoen via de bot. Richt de vragen aan ouders " +
	"(‘Wat mist uw kind …’) of organiseer kinderparticipatie op een andere manier."

// The words of the children heuristic (checkChildren), lower case, compared with
// whole words.
var (
	// informalWords address the reader as je or jij. Municipalities write to adults
	// with u; some write je to everyone, so these alone say nothing.
	informalWords = []string{"je", "jij", "jou", "jouw", "jullie", "jezelf"}
	// childWords name a child's world: school, the playground, being a child.
	childWords = []string{"kind", "kinderen", "kids", "kinderraad", "kindergemeenteraad", "kinderburgemeester",
		"school", "basisschool", "schoolplein", "klas", "klasgenoten", "juf", "meester",
		"speeltuin", "speeltuinen", "speelplek", "speelplekken", "speelplaats", "ouders", "papa", "mama"}
)

// checkChildren warns, once, when the survey speaks to children. The heuristic, on
// the title, the texts of the participatiekaart and the questions:
//
//   - a text that asks the reader's age as one asks a child ("hoe oud ben je"), or
//   - a text that addresses the reader as je or jij and names a child's world
//     (childWords: kinderen, school, klas, juf, speeltuin, je ouders …), in the text
//     itself or in the title or participatiekaart.
//
// A text that speaks to parents ("Wat mist uw kind in de speeltuin?") is not one,
// and neither is one that says je to adults about adult matters. The warning stands
// at the first such text and counts the others.
func (d *surveyDecoder) checkChildren() {
	var context []string // child words of the title and the participatiekaart
	for _, t := range d.texts {
		if !strings.HasPrefix(t.where, "vraag ") {
			context = append(context, wordsIn(t.text, childWords)...)
		}
	}
	var first *readerText
	var why []string
	more := 0
	for i, t := range d.texts {
		words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(t.text), notLetter), " ") + " "
		var found []string
		if strings.Contains(words, " hoe oud ben je ") || strings.Contains(words, " hoe oud ben jij ") {
			found = []string{"hoe oud ben je"}
		} else if informal := wordsIn(t.text, informalWords); len(informal) > 0 {
			child := wordsIn(t.text, childWords)
			if len(child) == 0 {
				child = context
			}
			if len(child) > 0 {
				found = []string{informal[0], child[0]}
			}
		}
		switch {
		case len(found) == 0:
		case first == nil:
			first, why = &d.texts[i], found
		default:
			more++
		}
	}
	if first == nil {
		return
	}
	quoted := make([]string, len(why))
	for i, w := range why {
		quoted[i] = fmt.Sprintf("%q", w)
	}
	others := ""
	if more > 0 {
		others = " (en nog " + dutch.Plural(int64(more), "tekst", "teksten") + ")"
	}
	d.warnf(first.node, childrenHint, "%s lijkt zich tot kinderen te richten: %s%s", first.where, dutch.And(quoted), others)
}

// wordsIn are the words of list that text has as whole words, in the order of text,
// each once, lower case.
func wordsIn(text string, list []string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notLetter) {
		if slices.Contains(list, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// notLetter splits a text into words: letters (with diacritics) belong to a word,
// everything else is between words.
func notLetter(r rune) bool { return !unicode.IsLetter(r) }
