package surveys

import (
	"slices"
	"strings"
)

// Tally field names. A round's tallies are one flat map of counters (a Redis hash);
// every answer adds one to each field that TallyFields names for it, and a changed
// answer takes those fields off again before adding the new ones. Results are computed
// from these counters alone, never from a scan of raw answers.
//
//	q:<qid>:n                 answered (not skipped); for wie van de drie: picks made
//	q:<qid>:skip              skipped
//	q:<qid>:o:<oid>           option chosen (single, multiple, likert, rating)
//	q:<qid>:o:<oid>:k:<kern>  the same, by kern; ":a:<leeftijd>" by leeftijdsgroep
//	q:<qid>:n:k:<kern>        answered, by kern; "q:<qid>:n:a:<leeftijd>" by leeftijdsgroep
//	q:<qid>:o:<oid>:j:<kern>:<leeftijd>  option chosen, by kern and leeftijdsgroep together
//	                          (either may be "": unknown); weighting reads these
//	q:<qid>:c:j:<kern>:<leeftijd>  multiple choice: answered with at least one option,
//	                          by kern and leeftijdsgroep together
//	q:<qid>:w:<oid>           wie van de drie: option picked
//	q:<qid>:s:<oid>           wie van de drie: option shown in a triad that was answered
//	q:<qid>:p:<win>:<lose>    wie van de drie: win picked over lose
//	q:<qid>:t:<a>:<b>:<c>     wie van de drie: the triad {a, b, c} answered (ids sorted);
//	                          with the "w:" counters it is all the top-1 likelihood needs
//
// Round-level counters kept by storage itself:
//
//	respondents, respondents:k:<kern>, respondents:a:<leeftijd>, completed, invited
//	respondents:j:<kern>:<leeftijd>  respondents by kern and leeftijdsgroep together
//
// A member of the lottery-drawn panel (Profile.Panel) adds to every counter above a
// second time under PanelPrefix ("panel:q:<qid>:o:<oid>", "panel:respondents" …), so
// that the panel's results, and by difference the self-selected residents', come
// from the same tallies (PanelTallies, SelfSelectedTallies).
//
// The joint ":j:" counters are the weighting classes raking needs, so that weighted
// figures too come from the tallies alone (O(options × cells), whatever the number
// of respondents).
const (
	FieldRespondents = "respondents"
	FieldCompleted   = "completed"
	FieldInvited     = "invited"
)

// TallyFields lists the counters one answer adds to. Option ids, kern and leeftijd
// names must not contain ':' (validation and the profile lists guarantee it).
func TallyFields(q Question, a Answer, p Profile) []string {
	pre := "q:" + q.ID + ":"
	if a.Skipped {
		return panelled([]string{pre + "skip"}, p)
	}
	fields := []string{pre + "n"}
	fields = append(fields, breakdown(pre+"n", p)...)
	switch q.Type {
	case WieVanDeDrie:
		fields = append(fields, pre+"w:"+a.Winner, pre+"s:"+a.Winner)
		for _, l := range a.Losers {
			fields = append(fields, pre+"s:"+l, pre+"p:"+a.Winner+":"+l)
		}
		set := append([]string{a.Winner}, a.Losers...)
		slices.Sort(set)
		fields = append(fields, pre+"t:"+strings.Join(set, ":"))
	case Open:
		// the text itself is kept apart; only the count is a tally
	default:
		if q.Type == Multiple && len(a.Options) > 0 {
			fields = append(fields, joint(pre+"c", p))
		}
		for _, o := range a.Options {
			f := pre + "o:" + o
			fields = append(fields, f)
			fields = append(fields, breakdown(f, p)...)
			fields = append(fields, joint(f, p))
		}
	}
	return panelled(fields, p)
}

// PanelPrefix starts the second copy of a panel member's counters.
const PanelPrefix = "panel:"

// panelled adds the PanelPrefix copy of every field for a panel member.
func panelled(fields []string, p Profile) []string {
	if !p.Panel {
		return fields
	}
	for _, f := range fields {
		fields = append(fields, PanelPrefix+f)
	}
	return fields
}

// PanelTallies are the counters of the panel members alone, named as everyone's
// are: the PanelPrefix counters with the prefix cut off. Results computed from them
// are the panel's results.
func PanelTallies(tallies map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range tallies {
		if f, ok := strings.CutPrefix(k, PanelPrefix); ok {
			out[f] = v
		}
	}
	return out
}

// SelfSelectedTallies are the counters of everyone who is not a panel member: each
// counter less its panel copy (the round-level counters without a copy, such as
// invited, are left out: they are not the self-selected residents').
func SelfSelectedTallies(tallies map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range tallies {
		if strings.HasPrefix(k, PanelPrefix) || k == FieldInvited {
			continue
		}
		if n := v - tallies[PanelPrefix+k]; n != 0 {
			out[k] = n
		}
	}
	return out
}

// joint is the counter of field by kern and leeftijdsgroep together.
func joint(field string, p Profile) string {
	return field + ":j:" + p.Kern + ":" + p.Leeftijd
}

// RespondentFields lists the round-level counters a participant adds to when they
// give their first answer in a round.
func RespondentFields(p Profile) []string {
	fields := append([]string{FieldRespondents}, breakdown(FieldRespondents, p)...)
	fields = append(fields, joint(FieldRespondents, p))
	if p.Lang != "" {
		fields = append(fields, FieldRespondents+":l:"+p.Lang)
	}
	return panelled(fields, p)
}

func breakdown(field string, p Profile) []string {
	var out []string
	if p.Kern != "" {
		out = append(out, field+":k:"+p.Kern)
	}
	if p.Leeftijd != "" {
		out = append(out, field+":a:"+p.Leeftijd)
	}
	return out
}

// ValidKey reports whether s can be used inside a tally field name (a question or
// option id, a kern or an age group).
func ValidKey(s string) bool {
	return s != "" && !strings.ContainsAny(s, ": \t\n")
}
