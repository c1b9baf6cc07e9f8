package storage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestClosingStopsRecording: recording an answer takes the dictionary's mark for
// the open state; closing the round takes the mark out in the same step, so that
// a store that knows the mark (and one that does not) is refused from then on.
func TestClosingStopsRecording(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	openRound(t, st, "dicht")
	single := surveys.Question{ID: "positie", Type: surveys.Single}
	write := func(st *storage.Store, pid string) error {
		_, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "dicht", Participant: pid, Field: "positie",
			Value: surveys.EncodeAnswer(single, surveys.Answer{Options: []string{"voor"}}), Kern: "Dalfsen"})
		return err
	}
	for i := range 3 { // the first learns the mark, the others use it
		if err := write(st, fmt.Sprint("p", i)); err != nil {
			t.Fatal(err)
		}
	}
	if rdb.HGet(ctx, "pb:{r:dicht}:x", "open").Val() == "" {
		t.Fatal("no mark in the dictionary of an open round")
	}
	if ok, err := st.Transition(ctx, "dicht", storage.Opened, storage.Closed, time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)); err != nil || !ok {
		t.Fatalf("close: %v %v", ok, err)
	}
	if rdb.HExists(ctx, "pb:{r:dicht}:x", "open").Val() {
		t.Error("the mark outlived the open state")
	}
	for _, s := range []*storage.Store{st, storage.New(rdb)} {
		if err := write(s, "p9"); !errors.Is(err, storage.ErrRoundClosed) {
			t.Errorf("answer after closing: got %v, want ErrRoundClosed", err)
		}
	}
	if tallies, _ := st.Tallies(ctx, "dicht"); tallies["q:positie:n"] != 3 || tallies["respondents"] != 3 {
		t.Errorf("tallies after closing: %v", tallies)
	}
}

// TestDictionaryNumbersOfARoundMadeAgain: a store keeps the dictionary numbers it
// learnt; when the round is made again (a FLUSHALL), with its names numbered in
// another order, the numbers it knows are of another mark and are not used.
func TestDictionaryNumbersOfARoundMadeAgain(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	qs := []surveys.Question{{ID: "a", Type: surveys.Single}, {ID: "b", Type: surveys.Likert}, {ID: "c", Type: surveys.Multiple}}
	answer := func(q surveys.Question, opts ...string) string {
		return surveys.EncodeAnswer(q, surveys.Answer{Options: opts})
	}
	record := func(st *storage.Store, pid string, q surveys.Question, v string) {
		t.Helper()
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "weer", Participant: pid, Field: q.ID, Value: v, Kern: "Ankum"}); err != nil {
			t.Fatal(err)
		}
	}
	openRound(t, st, "weer")
	for i := range 3 {
		pid := fmt.Sprint("p", i)
		record(st, pid, qs[0], answer(qs[0], "x"))
		record(st, pid, qs[1], answer(qs[1], "3"))
		record(st, pid, qs[2], answer(qs[2], "y", "z"))
	}
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	// made again; another store numbers the names in the other order first
	openRound(t, st, "weer")
	other := storage.New(rdb)
	record(other, "q0", qs[2], answer(qs[2], "z", "3"))
	record(other, "q0", qs[1], answer(qs[1], "y"))
	record(other, "q0", qs[0], answer(qs[0], "3"))
	want := map[string]string{}
	for i := range 3 {
		pid := fmt.Sprint("p", i)
		record(st, pid, qs[0], answer(qs[0], "x"))
		record(st, pid, qs[1], answer(qs[1], "3"))
		record(st, pid, qs[2], answer(qs[2], "y", "z"))
		want[pid] = fmt.Sprint(map[string]string{"a": answer(qs[0], "x"), "b": answer(qs[1], "3"), "c": answer(qs[2], "y", "z")})
	}
	for pid, w := range want {
		for _, s := range []*storage.Store{st, storage.New(rdb)} {
			got, err := s.Answers(ctx, "weer", pid)
			if err != nil || fmt.Sprint(got) != w {
				t.Errorf("answers of %s: got %v %v, want %v", pid, got, err, w)
			}
		}
	}
	p := surveys.Profile{Kern: "Ankum"}
	wantTallies := counts(nil, surveys.RespondentFields(p), surveys.TallyFields(qs[2], surveys.Answer{Options: []string{"z", "3"}}, p),
		surveys.TallyFields(qs[1], surveys.Answer{Options: []string{"y"}}, p), surveys.TallyFields(qs[0], surveys.Answer{Options: []string{"3"}}, p))
	for range 3 {
		wantTallies = counts(wantTallies, surveys.RespondentFields(p), surveys.TallyFields(qs[0], surveys.Answer{Options: []string{"x"}}, p),
			surveys.TallyFields(qs[1], surveys.Answer{Options: []string{"3"}}, p), surveys.TallyFields(qs[2], surveys.Answer{Options: []string{"y", "z"}}, p))
	}
	got, err := st.Tallies(ctx, "weer")
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTallies(got, wantTallies); d != "" {
		t.Errorf("tallies:\n%s", d)
	}
}

