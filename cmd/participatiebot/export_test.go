package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// checkRawExports exports a round's raw answers through the CLI and checks them
// against what the residents did: every resident's answers exactly once, under an
// export id that is neither their platform id nor their storage pseudonym, with
// the kern they gave; and the publication version without ids, texts or small
// groups.
func checkRawExports(t *testing.T, h *harness, rid string, exp *expect, kernOf map[int64]string) {
	t.Helper()
	var raw struct {
		Round       string
		Respondents []results.RawRespondent
	}
	out := h.cli("results", rid, "--raw", "--format", "json")
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("raw json: %v", err)
	}
	if raw.Round != rid || len(raw.Respondents) != len(exp.answers) {
		t.Fatalf("raw export: got %d respondents of round %q, want %d of %s", len(raw.Respondents), raw.Round, len(exp.answers), rid)
	}
	// Match each exported respondent to the resident with the same answers.
	key := func(kern string, answers map[string]surveys.Answer) string {
		b, _ := json.Marshal(answers) // map keys are sorted
		return kern + "|" + string(b)
	}
	want := map[string]int{}
	for uid, a := range exp.answers {
		want[key(kernOf[uid], a)]++
		if regexp.MustCompile(`\b` + strconv.FormatInt(uid, 10) + `\b`).MatchString(out) {
			t.Errorf("raw export holds platform id %d", uid)
		}
	}
	idShape := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, r := range raw.Respondents {
		if !idShape.MatchString(r.ID) {
			t.Errorf("export id %q, want 16 hex digits", r.ID)
		}
		k := key(r.Kern, r.Answers)
		if want[k] == 0 {
			t.Errorf("exported respondent %s (%s) matches no resident's answers", r.ID, r.Kern)
		}
		want[k]--
	}
	// The same ids twice: stable within the round.
	again := h.cli("results", rid, "--raw", "--format", "json")
	if again != out {
		t.Errorf("raw export differs between two runs")
	}

	pub := h.cli("results", rid, "--raw", "--publicatie", "--format", "csv-intl")
	rows, err := csv.NewReader(strings.NewReader(pub)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("publication csv: %v, %d rows", err, len(rows))
	}
	combos := map[string]map[string]bool{} // kern/leeftijd -> respondents
	for _, row := range rows[1:] {
		if _, err := strconv.Atoi(row[1]); err != nil {
			t.Errorf("publication respondent %q, want a number", row[1])
		}
		if row[6] == string(surveys.Open) && row[11] != results.OmittedText && row[11] != "" {
			t.Errorf("publication holds open answer %q", row[11])
		}
		c := row[2] + "/" + row[3]
		if combos[c] == nil {
			combos[c] = map[string]bool{}
		}
		combos[c][row[1]] = true
	}
	var small []string
	for c, rs := range combos {
		if len(rs) < 10 && c != results.Suppressed+"/"+results.Suppressed {
			small = append(small, fmt.Sprintf("%s: %d", c, len(rs)))
		}
	}
	sort.Strings(small)
	if len(small) > 0 {
		t.Errorf("publication shows combinations under 10: %v", small)
	}
	if bytes.Contains([]byte(pub), []byte(raw.Respondents[0].ID)) {
		t.Errorf("publication holds an export id")
	}
}

// resultCharts are the charts a participant should get with the results: one per
// chartable question, as the charts package renders them from the results the
// test checked.
func resultCharts(t *testing.T, res *results.Results) []charts.Chart {
	t.Helper()
	var out []charts.Chart
	for _, q := range res.Questions {
		c, ok, err := charts.Question(q)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatal("no chartable questions")
	}
	return out
}

// checkCharts checks that a chat holds exactly the charts wanted, after the
// results message, as phone-sized PNGs with their alt text as caption.
func checkCharts(t *testing.T, msgs []telegramtest.Sent, want []charts.Chart) {
	t.Helper()
	var photos []telegramtest.Sent
	seenResults := false
	for _, m := range msgs {
		seenResults = seenResults || strings.HasPrefix(m.Text, "Bedankt voor uw deelname")
		if m.Photo != nil {
			if !seenResults {
				t.Errorf("chart before the results message")
			}
			photos = append(photos, m)
		}
	}
	if len(photos) != len(want) {
		t.Fatalf("got %d charts, want %d", len(photos), len(want))
	}
	for i, p := range photos {
		if p.Method != "sendMediaGroup" || p.MediaGroupID == "" || p.MediaGroupID != photos[0].MediaGroupID {
			t.Errorf("chart %d: sent by %s in album %q, want all in one album (sendMediaGroup)", i, p.Method, p.MediaGroupID)
		}
		if p.Text != telegram.DefaultLimits.ClipCaption(want[i].Alt) {
			t.Errorf("chart %d caption:\n%s\nwant\n%s", i, p.Text, want[i].Alt)
		}
		// the header alone: the bytes are those of the chart rendered here (decoding
		// every chart of every resident took most of this test's time under -race)
		cfg, err := png.DecodeConfig(bytes.NewReader(p.Photo.Bytes))
		if err != nil || cfg.Width != 1080 || !bytes.Equal(p.Photo.Bytes, want[i].PNG) {
			t.Errorf("chart %d: not the PNG rendered from the checked results (%v)", i, err)
		}
	}
}

// countPhotos counts the photos of msgs, alone (sendPhoto) or in an album
// (sendMediaGroup).
func countPhotos(msgs []telegramtest.Sent) int {
	n := 0
	for _, m := range msgs {
		if m.Photo != nil {
			n++
		}
	}
	return n
}

func countMethod(msgs []telegramtest.Sent, method string) int {
	n := 0
	for _, m := range msgs {
		if m.Method == method {
			n++
		}
	}
	return n
}

// lastPrefix is the text of the last message starting with prefix.
func lastPrefix(msgs []telegramtest.Sent, prefix string) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.HasPrefix(msgs[i].Text, prefix) {
			return msgs[i].Text
		}
	}
	return ""
}

// checkDigestCommand writes this month's stuurgroep digest through the CLI: the
// round just closed is in it, the files are written, and no open answer text
// appears anywhere.
func checkDigestCommand(t *testing.T, h *harness, sv *surveys.Survey, exp *expect) {
	t.Helper()
	dir := t.TempDir()
	loc, err := time.LoadLocation("Europe/Amsterdam") // the default TIMEZONE
	if err != nil {
		t.Fatal(err)
	}
	month := time.Now().In(loc).Format("2006-01") // the round closed just now
	out := h.cli("digest", "--maand", month, "--out", dir)
	if !strings.Contains(out, "Rondes in deze periode: 1") {
		t.Errorf("digest: got\n%s\nwant the round in it", out)
	}
	files, err := filepath.Glob(filepath.Join(dir, "participatie-digest-*"))
	if err != nil || len(files) != 2 {
		t.Fatalf("digest files: got %v, %v; want .md and .html", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), sv.Title) {
			t.Errorf("%s: no survey title %q", f, sv.Title)
		}
		for _, texts := range exp.open {
			for _, txt := range texts {
				if len(txt) > 12 && strings.Contains(string(b), txt) {
					t.Errorf("%s quotes an open answer: %q", f, txt)
				}
			}
		}
	}
}
