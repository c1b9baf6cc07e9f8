package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// lotingArgs is the command line of participatiebot loting.
type lotingArgs struct {
	traject, register, letters, audit string
	size                              int
	strata                            []string
	seed                              uint64
	expires                           string // YYYY-MM-DD, "" for the end of the last phase
}

// loting draws a trajectory's panel from a register extract: the letters go to PDF,
// the codes' hashes with their strata and the audit to the store. Nothing of it is
// kept before the letters are written, and the letters are not put in place before
// the codes are stored, so a crash leaves no letter with a code that does not work.
func loting(ctx context.Context, args []string, getenv env, out io.Writer) error {
	a, err := parseLoting(args, out)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	t, err := lotingTrajectory(cfg, a.traject)
	if err != nil {
		return err
	}
	expires, err := lotingExpiry(cfg, t, a.expires)
	if err != nil {
		return err
	}
	spec, warnings := letterSpec(cfg, t, expires)
	if err := spec.Validate(); err != nil {
		return tellf(fmt.Errorf("letter of trajectory %s: %w", t.ID, err),
			"De brief voor traject %s klopt niet: %v.", t.ID, err)
	}
	reg, err := readRegister(a.register)
	if err != nil {
		return err
	}
	seed := a.seed
	if seed == 0 {
		seed = panel.NewSeed()
	}
	l, err := panel.Draw(reg, panel.DrawOptions{Size: a.size, Strata: a.strata, Seed: seed})
	if err != nil {
		return tellf(fmt.Errorf("draw panel: %w", err), "%v", err)
	}
	parts := letterFiles(a.letters, len(l.Drawn))
	for _, p := range parts {
		if _, err := os.Stat(p); err == nil {
			return tellf(fmt.Errorf("letters %s: %w", p, fs.ErrExist),
				"%s bestaat al: kies met --brieven een andere naam, of haal het oude bestand eerst weg (zijn die brieven al verstuurd?).", p)
		}
	}
	st, err := cliStoreOf(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	id := drawID(l.Audit)
	if done, err := st.PanelAudits(ctx, t.ID); err != nil {
		return err
	} else if _, ok := done[id]; ok {
		return errDrawSaved(t.ID, seed)
	}
	invites, err := panel.NewInvites(l)
	if err != nil {
		return fmt.Errorf("make invitation codes: %w", err)
	}
	if err := saveLoting(ctx, st.Store, cfg, t.ID, id, l, invites, spec, parts, expires); err != nil {
		return err
	}
	printLoting(out, t, l, parts, spec, expires, warnings)
	return writeLotingAudit(out, l.Audit, a.audit)
}

func parseLoting(args []string, out io.Writer) (lotingArgs, error) {
	fs := flag.NewFlagSet("loting", flag.ContinueOnError)
	var a lotingArgs
	fs.StringVar(&a.register, "steekproef", "", "het bevolkingsbestand (CSV)")
	fs.IntVar(&a.size, "aantal", 0, "hoeveel adressen")
	strata := fs.String("strata", "kern,leeftijd", "de strata")
	fs.Uint64Var(&a.seed, "seed", 0, "de seed")
	fs.StringVar(&a.expires, "verloopt", "", "laatste dag van de codes")
	fs.StringVar(&a.letters, "brieven", "", "PDF met de brieven")
	fs.StringVar(&a.audit, "verantwoording", "", "bestand voor de verantwoording")
	pos, err := parseArgs(fs, "loting", args, out)
	if err != nil {
		return a, err
	}
	switch {
	case len(pos) != 1:
		return a, usagef("loting", "noem één traject")
	case a.register == "":
		return a, usagef("loting", "noem het bevolkingsbestand: --steekproef BESTAND.csv")
	case a.size < 1:
		return a, usagef("loting", "noem hoeveel adressen geloot worden: --aantal N (minstens 1)")
	case a.letters == "":
		return a, usagef("loting", "noem het bestand voor de brieven: --brieven brieven.pdf")
	case !strings.EqualFold(filepath.Ext(a.letters), ".pdf"):
		return a, usagef("loting", "--brieven %s: de brieven worden een PDF, noem een bestand dat op .pdf eindigt", a.letters)
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" && a.seed == 0 && err == nil {
			err = usagef("loting", "--seed 0 kan niet: kies een ander getal, of laat --seed weg voor een willekeurige")
		}
	})
	if err != nil {
		return a, err
	}
	for _, d := range splitList(*strata) {
		if d != panel.DimKern && d != panel.DimLeeftijd {
			return a, usagef("loting", "onbekend stratum %q: kies kern, leeftijd of kern,leeftijd", d)
		}
		if !slices.Contains(a.strata, d) {
			a.strata = append(a.strata, d)
		}
	}
	a.traject = pos[0]
	return a, nil
}

