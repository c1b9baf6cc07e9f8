package results

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the results as indented JSON. Suppressed breakdown cells
// carry count 0, so the export holds nothing the text reports hide. A round
// with fewer respondents than the threshold gets no figures at all (unless the
// results are Internal): its survey, round, threshold and TooFewMessage.
func WriteJSON(w io.Writer, r *Results) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	var v any = r
	if r.TooFew && !r.Internal && !r.Live {
		v = withheld(r)
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json results: %w", err)
	}
	return nil
}

// withheldResults is the JSON of a round with fewer respondents than the
// threshold: what it asked, not what was answered.
type withheldResults struct {
	SurveyID  string             `json:"survey_id"`
	Title     string             `json:"title"`
	Round     RoundInfo          `json:"round"`
	Threshold int                `json:"threshold"`
	TooFew    bool               `json:"too_few"`
	Message   string             `json:"message"`
	Questions []withheldQuestion `json:"questions"`
}

type withheldQuestion struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Text     string `json:"text"`
	Category string `json:"category,omitempty"`
}

func withheld(r *Results) withheldResults {
	round := r.Round
	round.Invited = 0
	v := withheldResults{SurveyID: r.SurveyID, Title: r.Title, Round: round, Threshold: r.Threshold, TooFew: true,
		Message: TooFewMessage(r.Threshold), Questions: []withheldQuestion{}}
	for _, q := range r.Questions {
		v.Questions = append(v.Questions, withheldQuestion{ID: q.ID, Type: q.Type, Text: q.Text, Category: q.Category})
	}
	return v
}
