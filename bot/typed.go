package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Typed answers: whatever a button does, typing it does too. A resident who types
// "8" on a rating, "zeven", an option's label ("helemaal mee eens", "Ja"), or a word
// for a command ("stop", "hulp", "hoe werkt dit?") is understood; what does not fit
// the question gets a short reason and the question again.

// commandWords are the words residents type for the engine's commands, as fold
// writes them.
var commandWords = map[string]string{
	"start": "start", "begin": "start", "beginnen": "start", "deelnemen": "start", "meedoen": "start",
	"aanmelden": "start", "hallo": "start", "hoi": "start", "hi": "start", "hello": "start",
	"status": "status", "waar was ik": "status",
	"stop": "stop", "stoppen": "stop", "afmelden": "stop", "ik wil stoppen": "stop",
	"hulp": "hulp", "help": "hulp", "uitleg": "hulp", "hoe werkt dit": "hulp", "?": "hulp",
	"mijn gegevens": "mijngegevens", "mijngegevens": "mijngegevens",
	"vergeet mij": "vergeetmij", "vergeetmij": "vergeetmij",
}

// CommandWord reads a text that is a command typed as a word ("Stop", "/status",
// "mijn gegevens!", "Hoe werkt dit?"): the engine's command name, false for other text.
func CommandWord(text string) (string, bool) {
	if len(text) > 40 {
		return "", false
	}
	if strings.TrimSpace(text) == "?" {
		return "hulp", true
	}
	cmd, ok := commandWords[fold(strings.TrimPrefix(strings.TrimSpace(text), "/"))]
	return cmd, ok
}

// fold is text as typed answers are compared: lower case, diacritics gone, no
// punctuation around it, single spaces inside.
func fold(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		if s, ok := dutch.Fold(r); ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	t := strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) })
	return strings.Join(strings.Fields(t), " ")
}

// numberWords are the numbers a resident may write out on a rating.
var numberWords = map[string]int{"nul": 0, "een": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
	"zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10}

// typedNumber reads "8", "8.", "een 8", "zeven".
func typedNumber(t string) (int, bool) {
	t = strings.TrimPrefix(t, "een ")
	if n, ok := numberWords[t]; ok {
		return n, true
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// matchOption finds the option of opts that the typed text names: its label or kort
// (folded), its number where the options are listed with numbers (or on a rating,
// where the labels are the numbers), or the one option whose label starts with the
// text as a whole word ("ja" for "Ja, vaak"). -1 when none or several fit.
func matchOption(q surveys.Question, opts []surveys.Option, text string) int {
	t := fold(text)
	if t == "" {
		return -1
	}
	for i, o := range opts {
		if fold(o.Label) == t || o.Short != "" && fold(o.Short) == t {
			return i
		}
	}
	if n, ok := typedNumber(t); ok {
		switch {
		case q.Type == surveys.Rating:
			for i, o := range opts {
				if o.Label == strconv.Itoa(n) {
					return i
				}
			}
		case needsNumbers(opts) || q.Type == surveys.WieVanDeDrie:
			if n >= 1 && n <= len(opts) {
				return n - 1
			}
		}
		return -1
	}
	found := -1
	for i, o := range opts {
		l := fold(o.Label)
		if strings.HasPrefix(l, t) && (len(l) == len(t) || !unicode.IsLetter(rune(l[len(t)]))) {
			if found >= 0 {
				return -1 // "mee eens" and "mee eens, een beetje": say which
			}
			found = i
		}
	}
	return found
}

// typedAnswer takes a text as the answer to the choice question being asked: false
// when the resident is not answering a question now.
func (rc *roundConv) typedAnswer(ctx context.Context) (bool, error) {
	c := rc.conv
	if rc.r.State != storage.Opened || !rc.ss.Exists || rc.ss.Pos >= len(rc.s.Questions) {
		return false, nil
	}
	if c.ev.UpdateID != "" && rc.ss.Update == c.ev.UpdateID {
		return true, nil // handled fully before a crash
	}
	// the text is a new message, not a button: there is no question message to edit
	rc.ev.MessageRef = ""
	qi, sub := rc.ss.Pos, rc.ss.Sub
	q := rc.s.Questions[qi]
	t := fold(c.ev.Text)
	switch {
	case q.Optional && (t == "overslaan" || t == "sla over"):
		return true, rc.skip(ctx, q, qi)
	case (t == "vorige" || t == "terug") && (qi > 0 || sub > 0):
		return true, rc.back(ctx, qi, sub)
	}
	switch q.Type {
	case surveys.Single, surveys.Likert, surveys.Rating:
		if i := matchOption(q, q.Options, c.ev.Text); i >= 0 {
			return true, rc.pick(ctx, q, qi, i)
		}
	case surveys.Multiple:
		if t == "klaar" {
			return true, rc.done(ctx, q, qi)
		}
		if i := matchOption(q, q.Options, c.ev.Text); i >= 0 {
			on := 1
			if slices.Contains(rc.selection(q), q.Options[i].ID) {
				on = 0
			}
			return true, rc.toggle(ctx, q, qi, i, on)
		}
	case surveys.WieVanDeDrie:
		tr, err := rc.triad(ctx, q, sub)
		if err != nil {
			return true, err
		}
		opts := make([]surveys.Option, 0, 3)
		for _, id := range tr {
			o, _ := optionByID(q, id)
			opts = append(opts, o)
		}
		if k := matchOption(q, opts, c.ev.Text); k >= 0 {
			return true, rc.recordTriad(ctx, q, qi, sub, tr, k)
		}
	default:
		return false, nil
	}
	if err := rc.sayText(ctx, misfit(q)); err != nil {
		return true, err
	}
	return true, rc.present(ctx)
}

// misfit says why a typed text did not answer q, and how it would.
func misfit(q surveys.Question) string {
	switch q.Type {
	case surveys.Rating:
		return "Dat antwoord past niet bij deze vraag. Typ een cijfer van 1 tot 10, of tik op een knop."
	case surveys.Multiple:
		return "Dat antwoord past niet bij deze vraag. Typ een van de antwoorden om het aan of uit te vinken, en ‘klaar’ als u klaar bent. Of tik op de knoppen."
	case surveys.WieVanDeDrie:
		return "Dat antwoord past niet bij deze vraag. Typ 1, 2 of 3, of een van de drie, of tik op een knop."
	}
	return "Dat antwoord past niet bij deze vraag. Typ een van de antwoorden, of tik op een knop."
}
