package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// readDutchCSV reads a CSV as Excel and LibreOffice in Dutch do: a UTF-8 byte
// order mark first, ';' between the cells, every row as wide as the header.
func readDutchCSV(t *testing.T, s string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(s, "\ufeff")
	if !ok {
		t.Fatalf("got %q at the start, want the UTF-8 byte order mark", s[:min(len(s), 8)])
	}
	cr := csv.NewReader(strings.NewReader(body))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("parse with Comma ';': got %d rows, %v; want a header and rows of its width", len(rows), err)
	}
	return rows
}

func TestResultsHelpListsFormats(t *testing.T) {
	env, _ := quietEnv(t)
	code, out, _ := runQuick(t, []string{"results", "--help"}, env)
	if code != 0 {
		t.Fatalf("exit: got %d, want 0", code)
	}
	for _, want := range []string{"Formaten:", "  text ", "  json ", "  csv  ", "decimale komma", "  csv-intl ", "voor scripts",
		"  xlsx ", "Excel-werkmap", "  png ", "één bestand per vraag", "--out BESTAND", "--format png --out MAP"} {
		if !strings.Contains(out, want) {
			t.Errorf("results --help: got\n%s\nwant it to contain %q", out, want)
		}
	}
}

func TestResultsFormatCommandLines(t *testing.T) {
	tests := []struct {
		args []string
		want string // the Dutch error on stderr
	}{
		{[]string{"results", "r1", "--format", "xml"}, `onbekend formaat "xml": kies text, json, csv, csv-intl, xlsx of png`},
		{[]string{"results", "r1", "--format", "CSV"}, `onbekend formaat "CSV": kies text`},
		{[]string{"results", "r1", "--raw", "--format", "xlsx"}, `onbekend formaat "xlsx" voor de losse antwoorden: kies csv, csv-intl of json`},
		{[]string{"results", "r1", "--raw", "--format", "png", "--out", "x"}, `onbekend formaat "png" voor de losse antwoorden`},
		{[]string{"results", "r1", "--format", "png"}, "--format png schrijft de grafieken in een map: geef die met --out MAP"},
		{[]string{"results", "r1", "--format", "png", "--out", "x", "--intern"}, "--intern kan niet met --format png"},
		{[]string{"results", "r1", "--out"}, "optie -out heeft een waarde nodig"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			env, dataDir := quietEnv(t)
			code, out, errOut := runQuick(t, tc.args, env)
			if code != 2 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "Formaten:") {
				t.Errorf("got exit %d, stderr %q; want 2, %q and the help", code, errOut, tc.want)
			}
			if out != "" {
				t.Errorf("stdout: got %q, want nothing", out)
			}
			if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
				t.Errorf("DATA_DIR %s exists after a refused command line (stat: %v)", dataDir, err)
			}
		})
	}
}

