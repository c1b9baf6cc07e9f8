package surveys

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
}

// Group is one value of a profile dimension.
type Group struct{ ID, Label string }

// Leeftijdsgroepen are the age groups residents choose from, youngest first. Under 16
// is not among them: such a resident cannot consent alone and is not stored.
var Leeftijdsgroepen = []Group{
	{"16-24", "16 – 24 jaar"}, {"25-44", "25 – 44 jaar"}, {"45-64", "45 – 64 jaar"}, {"65+", "65 jaar of ouder"},
}
