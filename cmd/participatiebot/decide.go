package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/scheduler"
)

// decide stores the decision of a round ("De raad besloot …"); a running serve sends
// it to every participant of the round, once, and marks the terugkoppeling done.
func decide(ctx context.Context, args []string, getenv env, out io.Writer) error {
	fs := flag.NewFlagSet("decide", flag.ContinueOnError)
	textFile := fs.String("text", "", "bestand met de tekst van het besluit")
	fs.SetOutput(io.Discard)
	var rid string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		rid, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil || rid == "" || *textFile == "" {
		return errors.New("gebruik: decide RONDE --text BESTAND")
	}
	b, err := os.ReadFile(*textFile)
	if err != nil {
		return fmt.Errorf("lees besluit: %w", err)
	}
	if !utf8.Valid(b) {
		return fmt.Errorf("%s is geen UTF-8-tekst", *textFile)
	}
	_, st, err := cliStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := scheduler.Decide(ctx, st.Store, rid, string(b), time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Besluit voor ronde %s opgeslagen. Een draaiende serve stuurt het nu naar iedere deelnemer.\n", rid)
	return nil
}