// lotingTrajectory loads the surveys and trajectories as serve does and returns
// trajectory id.
func lotingTrajectory(cfg *config, id string) (*surveys.Trajectory, error) {
	list, err := loadSurveys(cfg)
	if err != nil {
		return nil, surveysError(cfg, err)
	}
	ts, err := loadTrajectories(cfg, list)
	if err != nil {
		return nil, surveysError(cfg, err)
	}
	var ids []string
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
		ids = append(ids, t.ID)
	}
	if len(ids) == 0 {
		return nil, tellf(fmt.Errorf("trajectory %q: none in %s", id, cfg.SurveysDir),
			"Traject %q bestaat niet: er staat geen traject (*.traject.yaml) in %s.", id, cfg.SurveysDir)
	}
	slices.Sort(ids)
	return nil, tellf(fmt.Errorf("trajectory %q: not found", id),
		"Traject %q bestaat niet. De trajecten in %s: %s.", id, cfg.SurveysDir, strings.Join(ids, ", "))
}

// lotingExpiry is the moment the codes stop working: the end of the day given, or
// of the trajectory's last phase, in local time.
func lotingExpiry(cfg *config, t *surveys.Trajectory, given string) (time.Time, error) {
	day := t.Phases[len(t.Phases)-1].To
	if given != "" {
		d, err := time.ParseInLocation(time.DateOnly, given, cfg.Location)
		if err != nil {
			return time.Time{}, usagef("loting", "--verloopt %q: schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2027-12-31", given)
		}
		day = d
	}
	end := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, cfg.Location)
	if !end.After(time.Now()) {
		return time.Time{}, tellf(fmt.Errorf("codes expire %s: in the past", end.Format(time.DateOnly)),
			"De codes zouden verlopen op %s, en die dag is al voorbij: kies met --verloopt een latere datum.", dutch.Date(end))
	}
	return end, nil
}

// wieBeslistLetter is how the letter names who decides ("de gemeenteraad").
var wieBeslistLetter = map[string]string{"gemeenteraad": "de gemeenteraad", "college": "het college van burgemeester en wethouders",
	"burgemeester": "de burgemeester", "inwoners": "de inwoners"}

// letterSpec is what every letter of trajectory t says, and the warnings about the
// ways in that the configuration leaves out.
func letterSpec(cfg *config, t *surveys.Trajectory, expires time.Time) (panel.LetterSpec, []string) {
	first := t.Phases[0]
	for _, p := range t.Phases {
		if len(p.Surveys) > 0 {
			first = p
			break
		}
	}
	last := t.Phases[len(t.Phases)-1]
	spec := panel.LetterSpec{Gemeente: t.Gemeente, TrajectTitle: t.Title, Doel: or(first.Verwachting, t.Belofte),
		WieBeslist: or(wieBeslistLetter[t.WieBeslist], t.WieBeslist), Trede: string(first.Trede),
		WatGebeurtErMee: "Uw antwoorden tellen mee voor het besluit. " + t.Besluit,
		Terugkoppeling:  last.To, Verloopt: expires, TelegramBot: cfg.TelegramBot, WhatsAppNumber: cfg.WhatsApp.Number}
	var warnings []string
	if cfg.WebChat {
		spec.WebChatURL = strings.TrimSuffix(or(cfg.PublicURL, defaultPublicURL(cfg.HTTPAddr)), "/") + "/"
		if cfg.PublicURL == "" {
			warnings = append(warnings, "PUBLIC_URL is niet gezet: de brieven verwijzen naar "+spec.WebChatURL+
				", dat alleen op deze machine werkt. Zet PUBLIC_URL op het openbare adres van de webchat.")
		}
	}
	if cfg.TelegramToken != "" && cfg.TelegramBot == "" {
		warnings = append(warnings, "TELEGRAM_BOT_USERNAME is niet gezet: de brieven noemen Telegram niet.")
	}
	if cfg.WhatsApp.Token != "" && cfg.WhatsApp.Number == "" {
		warnings = append(warnings, "WHATSAPP_NUMBER is niet gezet: de brieven noemen WhatsApp niet.")
	}
	return spec, warnings
}

