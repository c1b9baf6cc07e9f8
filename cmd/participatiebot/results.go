package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// resultFormats write a round's results; png writes a folder of charts instead
// (writeCharts).
var resultFormats = map[string]func(io.Writer, *results.Results) error{
	"text": results.WriteText, "json": results.WriteJSON, "csv": results.WriteCSV,
	"csv-intl": results.WriteCSVIntl, "xlsx": results.WriteXLSX,
}

// rawFormats write a round's raw answers (--raw).
var rawFormats = map[string]func(io.Writer, *surveys.Survey, string, []results.RawRespondent) error{
	"csv": results.WriteRawCSV, "csv-intl": results.WriteRawCSVIntl,
	"json": func(w io.Writer, _ *surveys.Survey, round string, rs []results.RawRespondent) error {
		return results.WriteRawJSON(w, round, rs)
	},
}

const (
	formatChoices    = "text, json, csv, csv-intl, xlsx of png"
	rawFormatChoices = "csv, csv-intl of json"
)

// resultsOptions is the command line of results.
type resultsOptions struct {
	round, format, out         string
	raw, publication, internal bool
	picks                      bool
}

// resultsCmd prints a round's results as text, JSON, CSV (for Dutch offices or
// for scripts) or a workbook, or writes its charts as PNG files: the same numbers
// the participants and the stuurgroep get, under the round's one disclosure
// decision. While the round is open it prints only the banded tussenstand
// (results.Live), and the raw answers and charts wait for close; a round with
// fewer respondents than the threshold gets no numbers and no charts. --intern
// prints the exact figures of both for the organiser, headed by a warning not
// to share them (never as charts: those are made to be shared).
func resultsCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	o, err := parseResults(args, out)
	if err != nil {
		return err
	}
	// --raw: the export ids come from the pseudonym key, loaded as serve loads it,
	// so they are the dashboard's; without the key the command refuses
	cfg, st, err := cliStore(ctx, getenv, o.raw)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Round(ctx, o.round)
	if err != nil {
		return err
	}
	list, err := loadSurveys(cfg)
	if err != nil {
		return surveysError(cfg, err)
	}
	catalog, err := catalogOf(cfg, list)
	if err != nil {
		return surveysError(cfg, err)
	}
	sv, ok := catalog.Survey(r.Survey)
	if !ok {
		return fmt.Errorf("vragenlijst %q van ronde %s niet gevonden in %s", r.Survey, o.round, cfg.SurveysDir)
	}
	open := r.State == storage.Scheduled || r.State == storage.Opened
	if o.raw && open {
		return fmt.Errorf("de losse antwoorden van ronde %s zijn beschikbaar zodra de ronde gesloten is", o.round)
	}
	lifecycle := cliRounds(cfg, st.Store, catalog, loadPopulation(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil))))
	res, err := lifecycle.Results(ctx, sv, r)
	if err != nil {
		return err
	}
	switch {
	case o.raw:
		if res.TooFew && !o.publication {
			fmt.Fprintf(os.Stderr, "Let op: ronde %s heeft minder dan %d deelnemers; deze antwoorden zijn alleen voor uw eigen analyse. Niet delen.\n", o.round, res.Threshold)
		}
		rs, err := lifecycle.RawAnswers(ctx, r, subkey(cfg.PseudonymKey, "export"))
		if err != nil {
			return err
		}
		if o.publication {
			if rs, err = publication(res, rs); err != nil {
				return err
			}
		}
		if o.picks {
			return writeOutput(o.out, out, func(w io.Writer) error { return results.WritePicksCSV(w, sv, rs) })
		}
		return writeOutput(o.out, out, func(w io.Writer) error { return rawFormats[o.format](w, sv, r.ID, rs) })
	case o.format == "png":
		return writeCharts(o.out, out, res, open)
	case o.internal && (open || res.TooFew):
		res.Internal, res.Message = true, results.InternalTooFew(res.Threshold)
		if open {
			res.Message = results.InternalLive()
		}
		if o.format != "text" && o.format != "json" { // text and JSON carry the warning themselves
			fmt.Fprintln(os.Stderr, "Let op: "+res.Message)
		}
	case open:
		res = results.Live(res)
	}
	return writeOutput(o.out, out, func(w io.Writer) error { return resultFormats[o.format](w, res) })
}

