package surveys

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"gopkg.in/yaml.v3"
)

// i18nText is a text residents read, as the file gives it: in the source language and
// its translations, with where it stands for messages and where it goes in a Survey.
type i18nText struct {
	ctx, field string     // "vraag \"q1\": " and "text", for messages
	node       *yaml.Node // the value in the file; nil for a text the loader adds
	source     string
	tr         map[lang.Code]string // the translations, not the source; no empty ones
	at         func(*Survey) *string
	// label is, for a kort, its option's label: a kort without a translation is
	// left out where the label has one (see translated).
	label *i18nText
	// item is set for a text that is a list item by itself (an option "- Ja").
	item bool
}

// codeList is the supported language codes, for the tips.
func codeList() string {
	var codes []string
	for _, c := range lang.Supported {
		codes = append(codes, fmt.Sprintf("%s (%s)", c, languageNoun[c]))
	}
	return dutch.Or(codes)
}

// The languages in Dutch: the noun ("Engels") and the adjective ("Engelse").
var (
	languageNoun = map[lang.Code]string{lang.NL: "Nederlands", lang.EN: "Engels", lang.AR: "Arabisch",
		lang.TR: "Turks", lang.PL: "Pools", lang.UK: "Oekraïens"}
	languageAdj = map[lang.Code]string{lang.NL: "Nederlandse", lang.EN: "Engelse", lang.AR: "Arabische",
		lang.TR: "Turkse", lang.PL: "Poolse", lang.UK: "Oekraïense"}
)

// langCode reads a language code of the file (a key of a text mapping, an item of
// talen), reporting one that is not supported. Only the exact code counts: "EN" or
// "en-GB" is reported with the code to write instead.
func (d *surveyDecoder) langCode(n *yaml.Node, ctx string) (lang.Code, bool) {
	c := lang.Code(n.Value)
	if n.Kind == yaml.ScalarNode && slices.Contains(lang.Supported, c) {
		return c, true
	}
	hint := "Kies " + codeList() + "."
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, hint, "%shier hoort een taalcode, maar %s", ctx, nodeKind(n))
		return "", false
	}
	if p, ok := lang.Parse(n.Value); ok {
		hint = "Bedoelt u " + string(p) + "? " + hint
	}
	d.errorf(n, hint, "%sde taal %q wordt niet ondersteund", ctx, n.Value)
	return "", false
}

// isLangMap reports whether n is a mapping of texts per language rather than the
// fields of an option or likert point (keys): it has no key of keys, and its first
// key looks like a language code.
func isLangMap(n *yaml.Node, keys []string) bool {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
		return false
	}
	for i := 0; i < len(n.Content); i += 2 {
		if slices.Contains(keys, resolveAlias(n.Content[i]).Value) {
			return false
		}
	}
	_, ok := lang.Parse(resolveAlias(n.Content[0]).Value)
	return ok
}

// textIn reads text field name of f as text does, in either form: a plain string in
// the source language, or a mapping from language code to text. It returns the
// source text and records the text with its translations for the survey's copies;
// at is where the text goes in a Survey.
func (d *surveyDecoder) textIn(f *yamlFields, name string, required bool, maxLen int, at func(*Survey) *string) string {
	n := f.val[name]
	if n == nil || n.Kind != yaml.MappingNode {
		s := d.text(f, name, required, maxLen)
		if t := d.addText(f.ctx, name, n, s, nil, at); t != nil {
			t.item = f.node == n
		}
		return s
	}
	texts, nodes := d.langTexts(f, name)
	if nodes[d.source] == nil {
		if required {
			d.errorf(n, d.sourceHint(name), "%sde %s tekst (%s) van %s ontbreekt", f.ctx, languageAdj[d.source], d.source, name)
		}
		return ""
	}
	// The source text is checked as a plain string is (empty, too long), and each
	// translation against the same bound.
	src := d.text(d.only(f, name, nodes[d.source]), name, required, maxLen)
	tr := map[lang.Code]string{}
	for c, text := range texts {
		if c == d.source {
			continue
		}
		if cnt := utf8.RuneCountInString(text); maxLen > 0 && cnt > maxLen {
			d.errorf(nodes[c], "Maak de vertaling korter. Meer uitleg kan op een webpagina waar de tekst naar verwijst.",
				"%s%s (%s) is te lang: %s tekens, hoogstens %s", f.ctx, name, c, dutch.Int(int64(cnt)), dutch.Int(int64(maxLen)))
		}
		if strings.TrimSpace(text) != "" {
			tr[c] = text
		}
	}
	if t := d.addText(f.ctx, name, n, src, tr, at); t != nil {
		t.item = f.node == n
	}
	return src
}

