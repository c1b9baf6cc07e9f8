package surveys

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Limits of a survey file. Ids are short because they end up in tally field names and
// in Telegram's callback data, which holds at most 64 bytes.
const (
	limSurveyID     = 40
	limKeyID        = 24 // question and option ids, categories
	limTitle        = 200
	limCardText     = 1000
	limQuestionText = 1000
	limLabel        = 200
	limQuestions    = 50
	limOptionsMin   = 2
	limOptions      = 50
	limPoolMin      = 3
	limPool         = 100
	defaultTriads   = 4
	limTriads       = 20
	defaultMaxLen   = 1000
	likertPoints    = 5
	ratingPoints    = 10
)

// MaxAnswerLen is the largest max_length an open question may set, in characters;
// the results clip open answers to it.
const MaxAnswerLen = 3000

var (
	surveyIDPattern = regexp.MustCompile(`^[a-z0-9-]+$`)
	keyIDPattern    = regexp.MustCompile(`^[a-z0-9_-]+$`)
)

// validSurveyID reports whether s is a usable survey id.
func validSurveyID(s string) bool {
	return len(s) <= limSurveyID && surveyIDPattern.MatchString(s)
}

// validKeyID reports whether s is a usable question id, option id or category; these
// go into tally field names, so they never hold ':' or spaces (see ValidKey).
func validKeyID(s string) bool {
	return len(s) <= limKeyID && keyIDPattern.MatchString(s) && ValidKey(s)
}

// Who may decide, as the participatiekaart names it.
var wieBeslistValues = []string{"gemeenteraad", "college", "burgemeester", "inwoners"}

// The treden of the participatieladder, lowest first.
var tredeValues = []string{
	string(Informeren), string(Raadplegen), string(Adviseren), string(Coproduceren), string(Meebeslissen),
}

var yamlCardKeys = []string{"doel", "wie_beslist", "trede", "wat_gebeurt_er_mee", "terugkoppeling"}

// card decodes and checks the participatiekaart; every field is required.
func (d *surveyDecoder) card(n *yaml.Node) Card {
	f := d.mapping(n, "participatiekaart: ", cardSection)
	if f == nil {
		return Card{}
	}
	c := Card{
		Doel:            d.textIn(f, "doel", true, limCardText, func(s *Survey) *string { return &s.Card.Doel }),
		WieBeslist:      d.text(f, "wie_beslist", true, 0),
		Trede:           Trede(d.text(f, "trede", true, 0)),
		WatGebeurtErMee: d.textIn(f, "wat_gebeurt_er_mee", true, limCardText, func(s *Survey) *string { return &s.Card.WatGebeurtErMee }),
	}
	d.readerText("participatiekaart: doel", f.val["doel"], c.Doel)
	d.readerText("participatiekaart: wat_gebeurt_er_mee", f.val["wat_gebeurt_er_mee"], c.WatGebeurtErMee)
	d.oneOf(f, "wie_beslist", c.WieBeslist, wieBeslistValues, wieBeslistMeant)
	d.oneOf(f, "trede", string(c.Trede), tredeValues, tredeMeant)
	if s := d.text(f, "terugkoppeling", true, 0); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			d.errorf(f.val["terugkoppeling"], dateHint("terugkoppeling", s), "participatiekaart: de datum van terugkoppeling %q klopt niet", s)
		}
		c.Terugkoppeling = t
	}
	return c
}

// oneOf reports a non-empty value of field name that is not one of allowed; meant
// holds what values organisers often write instead are called here.
func (d *surveyDecoder) oneOf(f *yamlFields, name, value string, allowed []string, meant map[string]string) {
	if value == "" || slices.Contains(allowed, value) {
		return
	}
	d.errorf(f.val[name], choiceHint(value, allowed, meant), "%s%s %q bestaat niet", f.ctx, name, value)
}

var yamlScheduleKeys = []string{"cron", "opens", "duration", "reminders"}