// parseResults reads and checks the command line of results before anything is
// opened.
func parseResults(args []string, out io.Writer) (resultsOptions, error) {
	var o resultsOptions
	fs := flag.NewFlagSet("results", flag.ContinueOnError)
	fs.StringVar(&o.format, "format", "text", formatChoices)
	fs.StringVar(&o.out, "out", "", "bestand om in te schrijven (bij png: een map)")
	fs.BoolVar(&o.raw, "raw", false, "de losse antwoorden per deelnemer in plaats van de uitslag")
	fs.BoolVar(&o.publication, "publicatie", false, "met --raw: geschikt om te publiceren (geen open teksten, kleine groepen onderdrukt)")
	fs.BoolVar(&o.picks, "picks", false, "met --raw: alleen de keuzes van wie van de drie, een regel per drietal (CSV voor participatiebot score en R)")
	fs.BoolVar(&o.internal, "intern", false, "exacte cijfers voor de organisator, ook van een open ronde of een ronde met te weinig deelnemers (niet delen)")
	pos, err := parseArgs(fs, "results", args, out)
	if err != nil {
		return o, err
	}
	if len(pos) != 1 {
		return o, usagef("results", "noem één ronde")
	}
	o.round = pos[0]
	if o.publication && !o.raw {
		return o, usagef("results", "--publicatie hoort bij --raw (de uitslag zelf onderdrukt kleine groepen altijd)")
	}
	if o.picks && !o.raw {
		return o, usagef("results", "--picks hoort bij --raw: het zijn de losse keuzes")
	}
	if o.picks && o.format != "text" && o.format != "csv-intl" {
		return o, usagef("results", "--picks schrijft altijd CSV voor scripts (komma, kolommen question_id,respondent,winner,loser_1,loser_2): laat --format weg")
	}
	if o.raw && o.format == "text" {
		o.format = "csv"
	}
	switch {
	case o.raw && rawFormats[o.format] == nil:
		return o, usagef("results", "onbekend formaat %q voor de losse antwoorden: kies %s", o.format, rawFormatChoices)
	case !o.raw && resultFormats[o.format] == nil && o.format != "png":
		return o, usagef("results", "onbekend formaat %q: kies %s", o.format, formatChoices)
	case o.format == "png" && o.out == "":
		return o, usagef("results", "--format png schrijft de grafieken in een map: geef die met --out MAP")
	case o.format == "png" && o.internal:
		return o, usagef("results", "--intern kan niet met --format png: grafieken zijn om te delen, dus alleen van een gesloten ronde met genoeg deelnemers")
	case o.format == "xlsx" && o.out == "" && isTerminal(out):
		return o, usagef("results", "xlsx is een bestand voor Excel, niet voor het scherm: geef --out BESTAND (of schrijf met > uitslag.xlsx)")
	}
	return o, nil
}

// publication makes the raw answers fit to publish, or says in Dutch why a
// round's answers are not published.
func publication(res *results.Results, rs []results.RawRespondent) ([]results.RawRespondent, error) {
	rs, err := results.ForPublication(res, rs)
	if errors.Is(err, results.ErrTooFewToPublish) {
		return nil, fmt.Errorf("ronde %s heeft minder dan %d deelnemers: zo'n kleine groep publiceren we niet, ook niet zonder namen",
			res.Round.ID, res.Threshold)
	}
	if err != nil {
		return nil, fmt.Errorf("round %s: publication: %w", res.Round.ID, err)
	}
	return rs, nil
}

// isTerminal reports whether w is a terminal, where a binary file is garbage:
// a character device other than os.DevNull (close enough without a
// dependency on golang.org/x/term).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// writeOutput writes to stdout, or with a path to that file, and then prints
// its path. The file appears whole or not at all (written next to it, then
// renamed), readable by its owner only: exports can hold the answers.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	if err := writeFile(path, 0o600, write); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)
	return nil
}

// writeFile writes a file with the given permissions whole or not at all.
func writeFile(path string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("kan %s niet schrijven: %w", path, err)
	}
	err = f.Chmod(perm)
	if err == nil {
		err = write(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("kan %s niet schrijven: %w", path, err)
	}
	return nil
}

// writeCharts writes the charts of a round into the folder dir, made when it
// does not exist, and prints their paths. They are the charts residents and
// the stuurgroep get (see bot.Engine's chartsFor), drawn from the same results,
// so the same disclosure decision: none for an open round or one with fewer
// respondents than the threshold, since a chart is its numbers drawn.
func writeCharts(dir string, stdout io.Writer, res *results.Results, open bool) error {
	switch {
	case open || res.Live:
		return fmt.Errorf("de grafieken van ronde %s zijn beschikbaar zodra de ronde gesloten is", res.Round.ID)
	case res.TooFew:
		return fmt.Errorf("ronde %s heeft minder dan %d deelnemers: daarvan maken we geen grafieken, want een grafiek toont de aantallen",
			res.Round.ID, res.Threshold)
	}
	cs, err := roundCharts(res)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kan map %s niet maken: %w", dir, err)
	}
	for _, c := range cs {
		path := filepath.Join(dir, c.Name)
		write := func(w io.Writer) error { _, err := w.Write(c.PNG); return err }
		if err := writeFile(path, 0o644, write); err != nil { // charts are made to be shared
			return err
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}

// roundCharts are the charts of a round's results: one per question with a
// chart, named after its place and id ("q1-wonen.png"), then the afspiegeling.
func roundCharts(res *results.Results) ([]charts.Chart, error) {
	var out []charts.Chart
	for i, q := range res.Questions {
		c, ok, err := charts.Question(q)
		if err != nil {
			return nil, fmt.Errorf("round %s: %w", res.Round.ID, err)
		}
		if ok {
			c.Name = questionChartName(i+1, q.ID)
			out = append(out, c)
		}
	}
	afs, err := charts.AfspiegelingOf(res)
	if err != nil {
		return nil, fmt.Errorf("round %s: %w", res.Round.ID, err)
	}
	return append(out, afs...), nil
}

// questionChartName is "q<n>-<id>.png" for the n-th question, its id made safe
// for a file name (charts.Slug).
func questionChartName(n int, id string) string {
	name := "q" + strconv.Itoa(n)
	if s := charts.Slug(id); s != "" {
		name += "-" + s
	}
	return name + ".png"
}