// shortIn reads an option's kort as short does, in either form (see textIn); label
// is the option's label as recorded.
func (d *surveyDecoder) shortIn(f *yamlFields, label *i18nText, at func(*Survey) *string) string {
	n := f.val["kort"]
	if n == nil || n.Kind != yaml.MappingNode {
		s := d.short(f)
		if t := d.addText(f.ctx, "kort", n, s, nil, at); t != nil {
			t.label = label
		}
		return s
	}
	texts, nodes := d.langTexts(f, "kort")
	if nodes[d.source] == nil {
		d.errorf(n, d.sourceHint("kort"), "%sde %s tekst (%s) van kort ontbreekt", f.ctx, languageAdj[d.source], d.source)
		return ""
	}
	src := d.short(d.only(f, "kort", nodes[d.source]))
	tr := map[lang.Code]string{}
	for c := range texts {
		if c == d.source {
			continue
		}
		if v := d.short(d.only(f, "kort", nodes[c])); v != "" {
			tr[c] = v
		}
	}
	if t := d.addText(f.ctx, "kort", n, src, tr, at); t != nil {
		t.label = label
	}
	return src
}

// only is f with field name standing for node v alone, to check one text of a text
// mapping as the field itself is checked.
func (d *surveyDecoder) only(f *yamlFields, name string, v *yaml.Node) *yamlFields {
	return &yamlFields{node: f.node, ctx: f.ctx, sec: f.sec, key: f.key, val: map[string]*yaml.Node{name: v}}
}

// sourceHint is the tip on a text mapping without the source language.
func (d *surveyDecoder) sourceHint(name string) string {
	return fmt.Sprintf("Elke tekst staat er in het %s, met de vertalingen erbij, bijvoorbeeld: %s: {%s: \"…\", en: \"…\"}",
		languageNoun[d.source], name, d.source)
}

// langTexts reads the mapping of field name: its texts by language code, and their
// nodes, reporting an unknown code, a language given twice and a value that is not
// one text.
func (d *surveyDecoder) langTexts(f *yamlFields, name string) (map[lang.Code]string, map[lang.Code]*yaml.Node) {
	n := f.val[name]
	texts, nodes := map[lang.Code]string{}, map[lang.Code]*yaml.Node{}
	keys := map[lang.Code]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		c, ok := d.langCode(resolveAlias(k), fmt.Sprintf("%s%s: ", f.ctx, name))
		if !ok {
			continue
		}
		if first := keys[c]; first != nil {
			d.errorf(k, "Haal een van de twee weg: van twee teksten in één taal telt er maar één.",
				"%s%s: de taal %s staat er twee keer (eerst op regel %d)", f.ctx, name, c, first.Line)
			continue
		}
		keys[c] = k
		if v.Kind != yaml.ScalarNode {
			d.errorf(v, fmt.Sprintf("Schrijf de tekst achter de taalcode, bijvoorbeeld: %s: {%s: \"…\", %s: \"…\"}", name, d.source, c),
				"%s%s (%s) hoort één tekst te zijn, maar %s", f.ctx, name, c, nodeKind(v))
			continue
		}
		texts[c], nodes[c] = v.Value, v
		if v.Tag == "!!null" {
			texts[c] = ""
		}
	}
	return texts, nodes
}

// addText records a text of the file with its translations.
func (d *surveyDecoder) addText(ctx, field string, n *yaml.Node, src string, tr map[lang.Code]string, at func(*Survey) *string) *i18nText {
	if n == nil || src == "" {
		return nil
	}
	t := &i18nText{ctx: ctx, field: field, node: n, source: src, tr: tr, at: at}
	d.i18n = append(d.i18n, t)
	return t
}

// addBuiltin records a text the loader adds (a default likert label, "Weet ik
// niet", the procesevaluatie) with its translations.
func (d *surveyDecoder) addBuiltin(t builtinTexts, at func(*Survey) *string) {
	d.i18n = append(d.i18n, &i18nText{tr: t.others(d.source), at: at})
}

// talen reads the explicit list of languages the survey is offered in (talen:
// [en, ar]), besides those its texts have.
func (d *surveyDecoder) talen(f *yamlFields) {
	items, _ := d.sequence(f, "talen")
	seen := map[lang.Code]*yaml.Node{}
	for _, n := range items {
		c, ok := d.langCode(n, "talen: ")
		if !ok {
			continue
		}
		if first := seen[c]; first != nil {
			d.errorf(n, "Haal een van de twee weg: elke taal staat er één keer.",
				"talen: de taal %s staat er twee keer (eerst op regel %d)", c, first.Line)
			continue
		}
		seen[c] = n
		d.listed = append(d.listed, c)
	}
}

