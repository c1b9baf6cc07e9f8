package surveys

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Answer is a participant's answer to one question, or to one triad of a
// wie-van-de-drie question.
type Answer struct {
	// Skipped is set when an optional question was passed over.
	Skipped bool `json:"skipped,omitempty"`
	// Options holds the chosen option ids: one for single, likert ("1".."5") and
	// rating ("1".."10"), any number for multiple.
	Options []string `json:"options,omitempty"`
	// Text is an open answer.
	Text string `json:"text,omitempty"`
	// Winner and Losers are a wie-van-de-drie pick: the option chosen and the two shown beside it.
	Winner string   `json:"winner,omitempty"`
	Losers []string `json:"losers,omitempty"`
}

// Profile is what a participant told about themselves for the afspiegeling.
// Empty fields are unknown ("zeg ik liever niet").
type Profile struct {
	Kern     string `json:"kern,omitempty"`
	Leeftijd string `json:"leeftijd,omitempty"`
	// Panel is set for a member of the lottery-drawn panel of the round's
	// trajectory (joined with a personal code): every counter of theirs is counted
	// a second time under PanelPrefix.
	Panel bool `json:"panel,omitempty"`
	// Lang is the language the participant reads the round in, "" for Dutch (the
	// respondents per language: "respondents:l:<lang>").
	Lang string `json:"lang,omitempty"`
}

// Group is one value of a profile dimension.
type Group struct{ ID, Label string }

// Leeftijdsgroepen are the age groups residents choose from, youngest first. Under 16
// is not among them: such a resident cannot consent alone and is not stored.
var Leeftijdsgroepen = []Group{
	{"16-24", "16 – 24 jaar"}, {"25-44", "25 – 44 jaar"}, {"45-64", "45 – 64 jaar"}, {"65+", "65 jaar of ouder"},
}

// An answer is stored in the compact form EncodeAnswer gives, one tag byte and its
// content, so that a participant's answers to a whole survey fit in one short record
// (storage keeps them in hashes small enough to stay listpacks) and the answer script
// can derive the answer's tallies from it (see TallyFields):
//
//   - skipped
//     t<text>                an open answer (storage keeps the text apart, under the question)
//     o<oid>                 single, likert, rating: the option chosen
//     m<oid>,<oid>,…         multiple choice: the options ticked, in survey order ("m": none)
//     w<win>,<lose>,<lose>   a wie-van-de-drie triad: the option picked, then the two beside it
//
// Option ids never hold ',' or ';' (validation allows [a-z0-9_-]), so the content
// needs no escaping. Earlier versions stored the JSON of Answer; DecodeAnswer still
// reads it.
const (
	tagSkipped  = '-'
	tagOpen     = 't'
	tagOption   = 'o'
	tagMultiple = 'm'
	tagTriad    = 'w'
)

// EncodeAnswer is the compact form of an answer to q (see the tags above). The tag
// follows the question's type, as TallyFields does, so the stored form alone says
// which counters the answer added.
func EncodeAnswer(q Question, a Answer) string {
	switch {
	case a.Skipped:
		return string(tagSkipped)
	case q.Type == Open:
		return string(tagOpen) + a.Text
	case q.Type == WieVanDeDrie:
		return string(tagTriad) + strings.Join(append([]string{a.Winner}, a.Losers...), ",")
	case q.Type == Multiple:
		return string(tagMultiple) + strings.Join(a.Options, ",")
	}
	return string(tagOption) + strings.Join(a.Options, ",")
}

// DecodeAnswer reads an answer stored by EncodeAnswer, or the JSON of earlier versions.
func DecodeAnswer(s string) (Answer, error) {
	if s == "" {
		return Answer{}, errors.New("decode answer: empty")
	}
	body := s[1:]
	ids := func() []string {
		if body == "" {
			return nil
		}
		return strings.Split(body, ",")
	}
	switch s[0] {
	case tagSkipped:
		if body != "" {
			break
		}
		return Answer{Skipped: true}, nil
	case tagOpen:
		return Answer{Text: body}, nil
	case tagOption, tagMultiple:
		return Answer{Options: ids()}, nil
	case tagTriad:
		if l := ids(); len(l) > 0 {
			return Answer{Winner: l[0], Losers: l[1:]}, nil
		}
	case '{':
		var a Answer
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			return Answer{}, fmt.Errorf("decode answer: %w", err)
		}
		return a, nil
	}
	return Answer{}, fmt.Errorf("decode answer: unknown form (tag %q, %d bytes)", s[0], len(s))
}
