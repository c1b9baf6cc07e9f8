package bot_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestSendResultsEveryChart: a resident gets the chart of every question that
// has one, in as many albums as MaxAlbum takes, in survey order; not the first
// five only. The shipped burgerpeiling has ten questions of which nine have a
// chart (the open question has none); a round of twelve questions needs two
// albums.
func TestSendResultsEveryChart(t *testing.T) {
	peiling, err := surveys.LoadFile(filepath.Join("..", "examples", "burgerpeiling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	twelve := &surveys.Survey{ID: "twaalf", Title: "Twaalf vragen", Language: "nl"}
	for i := range 12 {
		twelve.Questions = append(twelve.Questions, surveys.Question{ID: "v" + strconv.Itoa(i+1), Type: surveys.Single,
			Text:    fmt.Sprintf("Vraag %d: hoe komt u naar het centrum?", i+1),
			Options: []surveys.Option{{ID: "fiets", Label: "Fiets"}, {ID: "auto", Label: "Auto"}}})
	}
	tests := []struct {
		name   string
		survey *surveys.Survey
		charts int   // questions with a chart
		albums []int // images per album
	}{
		{"burgerpeiling", peiling, 9, []int{9}},
		{"twelve questions", twelve, 12, []int{bot.MaxAlbum, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := engNew(t, tt.survey)
			r := h.open(tt.survey.ID, tt.survey.ID+"-2027-03")
			u := h.user("1801", "1801")
			u.join("25 – 44 jaar", "Dalfsen")
			h.close(r.ID)
			h.drain()

			res := results.Compute(tt.survey, results.RoundInfo{ID: r.ID}, answeredEverything(tt.survey, 40), nil, 10)
			var want []string
			for _, q := range res.Questions {
				c, ok, err := charts.Question(q)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					want = append(want, c.Name)
				}
			}
			if len(want) != tt.charts {
				t.Fatalf("got %d questions with a chart, want %d", len(want), tt.charts)
			}
			if ok, err := h.sendResults(r, res, u.pid()); !ok || err != nil {
				t.Fatalf("send results: got %v, %v, want true, nil", ok, err)
			}
			got := h.drain()
			if len(got) == 0 || got[0].Text == "" {
				t.Fatalf("got %d messages, want the results text first", len(got))
			}
			var names []string
			var sizes []int
			for _, m := range got[1:] {
				if len(m.Album) == 0 {
					t.Errorf("got %+v after the text, want albums only", m)
					continue
				}
				if err := bot.CheckAlbum(m); err != nil {
					t.Errorf("album of %d: %v", len(m.Album), err)
				}
				sizes = append(sizes, len(m.Album))
				for _, f := range m.Album {
					names = append(names, f.Name)
				}
			}
			if fmt.Sprint(names) != fmt.Sprint(want) {
				t.Errorf("got the charts %v, want every question's chart in survey order %v", names, want)
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.albums) {
				t.Errorf("got albums of %v, want %v", sizes, tt.albums)
			}
		})
	}
}

// answeredEverything are tallies of n respondents who all answered every
// question of s with a choice: the first option by three in four, the second by
// the rest.
func answeredEverything(s *surveys.Survey, n int64) map[string]int64 {
	tallies := map[string]int64{"respondents": n, "completed": n}
	for _, q := range s.Questions {
		if len(q.Options) < 2 {
			tallies["q:"+q.ID+":n"] = n / 2
			continue
		}
		tallies["q:"+q.ID+":n"] = n
		tallies["q:"+q.ID+":o:"+q.Options[0].ID] = n * 3 / 4
		tallies["q:"+q.ID+":o:"+q.Options[1].ID] = n - n*3/4
	}
	return tallies
}
