package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// trendCmd writes the trend of a recurring survey over its rounds: per question
// every round's figure with its interval and whether it changed.
func trendCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("trend", flag.ContinueOnError)
	format := fs.String("format", "text", "text, json of csv")
	pos, err := parseArgs(fs, "trend", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("trend", "noem één vragenlijst, bijvoorbeeld: participatiebot trend burgerpeiling")
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return usagef("trend", "--format %q: kies text, json of csv", *format)
	}
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := loadSurveys(cfg)
	if err != nil {
		return surveysError(cfg, err)
	}
	catalog, err := catalogOf(cfg, list)
	if err != nil {
		return surveysError(cfg, err)
	}
	sv, ok := catalog.Survey(pos[0])
	if !ok {
		var ids []string
		for _, s := range catalog.All() {
			ids = append(ids, s.ID)
		}
		return fmt.Errorf("er is geen vragenlijst %q in %s; wel: %s", pos[0], cfg.SurveysDir, strings.Join(ids, ", "))
	}
	pop := loadPopulation(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	t, err := cliRounds(cfg, st.Store, catalog, pop).Trend(ctx, sv)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return t.WriteJSON(out)
	case "csv":
		return t.WriteCSV(out)
	}
	return t.WriteText(out)
}