// schedule decodes and checks when rounds open and how long they last.
func (d *surveyDecoder) schedule(n *yaml.Node) Schedule {
	f := d.mapping(n, "schedule: ", scheduleSection)
	if f == nil {
		return Schedule{}
	}
	var s Schedule
	switch {
	case f.val["cron"] == nil && f.val["opens"] == nil:
		d.errorf(f.node, `Kies er één: cron: "0 9 1 3,9 *" voor rondes die terugkomen, of opens: "2027-01-04 09:00" voor één ronde.`,
			"schedule: cron of opens ontbreekt")
	case f.val["cron"] != nil && f.val["opens"] != nil:
		d.errorf(f.key["opens"], "Kies er één: cron voor rondes die terugkomen, opens voor één ronde. Haal de andere weg.",
			"schedule: cron en opens staan er allebei")
	}
	if n := f.val["cron"]; n != nil {
		s.Cron = d.text(f, "cron", true, 0)
		d.checkCron(n, s.Cron)
	}
	if n := f.val["opens"]; n != nil {
		if v := d.text(f, "opens", true, 0); v != "" {
			t, err := time.ParseInLocation("2006-01-02 15:04", v, time.UTC)
			if err != nil {
				d.errorf(n, opensHint(v), "schedule: de tijd %q bij opens klopt niet", v)
			}
			s.Opens = t
		}
	}
	if n := d.required(f, "duration"); n != nil {
		s.Duration = d.duration(f, "duration", n)
	}
	s.Reminders = d.reminders(f, s.Duration)
	if s.Cron != "" && s.Duration > 0 {
		d.checkOverlap(f.val["duration"], s.Cron, s.Duration)
	}
	return s
}

// checkCron reports a spec that cron.ParseStandard rejects, and the forms that are
// not local wall-clock schedules (a time zone prefix, "@every").
func (d *surveyDecoder) checkCron(n *yaml.Node, spec string) {
	if spec == "" {
		return
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		local := ""
		if _, rest, ok := strings.Cut(spec, " "); ok && len(rest) <= limQuoted {
			local = fmt.Sprintf(", bijvoorbeeld: cron: %q", strings.TrimSpace(rest))
		}
		d.errorf(n, "Schrijf de lokale tijd, zonder tijdzone"+local+". De tijdzone staat in de instellingen (TIMEZONE).",
			"schedule: cron %q noemt een tijdzone", spec)
		return
	}
	if strings.HasPrefix(spec, "@every") {
		d.errorf(n, cronHint, "schedule: cron %q telt tijd af in plaats van een tijd op de klok te noemen", spec)
		return
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		d.errorf(n, cronHint, "schedule: cron %q klopt niet: %s", spec, cronDetail(spec))
	}
}

// checkOverlap reports a duration longer than the shortest gap between two rounds, so
// that a round would still be open when the next one starts.
func (d *surveyDecoder) checkOverlap(n *yaml.Node, spec string, dur time.Duration) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return
	}
	t := sched.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	gap := time.Duration(0)
	for range 24 {
		next := sched.Next(t)
		if g := next.Sub(t); gap == 0 || g < gap {
			gap = g
		}
		t = next
	}
	if gap > 0 && dur > gap {
		d.errorf(n, "Dan is een ronde nog open als de volgende begint. Maak duration korter, of laat de rondes minder vaak beginnen.",
			"schedule: duration %s is langer dan de %s tussen twee rondes", durationText(dur), durationText(gap))
	}
}

// duration parses a Go duration ("72h") or whole days ("14d") that must be positive.
func (d *surveyDecoder) duration(f *yamlFields, name string, n *yaml.Node) time.Duration {
	s, ok := d.scalar(f, name, n)
	if !ok {
		return 0
	}
	v, err := parseDuration(s)
	if err != nil {
		d.errorf(n, durationHint, "%s%s %q klopt niet", f.ctx, name, s)
		return 0
	}
	if v <= 0 {
		d.errorf(n, "Kies een duur langer dan 0, bijvoorbeeld 14d of 48h.", "%s%s %q is niet langer dan 0", f.ctx, name, s)
		return 0
	}
	return v
}

// durationHint is the tip on a duration that cannot be read.
const durationHint = "Schrijf een aantal dagen met d of uren met h, zonder spatie, bijvoorbeeld 14d of 48h (30m is 30 minuten)."

// opensHint is the tip on an opens time that cannot be read, with the date turned
// round and the time added where that makes one.
func opensHint(v string) string {
	example := "2027-01-04 09:00"
	date, clock, _ := strings.Cut(strings.TrimSpace(v), " ")
	if ymd, ok := yearFirst(date); ok {
		date = ymd
	}
	if _, err := time.Parse("2006-01-02", date); err == nil {
		if clock == "" {
			clock = "09:00"
		}
		if _, err := time.Parse("2006-01-02 15:04", date+" "+clock); err == nil {
			example = date + " " + clock
		}
	}
	return fmt.Sprintf("Schrijf de datum (jaar-maand-dag) en de tijd in lokale tijd, tussen aanhalingstekens, bijvoorbeeld: opens: %q", example)
}

func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("bad number of days %q", days)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// durationText writes whole days as "14d" and anything else as Go does.
func durationText(v time.Duration) string {
	if v > 0 && v%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", v/(24*time.Hour))
	}
	return v.String()
}

