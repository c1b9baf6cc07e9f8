package storage_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// answerCase is a question with a first answer and a changed one, recorded under field.
type answerCase struct {
	name           string
	q              surveys.Question
	field          string
	first, changed surveys.Answer
}

func options(ids ...string) []surveys.Option {
	out := make([]surveys.Option, len(ids))
	for i, id := range ids {
		out[i] = surveys.Option{ID: id, Label: strings.ToUpper(id)}
	}
	return out
}

func scale(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(i + 1)
	}
	return out
}

// answerCases has every question type, and a multiple choice answered with nothing ticked.
func answerCases() []answerCase {
	single := surveys.Question{ID: "positie", Type: surveys.Single, Optional: true, Options: options("voor", "tegen", "neutraal")}
	multiple := surveys.Question{ID: "kansen", Type: surveys.Multiple, Optional: true, Options: options("groen", "fiets", "bus")}
	likert := surveys.Question{ID: "luistert", Type: surveys.Likert, Optional: true, Options: options(scale(5)...)}
	rating := surveys.Question{ID: "cijfer", Type: surveys.Rating, Optional: true, Options: options(scale(10)...)}
	open := surveys.Question{ID: "beter", Type: surveys.Open, Optional: true, MaxLength: 200}
	wie := surveys.Question{ID: "waarden", Type: surveys.WieVanDeDrie, Optional: true, Triads: 3,
		Options: options("raad-op-pad", "jongerenraad", "denktank", "tweemaandelijks")}
	return []answerCase{
		{"single", single, "positie", surveys.Answer{Options: []string{"voor"}}, surveys.Answer{Options: []string{"tegen"}}},
		{"multiple", multiple, "kansen", surveys.Answer{Options: []string{"groen", "bus"}}, surveys.Answer{}},
		{"multiple from none", multiple, "kansen", surveys.Answer{}, surveys.Answer{Options: []string{"fiets"}}},
		{"likert", likert, "luistert", surveys.Answer{Options: []string{"2"}}, surveys.Answer{Options: []string{"5"}}},
		{"rating", rating, "cijfer", surveys.Answer{Options: []string{"10"}}, surveys.Answer{Options: []string{"3"}}},
		{"open", open, "beter", surveys.Answer{Text: "Meer groen; minder verkeer"}, surveys.Answer{Text: "Een bankje, bij de kerk"}},
		{"wie van de drie", wie, "waarden#2", surveys.Answer{Winner: "denktank", Losers: []string{"raad-op-pad", "jongerenraad"}},
			surveys.Answer{Winner: "jongerenraad", Losers: []string{"denktank", "tweemaandelijks"}}},
	}
}

var profiles = []struct {
	name string
	p    surveys.Profile
}{
	{"known", surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}},
	{"kern unknown", surveys.Profile{Leeftijd: "65+"}},
	{"leeftijd unknown", surveys.Profile{Kern: "Nieuwleusen"}},
	{"both unknown", surveys.Profile{}},
	{"panel member", surveys.Profile{Kern: "Oudleusen", Leeftijd: "25-44", Panel: true}},
	{"reads Arabic", surveys.Profile{Kern: "Lemelerveld", Leeftijd: "16-24", Lang: "ar"}},
	{"panel member reading English", surveys.Profile{Kern: "Ankum", Leeftijd: "65+", Panel: true, Lang: "en"}},
	{"nothing known, reads Ukrainian", surveys.Profile{Lang: "uk"}},
}

// counts adds one to each field.
func counts(into map[string]int64, fields ...[]string) map[string]int64 {
	out := maps.Clone(into)
	if out == nil {
		out = map[string]int64{}
	}
	for _, fs := range fields {
		for _, f := range fs {
			out[f]++
		}
	}
	return out
}

func diffTallies(got, want map[string]int64) string {
	var d []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			d = append(d, fmt.Sprintf("%s: got %d, want %d", k, got[k], want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("%s: got %d, want none", k, got[k]))
		}
	}
	return strings.Join(d, "\n")
}

// servers runs a test against a private redis-server and against miniredis, the
// in-process store serve falls back on (OpenEmbedded): the scripts must work on both.
func servers(t *testing.T, fn func(t *testing.T, rdb *redis.Client)) {
	t.Run("redis-server", func(t *testing.T) {
		fn(t, redistest.Start(t).Client(t))
	})
	t.Run("miniredis", func(t *testing.T) {
		mr := miniredis.RunT(t)
		rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
		t.Cleanup(func() { rdb.Close() })
		fn(t, rdb)
	})
}

