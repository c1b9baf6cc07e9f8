package surveys

import (
	"fmt"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"gopkg.in/yaml.v3"
)

// Bounds on what one survey file may cost to check. yaml.v3 keeps an alias (*name) as
// one node pointing at its anchor (&name), so a file of a few kilobytes can stand for
// billions of nodes ("billion laughs"), and every walk that follows aliases pays for
// the expansion. yaml.v3 only guards decoding into Go values ("excessive aliasing"),
// not a walk over yaml.Node, so checkBounds measures the file before the decoder
// walks it. Each limit is far above what a real municipal survey needs and far below
// what costs noticeable time or memory; a file past one gets one problem at the node
// where it went past and is not checked further.
// MaxFileSize is the largest survey file Parse reads (see limFileBytes).
const MaxFileSize = 64 << 10

const (
	// limFileBytes bounds the file itself, before yaml.v3 parses it. The parse
	// costs up to about 360 bytes of memory per byte of a dense file (a flow
	// mapping of one-letter keys, each with a comment: "{a,#⏎a,#⏎…"), so 64 KiB
	// cost at most about 25 MB. The example surveys are about 3 KB for a dozen
	// questions, so a real survey of 50 questions stays well under it. The dashboard
	// takes uploads up to the same size (MaxFileSize).
	limFileBytes = MaxFileSize
	// limNodes bounds the nodes of the file with every alias expanded. Within the
	// other limits a survey has at most about 26,000: 50 questions with a pool of 100
	// options written as {id, label}; the examples have a few hundred.
	limNodes = 50_000
	// limTextBytes bounds the text of all scalars with every alias expanded. Within
	// the other limits about 1 MB: 50 questions of 1,000 characters, with 100 labels
	// of 200 characters each.
	limTextBytes = 4 << 20
	// limDepth bounds nesting. A survey nests 6 levels: survey, questions,
	// question, options, option, label.
	limDepth = 20
	// limScalarChars bounds one text. The longest a survey allows is 1,000
	// characters (limCardText, limQuestionText); texts up to this bound get the
	// precise "too long" message of their field.
	limScalarChars = 5_000
)

// depthHint is the tip on a file nested too deep.
const depthHint = "Een vragenlijst heeft hoogstens 6 niveaus: vragenlijst, questions, vraag, options, keuze en label. " +
	"Kijk of er haakjes [ of { niet gesloten zijn, of het inspringen te ver gaat."

// extent is the size of a node with its aliases expanded.
type extent struct {
	nodes, text, height int
}

// boundsChecker measures a node tree in document order, charging every alias the
// expanded size of its anchor.
type boundsChecker struct {
	d *surveyDecoder
	// nodes and text are the expanded size of the document up to the current node.
	nodes, text int
	// aliased records that an alias was expanded before the current node.
	aliased bool
	// anchors holds the extent of every anchored node already measured. An alias
	// always follows its anchor in the document (yaml.v3 refuses "unknown anchor"),
	// so the only anchor not in it is one the alias sits inside: a cycle.
	anchors map[*yaml.Node]extent
	// stopped is set at the first structural problem; nothing further is charged.
	stopped bool
}

// checkBounds reports a file that is too big, too deep, too long or expands to too
// much. It returns false when the file must not be walked further.
func (d *surveyDecoder) checkBounds(root *yaml.Node) bool {
	before := d.probs.total
	b := &boundsChecker{d: d, anchors: map[*yaml.Node]extent{}}
	b.walk(root, 1)
	return d.probs.total == before
}

// walk measures n at the given depth (the top-level node is at depth 1).
func (b *boundsChecker) walk(n *yaml.Node, depth int) extent {
	if b.stopped {
		return extent{}
	}
	if n.Kind == yaml.AliasNode {
		return b.alias(n, depth)
	}
	if depth > limDepth {
		b.d.errorf(n, depthHint, "te diep genest: meer dan %d niveaus", limDepth)
		b.stopped = true
		return extent{}
	}
	if n.Kind == yaml.ScalarNode && len(n.Value) > limScalarChars {
		if c := utf8.RuneCountInString(n.Value); c > limScalarChars {
			b.d.errorf(n, fmt.Sprintf("Een tekst in een vragenlijst heeft hoogstens %s tekens. Maak hem korter, of verwijs naar een webpagina.", dutch.Int(limCardText)),
				"deze tekst is met %s tekens te lang", dutch.Int(int64(c)))
		}
	}
	own := extent{nodes: 1, text: len(n.Value), height: 1}
	if !b.charge(n, own) {
		return extent{}
	}
	e := own
	for _, c := range n.Content {
		ce := b.walk(c, depth+1)
		if b.stopped {
			return extent{}
		}
		e.nodes += ce.nodes
		e.text += ce.text
		e.height = max(e.height, 1+ce.height)
	}
	if n.Anchor != "" {
		b.anchors[n] = e
	}
	return e
}

// alias charges an alias the expanded size of its anchor.
func (b *boundsChecker) alias(n *yaml.Node, depth int) extent {
	e, ok := b.anchors[n.Alias]
	if n.Alias == nil || !ok {
		b.d.errorf(n, "Zet *"+clipValue(n.Value)+" buiten het deel dat met &"+clipValue(n.Value)+" begint, of schrijf de waarde hier uit.",
			"verwijzing naar zichzelf: de YAML-alias *%s staat binnen het anker &%s en kan niet worden uitgepakt", n.Value, n.Value)
		b.stopped = true
		return extent{}
	}
	if depth-1+e.height > limDepth {
		b.d.errorf(n, depthHint, "te diep genest: uitgepakt gaat deze verwijzing (YAML-alias *%s) meer dan %d niveaus diep", n.Value, limDepth)
		b.stopped = true
		return extent{}
	}
	if !b.charge(n, e) {
		return extent{}
	}
	b.aliased = true
	return e
}

// charge adds e to the expanded size of the document, reporting at n when that goes
// past a limit.
func (b *boundsChecker) charge(n *yaml.Node, e extent) bool {
	b.nodes += e.nodes
	b.text += e.text
	var over, hint string
	switch {
	case b.nodes > limNodes:
		over = fmt.Sprintf("meer dan %s onderdelen (YAML-knopen)", dutch.Int(limNodes))
		hint = "Een vragenlijst heeft er hoogstens enkele duizenden."
	case b.text > limTextBytes:
		over = fmt.Sprintf("meer dan %d MB tekst", limTextBytes>>20)
		hint = "Een vragenlijst heeft hoogstens enkele honderden kB tekst."
	default:
		return true
	}
	switch {
	case n.Kind == yaml.AliasNode:
		b.d.errorf(n, hint+" Gebruik minder verwijzingen (*naam), of schrijf de waarden uit.",
			"te veel verwijzingen (YAML-aliassen): uitgepakt zou dit bestand %s bevatten", over)
	case b.aliased:
		b.d.errorf(n, hint+" Gebruik minder verwijzingen (*naam), of verdeel de vragen over twee vragenlijsten.",
			"dit bestand is te groot: met de YAML-aliassen uitgepakt bevat het %s", over)
	default:
		b.d.errorf(n, hint+" Verdeel de vragen over twee vragenlijsten.", "dit bestand is te groot: het bevat %s", over)
	}
	b.stopped = true
	return false
}
