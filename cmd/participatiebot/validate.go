package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/participatiebot/participatiebot/surveys"
)

// validate checks survey files and prints every problem as file:line:col: message.
// On stderr, beside "ok", it warns about option labels that WhatsApp would cut
// ("file: WhatsApp: vraag …"); warnings do not change the exit status. validate has no
// configuration, so it warns whether or not the WhatsApp channel is configured.
func validate(args []string, stdout, stderr io.Writer) int {
	files, err := parseArgs(flag.NewFlagSet("validate", flag.ContinueOnError), "validate", args, stdout)
	if err == nil && len(files) == 0 {
		err = usagef("validate", "geen bestand genoemd")
	}
	if err != nil {
		return exitCode("validate", err, stderr)
	}
	bad := 0
	for _, f := range files {
		s, err := surveys.LoadFile(f)
		var probs surveys.Problems
		switch {
		case errors.As(err, &probs):
			for _, p := range probs {
				fmt.Fprintln(stdout, p.Error())
			}
			bad++
		case err != nil:
			fmt.Fprintf(stdout, "%s: %v\n", f, err)
			bad++
		default:
			fmt.Fprintf(stderr, "%s: ok (%s, %d vragen)\n", f, s.ID, len(s.Questions))
			for _, w := range surveys.WhatsAppWarnings(s) {
				fmt.Fprintf(stderr, "%s: WhatsApp: %s\n", f, w)
			}
		}
	}
	if bad > 0 {
		return 1
	}
	return 0
}