// readRegister reads the register extract at path; its errors are Dutch already.
func readRegister(path string) (*panel.Register, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, tellf(fmt.Errorf("open register: %w", err), "Kan het bevolkingsbestand %s niet lezen: %s.", path, fileProblem(path, err))
	}
	defer f.Close()
	reg, err := panel.ReadRegister(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, tellf(fmt.Errorf("read register: %w", err), "%s: %v", path, err)
	}
	return reg, nil
}

// drawID names a draw by its seed and register: the same draw saved twice is one.
func drawID(a panel.Audit) string {
	return strconv.FormatUint(a.Seed, 10) + "-" + a.RegisterSHA256[:16]
}

func errDrawSaved(traject string, seed uint64) error {
	return tellf(fmt.Errorf("panel draw of %s with seed %d: saved before", traject, seed),
		"Deze loting is al opgeslagen (zelfde seed en bestand) voor traject %s: er zijn geen nieuwe brieven gemaakt en niets is dubbel geteld. "+
			"Wilt u een nieuwe loting, laat --seed dan weg of kies een andere seed.", traject)
}

// letterFiles are the PDFs for n letters: path itself up to panel.MaxLetters,
// else path's name with -1, -2, … before ".pdf".
func letterFiles(path string, n int) []string {
	if n <= panel.MaxLetters {
		return []string{path}
	}
	base := strings.TrimSuffix(path, filepath.Ext(path))
	var out []string
	for i := 0; i*panel.MaxLetters < n; i++ {
		out = append(out, fmt.Sprintf("%s-%d.pdf", base, i+1))
	}
	return out
}

// saveLoting writes the letters to temporary files beside their targets, stores the
// draw, then puts the letters in place; on any failure the temporary files go.
func saveLoting(ctx context.Context, st *storage.Store, cfg *config, traject, id string, l *panel.Loting,
	invites []panel.Invite, spec panel.LetterSpec, parts []string, expires time.Time) error {
	var tmps []string
	defer func() {
		for _, p := range tmps {
			os.Remove(p) // after the renames there is nothing left to remove
		}
	}()
	for i, p := range parts {
		tmp, err := writeLetterPart(p, spec, invites[i*panel.MaxLetters:min((i+1)*panel.MaxLetters, len(invites))])
		if tmp != "" {
			tmps = append(tmps, tmp)
		}
		if err != nil {
			return err
		}
	}
	key := subkey(cfg.PseudonymKey, "panel")
	// a code stands for its resident's kern and age group whatever the draw was
	// stratified by (results.PanelStratum): the resident is not asked them, and the
	// response per kern × age group is a real response rate within each stratum
	codes := make(map[string]string, len(invites))
	for i, inv := range invites {
		codes[panel.HashCode(key, inv.Code)] = results.PanelStratum(l.Drawn[i].Kern, l.Drawn[i].AgeGroup)
	}
	audit, err := json.Marshal(l.Audit)
	if err != nil {
		return fmt.Errorf("encode panel audit: %w", err)
	}
	saved, err := st.SavePanel(ctx, storage.PanelDraw{Traject: traject, ID: id, Codes: codes, Expires: expires, Audit: audit})
	if err != nil {
		return tellf(err, "Kan de loting niet opslaan (%v); er zijn geen brieven gemaakt. Probeer het opnieuw met --seed %d.", err, l.Audit.Seed)
	}
	if !saved {
		return errDrawSaved(traject, l.Audit.Seed)
	}
	for i, p := range parts {
		if err := os.Rename(tmps[i], p); err != nil {
			return tellf(fmt.Errorf("put letters in place: %w", err),
				"De loting is opgeslagen, maar de brieven konden niet naar %s (%v). Ze staan in %s: hernoem dat bestand zelf.", p, err, tmps[i])
		}
		tmps[i] = ""
	}
	return nil
}

