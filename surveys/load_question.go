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
		"labels", "options", "min", "max", "max_length", "category", "triads", "pool"}
	yamlCommonQuestionKeys = []string{"id", "type", "text", "optional"}
	yamlTypeKeys           = map[QuestionType][]string{
		Single:       {"options"},
		Multiple:     {"options", "min", "max"},
		Likert:       {"labels"},
		Rating:       {},
		Open:         {"max_length", "category"},
		WieVanDeDrie: {"triads", "pool"},
	}
	questionTypeNames = []string{string(Single), string(Multiple), string(Likert),
		string(Rating), string(Open), string(WieVanDeDrie)}
)

// questions decodes the list of questions: 1 to limQuestions, ids unique.
func (d *surveyDecoder) questions(n *yaml.Node) []Question {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "questions: want a list of questions, got %s", nodeDesc(n))
		return nil
	}
	if len(n.Content) == 0 {
		d.errorf(n, "questions: no questions, a survey needs at least 1")
		return nil
	}
	items := n.Content
	if len(items) > limQuestions {
		d.errorf(items[limQuestions], "questions: too many questions: %d, max %d", len(items), limQuestions)
		// The questions past the limit are not checked: each costs time, and a
		// hostile file can list thousands of aliases of one question.
		items = items[:limQuestions]
	}
	var out []Question
	seen := map[string]*yaml.Node{}
	for i, qn := range items {
		q, idNode := d.question(i, resolveAlias(qn))
		if q.ID != "" && idNode != nil {
			if first := seen[q.ID]; first != nil {
				d.errorf(idNode, "duplicate question id %q, first at line %d", q.ID, first.Line)
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
	ctx := fmt.Sprintf("question %d: ", i+1)
	if m := d.silentMapping(n); m != nil && m["id"] != nil && m["id"].Kind == yaml.ScalarNode && m["id"].Value != "" {
		ctx = fmt.Sprintf("question %q: ", clipID(m["id"].Value))
	}
	f := d.mapping(n, ctx, yamlQuestionKeys)
	if f == nil {
		return Question{}, nil
	}
	q := Question{
		ID:       d.text(f, "id", true, 0),
		Type:     QuestionType(d.text(f, "type", true, 0)),
		Text:     d.text(f, "text", true, limQuestionText),
		Optional: d.boolean(f, "optional"),
	}
	if q.ID != "" && !validKeyID(q.ID) {
		d.errorf(f.val["id"], "%sbad id %q: use lowercase letters a-z, digits, \"_\" and \"-\", at most %d characters",
			ctx, q.ID, limKeyID)
	}
	if q.Type == "" {
		return q, f.val["id"]
	}
	allowed, known := yamlTypeKeys[q.Type]
	if !known {
		d.errorf(f.val["type"], "%sunknown type %q%s; want one of %s",
			ctx, q.Type, didYouMean(string(q.Type), questionTypeNames), strings.Join(questionTypeNames, ", "))
		return q, f.val["id"]
	}
	for name, k := range f.key {
		if !slices.Contains(yamlCommonQuestionKeys, name) && !slices.Contains(allowed, name) {
			d.errorf(k, "%sfield %q is not allowed for a %s question", ctx, name, q.Type)
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
	what := "options"
	if name == "pool" {
		what = "options in the pool"
	}
	switch {
	case len(items) < lo:
		d.errorf(f.val[name], "%sneed at least %d %s, got %d", f.ctx, lo, what, len(items))
	case len(items) > hi:
		d.errorf(items[hi], "%stoo many %s: %d, max %d", f.ctx, what, len(items), hi)
		// As with questions, the options past the limit are not checked.
		items = items[:hi]
	}
	opts := make([]Option, len(items))
	korts := make([]*yaml.Node, len(items))
	ids := map[string]*yaml.Node{}
	labels := map[string]*yaml.Node{}
	for i, n := range items {
		o, of := d.option(f.ctx+fmt.Sprintf("option %d: ", i+1), n)
		var idNode *yaml.Node
		if of != nil {
			idNode, korts[i] = of.val["id"], of.val["kort"]
		}
		if o.ID != "" {
			if first := ids[o.ID]; first != nil {
				d.errorf(idNode, "%sduplicate option id %q, first at line %d", f.ctx, o.ID, first.Line)
			}
			ids[o.ID] = idNode
		}
		if o.Label != "" {
			if first := labels[o.Label]; first != nil {
				d.errorf(n, "%sduplicate option %q, first at line %d", f.ctx, o.Label, first.Line)
			}
			labels[o.Label] = n
		}
		opts[i] = o
	}
	d.checkShortLabels(f.ctx, "option", opts, korts)
	assignSlugs(opts)
	return opts
}

var yamlOptionKeys = []string{"id", "label", "kort"}

// option decodes one option, a label alone or a mapping {id, label, kort}, and returns
// it with its fields (nil when it is neither). A label alone leaves the id empty for
// assignSlugs.
func (d *surveyDecoder) option(ctx string, n *yaml.Node) (Option, *yamlFields) {
	var f *yamlFields
	if n.Kind == yaml.ScalarNode {
		f = &yamlFields{node: n, ctx: ctx, val: map[string]*yaml.Node{"label": n}}
	} else if f = d.mapping(n, ctx, yamlOptionKeys); f == nil {
		return Option{}, nil
	}
	o := Option{
		ID:    d.text(f, "id", false, 0),
		Label: d.text(f, "label", true, limLabel),
		Short: d.short(f),
	}
	if o.ID != "" && !validKeyID(o.ID) {
		d.errorf(f.val["id"], "%sbad option id %q: use lowercase letters a-z, digits, \"_\" and \"-\", at most %d characters",
			ctx, o.ID, limKeyID)
		o.ID = ""
	}
	return o, f
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
		d.errorf(n, "%skort too long: %d characters, max %d (the width of a WhatsApp button)", f.ctx, c, MaxShortLen)
		return ""
	}
	return s
}

// checkShortLabels reports a kort that is also the button text (kort or label) of
// another option of the question: residents could not tell the two buttons apart, and
// WhatsApp refuses a message with two buttons of one title. korts are the options'
// kort nodes (nil: none); item names an option in messages ("option", "label"). Two
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
			d.errorf(korts[i], "%s%s %d: kort %q is also the button text of %s %d", ctx, item, i+1, o.Short, item, k+1)
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