// offered is the languages of the survey: the source, then each language listed
// under talen or found in a text of the file, in the order of lang.Supported.
func (d *surveyDecoder) offered() []lang.Code {
	has := map[lang.Code]bool{}
	for _, c := range d.listed {
		has[c] = true
	}
	for _, t := range d.i18n {
		if t.node == nil {
			continue
		}
		for c := range t.tr {
			has[c] = true
		}
	}
	out := []lang.Code{d.source}
	for _, c := range lang.Supported {
		if c != d.source && has[c] {
			out = append(out, c)
		}
	}
	return out
}

// translate makes the copies of s in every language it is offered in but its
// source, for Survey.In.
func (d *surveyDecoder) translate(s *Survey) {
	tr := &translations{source: d.source, offered: d.offered(), by: map[lang.Code]*Survey{d.source: s}}
	s.tr = tr
	for _, c := range tr.offered[1:] {
		tr.by[c] = translated(s, c, d.i18n)
	}
}

// translationHint is the tip on a text without a translation into c.
func (d *surveyDecoder) translationHint(t *i18nText, c lang.Code) string {
	example := fmt.Sprintf("{%s: %q, %s: \"…\"}", d.source, cutRunes(t.source, 40), c)
	if t.item {
		example = "- " + example
	} else {
		example = t.field + ": " + example
	}
	return fmt.Sprintf("Zet de %s vertaling bij de tekst, bijvoorbeeld: %s. Tot die er is, lezen inwoners die %s kiezen hier de %s tekst.",
		languageAdj[c], example, languageNoun[c], languageAdj[d.source])
}

// checkTranslations warns, for each language the survey is offered in, about each
// text of the file that has no translation into it: one warning per text and
// language, at the text. The survey works (residents read the source text there),
// so it is a warning and not a problem.
//
// A file lists at most limProblems of them, in position order; the last one listed then
// says how many more there are, as a list of problems does.
func (d *surveyDecoder) checkTranslations() {
	type missing struct {
		t *i18nText
		c lang.Code
	}
	offered := d.offered()
	var all []missing
	for _, t := range d.i18n {
		if t.node == nil {
			continue
		}
		for _, c := range offered[1:] {
			if _, ok := t.tr[c]; !ok {
				all = append(all, missing{t, c})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b missing) int {
		if a.t.node.Line != b.t.node.Line {
			return a.t.node.Line - b.t.node.Line
		}
		return a.t.node.Column - b.t.node.Column
	})
	for i, m := range all {
		if i == limProblems {
			more := len(all) - limProblems
			d.warns = append(d.warns, Problem{File: d.file, Line: m.t.node.Line, Col: m.t.node.Column, Warning: true, More: more,
				Msg:  "… en nog " + dutch.Plural(int64(more), "ontbrekende vertaling", "ontbrekende vertalingen"),
				Hint: "Vertaal de teksten hierboven, of haal de talen die nog niet af zijn weg uit talen en uit de teksten."})
			break
		}
		t, c := m.t, m.c
		d.warnf(t.node, d.translationHint(t, c), "%sde %s vertaling (%s) van %s ontbreekt", t.ctx, languageAdj[c], c, t.field)
	}
}

// lastText is the text recorded last, when it is the one at node n; nil otherwise.
func (d *surveyDecoder) lastText(n *yaml.Node) *i18nText {
	if n == nil || len(d.i18n) == 0 {
		return nil
	}
	if t := d.i18n[len(d.i18n)-1]; t.node == n {
		return t
	}
	return nil
}

// checkTranslatedLabels reports two options of a question (or points of a likert)
// whose translations into one language are the same: residents of that language could
// not tell them apart. texts are the options' labels as recorded (nil: none); item
// names an option in messages ("optie", "label").
func (d *surveyDecoder) checkTranslatedLabels(ctx, item string, texts []*i18nText) {
	for _, c := range lang.Supported {
		first := map[string]int{}
		for i, t := range texts {
			if t == nil {
				continue
			}
			v, ok := t.tr[c]
			if !ok {
				continue
			}
			if k, dup := first[v]; dup {
				d.errorf(t.node, "Twee keuzes met dezelfde tekst zijn niet uit elkaar te houden. Maak de vertalingen verschillend.",
					"%s%s %d: de %s tekst (%s) %q staat ook bij %s %d", ctx, item, i+1, languageAdj[c], c, v, item, k+1)
				continue
			}
			first[v] = i
		}
	}
}
