package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/rounds"
)

// digestCmd writes the stuurgroep digest of one month (default: the last whole
// month) as Markdown and HTML files, and prints the chat message: the same report
// the scheduler sends on DIGEST_CRON, on demand.
func digestCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	month := fs.String("maand", "", "de maand, als 2026-11 (standaard de vorige maand)")
	dir := fs.String("out", ".", "map voor het verslag (.md en .html)")
	pos, err := parseArgs(fs, "digest", args, out)
	if err != nil {
		return err
	}
	if err := noArgs("digest", pos); err != nil {
		return err
	}
	cfg, st, _, svc, err := cliService(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().In(cfg.Location)
	from := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, cfg.Location)
	if *month != "" {
		m, err := time.ParseInLocation("2006-01", *month, cfg.Location)
		if err != nil {
			return usagef("digest", "maand %q: schrijf die als JJJJ-MM, bijvoorbeeld 2026-11", *month)
		}
		from = m
	}
	to := from.AddDate(0, 1, 0)
	rep, _, err := svc.Digest(ctx, rounds.DefaultDigestTitle, from, to)
	if err != nil {
		return err
	}
	if err := writeDigest(*dir, rep); err != nil {
		return err
	}
	charts := ""
	if n := len(rep.Charts); n > 0 {
		charts = fmt.Sprintf(", met %d grafieken (PNG) waar het .md-bestand naar verwijst", n)
	}
	fmt.Fprintf(out, "%s\n\nVerslag geschreven: %s.md en %s.html in %s%s\n", rep.Chat, rep.Name, rep.Name, *dir, charts)
	return nil
}

// writeDigest writes the report into dir, made when missing: the Markdown, the
// HTML (its charts embedded) and every chart as the PNG file the Markdown links to.
func writeDigest(dir string, rep *digest.Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("schrijf verslag: %w", err)
	}
	files := map[string][]byte{rep.Name + ".md": rep.Markdown, rep.Name + ".html": rep.HTML}
	for _, c := range rep.Charts {
		files[c.Name] = c.PNG
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), data, 0o644); err != nil {
			return fmt.Errorf("schrijf verslag: %w", err)
		}
	}
	return nil
}
