package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// engTriadRound is the round id of the triad tests.
const engTriadRound = "waarden-2026-11"

// engTriadSurvey is a survey of three questions: 0 positie (single), 1 waarden (wie van
// de drie, a pool of options w01, w02, … labelled "Waarde 1", …, optional), 2 tevreden.
func engTriadSurvey(t *testing.T, pool, triads int) *surveys.Survey {
	t.Helper()
	s := engPeiling(engLocation(t))
	var opts []surveys.Option
	for i := 1; i <= pool; i++ {
		opts = append(opts, surveys.Option{ID: fmt.Sprintf("w%02d", i), Label: fmt.Sprintf("Waarde %d", i)})
	}
	s.Questions = []surveys.Question{s.Questions[0],
		{ID: "waarden", Type: surveys.WieVanDeDrie, Text: "Wie van de drie past het best?", Triads: triads,
			Options: opts, Optional: true},
		s.Questions[7]}
	return s
}

// engTriadStart is a harness with the triad survey's round open and a resident at its
// first question.
func engTriadStart(t *testing.T, s *surveys.Survey) (*engHarness, *storage.Round, *engUser) {
	t.Helper()
	h := engNew(t, s)
	r := h.open(s.ID, engTriadRound)
	return h, r, h.engTriadUser("5001")
}

func (h *engHarness) engTriadUser(id string) *engUser {
	h.t.Helper()
	u := h.user(id, id)
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")
	engWantStep(h.t, u, "Vraag 1 van 3")
	return u
}

// shownTriad is the option ids of the triad in the newest message, in button order.
func (u *engUser) shownTriad(s *surveys.Survey) []string {
	u.h.t.Helper()
	var ids []string
	for _, l := range u.optionLabels() {
		ids = append(ids, engOptionID(u.h.t, s, "waarden", l))
	}
	if len(ids) != 3 {
		u.h.t.Fatalf("triad buttons: got %v, want three", u.optionLabels())
	}
	return ids
}

// answerTriads picks the first option of triads from up to (not including) to, of a
// question of n triads, and returns the triads shown.
func (u *engUser) answerTriads(s *surveys.Survey, from, to, n int) [][]string {
	u.h.t.Helper()
	var out [][]string
	for i := from; i < to; i++ {
		engWantStep(u.h.t, u, fmt.Sprintf("Vraag 2 van 3 · keuze %d van %d", i+1, n))
		out = append(out, u.shownTriad(s))
		u.press(u.optionLabels()[0])
	}
	return out
}

// setShown sets the round's "shown" tally of options as if residents had answered
// triads with them.
func (h *engHarness) setShown(rid string, shown map[string]int64) {
	h.t.Helper()
	for id, n := range shown {
		if err := h.rdb.HSet(h.ctx, "pb:{r:"+rid+"}:t", "q:waarden:s:"+id, n).Err(); err != nil {
			h.t.Fatal(err)
		}
	}
}

// allShown is a shown tally of n for every option of the pool, except those in rare.
func allShown(s *surveys.Survey, n int64, rare map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for _, o := range s.Questions[1].Options {
		out[o.ID] = n
		if c, ok := rare[o.ID]; ok {
			out[o.ID] = c
		}
	}
	return out
}

func (h *engHarness) session(rid string, u *engUser) *storage.Session {
	h.t.Helper()
	ss, err := h.store.Session(h.ctx, rid, u.pid())
	if err != nil {
		h.t.Fatal(err)
	}
	return ss
}

// engWantAnswer checks the stored pick of triad field against winner and the other two of shown.
func engWantAnswer(t *testing.T, u *engUser, rid, field string, shown []string, winner int) {
	t.Helper()
	a := u.answer(rid, field)
	var losers []string
	for j, id := range shown {
		if j != winner {
			losers = append(losers, id)
		}
	}
	if a.Winner != shown[winner] || !slices.Equal(a.Losers, losers) {
		t.Errorf("answer %s: got winner %s over %v, want %s over %v", field, a.Winner, a.Losers, shown[winner], losers)
	}
}

