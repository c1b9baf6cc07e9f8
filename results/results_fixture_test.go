package results

import (
	"math"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// resLikert are the likert options the results tests use.
var resLikert = []surveys.Option{
	{ID: "1", Label: "Helemaal mee oneens"}, {ID: "2", Label: "Mee oneens"}, {ID: "3", Label: "Neutraal"},
	{ID: "4", Label: "Mee eens"}, {ID: "5", Label: "Helemaal mee eens"},
}

func resRatingOptions() []surveys.Option {
	opts := make([]surveys.Option, 10)
	for i := range opts {
		opts[i] = surveys.Option{ID: strconv.Itoa(i + 1), Label: strconv.Itoa(i + 1)}
	}
	return opts
}

// resSurvey is a small survey with one question of every type.
func resSurvey() *surveys.Survey {
	return &surveys.Survey{
		ID:    "peiling-dalfsen",
		Title: "Inwonerspeiling Dalfsen",
		Card: surveys.Card{
			Doel: "weten wat u vindt", WieBeslist: "gemeenteraad", Trede: surveys.Raadplegen,
			WatGebeurtErMee: "de raad gebruikt het", Terugkoppeling: time.Date(2027, time.February, 15, 0, 0, 0, 0, time.UTC),
		},
		Questions: []surveys.Question{
			{ID: "luistert", Type: surveys.Likert, Text: "De gemeente luistert voldoende naar de mening van de inwoners", Options: append([]surveys.Option(nil), resLikert...)},
			{ID: "cijfer", Type: surveys.Rating, Text: "Welk cijfer geeft u de gemeente?", Options: resRatingOptions()},
			{ID: "vervoer", Type: surveys.Single, Text: "Hoe komt u naar het centrum?", Options: []surveys.Option{
				{ID: "fiets", Label: "Fiets"}, {ID: "auto", Label: "Auto"}, {ID: "bus", Label: "Bus"}}},
			{ID: "thema", Type: surveys.Multiple, Text: "Welke thema's vindt u belangrijk?", Options: []surveys.Option{
				{ID: "groen", Label: "Groen"}, {ID: "verkeer", Label: "Verkeer"}}},
			{ID: "waarden", Type: surveys.WieVanDeDrie, Text: "Wie van de drie past het best bij Dalfsen?", Triads: 3, Options: []surveys.Option{
				{ID: "a", Label: "Groen"}, {ID: "b", Label: "Veilig"}, {ID: "c", Label: "Samen"},
				{ID: "d", Label: "Betaalbaar"}, {ID: "e", Label: "Sportief"}}},
			{ID: "goed", Type: surveys.Open, Text: "Wat gaat goed?", Category: "wat gaat goed", Optional: true},
		},
	}
}

// resTallies are hand-made tallies for resSurvey.
func resTallies() map[string]int64 {
	t := map[string]int64{
		"respondents": 42, "completed": 38, "invited": 120,
		"respondents:k:Dalfsen": 20, "respondents:k:Nieuwleusen": 12, "respondents:k:Hoonhorst": 4,
		"respondents:a:18-34": 5, "respondents:a:35-64": 25, "respondents:a:65+": 12,

		"q:luistert:n": 20, "q:luistert:skip": 2,
		"q:luistert:o:1": 2, "q:luistert:o:2": 3, "q:luistert:o:3": 5, "q:luistert:o:4": 6, "q:luistert:o:5": 4,
		"q:luistert:o:4:k:Dalfsen": 3, "q:luistert:n:k:Dalfsen": 9,

		"q:cijfer:n": 10, "q:cijfer:o:7": 6, "q:cijfer:o:8": 4,

		"q:vervoer:n": 18, "q:vervoer:o:fiets": 9, "q:vervoer:o:auto": 6, "q:vervoer:o:bus": 3,
		"q:vervoer:n:k:Dalfsen": 12, "q:vervoer:o:fiets:k:Dalfsen": 5, "q:vervoer:o:auto:k:Dalfsen": 4, "q:vervoer:o:bus:k:Dalfsen": 3,

		"q:thema:n": 12, "q:thema:o:groen": 10, "q:thema:o:verkeer": 4,

		"q:goed:n": 3, "q:goed:skip": 1,
	}
	for _, p := range waardenPicks {
		for range p.times {
			for _, f := range surveys.TallyFields(surveys.Question{ID: "waarden", Type: surveys.WieVanDeDrie},
				surveys.Answer{Winner: p.winner, Losers: p.losers[:]}, surveys.Profile{}) {
				t[f]++
			}
		}
	}
	return t
}

// waardenPicks are the 36 picks of the fixture's wie van de drie, recorded
// through surveys.TallyFields as the bot records them: Groen (a) picked 22
// times in 30 showings, Veilig (b) 9 in 26, Samen (c) 5 in 22, Betaalbaar (d)
// never in 30, Sportief (e) never shown.
var waardenPicks = []struct {
	winner string
	losers [2]string
	times  int
}{
	{"a", [2]string{"b", "d"}, 12}, {"b", [2]string{"a", "d"}, 2},
	{"a", [2]string{"c", "d"}, 8}, {"c", [2]string{"a", "d"}, 2},
	{"a", [2]string{"b", "c"}, 2}, {"b", [2]string{"a", "c"}, 2}, {"c", [2]string{"a", "b"}, 2},
	{"b", [2]string{"c", "d"}, 5}, {"c", [2]string{"b", "d"}, 1},
}

var resOpen = map[string][]string{
	"goed": {"De bibliotheek", "Het groen in de kernen\nen de fietspaden", "Snelle reactie op meldingen"},
}

var resRound = RoundInfo{
	ID:     "2027-03",
	Opened: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC),
	Closed: time.Date(2027, time.March, 15, 0, 0, 0, 0, time.UTC),
}

func resResults() *Results {
	return Compute(resSurvey(), resRound, resTallies(), resOpen, 10)
}

// statsTol and statsNear compare figures to the hand-computed values in the tests
// (the same tolerance as the tests of package stats).
const statsTol = 1e-4

func statsNear(a, b float64) bool { return math.Abs(a-b) <= statsTol }

// rakeCell is a number of respondents in one (kern, leeftijd) cell.
type rakeCell struct {
	kern, leeftijd string
	n              int
}

// sample2x2 is the 2×2 reference sample of the raking tests in package stats: 30
// A-jong, 20 A-oud, 10 B-jong, 40 B-oud (kern A 50, B 50; jong 40, oud 60).
var sample2x2 = []rakeCell{{"A", "jong", 30}, {"A", "oud", 20}, {"B", "jong", 10}, {"B", "oud", 40}}
