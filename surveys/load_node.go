package surveys

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"gopkg.in/yaml.v3"
)

// surveyDecoder walks the yaml.v3 node tree of one file and collects every problem with the
// position of the node it is about.
type surveyDecoder struct {
	file  string
	probs problemSet
	// language is the survey's, once read: the label of "Weet ik niet" follows it.
	// source is the same as a lang.Code: the language every text mapping must have.
	language string
	source   lang.Code
	// i18n are the texts residents read with their translations (load_i18n.go),
	// listed the languages under talen, qi the index of the question being read.
	i18n   []*i18nText
	listed []lang.Code
	qi     int
	// warns are the warnings of the file (see warnings.go), texts the texts residents
	// read with their nodes, for the warning on a survey that addresses children.
	warns []Problem
	texts []readerText
}

// yamlFields is a checked YAML mapping: its keys and values by name. ctx prefixes every
// message about it, e.g. "participatiekaart: " or "vraag \"q3\": "; sec is the kind
// of mapping, for the tips.
type yamlFields struct {
	node *yaml.Node
	ctx  string
	sec  *section
	key  map[string]*yaml.Node
	val  map[string]*yaml.Node
}

// mapping checks that n is a mapping whose keys are all fields of sec, reporting
// unknown (with a suggestion) and repeated keys. It returns nil if n is not a mapping.
func (d *surveyDecoder) mapping(n *yaml.Node, ctx string, sec *section) *yamlFields {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "Schrijf hier velden als naam: waarde, bijvoorbeeld: "+sec.shape,
			"%shier horen velden (naam: waarde), maar %s", ctx, nodeKind(n))
		return nil
	}
	f := &yamlFields{node: n, ctx: ctx, sec: sec, key: map[string]*yaml.Node{}, val: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		// A key can be an alias too (*k: …): its name is the anchor's value, its
		// position the alias's.
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		name := resolveAlias(k).Value
		switch {
		case !slices.Contains(sec.keys, name):
			hint := ""
			if d.probs.wants(k.Line, k.Column) {
				hint = suggestHint(name, sec.keys) + "Hier kunnen de velden " + dutch.And(sec.keys) + "."
			}
			d.errorf(k, hint, "%shet veld %q bestaat niet", ctx, name)
		case f.key[name] != nil:
			d.errorf(k, "Haal een van de twee weg: van twee velden met één naam telt er maar één.",
				"%shet veld %s staat er twee keer (eerst op regel %d)", ctx, name, f.key[name].Line)
		default:
			f.key[name], f.val[name] = k, v
		}
	}
	return f
}

// required returns the value of field name, reporting a missing field at the
// position of the mapping that lacks it.
func (d *surveyDecoder) required(f *yamlFields, name string) *yaml.Node {
	n := f.val[name]
	if n == nil {
		d.errorf(f.node, f.sec.missingHint(name), "%shet veld %s ontbreekt", f.ctx, name)
	}
	return n
}

// text returns the text of scalar field name. An absent or empty required field is a
// problem; maxLen > 0 bounds its length in characters.
func (d *surveyDecoder) text(f *yamlFields, name string, required bool, maxLen int) string {
	n := f.val[name]
	if n == nil {
		if required {
			d.required(f, name)
		}
		return ""
	}
	s, ok := d.scalar(f, name, n)
	if !ok {
		return ""
	}
	if s == "" && required {
		d.errorf(n, "Vul het in, bijvoorbeeld: "+f.sec.example(name), "%shet veld %s is leeg", f.ctx, name)
	}
	if c := utf8.RuneCountInString(s); maxLen > 0 && c > maxLen {
		d.errorf(n, "Maak de tekst korter. Meer uitleg kan op een webpagina waar de tekst naar verwijst.",
			"%s%s is te lang: %s tekens, hoogstens %s", f.ctx, name, dutch.Int(int64(c)), dutch.Int(int64(maxLen)))
	}
	return s
}

// scalar returns the value of a scalar node, reporting anything else.
func (d *surveyDecoder) scalar(f *yamlFields, name string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "Schrijf de waarde achter de dubbele punt, bijvoorbeeld: "+f.sec.example(name),
			"%shet veld %s hoort één waarde te zijn, maar %s", f.ctx, name, nodeKind(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

// integer returns the value of integer field name and whether it was given and valid.
func (d *surveyDecoder) integer(f *yamlFields, name string) (int, bool) {
	n := f.val[name]
	if n == nil {
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		d.errorf(n, "Schrijf een getal in cijfers, zonder aanhalingstekens, bijvoorbeeld: "+f.sec.example(name),
			"%shet veld %s hoort een heel getal te zijn, maar %s", f.ctx, name, nodeDesc(n))
		return 0, false
	}
	return v, true
}

// boolean returns the value of boolean field name, false when absent.
func (d *surveyDecoder) boolean(f *yamlFields, name string) bool {
	n := f.val[name]
	if n == nil {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, "Schrijf true (ja) of false (nee), zonder aanhalingstekens, bijvoorbeeld: "+name+": true",
			"%shet veld %s hoort true of false te zijn, maar %s", f.ctx, name, nodeDesc(n))
		return false
	}
	v, _ := strconv.ParseBool(n.Value)
	return v
}

// sequence returns the items of sequence field name, reporting anything else.
func (d *surveyDecoder) sequence(f *yamlFields, name string) ([]*yaml.Node, bool) {
	n := f.val[name]
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		// "options: Ja, Nee" is a list without its brackets
		example := f.sec.example(name)
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, ",") && len(n.Value) <= limQuoted &&
			!strings.ContainsAny(n.Value, "[]{}\n") {
			example = name + ": [" + n.Value + "]"
		}
		d.errorf(n, "Zet de waarden tussen [ en ], met komma's ertussen, bijvoorbeeld: "+example,
			"%shet veld %s hoort een lijst te zijn, maar %s", f.ctx, name, nodeKind(n))
		return nil, false
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = resolveAlias(c)
	}
	return items, true
}

// clipID shortens an id quoted in the context of messages ("vraag \"…\": "),
// which must leave room for the rest of the message.
func clipID(s string) string { return cutRunes(s, limSurveyID) }

// resolveAlias follows YAML aliases (*name) to the anchored node.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// nodeKind says what stands at n, for a message that ends "…, maar er staat een lijst".
func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "er staan velden (naam: waarde)"
	case yaml.SequenceNode:
		return "er staat een lijst"
	case yaml.ScalarNode:
		return fmt.Sprintf("er staat %q", clipValue(n.Value))
	}
	return "er staat niets"
}

// nodeDesc is nodeKind, with an empty value (name: and nothing after it) as nothing.
func nodeDesc(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return "er staat niets"
	}
	return nodeKind(n)
}

// didYouMean returns the closest of known when it is a likely typo of s, else "".
func didYouMean(s string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		// The distance is at least the difference in length, so a long s (up to
		// limScalarChars) is never compared character by character.
		if d := len(s) - len(k); d > 2*utf8.UTFMax || d < -2*utf8.UTFMax {
			continue
		}
		if dist := editDistance(s, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	limit := 2
	if utf8.RuneCountInString(best) <= 4 {
		limit = 1
	}
	if best == "" || bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions, deletions,
// substitutions and swaps of two neighbouring characters each count one.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
