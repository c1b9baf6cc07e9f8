package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/participatiebot/participatiebot/scheduler"
	"github.com/participatiebot/participatiebot/surveys"
)

// results prints a round's results as text, JSON or CSV: the same numbers the
// participants and the stuurgroep get.
func results(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("results", flag.ContinueOnError)
	format := fs.String("format", "text", "text, json of csv")
	raw := fs.Bool("raw", false, "de losse antwoorden per deelnemer (json of csv) in plaats van de uitslag")
	publication := fs.Bool("publicatie", false, "met --raw: geschikt om te publiceren (geen open teksten, kleine groepen onderdrukt)")
	pos, err := parseArgs(fs, "results", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("results", "noem één ronde")
	}
	rid := pos[0]
	if *publication && !*raw {
		return usagef("results", "--publicatie hoort bij --raw (de uitslag zelf onderdrukt kleine groepen altijd)")
	}
	if *raw && *format == "text" {
		*format = "csv"
	}
	write := map[string]func(io.Writer, *surveys.Results) error{
		"text": surveys.WriteText, "json": surveys.WriteJSON, "csv": surveys.WriteCSV,
	}[*format]
	if write == nil {
		return usagef("results", "onbekend formaat %q: kies text, json of csv", *format)
	}
	// --raw: the export ids come from the pseudonym key, loaded as serve loads it,
	// so they are the dashboard's; without the key the command refuses
	cfg, st, err := cliStore(ctx, getenv, *raw)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Round(ctx, rid)
	if err != nil {
		return err
	}
	list, err := surveys.LoadDir(cfg.SurveysDir)
	if err != nil {
		return fmt.Errorf("load surveys from %s:\n%w", cfg.SurveysDir, err)
	}
	sv, ok := surveys.NewCatalog(list).Survey(r.Survey)
	if !ok {
		return fmt.Errorf("vragenlijst %q van ronde %s niet gevonden in %s", r.Survey, rid, cfg.SurveysDir)
	}
	if *raw {
		rs, err := scheduler.RawAnswers(ctx, st.Store, r, subkey(cfg.PseudonymKey, "export"))
		if err != nil {
			return err
		}
		if *publication {
			rs = surveys.ForPublication(rs, cfg.Threshold)
		}
		if *format == "json" {
			return surveys.WriteRawJSON(out, r.ID, rs)
		}
		return surveys.WriteRawCSV(out, sv, r.ID, rs)
	}
	res, err := scheduler.Results(ctx, st.Store, sv, r, scheduler.Analysis{Threshold: cfg.Threshold, Population: loadPopulation(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)))})
	if err != nil {
		return err
	}
	return write(out, res)
}
