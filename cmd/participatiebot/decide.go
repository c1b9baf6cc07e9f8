package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"
)

// decide stores the decision of a round ("De raad besloot …"); a running serve sends
// it to every participant of the round, once, and marks the terugkoppeling done.
func decide(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("decide", flag.ContinueOnError)
	textFile := fs.String("text", "", "bestand met de tekst van het besluit")
	pos, err := parseArgs(fs, "decide", args, out)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		return usagef("decide", "noem één ronde")
	case *textFile == "":
		return usagef("decide", "noem het bestand met het besluit: --text BESTAND")
	}
	rid := pos[0]
	b, err := os.ReadFile(*textFile)
	if err != nil {
		return tellf(fmt.Errorf("read decision: %w", err), "Kan het besluit in %s niet lezen: %s.", *textFile, fileProblem(*textFile, err))
	}
	if !utf8.Valid(b) {
		return tellf(fmt.Errorf("read decision %s: not UTF-8", *textFile),
			"Het besluit in %s is geen UTF-8-tekst: sla het op als UTF-8 (in Kladblok: Opslaan als, Codering UTF-8).", *textFile)
	}
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := cliRounds(cfg, st.Store, nil, nil)
	if _, err := roundToAct(ctx, svc, rid); err != nil {
		return err
	}
	if err := svc.Decide(ctx, rid, string(b), time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Besluit voor ronde %s opgeslagen. Een draaiende serve stuurt het nu naar iedere deelnemer.\n", rid)
	return nil
}
