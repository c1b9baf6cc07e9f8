package storage_test

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// roundKeys lists a round's keys matching the patterns (after "pb:{r:<rid>}").
func roundKeys(t *testing.T, rdb *redis.Client, rid string, patterns ...string) []string {
	t.Helper()
	var out []string
	for _, p := range patterns {
		keys, err := rdb.Keys(context.Background(), "pb:{r:"+rid+"}"+p).Result()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, keys...)
	}
	slices.Sort(out)
	return out
}

// TestLegacyRound: a round written by a version before buckets (JSON answers, a
// "t:<field>" list per answer, members and completed sets, written here with raw
// commands as that version did) keeps working for every operation.
func TestLegacyRound(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	openLegacyRound(t, rdb, "oud")
	single := surveys.Question{ID: "positie", Type: surveys.Single, Options: options("voor", "tegen")}
	open := surveys.Question{ID: "beter", Type: surveys.Open, Optional: true}
	p := surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"}
	// what the earlier recordAnswer and complete scripts left behind
	voor, text := surveys.Answer{Options: []string{"voor"}}, surveys.Answer{Text: "Meer bankjes"}
	oldTallies := counts(nil, surveys.RespondentFields(p), surveys.TallyFields(single, voor, p), surveys.TallyFields(open, text, p),
		[]string{surveys.FieldCompleted})
	pipe := rdb.TxPipeline()
	pipe.HSet(ctx, "pb:{r:oud}:a:oud", "positie", `{"options":["voor"]}`, "t:positie", strings.Join(surveys.TallyFields(single, voor, p), "\n"),
		"beter", `{"text":"Meer bankjes"}`, "t:beter", strings.Join(surveys.TallyFields(open, text, p), "\n"),
		"t:@respondent", strings.Join(surveys.RespondentFields(p), "\n"))
	pipe.HSet(ctx, "pb:{r:oud}:open:beter", "oud", "Meer bankjes")
	pipe.SAdd(ctx, "pb:{r:oud}:p", "oud")
	pipe.SAdd(ctx, "pb:{r:oud}:done", "oud")
	for f, n := range oldTallies {
		pipe.HIncrBy(ctx, "pb:{r:oud}:t", f, n)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	tallies := func() map[string]int64 {
		t.Helper()
		m, err := st.Tallies(ctx, "oud")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	// reading
	if r, err := st.Round(ctx, "oud"); err != nil || r.Buckets != 0 {
		t.Fatalf("round: got %+v %v, want no buckets", r, err)
	}
	answers, err := st.Answers(ctx, "oud", "oud")
	if err != nil || len(answers) != 2 {
		t.Fatalf("answers: got %q %v", answers, err)
	}
	if a, err := surveys.DecodeAnswer(answers["positie"]); err != nil || !slices.Equal(a.Options, []string{"voor"}) {
		t.Errorf("positie: got %+v %v", a, err)
	}
	if a, err := surveys.DecodeAnswer(answers["beter"]); err != nil || a.Text != "Meer bankjes" {
		t.Errorf("beter: got %+v %v", a, err)
	}
	if done, err := st.Completed(ctx, "oud", "oud"); err != nil || !done {
		t.Errorf("completed: got %v %v", done, err)
	}
	var recs []storage.RespondentRecord
	if err := st.Respondents(ctx, "oud", func(r storage.RespondentRecord) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || !slices.Contains(recs[0].Tallies, "respondents:k:Dalfsen") || recs[0].Answers["positie"] != `{"options":["voor"]}` {
		t.Errorf("respondents: got %+v", recs)
	}

	// answering: the same answer again is a double tap; a change undoes the stored list
	w := storage.AnswerWrite{Round: "oud", Participant: "oud", Field: "positie", Value: surveys.EncodeAnswer(single, voor), Kern: p.Kern, Leeftijd: p.Leeftijd}
	if out, err := st.RecordAnswer(ctx, w); err != nil || out != storage.Unchanged {
		t.Errorf("double tap on a JSON answer: got %v %v, want unchanged", out, err)
	}
	tegen := surveys.Answer{Options: []string{"tegen"}}
	w.Value = surveys.EncodeAnswer(single, tegen)
	if out, err := st.RecordAnswer(ctx, w); err != nil || out != storage.Changed {
		t.Fatalf("change: got %v %v, want changed", out, err)
	}
	changed := counts(nil, surveys.RespondentFields(p), surveys.TallyFields(single, tegen, p), surveys.TallyFields(open, text, p),
		[]string{surveys.FieldCompleted})
	if d := diffTallies(tallies(), changed); d != "" {
		t.Errorf("after the change:\n%s", d)
	}
	if ok, err := st.Complete(ctx, "oud", "oud"); err != nil || ok {
		t.Errorf("complete again: got %v %v, want false", ok, err)
	}

	// a newcomer is written in the round's own layout
	q := surveys.Profile{Kern: "Ankum"}
	nw := storage.AnswerWrite{Round: "oud", Participant: "nieuw", Field: "beter", Value: surveys.EncodeAnswer(open, surveys.Answer{Text: "Hallo"}), Kern: q.Kern}
	if out, err := st.RecordAnswer(ctx, nw); err != nil || out != storage.Added {
		t.Fatalf("newcomer: got %v %v, want added", out, err)
	}
	if ok, err := st.Complete(ctx, "oud", "nieuw"); err != nil || !ok {
		t.Fatalf("complete newcomer: got %v %v", ok, err)
	}
	if !rdb.SIsMember(ctx, "pb:{r:oud}:p", "nieuw").Val() || !rdb.SIsMember(ctx, "pb:{r:oud}:done", "nieuw").Val() ||
		rdb.HGet(ctx, "pb:{r:oud}:a:nieuw", "t:beter").Val() == "" {
		t.Errorf("newcomer not in the layout before buckets: %v", rdb.HGetAll(ctx, "pb:{r:oud}:a:nieuw").Val())
	}
	if got := roundKeys(t, rdb, "oud", ":b:*", ":x"); len(got) != 0 {
		t.Errorf("bucket keys in a round without buckets: %v", got)
	}
	var members []string
	if err := st.Members(ctx, "oud", func(pid string) error { members = append(members, pid); return nil }); err != nil {
		t.Fatal(err)
	}
	if slices.Sort(members); !slices.Equal(members, []string{"nieuw", "oud"}) {
		t.Errorf("members: got %v", members)
	}
	// the broadcasts' batch reads
	ask := []string{"oud", "niemand", "nieuw"}
	started, completed, err := st.InRound(ctx, "oud", ask)
	if err != nil || fmt.Sprint(started, completed) != "[true false true] [true false true]" {
		t.Errorf("in round: got %v %v %v", started, completed, err)
	}
	batch, err := st.AnswersOf(ctx, "oud", ask)
	if err != nil || len(batch) != 3 || batch[0]["positie"] != w.Value || batch[2]["beter"] != nw.Value || len(batch[1]) != 0 {
		t.Errorf("answers of: got %q %v", batch, err)
	}
	var pages []string
	if err := st.ScanMembers(ctx, "oud", 1, func(b []string) error { pages = append(pages, b...); return nil }); err != nil {
		t.Fatal(err)
	}
	if slices.Sort(pages); !slices.Equal(pages, []string{"nieuw", "oud"}) {
		t.Errorf("scan members: got %v", pages)
	}
	newcomer := counts(nil, surveys.RespondentFields(q), surveys.TallyFields(open, surveys.Answer{Text: "Hallo"}, q), []string{surveys.FieldCompleted})

	// erasing the first takes their counters off; unlinking the newcomer keeps theirs
	if ch, err := st.ForgetInRound(ctx, "oud", "oud", storage.Erase); err != nil || !ch {
		t.Fatalf("erase: got %v %v", ch, err)
	}
	if d := diffTallies(tallies(), newcomer); d != "" {
		t.Errorf("after the erasure:\n%s", d)
	}
	if ch, err := st.ForgetInRound(ctx, "oud", "nieuw", storage.Unlink); err != nil || ch {
		t.Fatalf("unlink: got %v %v", ch, err)
	}
	if d := diffTallies(tallies(), newcomer); d != "" {
		t.Errorf("after unlinking:\n%s", d)
	}
	texts := rdb.HGetAll(ctx, "pb:{r:oud}:open:beter").Val()
	if slices.Collect(maps.Values(texts))[0] != "Hallo" || len(texts) != 1 || texts["nieuw"] != "" {
		t.Errorf("open texts after unlinking: got %v, want Hallo under a random id", texts)
	}

	// purging leaves the tallies only
	if err := st.PurgeRound(ctx, "oud", []string{"beter"}, time.Unix(1_800_000_000, 0)); err != nil {
		t.Fatal(err)
	}
	if got := roundKeys(t, rdb, "oud", ":a:*", ":s:*", ":open:*", ":p", ":done"); len(got) != 0 {
		t.Errorf("raw keys after purging: %v", got)
	}
	if d := diffTallies(tallies(), newcomer); d != "" {
		t.Errorf("after purging:\n%s", d)
	}
}

// TestUnlinkAndPurge: unlinking keeps a participant's counters and open text without
// their name; purging a round with buckets deletes its buckets, dictionary, sessions
// and open texts, and keeps the tallies.
func TestUnlinkAndPurge(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	openRound(t, st, "r1")
	open := surveys.Question{ID: "beter", Type: surveys.Open}
	single := surveys.Question{ID: "positie", Type: surveys.Single}
	for i := range 40 {
		pid := fmt.Sprintf("p%02d", i)
		for _, w := range []storage.AnswerWrite{
			{Field: "positie", Value: surveys.EncodeAnswer(single, surveys.Answer{Options: []string{"voor"}})},
			{Field: "beter", Value: surveys.EncodeAnswer(open, surveys.Answer{Text: fmt.Sprintf("Tekst nummer %d", i)})},
		} {
			w.Round, w.Participant, w.Kern = "r1", pid, "Dalfsen"
			if _, err := st.RecordAnswer(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Complete(ctx, "r1", pid); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveSession(ctx, "r1", pid, &storage.Session{Pos: 2}, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	before, err := st.Tallies(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if ch, err := st.ForgetInRound(ctx, "r1", "p07", storage.Unlink); err != nil || ch {
		t.Fatalf("unlink: got %v %v", ch, err)
	}
	after, _ := st.Tallies(ctx, "r1")
	if d := diffTallies(after, before); d != "" {
		t.Errorf("tallies after unlinking:\n%s", d)
	}
	texts := rdb.HGetAll(ctx, "pb:{r:r1}:open:beter").Val()
	if _, named := texts["p07"]; named || !slices.Contains(slices.Collect(maps.Values(texts)), "Tekst nummer 7") || len(texts) != 40 {
		t.Errorf("open texts after unlinking: p07 named %v, %d texts, want the text kept without the name", named, len(texts))
	}
	if a, _ := st.Answers(ctx, "r1", "p07"); len(a) != 0 || rdb.Exists(ctx, "pb:{r:r1}:s:p07").Val() != 0 {
		t.Errorf("after unlinking: answers %v, session %d", a, rdb.Exists(ctx, "pb:{r:r1}:s:p07").Val())
	}
	if found := redistest.Find(t, rdb, "p07"); len(found) != 0 {
		t.Errorf("after unlinking Redis still names p07:\n%s", strings.Join(found, "\n"))
	}

	if err := st.PurgeRound(ctx, "r1", nil, time.Unix(1_800_000_000, 0)); err != nil {
		t.Fatal(err)
	}
	if got := roundKeys(t, rdb, "r1", ":b:*", ":x", ":s:*", ":open:*", ":a:*", ":p", ":done"); len(got) != 0 {
		t.Errorf("raw keys after purging: %v", got)
	}
	purged, _ := st.Tallies(ctx, "r1")
	if d := diffTallies(purged, before); d != "" {
		t.Errorf("tallies after purging:\n%s", d)
	}
	if r, err := st.Round(ctx, "r1"); err != nil || r.PurgedAt.IsZero() {
		t.Errorf("purged at: got %+v %v", r, err)
	}
	if err := st.PurgeRound(ctx, "r1", nil, time.Unix(1_800_000_000, 0)); err != nil {
		t.Errorf("purge again: %v", err)
	}
}

// monitored is one command seen by MONITOR.
type monitored struct {
	lua  bool // run by a script
	args []string
}

// monitor follows MONITOR on its own connection and passes on every command seen.
func monitor(t *testing.T, addr string) <-chan monitored {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.Write([]byte("MONITOR\r\n")); err != nil {
		t.Fatal(err)
	}
	rd := bufio.NewReader(conn)
	if l, err := rd.ReadString('\n'); err != nil || l != "+OK\r\n" {
		t.Fatalf("monitor: got %q %v", l, err)
	}
	out := make(chan monitored, 1<<16)
	go func() {
		defer close(out)
		for {
			l, err := rd.ReadString('\n')
			if err != nil {
				return
			}
			// +1700000000.123456 [0 lua] "HGET" "pb:{r:r1}:meta" "state"
			head, rest, ok := strings.Cut(strings.TrimRight(l, "\r\n"), "] ")
			if ok {
				out <- monitored{lua: strings.HasSuffix(head, " lua"), args: quoted(rest)}
			}
		}
	}()
	return out
}

// quoted splits MONITOR's "arg" "arg" … into the arguments.
func quoted(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			return out
		}
		j := i + 1
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			return out
		}
		a, err := strconv.Unquote(s[i : j+1])
		if err != nil {
			a = s[i+1 : j]
		}
		out = append(out, a)
		s = s[j+1:]
	}
}

// TestScriptsKeepToTheRoundsHashTag runs every answer script on a round with buckets
// and on one without, watching with MONITOR: every key a script touches is one of
// that round's, in its hash tag {r:<rid>} (one Redis Cluster slot), and each script
// was given the keys it touched (KEYS), so a Cluster client can route it.
func TestScriptsKeepToTheRoundsHashTag(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	seen := monitor(t, srv.Addr)
	keysOf := func(args []string) []string {
		a := make([]any, len(args))
		for i, x := range args {
			a[i] = x
		}
		keys, err := rdb.CommandGetKeys(ctx, a...).Result()
		if err != nil && !strings.Contains(err.Error(), "no key") && !strings.Contains(err.Error(), "not a") {
			t.Fatalf("keys of %q: %v", args, err)
		}
		return keys
	}
	for _, layout := range []string{"buckets", "legacy"} {
		t.Run(layout, func(t *testing.T) {
			rid := "tag-" + layout
			if layout == "legacy" {
				openLegacyRound(t, rdb, rid)
			} else {
				openRound(t, st, rid)
			}
			for i, c := range answerCases() {
				for _, a := range []surveys.Answer{c.first, c.changed, {Skipped: true}} {
					pid := fmt.Sprint("p", i%3)
					if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: c.field,
						Value: surveys.EncodeAnswer(c.q, a), Kern: "Dalfsen", Leeftijd: "65+"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, pid := range []string{"p0", "p1", "p2"} {
				if _, err := st.Complete(ctx, rid, pid); err != nil {
					t.Fatal(err)
				}
				if _, err := st.Answers(ctx, rid, pid); err != nil {
					t.Fatal(err)
				}
			}
			if err := st.Respondents(ctx, rid, func(storage.RespondentRecord) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if _, err := st.ForgetInRound(ctx, rid, "p0", storage.Erase); err != nil {
				t.Fatal(err)
			}
			if _, err := st.ForgetInRound(ctx, rid, "p1", storage.Unlink); err != nil {
				t.Fatal(err)
			}
			if err := st.PurgeRound(ctx, rid, []string{"beter"}, time.Now()); err != nil {
				t.Fatal(err)
			}
			rdb.Echo(ctx, "monitor-stop")

			tag := "pb:{r:" + rid + "}:"
			var declared []string // the KEYS of the script running
			scripts, touched := 0, 0
			deadline := time.After(30 * time.Second)
			for done := false; !done; {
				select {
				case m, ok := <-seen:
					if !ok {
						t.Fatal("monitor ended")
					}
					switch {
					case len(m.args) > 0 && strings.EqualFold(m.args[0], "echo") && slices.Contains(m.args, "monitor-stop"):
						done = true
					case !m.lua && len(m.args) > 2 && (strings.EqualFold(m.args[0], "evalsha") || strings.EqualFold(m.args[0], "eval")):
						n, _ := strconv.Atoi(m.args[2])
						declared = m.args[3 : 3+n]
						scripts++
						for _, k := range declared {
							if !strings.HasPrefix(k, tag) {
								t.Errorf("script declared %s, outside %s", k, tag)
							}
						}
					case m.lua:
						for _, k := range keysOf(m.args) {
							touched++
							if !strings.HasPrefix(k, tag) {
								t.Errorf("%s touched %s, outside %s", m.args[0], k, tag)
							}
							if !slices.Contains(declared, k) {
								t.Errorf("%s touched %s, not among the script's KEYS %q", m.args[0], k, declared)
							}
						}
					}
				case <-deadline:
					t.Fatal("MONITOR did not show the end marker within 30 s")
				}
			}
			if scripts < 20 || touched < 100 {
				t.Errorf("saw %d scripts touching %d keys: the monitor missed them", scripts, touched)
			}
		})
	}
}
