package dashboard

import (
	"encoding/json"
	"net/http"
)

// apiRound is one round in GET /dashboard/api/rounds, which the overview and round
// pages poll to keep their counts live.
type apiRound struct {
	ID          string `json:"id"`
	Survey      string `json:"survey"`
	State       string `json:"state"`
	StateLabel  string `json:"state_label"`
	Next        string `json:"next"`
	Respondents int64  `json:"respondents"`
	Completed   int64  `json:"completed"`
	Invited     int64  `json:"invited"`
	// InvitedText is Invited as the page shows it ("1.234", "nog niemand").
	InvitedText string `json:"invited_text"`
	// ResponseRate is a fraction 0..1; ResponseRateText as the page shows it ("12,5%", "niet te berekenen").
	ResponseRate     float64 `json:"response_rate"`
	ResponseRateText string  `json:"response_rate_text"`
}

func (s *server) apiRounds(w http.ResponseWriter, r *http.Request) {
	rounds, err := s.roundList(r.Context())
	if err != nil {
		s.log.Error("dashboard api rounds", "err", err)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "interne fout"})
		return
	}
	out := make([]apiRound, 0, len(rounds))
	for _, v := range rounds {
		out = append(out, apiRound{ID: v.ID, Survey: v.SurveyID, State: string(v.State), StateLabel: v.StateLabel,
			Next: v.Next, Respondents: v.Respondents, Completed: v.Completed, Invited: v.Invited, InvitedText: v.InvitedText,
			ResponseRate: v.ResponseRate, ResponseRateText: v.ResponseRateText})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(out)
}
