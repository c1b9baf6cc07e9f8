package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// validate checks survey files and prints every problem as file:line:col: message,
// with its tip on the next line ("  tip: …").
// It prints the warnings of a valid file (surveys.Survey.Warnings: likert labels from
// agree to disagree, a survey that speaks to children) on stderr after "ok", as
// "file:line:col: waarschuwing: …" with their tip.
// With the WhatsApp channel configured (WHATSAPP_TOKEN) it warns on stderr, beside
// "ok", about option labels that WhatsApp would cut and about the templates a round
// of the survey would need that WHATSAPP_TEMPLATES does not name ("file: WhatsApp:
// …"); warnings do not change the exit status.
func validate(args []string, getenv env, stdout, stderr io.Writer) int {
	files, err := parseArgs(flag.NewFlagSet("validate", flag.ContinueOnError), "validate", args, stdout)
	if err == nil && len(files) == 0 {
		err = usagef("validate", "geen bestand genoemd")
	}
	if err != nil {
		return exitCode("validate", err, stderr)
	}
	wa, werr := whatsappFor(getenv)
	if werr != nil {
		fmt.Fprintf(stderr, "WhatsApp: %v\n", werr)
	}
	bad := 0
	var loaded []*surveys.Survey
	var trajectories []string
	for _, f := range files {
		if surveys.IsTrajectoryFile(f) {
			trajectories = append(trajectories, f) // checked against the surveys below
			continue
		}
		s, err := surveys.LoadFile(f)
		var probs surveys.Problems
		switch {
		case errors.As(err, &probs):
			fmt.Fprintln(stdout, probs.Error())
			bad++
		case err != nil:
			fmt.Fprintf(stdout, "%s: %s\n", f, fileProblem(f, err))
			bad++
		default:
			loaded = append(loaded, s)
			fmt.Fprintf(stderr, "%s: ok (%s, %d vragen)\n", f, s.ID, len(s.Questions))
			for _, w := range s.Warnings {
				fmt.Fprintln(stderr, w.Text())
			}
			if wa == nil {
				continue
			}
			for _, w := range surveys.WhatsAppWarnings(s) {
				fmt.Fprintf(stderr, "%s: WhatsApp: %s\n", f, w)
			}
			for _, kind := range neededTemplates(s) {
				if _, ok := wa[kind]; !ok {
					fmt.Fprintf(stderr, "%s: WhatsApp: geen sjabloon voor %s in WHATSAPP_TEMPLATES: bewoners die 24 uur niets stuurden krijgen dat bericht pas als ze zelf weer iets sturen (zie docs/whatsapp-templates.md)\n", f, kind)
				}
			}
		}
	}
	for _, f := range trajectories {
		if !validateTrajectory(f, loaded, stdout, stderr) {
			bad++
		}
	}
	rewordings(getenv, loaded, stderr)
	if bad > 0 {
		return 1
	}
	return 0
}

// validateTrajectory checks a trajectory file, and the surveys it names against the
// surveys named beside it and those in its own folder. It prints as validate does and
// reports whether the file has no problems.
func validateTrajectory(f string, named []*surveys.Survey, stdout, stderr io.Writer) bool {
	t, err := surveys.LoadTrajectoryFile(f)
	var probs surveys.Problems
	switch {
	case errors.As(err, &probs):
		fmt.Fprintln(stdout, probs.Error())
		return false
	case err != nil:
		fmt.Fprintf(stdout, "%s: %s\n", f, fileProblem(f, err))
		return false
	}
	known := surveysBeside(f)
	for _, s := range named { // a survey named on the command line wins over its folder's
		known = slices.DeleteFunc(known, func(k *surveys.Survey) bool { return k.ID == s.ID })
		known = append(known, s)
	}
	if probs := surveys.CheckTrajectories([]*surveys.Trajectory{t}, known); len(probs) > 0 {
		fmt.Fprintln(stdout, probs.Error())
		return false
	}
	fmt.Fprintf(stderr, "%s: ok (traject %s, %s)\n", f, t.ID, dutch.Plural(int64(len(t.Phases)), "fase", "fasen"))
	for _, w := range t.Warnings {
		fmt.Fprintln(stderr, w.Text())
	}
	return true
}

