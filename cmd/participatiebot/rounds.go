package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// cliStore opens the configured store for an organiser command; with needKey it also
// loads the pseudonym key as serve does, and refuses when there is none.
func cliStore(ctx context.Context, getenv env, needKey bool) (*config, *openedStore, error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return nil, nil, err
	}
	if needKey {
		if _, err := cfg.loadPseudonymKey(false); err != nil {
			return nil, nil, err
		}
	}
	st, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		return nil, nil, err
	}
	if !st.Durable {
		st.Close()
		return nil, nil, errors.New("geen opslag gevonden: zet REDIS_URL, of start eerst `participatiebot serve` (met redis-server geïnstalleerd)")
	}
	return cfg, st, nil
}

// cliRounds is the rounds service of a CLI command: it acts and reads, and a running
// serve sends what its actions start. catalog may be nil (no surveys loaded).
func cliRounds(cfg *config, st *storage.Store, catalog *surveys.Catalog, pop *surveys.Population) *rounds.Service {
	if catalog == nil {
		catalog = surveys.NewCatalog(nil)
	}
	return rounds.New(rounds.Config{Location: cfg.Location, Threshold: cfg.Threshold, Population: pop}, st, catalog, nil, nil)
}

func roundsCmd(ctx context.Context, args []string, getenv env, out io.Writer) error {
	// "rounds --help" and "rounds list --help": the subcommand's help when there is one
	topic, rest := "rounds", args
	if len(args) > 0 {
		if _, ok := helpTexts["rounds "+args[0]]; ok {
			topic, rest = "rounds "+args[0], args[1:]
		}
	}
	fs := flag.NewFlagSet(topic, flag.ContinueOnError)
	var archive *bool
	if topic == "rounds list" {
		archive = fs.Bool("archief", false, "ook de rondes waarvan de bewaartermijn voorbij is")
	}
	pos, err := parseArgs(fs, topic, rest, out)
	if err != nil {
		return err
	}
	switch {
	case topic == "rounds" && len(pos) == 0:
		return usagef(topic, "kies list, open of close")
	case topic == "rounds":
		return usagef(topic, "onbekend: rounds %s", strings.Join(pos, " "))
	case topic == "rounds list" && len(pos) != 0:
		return noArgs(topic, pos)
	case topic == "rounds open" && len(pos) != 1:
		return usagef(topic, "noem één vragenlijst")
	case topic == "rounds close" && len(pos) != 1:
		return usagef(topic, "noem één ronde")
	}
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return err
	}
	defer st.Close()
	switch topic {
	case "rounds open":
		return openRound(ctx, st.Store, cfg, pos[0], out)
	case "rounds close":
		return closeRound(ctx, st.Store, cfg, pos[0], out)
	}
	return listRounds(ctx, st.Store, cfg, archive != nil && *archive, out)
}

// listRounds lists the live rounds, or with archive every round ever held.
func listRounds(ctx context.Context, st *storage.Store, cfg *config, archive bool, out io.Writer) error {
	svc := cliRounds(cfg, st, nil, nil)
	list := svc.List
	if archive {
		list = svc.Archive
	}
	all, err := list(ctx, time.Now())
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintln(out, "Nog geen rondes.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RONDE\tSTATUS\tOPENT\tSLUIT\tDEELNEMERS\tKLAAR\tUITGENODIGD\tVOLGENDE STAP")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.ID, r.State,
			localTime(r.OpensAt, cfg.Location), localTime(r.ClosesAt, cfg.Location),
			r.Respondents, r.Completed, r.Invited, nextStep(r, cfg.Location))
	}
	return tw.Flush()
}

// nextStep says a round's next step (rounds.Summary.Next) for the list.
func nextStep(r rounds.Summary, loc *time.Location) string {
	switch r.Next.Step {
	case rounds.StepOpen:
		return "opent " + localTime(r.OpensAt, loc)
	case rounds.StepClose:
		return "sluit " + localTime(r.ClosesAt, loc)
	case rounds.StepPublish:
		return "uitslag versturen"
	case rounds.StepDecide:
		return "besluit terugkoppelen"
	}
	return "-"
}

func localTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04")
}

func openRound(ctx context.Context, st *storage.Store, cfg *config, surveyID string, out io.Writer) error {
	list, err := surveys.LoadDir(cfg.SurveysDir)
	if err != nil {
		return fmt.Errorf("load surveys from %s:\n%w", cfg.SurveysDir, err)
	}
	sv, ok := surveys.NewCatalog(list).Survey(surveyID)
	if !ok {
		return fmt.Errorf("vragenlijst %q niet gevonden in %s", surveyID, cfg.SurveysDir)
	}
	r, err := cliRounds(cfg, st, nil, nil).Open(ctx, sv, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is open tot %s. Een draaiende serve verstuurt nu de uitnodigingen.\n", r.ID, localTime(r.ClosesAt, cfg.Location))
	return nil
}

func closeRound(ctx context.Context, st *storage.Store, cfg *config, rid string, out io.Writer) error {
	if err := cliRounds(cfg, st, nil, nil).Close(ctx, rid, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is gesloten. Een draaiende serve verstuurt nu de uitslag.\n", rid)
	return nil
}
