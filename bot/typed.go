package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Typed answers: whatever a button does, typing it does too. A resident who types
// "8" on a rating, "zeven", an option's label ("helemaal mee eens", "Ja"), or a word
// for a command ("stop", "hulp", "hoe werkt dit?") is understood; what does not fit
// the question gets a short reason and the question again.

// commandIDs are the engine's commands residents may type as a word, by the
// catalogue text that lists the words for it ("words_stop": "stop, stoppen, …").
var commandIDs = map[string]string{
	"start": "words_start", "status": "words_status", "stop": "words_stop", "hulp": "words_help",
	"mijngegevens": "words_mydata", "vergeetmij": "words_forget", "taal": "lang.words",
}

// wordSets are the catalogue's lists of words, read once per language and id and
// folded (fold): the words a resident may type for a command or an instruction.
var wordSets sync.Map // [2]string{code, id} → map[string]bool

// words is the set of words the catalogue text id lists in language c (a comma-
// separated list), folded.
func words(c lang.Code, id string) map[string]bool {
	k := [2]string{string(c), id}
	if m, ok := wordSets.Load(k); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for _, w := range strings.Split(lang.For(c, false).T(id), ",") {
		if w = fold(w); w != "" {
			m[w] = true
		}
	}
	wordSets.Store(k, m)
	return m
}

// isWord reports whether the folded text t is one of the words of catalogue text id,
// in Dutch or in language c: Dutch words are understood in every language.
func isWord(c lang.Code, id, t string) bool {
	return words(lang.NL, id)[t] || words(c, id)[t]
}

// CommandWord reads a text that is a command typed as a word ("Stop", "/status",
// "mijn gegevens!", "Hoe werkt dit?"): the engine's command name, false for other text.
// It knows the Dutch words and those of the languages in (the resident's).
func CommandWord(text string, in ...lang.Code) (string, bool) {
	if len(text) > 40 {
		return "", false
	}
	if strings.TrimSpace(text) == "?" {
		return "hulp", true
	}
	t := fold(strings.TrimPrefix(strings.TrimSpace(text), "/"))
	if t == "" {
		return "", false
	}
	for _, c := range append([]lang.Code{lang.NL}, in...) {
		for cmd, id := range commandIDs {
			if words(c, id)[t] {
				return cmd, true
			}
		}
	}
	// the word for "language" in every language: who cannot read the language the
	// bot speaks now must still find the way to their own
	for _, c := range lang.Supported {
		if words(c, commandIDs["taal"])[t] {
			return "taal", true
		}
	}
	return "", false
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

// numberWords are the numbers 0 to 10 a resident may write out on a rating, in
// language c: the catalogue text number_words lists them in order, comma-separated,
// with "/" between two ways of writing one number; folded.
func numberWords(c lang.Code) map[string]int {
	if m, ok := numberSets.Load(c); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for n, ws := range strings.Split(lang.For(c, false).T("number_words"), ",") {
		for _, w := range strings.Split(ws, "/") {
			if w = fold(w); w != "" {
				m[w] = n
			}
		}
	}
	numberSets.Store(c, m)
	return m
}

var numberSets sync.Map // lang.Code → map[string]int

// typedNumber reads "8", "8.", "een 8", "zeven" (in Dutch or in language c).
func typedNumber(c lang.Code, t string) (int, bool) {
	for _, l := range []lang.Code{lang.NL, c} {
		for a := range words(l, "number_article") {
			t = strings.TrimPrefix(t, a+" ")
		}
	}
	for _, l := range []lang.Code{lang.NL, c} {
		if n, ok := numberWords(l)[t]; ok {
			return n, true
		}
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// matchOption finds the option of opts that the typed text names: its label or kort
// (folded), its number where the options are listed with numbers (or on a rating,
// where the labels are the numbers), or the one option whose label starts with the
// text as a whole word ("ja" for "Ja, vaak"). -1 when none or several fit. Numbers
// may be written out in Dutch or in language c.
func matchOption(c lang.Code, q surveys.Question, opts []surveys.Option, text string) int {
	t := fold(text)
	if t == "" {
		return -1
	}
	for i, o := range opts {
		if fold(o.Label) == t || o.Short != "" && fold(o.Short) == t {
			return i
		}
	}
	if n, ok := typedNumber(c, t); ok {
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
	t, l := fold(c.ev.Text), c.lang()
	switch {
	case q.Optional && isWord(l, "words_skip", t):
		return true, rc.skip(ctx, q, qi)
	case isWord(l, "words_back", t) && (qi > 0 || sub > 0):
		return true, rc.back(ctx, qi, sub)
	}
	switch q.Type {
	case surveys.Single, surveys.Likert, surveys.Rating:
		if i := matchOption(l, q, q.Options, c.ev.Text); i >= 0 {
			return true, rc.pick(ctx, q, qi, i)
		}
	case surveys.Multiple:
		if isWord(l, "words_done", t) {
			return true, rc.done(ctx, q, qi)
		}
		if i := matchOption(l, q, q.Options, c.ev.Text); i >= 0 {
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
		if k := matchOption(l, q, opts, c.ev.Text); k >= 0 {
			return true, rc.recordTriad(ctx, q, qi, sub, tr, k)
		}
	default:
		return false, nil
	}
	if err := rc.sayText(ctx, misfit(rc.pr(), q)); err != nil {
		return true, err
	}
	return true, rc.present(ctx)
}

// misfit says why a typed text did not answer q, and how it would.
func misfit(pr *lang.Printer, q surveys.Question) string {
	switch q.Type {
	case surveys.Rating:
		return pr.T("misfit_rating")
	case surveys.Multiple:
		return pr.T("misfit_multiple")
	case surveys.WieVanDeDrie:
		return pr.T("misfit_triad")
	}
	return pr.T("misfit")
}