func TestEngineTriadLeastShown(t *testing.T) {
	s := engTriadSurvey(t, 12, 4)
	h, r, first := engTriadStart(t, s)
	h.setShown(r.ID, allShown(s, 60, map[string]int64{"w07": 2}))
	users := []*engUser{first, h.engTriadUser("5002"), h.engTriadUser("5003"), h.engTriadUser("5004")}
	for _, u := range users {
		u.press("Bewoner")
		engWantStep(t, u, "Vraag 2 van 3 · keuze 1 van 4")
		if got := u.shownTriad(s); !slices.Contains(got, "w07") {
			t.Errorf("user %s, first triad: got %v, want the least shown w07 in it", u.userID, got)
		}
	}
}

func TestEngineTriadsNoRepeat(t *testing.T) {
	tests := []struct {
		name     string
		pool     int
		triads   int
		shown    map[string]int64 // nil: a new round
		adaptive bool             // adaptief: true
	}{
		{name: "new round", pool: 12, triads: 4},
		{name: "new round, adaptief", pool: 12, triads: 4, adaptive: true},
		// w03 stays least shown in the round after this resident's pick: only their own
		// showing keeps it out of the next triads
		{name: "one option hardly shown", pool: 12, triads: 4, shown: map[string]int64{"w03": 0}},
		{name: "pool of 100", pool: 100, triads: 20, shown: map[string]int64{"w10": 0, "w20": 1, "w30": 2}},
		{name: "pool of 100, adaptief", pool: 100, triads: 20, shown: map[string]int64{"w10": 0, "w20": 1, "w30": 2}, adaptive: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := engTriadSurvey(t, tt.pool, tt.triads)
			s.Questions[1].Adaptive = tt.adaptive
			h, r, u := engTriadStart(t, s)
			if tt.shown != nil {
				h.setShown(r.ID, allShown(s, 50, tt.shown))
			}
			u.press("Bewoner")
			seen := map[string]int{}
			for i, tri := range u.answerTriads(s, 0, tt.triads, tt.triads) {
				for _, id := range tri {
					if seen[id]++; seen[id] > 1 {
						t.Errorf("triad %d %v: option %s shown before", i+1, tri, id)
					}
				}
			}
			engWantStep(t, u, "Vraag 3 van 3")
		})
	}
}

// TestEngineTriadReplay is the crash between queueing a triad and saving the session:
// the update comes again, the tallies changed meanwhile and the triad drawn again
// differs, but the resident has only the first message. Its button records its triad.
func TestEngineTriadReplay(t *testing.T) {
	s := engTriadSurvey(t, 12, 4)
	h, r, u := engTriadStart(t, s)
	sessionKey := "pb:{r:" + r.ID + "}:s:" + u.pid()
	before := engDump(t, h, sessionKey)

	ev := u.pressEvent("Bewoner")
	h.handle(ev)
	engWantStep(t, u, "Vraag 2 van 3 · keuze 1 van 4")
	msg := u.last()
	shown := u.shownTriad(s)
	var data []string
	for _, row := range msg.Choices[:3] {
		data = append(data, row[0].Data)
	}

	// the crash: the session save and the update's mark are lost
	h.rdb.Del(h.ctx, sessionKey)
	h.rdb.Del(h.ctx, "pb:seen:"+engChannelName+":"+ev.UpdateID)
	for f, v := range before {
		h.rdb.HSet(h.ctx, sessionKey, f, v)
	}
	// meanwhile many residents answered triads with the options shown
	h.setShown(r.ID, map[string]int64{shown[0]: 1000, shown[1]: 1000, shown[2]: 1000})

	if got := h.handle(ev); len(got) != 0 {
		t.Fatalf("update handled again: got %q, want no new messages", engTexts(got))
	}
	redrawn := strings.Split(h.session(r.ID, u).Triads["waarden"], ",")
	if slices.Equal(redrawn, shown) {
		t.Fatalf("triad drawn again: got %v, the same as the first; want the changed tallies to change it", redrawn)
	}

	u.pressData(data[1], msg.ref)
	engWantAnswer(t, u, r.ID, "waarden#0", shown, 1)
	tallies := h.tallies(r.ID)
	engWantCounts(t, tallies, map[string]int64{
		"q:waarden:w:" + shown[1]: 1, "q:waarden:s:" + shown[0]: 1001, "q:waarden:s:" + shown[2]: 1001,
		"q:waarden:p:" + shown[1] + ":" + shown[0]: 1, "q:waarden:p:" + shown[1] + ":" + shown[2]: 1})
	for _, id := range redrawn {
		if !slices.Contains(shown, id) && tallies["q:waarden:w:"+id] != 0 {
			t.Errorf("tally of %s, drawn again but never shown: got a pick, want none", id)
		}
	}

	engWantStep(t, u, "Vraag 2 van 3 · keuze 2 van 4")
	for _, id := range u.shownTriad(s) {
		if slices.Contains(shown, id) {
			t.Errorf("second triad %v: got %s of the first %v again", u.shownTriad(s), id, shown)
		}
	}
	u.press("◀ Vorige")
	if got := u.shownTriad(s); !slices.Equal(got, shown) {
		t.Errorf("back to the first triad: got %v, want %v as the resident saw it", got, shown)
	}
}