// TestXLSXNotOnTerminal: a workbook is refused on a terminal (a pseudo
// terminal here), not on a file, a pipe or os.DevNull.
func TestXLSXNotOnTerminal(t *testing.T) {
	open := func(t *testing.T, name string, flag int) *os.File {
		f, err := os.OpenFile(name, flag, 0o600)
		switch {
		case name == "/dev/ptmx" && errors.Is(err, os.ErrNotExist):
			// a container without pseudo terminals: nothing to be a terminal here
			t.Skipf("no pseudo terminal on this machine: %v", err)
		case err != nil:
			t.Fatalf("open %s: %v", name, err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		out  func(t *testing.T) io.Writer
		want bool
	}{
		{"buffer", func(*testing.T) io.Writer { return &bytes.Buffer{} }, false},
		{"file", func(t *testing.T) io.Writer {
			return open(t, filepath.Join(t.TempDir(), "x.xlsx"), os.O_CREATE|os.O_WRONLY)
		}, false},
		{"pipe", func(*testing.T) io.Writer { return w }, false},
		{"dev null", func(t *testing.T) io.Writer { return open(t, os.DevNull, os.O_WRONLY) }, false},
		{"terminal", func(t *testing.T) io.Writer { return open(t, "/dev/ptmx", os.O_RDWR) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.out(t)
			if got := isTerminal(out); got != tt.want {
				t.Errorf("isTerminal: got %v, want %v", got, tt.want)
			}
			_, err := parseResults([]string{"r1", "--format", "xlsx"}, out)
			var ue *usageError
			if refused := errors.As(err, &ue) && strings.Contains(ue.msg, "niet voor het scherm"); refused != tt.want {
				t.Errorf("parse: got %v, want refused %v", err, tt.want)
			}
		})
	}
}

// TestResultsFormats: one closed round with small groups (Hoonhorst 4,
// Oudleusen 1) in every format: the Dutch CSV holds the figures of csv-intl
// with a decimal comma, the workbook has numeric cells, the raw exports are
// Dutch by default, and the charts are those the stuurgroep gets, small groups
// hidden.
func TestResultsFormats(t *testing.T) {
	h, st, sv, rid, people := reidentRound(t)
	recordPeople(t, st, sv, rid, people, 0)
	h.cli("rounds", "close", rid)

	t.Run("csv for Dutch offices", func(t *testing.T) {
		nl := readDutchCSV(t, h.cli("results", rid, "--format", "csv"))
		intl, err := csv.NewReader(strings.NewReader(h.cli("results", rid, "--format", "csv-intl"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if nl[0][0] != "ronde" || nl[0][7] != "percentage" || intl[0][0] != "round" || intl[0][7] != "percent" {
			t.Errorf("headers: got %q and %q, want Dutch and English", nl[0], intl[0])
		}
		if len(nl) != len(intl) {
			t.Fatalf("rows: got %d, want %d as csv-intl", len(nl), len(intl))
		}
		commas := 0
		for i := 1; i < len(nl); i++ {
			for j, got := range nl[i] {
				want := intl[i][j]
				if f, err := strconv.ParseFloat(want, 64); err == nil && strings.Contains(want, ".") {
					g, err := strconv.ParseFloat(strings.Replace(got, ",", ".", 1), 64)
					if err != nil || g != f || !strings.Contains(got, ",") {
						t.Errorf("row %d col %s: got %q, want %s with a decimal comma", i, nl[0][j], got, want)
					}
					commas++
				} else if got != want {
					t.Errorf("row %d col %s: got %q, want %q", i, nl[0][j], got, want)
				}
			}
		}
		if commas == 0 {
			t.Errorf("no percentages compared")
		}
	})

	t.Run("xlsx", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "uitslag.xlsx")
		if out := h.cli("results", rid, "--format", "xlsx", "--out", path); out != path+"\n" {
			t.Errorf("stdout: got %q, want the path", out)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Uitslag")
		if err != nil || len(rows) < 2 || rows[0][0] != "ronde" || rows[0][7] != "percentage" {
			t.Fatalf("Uitslag: got %q (%v), want the Dutch header", rows[:min(len(rows), 1)], err)
		}
		if typ, _ := f.GetCellType("Uitslag", "H2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("percentage H2: got cell type %v, want a number", typ)
		}
		if v, _ := f.GetCellValue("Uitslag", "H2", excelize.Options{RawCellValue: true}); v == "" || strings.Contains(v, ",") {
			t.Errorf("percentage H2: got %q, want a number", v)
		} else if _, err := strconv.ParseFloat(v, 64); err != nil {
			t.Errorf("percentage H2: got %q, want a number", v)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("file: got %v (%v), want readable by its owner only", fi.Mode(), err)
		}
		if stdout := h.cli("results", rid, "--format", "xlsx"); !strings.HasPrefix(stdout, "PK") {
			t.Errorf("xlsx on stdout: got %q…, want the workbook (a zip)", stdout[:min(len(stdout), 8)])
		}
	})

	t.Run("raw answers", func(t *testing.T) {
		for _, args := range [][]string{{"--raw"}, {"--raw", "--publicatie"}, {"--raw", "--format", "csv"}} {
			rows := readDutchCSV(t, h.cli(append([]string{"results", rid}, args...)...))
			if rows[0][1] != "deelnemer" || rows[0][7] != "overgeslagen" {
				t.Errorf("%v header: got %q, want Dutch", args, rows[0])
			}
		}
		intl, err := csv.NewReader(strings.NewReader(h.cli("results", rid, "--raw", "--format", "csv-intl"))).ReadAll()
		if err != nil || intl[0][1] != "respondent" {
			t.Errorf("--raw --format csv-intl: got %q (%v), want the English header", intl[:min(len(intl), 1)], err)
		}
	})

	t.Run("png", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "grafieken", rid) // does not exist yet
		out := h.cli("results", rid, "--format", "png", "--out", dir)
		want := serviceCharts(t, st, sv, rid)
		var wantPaths []string
		for _, c := range want {
			wantPaths = append(wantPaths, filepath.Join(dir, c.Name))
		}
		if got := strings.Fields(out); !reflect.DeepEqual(got, wantPaths) {
			t.Fatalf("printed paths: got %q, want %q", got, wantPaths)
		}
		for _, name := range []string{"q1-positie.png", "q2-kansen.png", "q3-luistert.png", "q4-cijfer.png", "q6-waarden.png",
			"afspiegeling-kern.png"} {
			if !strings.Contains(out, filepath.Join(dir, name)) {
				t.Errorf("got %q, want %s among them", out, name)
			}
		}
		for _, c := range want {
			b, err := os.ReadFile(filepath.Join(dir, c.Name))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: got %v, want a PNG", c.Name, err)
			}
			// the bytes of the chart the stuurgroep gets: the same disclosure
			if !bytes.Equal(b, c.PNG) {
				t.Errorf("%s: not the chart rendered from the round's results", c.Name)
			}
		}
		kern := want[len(want)-1]
		for _, hidden := range []string{"Hoonhorst (<10): inwoners", "Oudleusen (<10): inwoners"} {
			if !strings.Contains(kern.Alt, hidden) {
				t.Errorf("%s: alt %q, want %q (a group under 10 hidden)", kern.Name, kern.Alt, hidden)
			}
		}
	})
}

// serviceCharts are the charts of a closed round as the service renders them
// for the stuurgroep: from the round's results, with the CLI's names.
func serviceCharts(t *testing.T, st *storage.Store, sv *surveys.Survey, rid string) []charts.Chart {
	t.Helper()
	ctx := context.Background()
	r, err := st.Round(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	pop, err := surveys.LoadPopulation(popFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := rounds.Results(ctx, st, sv, r, rounds.Analysis{Threshold: 10, Population: pop})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Afspiegeling.Kern {
		if (c.Group == "Hoonhorst" || c.Group == "Oudleusen") && (!c.Suppressed || c.Respondents != 0) {
			t.Fatalf("test round: %s shown with %d respondents, want it suppressed", c.Group, c.Respondents)
		}
	}
	var out []charts.Chart
	for i, q := range res.Questions {
		c, ok, err := charts.Question(q)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			c.Name = "q" + strconv.Itoa(i+1) + "-" + q.ID + ".png"
			out = append(out, c)
		}
	}
	afs, err := charts.AfspiegelingOf(res)
	if err != nil || len(afs) != 1 {
		t.Fatalf("afspiegeling charts: got %d (%v), want per kern (the population table has no leeftijdsgroepen)", len(afs), err)
	}
	return append(out, afs...)
}

// TestResultsPNGWithheld: an open round and a round of 8 get no charts, and no
// folder is made for them.
func TestResultsPNGWithheld(t *testing.T) {
	h, st, sv, rid, people := reidentRound(t)
	recordPeople(t, st, sv, rid, people[:8], 0)
	tests := []struct {
		name  string
		close bool
		want  string
	}{
		{"open", false, "de grafieken van ronde " + rid + " zijn beschikbaar zodra de ronde gesloten is"},
		{"8 participants", true, "ronde " + rid + " heeft minder dan 10 deelnemers: daarvan maken we geen grafieken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.close {
				h.cli("rounds", "close", rid)
			}
			dir := filepath.Join(t.TempDir(), "grafieken")
			if got := h.cliFails(h.env, "results", rid, "--format", "png", "--out", dir); !strings.Contains(got, tt.want) {
				t.Errorf("stderr: got %q, want %q", got, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("folder %s: got %v, want none made", dir, err)
			}
		})
	}
}