// surveysBeside are the surveys in the folder of the file at path that load without
// problems (a broken one is reported when it is validated itself).
func surveysBeside(path string) []*surveys.Survey {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil
	}
	var list []*surveys.Survey
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") || surveys.IsTrajectoryFile(e.Name()) {
			continue
		}
		if s, err := surveys.LoadFile(filepath.Join(filepath.Dir(path), e.Name())); err == nil {
			list = append(list, s)
		}
	}
	return list
}

// fileProblem says in Dutch why the file at path could not be read.
func fileProblem(path string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "dit bestand bestaat niet"
	case errors.Is(err, fs.ErrPermission):
		return "u mag dit bestand niet lezen (rechten)"
	case errors.Is(err, syscall.EISDIR):
		return "dit is een map; noem de bestanden, bijvoorbeeld " + filepath.Join(path, "*.yaml")
	}
	return "dit bestand is niet te lezen"
}

// whatsappFor is WHATSAPP_TEMPLATES when the WhatsApp channel is configured, nil when
// it is not.
func whatsappFor(getenv env) (map[string]whatsapp.Template, error) {
	token, err := secret(getenv, "WHATSAPP_TOKEN")
	if err != nil || token == "" {
		return nil, err
	}
	tpl, err := whatsapp.ParseTemplates(getenv("WHATSAPP_TEMPLATES"))
	if err != nil {
		return map[string]whatsapp.Template{}, fmt.Errorf("WHATSAPP_TEMPLATES: %w", err)
	}
	return tpl, nil
}

// neededTemplates are the template kinds a round of s sends to residents outside
// their window: the invitation, the reminders when it has any, the results and the
// decision.
func neededTemplates(s *surveys.Survey) []string {
	kinds := []string{bot.NoticeInvite}
	if len(s.Schedule.Reminders) > 0 {
		kinds = append(kinds, bot.NoticeReminder)
	}
	return append(kinds, bot.NoticeResults, bot.NoticeDecision)
}

// rewordings warns, when REDIS_URL names the store of a running serve, about the
// questions of a recurring survey that its last round asked in other words or with
// other options: a trend across different questions is not a trend, so that
// question's trend starts again (participatiebot trend). Without REDIS_URL it says
// nothing; a store it cannot read, it says so.
func rewordings(getenv env, loaded []*surveys.Survey, stderr io.Writer) {
	if getenv("REDIS_URL") == "" || len(loaded) == 0 {
		return
	}
	ctx := context.Background()
	_, st, err := cliStore(ctx, getenv, false)
	if err != nil {
		fmt.Fprintf(stderr, "waarschuwing: de vorige rondes zijn niet te lezen, dus of een vraag anders gesteld is dan toen, is niet nagegaan: %v\n", err)
		return
	}
	defer st.Close()
	all, err := st.ArchivedRounds(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "waarschuwing: de vorige rondes zijn niet te lezen: %v\n", err)
		return
	}
	for _, s := range loaded {
		var last *storage.Round
		for _, r := range all {
			if r.Survey == s.ID && r.Wording != nil && (last == nil || r.OpensAt.After(last.OpensAt)) {
				last = r
			}
		}
		if last == nil {
			continue
		}
		for _, qid := range trend.Reworded(s, last) {
			fmt.Fprintf(stderr, "%s: waarschuwing: de vraag %q is anders gesteld dan in ronde %s (andere tekst of antwoorden): de trend van die vraag begint opnieuw\n"+
				"  tip: Is het dezelfde vraag, houd dan tekst en antwoorden gelijk. Is het een andere vraag, geef hem dan een nieuw id.\n", s.File, qid, last.ID)
		}
	}
}
