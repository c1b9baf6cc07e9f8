package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// trendCmd writes the trend of a recurring survey over its rounds: per question
// every round's figure with its interval and whether it changed.
func trendCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("trend", flag.ContinueOnError)
	format := fs.String("format", "text", "text, json, csv of png")
	outDir := fs.String("out", "", "map voor de grafieken (bij --format png)")
	pos, err := parseArgs(fs, "trend", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("trend", "noem één vragenlijst, bijvoorbeeld: participatiebot trend burgerpeiling")
	}
	switch {
	case *format != "text" && *format != "json" && *format != "csv" && *format != "png":
		return usagef("trend", "--format %q: kies text, json, csv of png", *format)
	case *format == "png" && *outDir == "":
		return usagef("trend", "--format png schrijft grafieken: noem een map met --out MAP")
	case *format != "png" && *outDir != "":
		return usagef("trend", "--out hoort bij --format png")
	}
	cfg, st, catalog, svc, err := cliService(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	sv, ok := catalog.Survey(pos[0])
	if !ok {
		var ids []string
		for _, s := range catalog.All() {
			ids = append(ids, s.ID)
		}
		return fmt.Errorf("er is geen vragenlijst %q in %s; wel: %s", pos[0], cfg.SurveysDir, strings.Join(ids, ", "))
	}
	t, err := svc.Trend(ctx, sv)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return t.WriteJSON(out)
	case "csv":
		return t.WriteCSV(out)
	case "png":
		return writeTrendCharts(*outDir, out, sv, t)
	}
	return t.WriteText(out)
}

// writeTrendCharts writes a line chart of every series with a figure into the
// folder dir, made when it does not exist, with its indicator's target and its
// reference, and prints each path with the chart's alt text. Every figure is a
// round's published figure, so the charts show nothing the rounds did not.
func writeTrendCharts(dir string, stdout io.Writer, sv *surveys.Survey, t *trend.Trend) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kan map %s niet maken: %w", dir, err)
	}
	written := 0
	for _, s := range t.Series {
		if len(s.Figures) == 0 {
			continue
		}
		c, err := charts.Trend(trend.ChartOf(sv, s))
		if err != nil {
			return fmt.Errorf("trend %s: %w", sv.ID, err)
		}
		path := filepath.Join(dir, c.Name)
		write := func(w io.Writer) error { _, err := w.Write(c.PNG); return err }
		if err := writeFile(path, 0o644, write); err != nil { // charts are made to be shared
			return err
		}
		fmt.Fprintf(stdout, "%s\n  %s\n", path, c.Alt)
		written++
	}
	if written == 0 {
		return fmt.Errorf("vragenlijst %s heeft nog geen cijfers van een gesloten ronde: er is geen trend te tekenen", sv.ID)
	}
	return nil
}
