package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/participatiebot/participatiebot/scheduler"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// cliStore opens the configured store for an organiser command.
func cliStore(ctx context.Context, getenv env) (*config, *storage.Embedded, error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return nil, nil, err
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

func rounds(ctx context.Context, args []string, getenv env, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("gebruik: rounds list | rounds open VRAGENLIJST | rounds close RONDE")
	}
	cfg, st, err := cliStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	switch {
	case args[0] == "list" && len(args) == 1:
		return listRounds(ctx, st.Store, cfg, out)
	case args[0] == "open" && len(args) == 2:
		return openRound(ctx, st.Store, cfg, args[1], out)
	case args[0] == "close" && len(args) == 2:
		return closeRound(ctx, st.Store, cfg, args[1], out)
	}
	return fmt.Errorf("onbekend: rounds %v (gebruik: rounds list | rounds open VRAGENLIJST | rounds close RONDE)", args)
}

func listRounds(ctx context.Context, st *storage.Store, cfg *config, out io.Writer) error {
	all, err := st.Rounds(ctx)
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
		t, err := st.Tallies(ctx, r.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.ID, r.State,
			localTime(r.OpensAt, cfg.Location), localTime(r.ClosesAt, cfg.Location),
			t[surveys.FieldRespondents], t[surveys.FieldCompleted], t[surveys.FieldInvited], nextStep(r, cfg.Location))
	}
	return tw.Flush()
}

func nextStep(r *storage.Round, loc *time.Location) string {
	switch r.State {
	case storage.Scheduled:
		return "opent " + localTime(r.OpensAt, loc)
	case storage.Opened:
		return "sluit " + localTime(r.ClosesAt, loc)
	case storage.Closed:
		return "uitslag versturen"
	case storage.Published:
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
	r, err := scheduler.OpenNow(ctx, st, sv, time.Now(), cfg.Location)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is open tot %s. Een draaiende serve verstuurt nu de uitnodigingen.\n", r.ID, localTime(r.ClosesAt, cfg.Location))
	return nil
}

func closeRound(ctx context.Context, st *storage.Store, cfg *config, rid string, out io.Writer) error {
	if err := scheduler.CloseNow(ctx, st, rid, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is gesloten. Een draaiende serve verstuurt nu de uitslag.\n", rid)
	return nil
}
