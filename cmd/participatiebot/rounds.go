package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
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
	st, err := cliStoreOf(ctx, cfg, needKey)
	return cfg, st, err
}

// cliStoreOf is cliStore for a configuration loaded before.
func cliStoreOf(ctx context.Context, cfg *config, needKey bool) (*openedStore, error) {
	if needKey {
		if _, err := cfg.loadPseudonymKey(false); err != nil {
			return nil, err
		}
	}
	st, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	if err != nil {
		return nil, storeError(cfg, err)
	}
	if !st.Durable {
		st.Close()
		return nil, errors.New("geen opslag gevonden: zet REDIS_URL, of start eerst `participatiebot serve` (met redis-server geïnstalleerd)")
	}
	return st, nil
}

// storeError is the Dutch line for a store that a CLI command could not open. With
// REDIS_URL it names the (password-free) URL; without, the DATA_DIR lock's own
// message says what to do.
func storeError(cfg *config, err error) error {
	if cfg.RedisURL == "" {
		return err
	}
	addr := redactURL(cfg.RedisURL)
	var netErr net.Error
	switch msg := err.Error(); {
	case errors.As(err, &netErr), errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return tellf(err, "Kan Redis niet bereiken op %s: start serve eerst, of zet REDIS_URL/DATA_DIR zoals serve ze gebruikt.", addr)
	case strings.Contains(msg, "WRONGPASS"), strings.Contains(msg, "NOAUTH"), strings.Contains(msg, "invalid password"):
		return tellf(err, "Redis op %s weigert de inlog: zet REDIS_URL met het wachtwoord zoals serve het gebruikt.", addr)
	}
	return tellf(err, "Kan Redis op %s niet gebruiken: controleer REDIS_URL (zoals serve die gebruikt), bijvoorbeeld redis://localhost:6379/0.", addr)
}

// errRoundNotFound is the Dutch line for a round id that does not exist.
func errRoundNotFound(rid string, err error) error {
	return tellf(err, "Ronde %q bestaat niet. Zie \"participatiebot rounds list\" voor de rondes.", rid)
}

// roundToAct loads round rid for an action, with the Dutch line when it does not exist.
func roundToAct(ctx context.Context, svc *rounds.Service, rid string) (*storage.Round, error) {
	r, err := svc.Round(ctx, rid)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errRoundNotFound(rid, err)
	}
	return r, err
}

// loadSurveys loads the surveys serve and the CLI know: SURVEYS_DIR and the uploads of
// the dashboard (DATA_DIR/vragenlijsten, when there are any), an upload replacing the
// survey of its id.
func loadSurveys(cfg *config) ([]*surveys.Survey, error) {
	dirs := []string{cfg.SurveysDir}
	if _, err := os.Stat(cfg.uploadDir()); err == nil {
		dirs = append(dirs, cfg.uploadDir())
	}
	return surveys.LoadDirs(dirs...)
}

// loadTrajectories loads the trajectory files (*.traject.yaml) of SURVEYS_DIR and
// checks them against the surveys loaded.
func loadTrajectories(cfg *config, list []*surveys.Survey) ([]*surveys.Trajectory, error) {
	return surveys.LoadTrajectories(list, cfg.SurveysDir)
}

// catalogOf is the catalog of the surveys loaded with the trajectories of
// SURVEYS_DIR, as serve has it: a CLI command's results of a round in a trajectory
// then compare its lottery-drawn panel as serve's do.
func catalogOf(cfg *config, list []*surveys.Survey) (*surveys.Catalog, error) {
	ts, err := loadTrajectories(cfg, list)
	if err != nil {
		return nil, err
	}
	c := surveys.NewCatalog(list)
	c.SetTrajectories(ts)
	return c, nil
}

// surveysError is the Dutch text for surveys that could not be loaded: every problem
// with its tip, or the folder that could not be read.
func surveysError(cfg *config, err error) error {
	var probs surveys.Problems
	if errors.As(err, &probs) {
		return tellf(err, "De vragenlijsten kloppen niet (%s); los dit eerst op:\n%s",
			dutch.Plural(int64(probs.Count()), "probleem", "problemen"), probs.Error())
	}
	return tellf(err, "Kan de vragenlijsten in %s niet lezen: zet SURVEYS_DIR op de map die serve gebruikt.", cfg.SurveysDir)
}

// cliService is what an organiser's report command works with: the store (to be
// closed by the caller), the surveys with their trajectories, and the rounds
// service over them with the population table, as serve has them.
func cliService(ctx context.Context, getenv env) (*config, *openedStore, *surveys.Catalog, *rounds.Service, error) {
	cfg, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	list, err := loadSurveys(cfg)
	if err != nil {
		st.Close()
		return nil, nil, nil, nil, surveysError(cfg, err)
	}
	catalog, err := catalogOf(cfg, list)
	if err != nil {
		st.Close()
		return nil, nil, nil, nil, surveysError(cfg, err)
	}
	pop := loadPopulation(cfg, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	return cfg, st, catalog, cliRounds(cfg, st.Store, catalog, pop), nil
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
	list, err := loadSurveys(cfg)
	if err != nil {
		return surveysError(cfg, fmt.Errorf("load surveys from %s: %w", cfg.SurveysDir, err))
	}
	sv, ok := surveys.NewCatalog(list).Survey(surveyID)
	if !ok {
		ids := make([]string, len(list))
		for i, s := range list {
			ids[i] = s.ID
		}
		known := "Er zijn nog geen vragenlijsten"
		if len(ids) > 0 {
			known = "De vragenlijsten zijn: " + strings.Join(ids, ", ")
		}
		return tellf(fmt.Errorf("survey %s: %w", surveyID, storage.ErrNotFound),
			"Vragenlijst %q bestaat niet. %s.", surveyID, known)
	}
	r, err := cliRounds(cfg, st, nil, nil).Open(ctx, sv, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is open tot %s. Een draaiende serve verstuurt nu de uitnodigingen.\n", r.ID, localTime(r.ClosesAt, cfg.Location))
	return nil
}

func closeRound(ctx context.Context, st *storage.Store, cfg *config, rid string, out io.Writer) error {
	svc := cliRounds(cfg, st, nil, nil)
	r, err := roundToAct(ctx, svc, rid)
	if err != nil {
		return err
	}
	if r.State != storage.Opened {
		return tellf(fmt.Errorf("close round %s: state %s", rid, r.State),
			"Ronde %q is niet open (%s): alleen een open ronde kan gesloten worden.", rid, rounds.StateLabel(r.State))
	}
	if err := svc.Close(ctx, rid, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(out, "Ronde %s is gesloten. Een draaiende serve verstuurt nu de uitslag.\n", rid)
	return nil
}