// openLegacyRound writes an open round as versions before buckets did: a meta
// without "bk".
func openLegacyRound(t testing.TB, rdb redis.UniversalClient, rid string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if err := rdb.HSet(ctx, "pb:{r:"+rid+"}:meta", "survey", "s", "code", storage.RoundCode(rid), "slot", "2026-12-01T09:00",
		"state", "open", "opens_at", now.Unix(), "closes_at", now.Add(time.Hour).Unix(), "opened_at", now.Unix()).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, "pb:rc:"+storage.RoundCode(rid), rid, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.ZAdd(ctx, "pb:rounds", redis.Z{Score: float64(now.Unix()), Member: rid}).Err(); err != nil {
		t.Fatal(err)
	}
}

// TestAnswerTallies checks the counters the answer scripts derive against
// surveys.TallyFields and surveys.RespondentFields, for every question type and
// profile, through a first answer, a double tap, a change, a skip, an answer given
// with another profile, completion and erasure, in both layouts (and in buckets with
// every counter kept, as rounds made before "tj"), while another participant's
// answer stays counted.
func TestAnswerTallies(t *testing.T) {
	servers(t, func(t *testing.T, rdb *redis.Client) {
		st := storage.New(rdb)
		ctx := context.Background()
		other := surveys.Profile{Kern: "Lemelerveld", Leeftijd: "16-24"}
		moved := surveys.Profile{Kern: "Hoonhorst", Leeftijd: "25-44"}
		n := 0
		for _, layout := range []string{"buckets", "buckets-full", "legacy"} {
			for _, c := range answerCases() {
				for _, pr := range profiles {
					if (pr.p.Panel || pr.p.Lang != "") && layout == "legacy" {
						continue // rounds made before buckets have no panel (nor any trajectory)
					}
					t.Run(layout+"/"+c.name+"/"+pr.name, func(t *testing.T) {
						n++
						rid := fmt.Sprintf("r%d", n)
						if layout == "legacy" {
							openLegacyRound(t, rdb, rid)
						} else {
							openRound(t, st, rid)
						}
						if layout == "buckets-full" {
							rdb.HDel(ctx, "pb:{r:"+rid+"}:meta", "tj")
						}
						if joint := rdb.HGet(ctx, "pb:{r:"+rid+"}:meta", "tj").Val() == "1"; joint != (layout == "buckets") {
							t.Fatalf("round keeps joint cells only: %v in layout %s", joint, layout)
						}
						r, err := st.Round(ctx, rid)
						if err != nil {
							t.Fatal(err)
						}
						if (r.Buckets > 0) != (layout != "legacy") {
							t.Fatalf("round buckets: got %d in layout %s", r.Buckets, layout)
						}
						q, p := c.q, pr.p
						record := func(pid string, a surveys.Answer, as surveys.Profile, want storage.AnswerOutcome) {
							t.Helper()
							got, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: c.field,
								Value: surveys.EncodeAnswer(q, a), Kern: as.Kern, Leeftijd: as.Leeftijd, Panel: as.Panel, Lang: as.Lang})
							if err != nil || got != want {
								t.Fatalf("record %+v: got %v %v, want %v", a, got, err, want)
							}
						}
						check := func(step string, want map[string]int64) {
							t.Helper()
							got, err := st.Tallies(ctx, rid)
							if err != nil {
								t.Fatal(err)
							}
							if d := diffTallies(got, want); d != "" {
								t.Errorf("%s:\n%s", step, d)
							}
							if layout != "buckets" {
								return
							}
							for f := range rdb.HGetAll(ctx, "pb:{r:"+rid+"}:t").Val() {
								if strings.Contains(f, ":k:") || strings.Contains(f, ":a:") || f == "respondents" || strings.HasSuffix(f, ":n") {
									t.Errorf("%s: stored %s, want only the kern × leeftijd cells of profiled counters", step, f)
								}
							}
						}
						record("ander", c.changed, other, storage.Added)
						base := counts(nil, surveys.RespondentFields(other), surveys.TallyFields(q, c.changed, other))
						check("another participant", base)

						record("p", c.first, p, storage.Added)
						mine := surveys.RespondentFields(p)
						check("first answer", counts(base, mine, surveys.TallyFields(q, c.first, p)))
						record("p", c.first, p, storage.Unchanged)
						check("double tap", counts(base, mine, surveys.TallyFields(q, c.first, p)))
						record("p", c.changed, p, storage.Changed)
						check("changed answer", counts(base, mine, surveys.TallyFields(q, c.changed, p)))
						record("p", surveys.Answer{Skipped: true}, p, storage.Changed)
						check("skipped", counts(base, mine, surveys.TallyFields(q, surveys.Answer{Skipped: true}, p)))
						// given again under another profile: a round with buckets counts it under the
						// profile of the first answer; the earlier layout under the profile given
						record("p", c.first, moved, storage.Changed)
						counted := p
						if layout == "legacy" {
							counted = moved
						}
						final := counts(base, mine, surveys.TallyFields(q, c.first, counted))
						check("answered again after moving", final)
						if ok, err := st.Complete(ctx, rid, "p"); err != nil || !ok {
							t.Fatalf("complete: got %v %v, want true", ok, err)
						}
						if ok, err := st.Complete(ctx, rid, "p"); err != nil || ok {
							t.Fatalf("complete again: got %v %v, want false", ok, err)
						}
						check("completed", counts(final, []string{surveys.FieldCompleted}))

						answers, err := st.Answers(ctx, rid, "p")
						if err != nil {
							t.Fatal(err)
						}
						if want := map[string]string{c.field: surveys.EncodeAnswer(q, c.first)}; !maps.Equal(answers, want) {
							t.Errorf("answers: got %q, want %q", answers, want)
						}
						if done, err := st.Completed(ctx, rid, "p"); err != nil || !done {
							t.Errorf("completed: got %v %v, want true", done, err)
						}
						if done, err := st.Completed(ctx, rid, "ander"); err != nil || done {
							t.Errorf("completed (ander): got %v %v, want false", done, err)
						}

						changed, err := st.ForgetInRound(ctx, rid, "p", storage.Erase)
						if err != nil || !changed {
							t.Fatalf("erase: got %v %v, want true", changed, err)
						}
						check("erased", base)
						if changed, err := st.ForgetInRound(ctx, rid, "p", storage.Erase); err != nil || changed {
							t.Errorf("erase again: got %v %v, want false", changed, err)
						}
						check("erased twice", base)
						if a, err := st.Answers(ctx, rid, "p"); err != nil || len(a) != 0 {
							t.Errorf("answers after erasure: got %v %v, want none", a, err)
						}
						if q.Type == surveys.Open {
							texts, err := st.OpenTexts(ctx, rid, []string{q.ID})
							if err != nil || !slices.Equal(texts[q.ID], []string{c.changed.Text}) {
								t.Errorf("open texts after erasure: got %q %v, want only ander's", texts[q.ID], err)
							}
						}
					})
				}
			}
		}
	})
}

