package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// resultsCmd prints a round's results as text, JSON or CSV: the same numbers the
// participants and the stuurgroep get, under the round's one disclosure
// decision. While the round is open it prints only the banded tussenstand
// (results.Live), and the raw answers wait for close; a round with fewer
// respondents than the threshold gets no numbers. --intern prints the exact
// figures of both for the organiser, headed by a warning not to share them.
func resultsCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("results", flag.ContinueOnError)
	format := fs.String("format", "text", "text, json of csv")
	raw := fs.Bool("raw", false, "de losse antwoorden per deelnemer (json of csv) in plaats van de uitslag")
	publication := fs.Bool("publicatie", false, "met --raw: geschikt om te publiceren (geen open teksten, kleine groepen onderdrukt)")
	internal := fs.Bool("intern", false, "exacte cijfers voor de organisator, ook van een open ronde of een ronde met te weinig deelnemers (niet delen)")
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
	write := map[string]func(io.Writer, *results.Results) error{
		"text": results.WriteText, "json": results.WriteJSON, "csv": results.WriteCSV,
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
	catalog := surveys.NewCatalog(list)
	sv, ok := catalog.Survey(r.Survey)
	if !ok {
		return fmt.Errorf("vragenlijst %q van ronde %s niet gevonden in %s", r.Survey, rid, cfg.SurveysDir)
	}
	open := r.State == storage.Scheduled || r.State == storage.Opened
	if *raw && open {
		return fmt.Errorf("de losse antwoorden van ronde %s zijn beschikbaar zodra de ronde gesloten is", rid)
	}
	lifecycle := cliRounds(cfg, st.Store, catalog, loadPopulation(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil))))
	res, err := lifecycle.Results(ctx, sv, r)
	if err != nil {
		return err
	}
	if *raw {
		if res.TooFew && !*publication {
			fmt.Fprintf(os.Stderr, "Let op: ronde %s heeft minder dan %d deelnemers; deze antwoorden zijn alleen voor uw eigen analyse. Niet delen.\n", rid, res.Threshold)
		}
		rs, err := lifecycle.RawAnswers(ctx, r, subkey(cfg.PseudonymKey, "export"))
		if err != nil {
			return err
		}
		if *publication {
			rs, err = results.ForPublication(res, rs)
			if errors.Is(err, results.ErrTooFewToPublish) {
				return fmt.Errorf("ronde %s heeft minder dan %d deelnemers: zo'n kleine groep publiceren we niet, ook niet zonder namen", rid, res.Threshold)
			}
			if err != nil {
				return fmt.Errorf("round %s: publication: %w", rid, err)
			}
		}
		if *format == "json" {
			return results.WriteRawJSON(out, r.ID, rs)
		}
		return results.WriteRawCSV(out, sv, r.ID, rs)
	}
	switch {
	case *internal && (open || res.TooFew):
		res.Internal, res.Message = true, results.InternalTooFew(res.Threshold)
		if open {
			res.Message = results.InternalLive()
		}
		if *format == "csv" { // text and JSON carry the warning themselves
			fmt.Fprintln(os.Stderr, "Let op: "+res.Message)
		}
	case open:
		res = results.Live(res)
	}
	return write(out, res)
}