// writeLetterPart writes the letters of one PDF to a temporary file beside path and
// returns its name (also on failure, when it was made).
func writeLetterPart(path string, spec panel.LetterSpec, invites []panel.Invite) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", tellf(fmt.Errorf("create letters: %w", err), "Kan de brieven niet schrijven in %s: %v.", filepath.Dir(path), err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = panel.WriteLetters(w, spec, invites)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f.Name(), tellf(fmt.Errorf("write letters: %w", err), "Kan de brieven niet schrijven: %v.", err)
	}
	return f.Name(), nil
}

// printLoting is the organiser's summary: per stratum, the files, the seed, and what
// to delete.
func printLoting(out io.Writer, t *surveys.Trajectory, l *panel.Loting, parts []string, spec panel.LetterSpec,
	expires time.Time, warnings []string) {
	a := l.Audit
	fmt.Fprintf(out, "Loting voor traject %s (%s)\n\n", t.ID, t.Title)
	fmt.Fprintf(out, "Seed: %d\n", a.Seed)
	fmt.Fprintf(out, "Bevolkingsbestand: %s, waarvan %s te loten (%s niet: jonger dan 16 of buiten de leeftijdsgroepen)\n\n",
		dutch.Plural(int64(a.RegisterRows), "inwoner", "inwoners"), dutch.Int(int64(a.Drawable)), dutch.Int(int64(a.Excluded)))
	// the strata left, the counts right: the keys padded to one width
	w := len("stratum")
	for _, s := range a.Strata {
		w = max(w, utf8.RuneCountInString(or(s.Key, "(alle inwoners)")))
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(key, register, drawn string) {
		fmt.Fprintf(tw, "  %s%s\t%s\t%s\t\n", key, strings.Repeat(" ", w-utf8.RuneCountInString(key)), register, drawn)
	}
	row("stratum", "inwoners", "geloot")
	for _, s := range a.Strata {
		row(or(s.Key, "(alle inwoners)"), dutch.Int(int64(s.Register)), dutch.Int(int64(s.Drawn)))
	}
	row("totaal", dutch.Int(int64(a.Drawable)), dutch.Int(int64(a.Size)))
	tw.Flush()
	fmt.Fprintln(out)
	for i, p := range parts {
		n := min(panel.MaxLetters, len(l.Drawn)-i*panel.MaxLetters)
		fmt.Fprintf(out, "Brieven: %s (%s)\n", p, dutch.Plural(int64(n), "brief", "brieven"))
	}
	fmt.Fprintf(out, "De codes werken tot en met %s. Inwoners doen mee via %s.\n", dutch.Date(expires), waysIn(spec))
	for _, w := range warnings {
		fmt.Fprintln(out, "Let op: "+w)
	}
	fmt.Fprintf(out, "\nBewaar de seed bij de verantwoording: met hetzelfde bestand en seed %d is de loting na te doen.\n", a.Seed)
	fmt.Fprintln(out, "Verwijder na het printen het bevolkingsbestand en de PDF: de adressen staan nergens anders,")
	fmt.Fprintln(out, "de bot bewaart alleen een sleutelwaarde van elke code met de kern en leeftijdsgroep.")
}

func waysIn(s panel.LetterSpec) string {
	var ways []string
	for _, l := range s.Links("K7QM-X3VD-R9TC") {
		ways = append(ways, strings.Replace(l.Channel, "webchat", "de webchat", 1))
	}
	return dutch.And(ways)
}

// writeLotingAudit writes the audit as Markdown to path, or after the summary.
func writeLotingAudit(out io.Writer, a panel.Audit, path string) error {
	if path == "" {
		fmt.Fprintln(out)
		return a.WriteAudit(out)
	}
	f, err := os.Create(path)
	if err != nil {
		return tellf(fmt.Errorf("write audit: %w", err), "De loting is opgeslagen, maar de verantwoording kon niet naar %s (%v).", path, err)
	}
	err = a.WriteAudit(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return tellf(fmt.Errorf("write audit: %w", err), "De loting is opgeslagen, maar de verantwoording kon niet naar %s (%v).", path, err)
	}
	fmt.Fprintf(out, "Verantwoording: %s\n", path)
	return nil
}