func TestEngineTriadBackAndResume(t *testing.T) {
	s := engTriadSurvey(t, 12, 4)
	h, r, u := engTriadStart(t, s)
	u.press("Bewoner")
	first := u.answerTriads(s, 0, 1, 4)[0]
	second := u.shownTriad(s)
	other := h.engTriadUser("5099")
	other.press("Bewoner")
	other.answerTriads(s, 0, 4, 4) // the tallies change under the first resident
	h.setShown(r.ID, map[string]int64{first[0]: 500, second[0]: 500})

	steps := []struct {
		name string
		act  func()
		step string
		want []string
	}{
		{"back", func() { u.press("◀ Vorige") }, "keuze 1 van 4", first},
		{"resume with start", func() { u.command("start") }, "keuze 1 van 4", first},
		{"forward by picking", func() { u.press(u.optionLabels()[2]) }, "keuze 2 van 4", second},
		{"resume with Doe mee", func() { u.press("Doe mee") }, "keuze 2 van 4", second},
	}
	for _, st := range steps {
		st.act()
		engWantStep(t, u, "Vraag 2 van 3 · "+st.step)
		if got := u.shownTriad(s); !slices.Equal(got, st.want) {
			t.Errorf("%s: got %v, want %v", st.name, got, st.want)
		}
	}
	engWantAnswer(t, u, r.ID, "waarden#0", first, 2)

	t.Run("back into a skipped question draws the triads not drawn", func(t *testing.T) {
		u.press("Overslaan")
		engWantStep(t, u, "Vraag 3 van 3")
		u.press("◀ Vorige")
		engWantStep(t, u, "Vraag 2 van 3 · keuze 4 van 4")
		fourth := u.shownTriad(s)
		u.press("◀ Vorige")
		third := u.shownTriad(s)
		u.press("◀ Vorige")
		if got := u.shownTriad(s); !slices.Equal(got, second) {
			t.Errorf("second triad: got %v, want %v", got, second)
		}
		seen := map[string]bool{}
		for _, tri := range [][]string{first, second, third, fourth} {
			for _, id := range tri {
				if seen[id] {
					t.Errorf("triads %v %v %v %v: option %s twice", first, second, third, fourth, id)
				}
				seen[id] = true
			}
		}
	})
}