// TestAnswersAndRespondents reads a round's answers back: per participant (open
// answers with their text), as respondents with their profile, and as members.
func TestAnswersAndRespondents(t *testing.T) {
	servers(t, func(t *testing.T, rdb *redis.Client) {
		st := storage.New(rdb)
		ctx := context.Background()
		openRound(t, st, "r1")
		cases := answerCases()
		want := map[string]map[string]string{}
		profileOf := map[string]surveys.Profile{}
		for i := range 300 {
			pid := fmt.Sprintf("p%03d", i)
			p := profiles[i%len(profiles)].p
			profileOf[pid] = p
			want[pid] = map[string]string{}
			for j, c := range cases[:i%len(cases)+1] {
				a := c.first
				if (i+j)%3 == 0 {
					a = c.changed
				}
				v := surveys.EncodeAnswer(c.q, a)
				if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: pid, Field: c.field, Value: v,
					Kern: p.Kern, Leeftijd: p.Leeftijd, Panel: p.Panel, Lang: p.Lang}); err != nil {
					t.Fatal(err)
				}
				want[pid][c.field] = v
			}
		}
		// completed without an answer: not a respondent, not a member
		if _, err := st.Complete(ctx, "r1", "alleen-klaar"); err != nil {
			t.Fatal(err)
		}
		for _, pid := range []string{"p000", "p006", "p299"} {
			got, err := st.Answers(ctx, "r1", pid)
			if err != nil || !maps.Equal(got, want[pid]) {
				t.Errorf("answers of %s: got %q %v, want %q", pid, got, err, want[pid])
			}
		}
		seen := map[string]bool{}
		err := st.Respondents(ctx, "r1", func(r storage.RespondentRecord) error {
			if seen[r.Participant] {
				t.Errorf("respondent %s twice", r.Participant)
			}
			seen[r.Participant] = true
			if !maps.Equal(r.Answers, want[r.Participant]) {
				t.Errorf("respondent %s answers: got %q, want %q", r.Participant, r.Answers, want[r.Participant])
			}
			if w := surveys.RespondentFields(profileOf[r.Participant]); !slices.Equal(r.Tallies, w) {
				t.Errorf("respondent %s tallies: got %q, want %q", r.Participant, r.Tallies, w)
			}
			return nil
		})
		if err != nil || len(seen) != len(want) {
			t.Errorf("respondents: got %d, %v; want %d", len(seen), err, len(want))
		}
		var members []string
		if err := st.Members(ctx, "r1", func(pid string) error { members = append(members, pid); return nil }); err != nil {
			t.Fatal(err)
		}
		if slices.Sort(members); !slices.Equal(members, slices.Sorted(maps.Keys(want))) {
			t.Errorf("members: got %d (%v…), want %d", len(members), members[:min(3, len(members))], len(want))
		}
		if done, err := st.Completed(ctx, "r1", "alleen-klaar"); err != nil || !done {
			t.Errorf("completed without answers: got %v %v, want true", done, err)
		}
	})
}

