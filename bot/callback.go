package bot

import (
	"strconv"
	"strings"
)

// Button data is short and refers to rounds by code and to questions and options by
// index, never by text, so it stays far below Telegram's 64 bytes and Discord's 100
// whatever a survey holds. The longest is "w:<8>:<qi>:<ti>:<k>", about 20 bytes.
//
//	age:<i>          age group i (or "age:u16")        ok:<i>  consent, with age group i
//	no               consent refused                   kern:<i> / kern:-  profile
//	stop:y, stop:n   withdraw consent or not
//	go:<code>        take part in a round (Doe mee)    e:<code>  change answers
//	a:<code>:<q>:<o> answer option o of question q     s:<code>:<q>  skip q
//	t:<code>:<q>:<o>:<on> tick (1) or untick (0) option o (multiple)
//	d:<code>:<q>     done (multiple)                   w:<code>:<q>:<t>:<k> pick k (0..2) of triad t
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
var roundVerbs = map[string]int{"go": 0, "e": 0, "a": 2, "s": 1, "t": 3, "d": 1, "w": 3, "b": 2}

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