// TestEngineTriadOldButtons presses "w:" buttons, which messages sent before the
// buttons carried the triad still have: they pick from the triads in the session.
func TestEngineTriadOldButtons(t *testing.T) {
	s := engTriadSurvey(t, 12, 4)

	t.Run("triad drawn now", func(t *testing.T) {
		h, r, u := engTriadStart(t, s)
		u.press("Bewoner")
		shown := u.shownTriad(s)
		u.pressData(fmt.Sprintf("w:%s:1:0:2", r.Code), u.last().ref)
		engWantAnswer(t, u, r.ID, "waarden#0", shown, 2)
		engWantStep(t, u, "Vraag 2 van 3 · keuze 2 van 4")
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:waarden:n": 1, "q:waarden:w:" + shown[2]: 1})
	})

	t.Run("session with all triads drawn at once", func(t *testing.T) {
		h, r, u := engTriadStart(t, s)
		old := [][]string{{"w01", "w02", "w03"}, {"w04", "w05", "w06"}, {"w07", "w08", "w09"}, {"w10", "w11", "w12"}}
		var enc []string
		for _, tri := range old {
			enc = append(enc, strings.Join(tri, ","))
		}
		if err := h.rdb.HSet(h.ctx, "pb:{r:"+r.ID+"}:s:"+u.pid(), "triads:waarden", strings.Join(enc, ";")).Err(); err != nil {
			t.Fatal(err)
		}
		u.press("Bewoner")
		for i, tri := range old {
			engWantStep(t, u, fmt.Sprintf("Vraag 2 van 3 · keuze %d van 4", i+1))
			if got := u.shownTriad(s); !slices.Equal(got, tri) {
				t.Fatalf("triad %d: got %v, want %v from the session", i+1, got, tri)
			}
			u.pressData(fmt.Sprintf("w:%s:1:%d:%d", r.Code, i, i%3), u.last().ref)
			engWantAnswer(t, u, r.ID, fmt.Sprintf("waarden#%d", i), tri, i%3)
		}
		engWantStep(t, u, "Vraag 3 van 3")
		engWantCounts(t, h.tallies(r.ID), map[string]int64{"q:waarden:n": 4, "q:waarden:w:w01": 1,
			"q:waarden:w:w05": 1, "q:waarden:w:w09": 1, "q:waarden:w:w10": 1, "q:waarden:p:w05:w04": 1})
	})
}

// TestEngineTriadButtonData takes the triads of a pool of 100 options: every pick
// button names its triad by option index and fits Telegram's 64 bytes.
func TestEngineTriadButtonData(t *testing.T) {
	s := engTriadSurvey(t, 100, 20)
	_, r, u := engTriadStart(t, s)
	u.press("Bewoner")
	limit := engChannel{}.Limits().MaxChoiceData
	longest := ""
	for i := range 20 {
		engWantStep(t, u, fmt.Sprintf("Vraag 2 van 3 · keuze %d van 20", i+1))
		shown := u.shownTriad(s)
		for k, row := range u.last().Choices[:3] {
			data := row[0].Data
			var idx [3]int
			var qi, ti, kk int
			want := fmt.Sprintf("p:%s:1:%d:", r.Code, i)
			if _, err := fmt.Sscanf(strings.ReplaceAll(strings.TrimPrefix(data, "p:"+r.Code+":"), ":", " "),
				"%d %d %d %d %d %d", &qi, &ti, &idx[0], &idx[1], &idx[2], &kk); err != nil || !strings.HasPrefix(data, want) {
				t.Fatalf("button %q: got %v, want %s<o1>:<o2>:<o3>:<k>", data, err, want)
			}
			for j, oi := range idx {
				if got := s.Questions[1].Options[oi].ID; got != shown[j] {
					t.Errorf("button %q, option %d: got %s, want %s as shown", data, j, got, shown[j])
				}
			}
			if kk != k {
				t.Errorf("button %q: got pick %d, want %d", data, kk, k)
			}
			if len(data) > limit {
				t.Errorf("button %q: got %d bytes, want at most %d", data, len(data), limit)
			}
			if len(data) > len(longest) {
				longest = data
			}
		}
		u.press(u.optionLabels()[i%3])
		engWantAnswer(t, u, r.ID, fmt.Sprintf("waarden#%d", i), shown, i%3)
	}
	engWantStep(t, u, "Vraag 3 van 3")
	t.Logf("longest button data: %q, %d bytes", longest, len(longest))
}
