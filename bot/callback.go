package bot

import (
	"strconv"
	"strings"
)

// Button data is short and refers to rounds by code and to questions and options by
// index, never by text, so it stays far below Telegram's 64 bytes and Discord's 100
// whatever a survey holds. The longest is "p:<8>:<q>:<t>:<o1>:<o2>:<o3>:<k>": with the
// 8-character round code (storage.RoundCode) and every number at most 999 (decode
// refuses more) it is 2+8+5×4+2 = 32 bytes.
//
//	age:<i>          age group i (or "age:u16")        ok:<i>  consent, with age group i
//	no               consent refused                   kern:<i> / kern:-  profile
//	stop:y, stop:n   withdraw consent or not
//	go:<code>        take part in a round (Doe mee)    e:<code>  change answers
//	a:<code>:<q>:<o> answer option o of question q     s:<code>:<q>  skip q
//	t:<code>:<q>:<o>:<on> tick (1) or untick (0) option o (multiple)
//	d:<code>:<q>     done (multiple)
//	p:<code>:<q>:<t>:<o1>:<o2>:<o3>:<k> pick k (0..2) of triad t of question q, the
//	                 triad of options o1, o2, o3: the button says what the resident saw
//	w:<code>:<q>:<t>:<k> pick k of triad t as the session holds it (messages sent before
//	                 "p", still in residents' chats)
//	b:<code>:<q>:<t> back from step q (triad t) to the previous step
type callback struct {
	verb  string
	round string
	args  []int
	raw   string
}

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

// roundVerbs are the verbs whose first argument is a round code.
var roundVerbs = map[string]int{"go": 0, "e": 0, "a": 2, "s": 1, "t": 3, "d": 1, "p": 6, "w": 3, "b": 2}

func decode(data string) (callback, bool) {
	parts := strings.Split(data, ":")
	cb := callback{verb: parts[0], raw: data}
	nargs, isRound := roundVerbs[cb.verb]
	if !isRound {
		if len(parts) > 1 {
			cb.round = strings.Join(parts[1:], ":") // "age:u16", "kern:-": raw argument
		}
		return cb, true
	}
	if len(parts) != 2+nargs {
		return cb, false
	}
	cb.round = parts[1]
	for _, p := range parts[2:] {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 {
			return cb, false
		}
		cb.args = append(cb.args, n)
	}
	return cb, true
}