// TestBucketCount: a round fixes its bucket count from the active participants at
// creation, and keeps it.
func TestBucketCount(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	for _, tt := range []struct {
		active int
		want   int
	}{{0, 8}, {512, 8}, {513, 16}, {100_000, 2048}, {1_000_000, 16384}} {
		t.Run(fmt.Sprint(tt.active), func(t *testing.T) {
			srv.Flush(t)
			for first := 0; first < tt.active; first += 10000 {
				ids := make([]any, 0, 10000)
				for i := first; i < min(first+10000, tt.active); i++ {
					ids = append(ids, fmt.Sprint("p", i))
				}
				if err := rdb.SAdd(ctx, "pb:participants", ids...).Err(); err != nil {
					t.Fatal(err)
				}
			}
			openRound(t, st, "r1")
			r, err := st.Round(ctx, "r1")
			if err != nil || r.Buckets != tt.want {
				t.Fatalf("buckets: got %d %v, want %d", r.Buckets, err, tt.want)
			}
			rdb.SAdd(ctx, "pb:participants", "nieuw")
			if _, err := st.CreateRound(ctx, &storage.Round{ID: "r1", Survey: "s"}); err != nil {
				t.Fatal(err)
			}
			if r, _ := st.Round(ctx, "r1"); r.Buckets != tt.want {
				t.Errorf("buckets after creating again: got %d, want %d", r.Buckets, tt.want)
			}
		})
	}
}

// TestLayoutOfRecreatedRound: a store that cached a round's bucket count finds out
// when the round is made anew in another layout (a FLUSHALL between tests), and
// records and reads in the round as it is now.
func TestLayoutOfRecreatedRound(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	w := storage.AnswerWrite{Round: "r1", Participant: "p", Field: "positie", Value: "ovoor", Kern: "Dalfsen"}
	openLegacyRound(t, rdb, "r1")
	if _, err := st.RecordAnswer(ctx, w); err != nil {
		t.Fatal(err)
	}
	srv.Flush(t)
	openRound(t, st, "r1")
	if out, err := st.RecordAnswer(ctx, w); err != nil || out != storage.Added {
		t.Fatalf("record in the new round: got %v %v, want added", out, err)
	}
	if n := rdb.Exists(ctx, "pb:{r:r1}:a:p").Val(); n != 0 {
		t.Errorf("answer written in the layout before buckets")
	}
	srv.Flush(t)
	openLegacyRound(t, rdb, "r1")
	if ok, err := st.Complete(ctx, "r1", "p"); err != nil || !ok {
		t.Fatalf("complete in the legacy round: got %v %v", ok, err)
	}
	if !rdb.SIsMember(ctx, "pb:{r:r1}:done", "p").Val() {
		t.Errorf("completed not in the legacy set")
	}
}

// TestOverfullBuckets: more participants than a round's buckets were sized for
// (they joined after it was created) make the buckets ordinary hashes; every
// participant is still read once.
func TestOverfullBuckets(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	// Redis's default (some builds have 512)
	if err := rdb.ConfigSet(ctx, "hash-max-listpack-entries", "128").Err(); err != nil {
		t.Fatal(err)
	}
	openRound(t, st, "r1") // nobody active: 8 buckets
	const n = 1500
	for i := range n {
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "r1", Participant: fmt.Sprintf("p%04d", i), Field: "positie",
			Value: "ovoor", Kern: "Dalfsen"}); err != nil {
			t.Fatal(err)
		}
	}
	if enc := rdb.ObjectEncoding(ctx, "pb:{r:r1}:b:0").Val(); enc != "hashtable" {
		t.Fatalf("bucket encoding: got %s, want hashtable (the case tests overfull buckets)", enc)
	}
	members := map[string]int{}
	if err := st.Members(ctx, "r1", func(pid string) error { members[pid]++; return nil }); err != nil {
		t.Fatal(err)
	}
	respondents := map[string]int{}
	if err := st.Respondents(ctx, "r1", func(r storage.RespondentRecord) error { respondents[r.Participant]++; return nil }); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]map[string]int{"members": members, "respondents": respondents} {
		twice := 0
		for _, c := range got {
			if c != 1 {
				twice++
			}
		}
		if len(got) != n || twice > 0 {
			t.Errorf("%s: got %d, %d more than once; want %d once each", name, len(got), twice, n)
		}
	}
}