// reminders decodes the reminder offsets before the close: each positive, shorter than
// the round and given once. They are returned largest first.
func (d *surveyDecoder) reminders(f *yamlFields, dur time.Duration) []time.Duration {
	items, ok := d.sequence(f, "reminders")
	if !ok {
		return nil
	}
	var out []time.Duration
	seen := map[time.Duration]*yaml.Node{}
	for i, n := range items {
		name := fmt.Sprintf("herinnering %d", i+1)
		v := d.duration(f, name, n)
		switch {
		case v <= 0:
			continue
		case seen[v] != nil && seen[v].Value == n.Value:
			d.errorf(n, "Twee herinneringen op één moment worden één bericht. Haal er een weg.",
				"schedule: herinnering %q staat er al, op regel %d", n.Value, seen[v].Line)
			continue
		case seen[v] != nil:
			d.errorf(n, "Twee herinneringen op één moment worden één bericht. Haal er een weg.",
				"schedule: herinnering %q valt op hetzelfde moment als %q op regel %d", n.Value, seen[v].Value, seen[v].Line)
			continue
		case dur > 0 && v >= dur:
			d.errorf(n, fmt.Sprintf("Een herinnering gaat een tijd vóór het sluiten uit, dus binnen de ronde: kies minder dan %s, bijvoorbeeld %s.",
				durationText(dur), durationText(min(48*time.Hour, dur/2).Truncate(time.Hour))),
				"schedule: herinnering %q vóór het sluiten is niet korter dan de duur van de ronde (%s)", n.Value, durationText(dur))
			continue
		}
		seen[v] = n
		out = append(out, v)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// checkCardDates reports a terugkoppeling date before a one-off round has closed:
// the participatiekaart would promise feedback before the answers are in.
func (d *surveyDecoder) checkCardDates(s *Survey, f *yamlFields) {
	c, sch := s.Card, s.Schedule
	if c.Terugkoppeling.IsZero() || sch.Opens.IsZero() || sch.Duration <= 0 {
		return
	}
	closes := sch.Opens.Add(sch.Duration)
	closeDay := time.Date(closes.Year(), closes.Month(), closes.Day(), 0, 0, 0, 0, time.UTC)
	if !c.Terugkoppeling.Before(closeDay) {
		return
	}
	n := f.val["participatiekaart"]
	if card := d.silentMapping(n); card != nil && card["terugkoppeling"] != nil {
		n = card["terugkoppeling"]
	}
	d.errorf(n, fmt.Sprintf("Deelnemers horen pas iets terug als de ronde gesloten is. Kies %s of later, bijvoorbeeld: terugkoppeling: %s",
		closes.Format("2006-01-02"), closes.AddDate(0, 1, 0).Format("2006-01-02")),
		"participatiekaart: terugkoppeling %s is vóór het sluiten van de ronde op %s",
		c.Terugkoppeling.Format("2006-01-02"), closes.Format("2006-01-02"))
}

// silentMapping returns the values of a mapping node by key without reporting anything.
func (d *surveyDecoder) silentMapping(n *yaml.Node) map[string]*yaml.Node {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	m := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[resolveAlias(n.Content[i]).Value] = resolveAlias(n.Content[i+1])
	}
	return m
}

// maxBewaartermijn is the longest bewaartermijn a survey may name, in months: raw
// answers kept for more than ten years are no longer "not longer than necessary"
// (AVG art. 5(1)(e)).
const maxBewaartermijn = 120

// retention reads "bewaartermijn": whole months, as a number (12) or in words
// ("12 maanden", "1 maand", "2 jaar"); 0 when absent (the default applies).
func (d *surveyDecoder) retention(f *yamlFields) int {
	n := f.val["bewaartermijn"]
	if n == nil {
		return 0
	}
	bad := func() int {
		hint := fmt.Sprintf("Schrijf het aantal maanden, zoals 12, \"18 maanden\" of \"2 jaar\", hoogstens %d maanden (10 jaar). "+
			"Laat het weg voor 12 maanden.", maxBewaartermijn)
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			d.errorf(n, hint, "bewaartermijn %q klopt niet", n.Value)
		} else {
			d.errorf(n, hint, "bewaartermijn: hier hoort een aantal maanden, maar %s", nodeDesc(n))
		}
		return 0
	}
	if n.Kind != yaml.ScalarNode {
		return bad()
	}
	num, unit, _ := strings.Cut(strings.TrimSpace(n.Value), " ")
	months, err := strconv.Atoi(num)
	if err != nil || months <= 0 {
		return bad()
	}
	switch strings.TrimSpace(unit) {
	case "", "maand", "maanden":
	case "jaar":
		months *= 12
	default:
		return bad()
	}
	if months > maxBewaartermijn {
		return bad()
	}
	return months
}
