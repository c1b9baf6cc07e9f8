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

	"github.com/participatiebot/participatiebot/storage"
)

// maxDecision keeps the decision with its header within one Telegram message.
const maxDecision = 3500

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
	text := strings.TrimSpace(string(b))
	switch n := utf8.RuneCountInString(text); {
	case !utf8.Valid(b):
		return fmt.Errorf("%s is geen UTF-8-tekst", *textFile)
	case n == 0:
		return fmt.Errorf("%s is leeg: schrijf wat er besloten is en wat er met de inbreng is gedaan", *textFile)
	case n > maxDecision:
		return fmt.Errorf("het besluit is %d tekens; maximaal %d (verwijs voor de rest naar een link)", n, maxDecision)
	}
	_, st, err := cliStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	err = st.SetDecision(ctx, rid, text, time.Now())
	switch {
	case errors.Is(err, storage.ErrNotPublished):
		return fmt.Errorf("ronde %s: de uitslag is nog niet verstuurd; sluit de ronde eerst", rid)
	case errors.Is(err, storage.ErrDecided):
		return fmt.Errorf("ronde %s: het besluit is al verstuurd", rid)
	case err != nil:
		return err
	}
	if err := st.Notify(ctx, "decide "+rid); err != nil {
		return err
	}
	fmt.Fprintf(out, "Besluit voor ronde %s opgeslagen. Een draaiende serve stuurt het nu naar iedere deelnemer.\n", rid)
	return nil
}