// TestSingleChoiceAnswersCountNoAnsweredCounter: in a round made now a
// single-choice answer moves only its option's counter (its "answered" counter
// always moves with it), and Tallies adds the answered counters up; a round with
// answers counted before (no "tn" in its meta) keeps counting them, and a
// multiple-choice question keeps its own.
func TestSingleChoiceAnswersCountNoAnsweredCounter(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	ctx := context.Background()
	single := surveys.Question{ID: "positie", Type: surveys.Single}
	multi := surveys.Question{ID: "wat", Type: surveys.Multiple}
	p := surveys.Profile{Kern: "Dalfsen", Leeftijd: "65+", Panel: true}
	voor := surveys.Answer{Options: []string{"voor"}}
	ticks := surveys.Answer{Options: []string{"a", "b"}}
	for _, before := range []bool{false, true} {
		rid := fmt.Sprint("tn-", before)
		st := storage.New(rdb)
		openRound(t, st, rid)
		w := storage.AnswerWrite{Round: rid, Participant: "p1", Field: single.ID, Value: surveys.EncodeAnswer(single, voor),
			Kern: p.Kern, Leeftijd: p.Leeftijd, Panel: true}
		if before {
			// as a version before: an answer counted in full, no mark and no tn
			if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: "p0", Field: multi.ID,
				Value: surveys.EncodeAnswer(multi, ticks), Kern: p.Kern}); err != nil {
				t.Fatal(err)
			}
			rdb.HDel(ctx, "pb:{r:"+rid+"}:meta", "tn")
			rdb.HDel(ctx, "pb:{r:"+rid+"}:x", "open")
			st = storage.New(rdb)
		}
		for _, pid := range []string{"p1", "p2"} {
			w.Participant = pid
			if _, err := st.RecordAnswer(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		w.Participant, w.Field, w.Value = "p1", multi.ID, surveys.EncodeAnswer(multi, ticks)
		if _, err := st.RecordAnswer(ctx, w); err != nil {
			t.Fatal(err)
		}
		raw := rdb.HGetAll(ctx, "pb:{r:"+rid+"}:t").Val()
		stored := false
		for k := range raw {
			stored = stored || strings.HasPrefix(k, "q:positie:n") || strings.HasPrefix(k, "panel:q:positie:n")
		}
		if stored != before {
			t.Errorf("before %v: answered counters of the single-choice question stored: %v (%v)", before, stored, raw)
		}
		if raw["q:wat:n:j:Dalfsen:65+"] != "1" {
			t.Errorf("before %v: the multiple-choice question's answered counter: %v", before, raw)
		}
		want := counts(nil, surveys.RespondentFields(p), surveys.TallyFields(single, voor, p), surveys.RespondentFields(p),
			surveys.TallyFields(single, voor, p), surveys.TallyFields(multi, ticks, p))
		if before {
			q := surveys.Profile{Kern: p.Kern}
			want = counts(want, surveys.RespondentFields(q), surveys.TallyFields(multi, ticks, q))
		}
		got, err := st.Tallies(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffTallies(got, want); d != "" {
			t.Errorf("before %v: tallies:\n%s", before, d)
		}
		// erasing takes off exactly what was added
		if _, err := st.ForgetInRound(ctx, rid, "p2", storage.Erase); err != nil {
			t.Fatal(err)
		}
		want = counts(want)
		for _, f := range append(surveys.RespondentFields(p), surveys.TallyFields(single, voor, p)...) {
			if want[f]--; want[f] == 0 {
				delete(want, f)
			}
		}
		if got, _ := st.Tallies(ctx, rid); diffTallies(got, want) != "" {
			t.Errorf("before %v: after erasing:\n%s", before, diffTallies(got, want))
		}
	}
	// a single-choice value takes one option in such a round
	st := storage.New(rdb)
	if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: "tn-false", Participant: "p3", Field: single.ID, Value: "oa,b"}); err == nil {
		t.Error("a single-choice value with two options was recorded")
	}
}
