// Command participatiebot runs citizen participation rounds through chat: serve runs
// the bots and the scheduler; validate, rounds, results, decide, digest, loting,
// inbound and outbox are the organiser's tools; score is the analyst's.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Amsterdam also in a scratch container

	"github.com/redis/go-redis/v9"
)

const usage = `participatiebot – burgerparticipatie via chat

Gebruik:
  participatiebot serve                      start de bots en de planner
  participatiebot validate BESTAND…          controleer vragenlijsten (YAML)
  participatiebot rounds list [--archief]    toon de rondes (--archief: ook de oude)
  participatiebot rounds open VRAGENLIJST    open nu een ronde van een vragenlijst
  participatiebot rounds close RONDE         sluit een ronde nu (uitslag gaat daarna uit)
  participatiebot results RONDE [--format text|json|csv|csv-intl|xlsx|png] [--out BESTAND|MAP]
                                             toon de uitslag van een ronde
  participatiebot results RONDE --raw [--publicatie] [--format csv|csv-intl|json]
                                             de losse antwoorden (voor analyse of om te publiceren)
  participatiebot results RONDE --raw --picks
                                             de keuzes van wie van de drie, een regel per drietal
  participatiebot score KEUZES.csv [--vraag ID] [--format text|json]
                                             bereken wie van de drie opnieuw uit losse keuzes
  participatiebot decide RONDE --text BESTAND
                                             stuur het besluit (terugkoppeling) naar de deelnemers
  participatiebot digest [--maand JJJJ-MM] [--out MAP]
                                             schrijf het stuurgroep-overzicht van een maand
  participatiebot verslag TRAJECT [--out MAP]
                                             schrijf het participatieverslag van een traject
  participatiebot trend VRAGENLIJST [--format text|json|csv|png] [--out MAP]
                                             elke vraag over de rondes heen: gestegen, gedaald of gelijk
  participatiebot loting TRAJECT --steekproef BRP.csv --aantal N --brieven brieven.pdf
                                             loot een inwonerspanel en maak de brieven met codes
  participatiebot inbound [-n AANTAL]        inkomende berichten die niet te verwerken waren (apart gezet)
  participatiebot outbox dead [-n AANTAL]    uitgaande berichten die de bot heeft opgegeven, met de reden
  participatiebot outbox retry ID…|--all     zet opgegeven berichten terug in de wachtrij
  participatiebot help COMMANDO              hulp bij één commando (ook: COMMANDO --help)

Instellingen komen uit omgevingsvariabelen; zie README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it with their own environment.
// Every command parses its flags before it opens anything, so --help starts nothing.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] != "serve" {
		// An organiser command says in one Dutch line when Redis cannot be reached
		// (cliStore); go-redis would print its own line about every failed dial
		// before it. serve keeps them: its log is for the operator.
		redis.SetLogger(silentRedis{})
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], getenv, stdout, stderr)
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			err = nil // stopped while still starting: a stop like any other
		}
	case "validate":
		return validate(args[1:], getenv, stdout, stderr)
	case "rounds":
		err = roundsCmd(ctx, args[1:], getenv, stdout)
	case "results":
		err = resultsCmd(ctx, args[1:], getenv, stdout)
	case "score":
		err = scoreCmd(args[1:], stdout)
	case "decide":
		err = decide(ctx, args[1:], getenv, stdout)
	case "digest":
		err = digestCmd(ctx, args[1:], getenv, stdout)
	case "verslag":
		err = verslagCmd(ctx, args[1:], getenv, stdout)
	case "trend":
		err = trendCmd(ctx, args[1:], getenv, stdout)
	case "loting":
		err = loting(ctx, args[1:], getenv, stdout)
	case "inbound":
		err = inbound(ctx, args[1:], getenv, stdout)
	case "outbox":
		err = outboxCmd(ctx, args[1:], getenv, stdout)
	case "help":
		err = help(args[1:], stdout)
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "onbekend commando %q\n\n%s", args[0], usage)
		return 2
	}
	return exitCode(args[0], err, stderr)
}

// silentRedis is go-redis's logger for the organiser's commands: it drops every line.
type silentRedis struct{}

func (silentRedis) Printf(context.Context, string, ...any) {}
