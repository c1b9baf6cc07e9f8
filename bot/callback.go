package bot

import (
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

// Button data is short and refers to rounds by code and to questions and options by
// index, never by text, so it stays far below Telegram's 64 bytes and Discord's 100
// whatever a survey holds. The longest is "p:<8>:<q>:<t>:<o1>:<o2>:<o3>:<k>": with the
// 8-character round code (storage.RoundCode) and every number at most 999 (decode
// refuses more) it is 2+8+5×4+2 = 32 bytes.
//
//	age:<i>          age group i (or "age:u16")        ok:<i>  consent, with age group i
//	no               consent refused                   kern:<i> / kern:-  profile
//	stop:y, stop:n   withdraw consent or not           forget:y, forget:n erase all data or not
//	me               show my data (/mijngegevens)
//	lang:<code>      read the bot in language code (lang.Supported); lang:- offers them
//	age:<i>:<code>, ok:<i>:<code>, no:<code>  the onboarding buttons of a resident who
//	                 chose a language before consenting (nothing is stored before that)
//	okc:<code>       consent, joining the panel with the invitation code of a lottery
//	                 letter (its 12 characters without dashes)
//	go:<code>        take part in a round (Doe mee)    e:<code>  change answers: which one?
//	j:<code>         take part from a list of rounds: the participatiekaart, then the question
//	q:<code>:<q>     change the answer to question q (from the list of answers)
//	a:<code>:<q>:<o> answer option o of question q     s:<code>:<q>  skip q
//	t:<code>:<q>:<o>:<on> tick (1) or untick (0) option o (multiple)
//	d:<code>:<q>     done (multiple)
//	p:<code>:<q>:<t>:<o1>:<o2>:<o3>:<k> pick k (0..2) of triad t of question q, the
//	                 triad of options o1, o2, o3: the button says what the resident saw
//	w:<code>:<q>:<t>:<k> pick k of triad t as the session holds it (messages sent before
//	                 "p", still in residents' chats)
//	b:<code>:<q>:<t> back from step q (triad t) to the previous step
//
// Button data comes back from the platform as the resident's client sends it, so it is
// outside input: anyone can send any string with a valid round code in it. decode is
// the one parser, and it accepts exactly the strings encode and the constants below
// produce: a known verb, the exact number of arguments, numbers in canonical form.
type callback struct {
	verb  string
	round string // round code, for the round verbs
	arg   string // the argument of age, ok, kern, stop, forget and lang
	lang  string // the language an onboarding button carries (age, ok, no; "" for none)
	args  []int  // the numbers after the round code
}

// Data of the buttons without a round.
const (
	dataUnder16   = "age:u16"
	dataConsentNo = "no"
	dataNoKern    = "kern:-"
	dataStopYes   = "stop:y"
	dataStopNo    = "stop:n"
	dataForgetYes = "forget:y"
	dataForgetNo  = "forget:n"
	dataMyData    = "me"
)

func encode(verb string, round string, args ...int) string {
	var b strings.Builder
	b.WriteString(verb)
	if round != "" {
		b.WriteString(":" + round)
	}
	for _, a := range args {
		b.WriteString(":" + strconv.Itoa(a))
	}
	return b.String()
}

// roundVerbs are the verbs whose first argument is a round code, with the number of
// numbers after it.
var roundVerbs = map[string]int{"go": 0, "e": 0, "j": 0, "q": 1, "a": 2, "s": 1, "t": 3, "d": 1, "p": 6, "w": 3, "b": 2}

// maxArg is the largest number button data carries.
const maxArg = 999

// decode parses button data; false for anything encode did not produce.
func decode(data string) (callback, bool) {
	parts := strings.Split(data, ":")
	cb := callback{verb: parts[0]}
	if nargs, ok := roundVerbs[cb.verb]; ok {
		if len(parts) != 2+nargs || !validRoundCode(parts[1]) {
			return callback{}, false
		}
		cb.round = parts[1]
		cb.args = make([]int, 0, nargs)
		for _, p := range parts[2:] {
			n, ok := number(p)
			if !ok {
				return callback{}, false
			}
			cb.args = append(cb.args, n)
		}
		return cb, validArgs(cb)
	}
	switch {
	case len(parts) == 1 && (cb.verb == "no" || cb.verb == "me"):
		return cb, true
	case len(parts) == 2 && cb.verb == "no":
		if !isLangCode(parts[1]) {
			return callback{}, false
		}
		cb.lang = parts[1]
		return cb, true
	case len(parts) == 3 && (cb.verb == "age" || cb.verb == "ok"):
		if !isLangCode(parts[2]) {
			return callback{}, false
		}
		cb.lang = parts[2]
		parts = parts[:2]
	case len(parts) != 2:
		return callback{}, false
	}
	cb.arg = parts[1]
	var ok bool
	switch cb.verb {
	case "age":
		ok = cb.arg == "u16" || isNumber(cb.arg)
	case "ok":
		ok = isNumber(cb.arg)
	case "kern":
		ok = cb.arg == "-" || isNumber(cb.arg)
	case "stop", "forget":
		ok = cb.arg == "y" || cb.arg == "n"
	case "okc":
		ok = isPanelCode(cb.arg)
	case "lang":
		ok = cb.arg == "-" || isLangCode(cb.arg)
	}
	if !ok {
		return callback{}, false
	}
	return cb, true
}

// isLangCode reports whether s is a supported language's code in its canonical
// form ("en", not "EN" or "en-GB"): the language an onboarding button carries
// (langData) and the argument of "lang".
func isLangCode(s string) bool {
	c, ok := lang.Parse(s)
	return ok && string(c) == s
}

// validArgs checks the arguments whose range the grammar fixes: a tick sets 0 or 1, a
// pick is one of three.
func validArgs(cb callback) bool {
	switch cb.verb {
	case "t":
		return cb.args[2] <= 1
	case "p":
		return cb.args[5] <= 2
	case "w":
		return cb.args[2] <= 2
	}
	return true
}

// validRoundCode reports whether s has the shape of storage.RoundCode: 8 characters
// of lower-case base32.
func validRoundCode(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// number parses a number in the form strconv.Itoa writes, 0 to maxArg.
func number(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxArg || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

func isNumber(s string) bool {
	_, ok := number(s)
	return ok
}

// isPanelCode reports whether s has the shape of an invitation code as printed
// ("K7QM-X3VD-R9TC": capitals, digits and dashes); the engine checks the code itself.
func isPanelCode(s string) bool {
	return s != "" && len(s) <= 32 && !strings.ContainsFunc(s, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-')
	})
}
