package digest

import (
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
)

// chatRound is the round in one chat line: "• Burgerpeiling (2026-11),
// gesloten: 42 deelnemers, responspercentage 31,7%, R-indicator 0,91 (goede
// afspiegeling), R-score 0,62 (redelijke afspiegeling), procesevaluatie 7,4".
func chatRound(rv roundView, r Round) string {
	res := r.Results
	s := "• " + oneLine(rv.Title, 80)
	if rv.ID != "" {
		s += " (" + oneLine(rv.ID, 40) + ")"
	}
	var parts []string
	switch {
	case res.TooFew:
		return s + ", " + stateWord(r.State) + ": te weinig deelnemers om cijfers te tonen"
	case res.Live:
		parts = append(parts, results.BandText(res.Respondents, res.Band)+" deelnemers (tussenstand)")
	default:
		parts = append(parts, dutch.Plural(res.Respondents, "deelnemer", "deelnemers"))
		if res.Invited > 0 {
			parts = append(parts, "responspercentage "+dutchPercent(100*res.ResponseRate))
		}
	}
	if res.Afspiegeling != nil {
		parts = append(parts, "R-indicator "+results.RIndicatorShort(res), "R-score "+rScore(res))
	}
	if q, ok := procesevaluatie(res); ok && r.State != StateOpen {
		parts = append(parts, "procesevaluatie "+dutch.Decimal(q.Mean, 1))
	}
	return s + ", " + stateWord(r.State) + ": " + strings.Join(parts, ", ")
}

// chatOverdue is one late terugkoppeling in one chat line.
func chatOverdue(o overdueView) string {
	s := "• " + oneLine(o.Title, 80)
	if o.ID != "" {
		s += " (" + oneLine(o.ID, 40) + ")"
	}
	return s + ": beloofd op " + o.Promised + ", " + o.Days + " te laat; wie beslist: " + oneLine(o.WieBeslist, 60)
}

// chat is the digest in one message of at most ChatLimit runes: the key
// lines, a line per round and per late terugkoppeling. When they do not all
// fit, the longer list is shortened first, ending in "… en nog N".
func chat(p *page) string {
	rounds := make([]string, len(p.Rounds))
	for i, r := range p.Rounds {
		rounds[i] = r.Chat
	}
	late := make([]string, len(p.Overdue))
	for i, o := range p.Overdue {
		late[i] = chatOverdue(o)
	}
	nr, nl := len(rounds), len(late)
	for {
		msg := chatText(p, rounds, nr, late, nl)
		if utf8.RuneCountInString(msg) <= ChatLimit || nr+nl == 0 {
			return clipRunes(msg, ChatLimit)
		}
		if nr >= nl {
			nr--
		} else {
			nl--
		}
	}
}

// chatText is the message with the first nr rounds and nl late rounds listed.
func chatText(p *page, rounds []string, nr int, late []string, nl int) string {
	lines := []string{oneLine(p.Heading, 200), "Periode: " + p.Period}
	lines = append(lines, p.Summary...)
	if len(rounds) > 0 {
		lines = append(lines, "", "Rondes:")
		lines = append(lines, shortList(rounds, nr, "ronde", "rondes")...)
	}
	if len(late) > 0 {
		lines = append(lines, "", "Terugkoppeling te laat:")
		lines = append(lines, shortList(late, nl, "ronde", "rondes")...)
	}
	lines = append(lines, "", "Volledig verslag: "+p.Name)
	return strings.Join(lines, "\n")
}

// shortList is the first n items, then "… en nog 3 rondes" for the rest.
func shortList(items []string, n int, one, many string) []string {
	if n >= len(items) {
		return items
	}
	out := append([]string(nil), items[:n]...)
	return append(out, "… en nog "+dutch.Plural(int64(len(items)-n), one, many)+" (zie het verslag)")
}

// clipRunes cuts s to at most n runes, ending in "…" when cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
