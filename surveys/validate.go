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
	f := d.mapping(n, "participatiekaart: ", yamlCardKeys)
	if f == nil {
		return Card{}
	}
	c := Card{
		Doel:            d.text(f, "doel", true, limCardText),
		WieBeslist:      d.text(f, "wie_beslist", true, 0),
		Trede:           Trede(d.text(f, "trede", true, 0)),
		WatGebeurtErMee: d.text(f, "wat_gebeurt_er_mee", true, limCardText),
	}
	d.oneOf(f, "wie_beslist", c.WieBeslist, wieBeslistValues)
	d.oneOf(f, "trede", string(c.Trede), tredeValues)
	if s := d.text(f, "terugkoppeling", true, 0); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			d.errorf(f.val["terugkoppeling"], "participatiekaart: bad terugkoppeling date %q, want YYYY-MM-DD", s)
		}
		c.Terugkoppeling = t
	}
	return c
}

// oneOf reports a non-empty value of field name that is not one of allowed.
func (d *surveyDecoder) oneOf(f *yamlFields, name, value string, allowed []string) {
	if value == "" || slices.Contains(allowed, value) {
		return
	}
	d.errorf(f.val[name], "%sbad %s %q%s; want one of %s",
		f.ctx, name, value, didYouMean(value, allowed), strings.Join(allowed, ", "))
}

var yamlScheduleKeys = []string{"cron", "opens", "duration", "reminders"}

// schedule decodes and checks when rounds open and how long they last.
func (d *surveyDecoder) schedule(n *yaml.Node) Schedule {
	f := d.mapping(n, "schedule: ", yamlScheduleKeys)
	if f == nil {
		return Schedule{}
	}
	var s Schedule
	switch {
	case f.val["cron"] == nil && f.val["opens"] == nil:
		d.errorf(f.node, "schedule: needs one of \"cron\" (repeating rounds) or \"opens\" (one round)")
	case f.val["cron"] != nil && f.val["opens"] != nil:
		d.errorf(f.key["opens"], "schedule: \"cron\" and \"opens\" both set, use one of them")
	}
	if n := f.val["cron"]; n != nil {
		s.Cron = d.text(f, "cron", true, 0)
		d.checkCron(n, s.Cron)
	}
	if n := f.val["opens"]; n != nil {
		if v := d.text(f, "opens", true, 0); v != "" {
			t, err := time.ParseInLocation("2006-01-02 15:04", v, time.UTC)
			if err != nil {
				d.errorf(n, "schedule: bad opens time %q, want local time as \"YYYY-MM-DD HH:MM\"", v)
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
		d.errorf(n, "schedule: cron %q sets a time zone; write local time, the zone is configured", spec)
		return
	}
	if strings.HasPrefix(spec, "@every") {
		d.errorf(n, "schedule: cron %q is not a wall-clock schedule; use 5 fields such as \"0 9 1 * *\"", spec)
		return
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		d.errorf(n, "schedule: bad cron %q: %v", spec, err)
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
		d.errorf(n, "schedule: duration %s is longer than the %s between rounds, rounds would overlap",
			durationText(dur), durationText(gap))
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
		d.errorf(n, "%sbad %s %q, want a Go duration such as \"72h\" or whole days such as \"14d\"", f.ctx, name, s)
		return 0
	}
	if v <= 0 {
		d.errorf(n, "%s%s must be more than 0, got %q", f.ctx, name, s)
		return 0
	}
	return v
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
		name := fmt.Sprintf("reminder %d", i+1)
		v := d.duration(f, name, n)
		switch {
		case v <= 0:
			continue
		case seen[v] != nil:
			d.errorf(n, "schedule: duplicate reminder %q, first at line %d", n.Value, seen[v].Line)
			continue
		case dur > 0 && v >= dur:
			d.errorf(n, "schedule: reminder %q before the close must be shorter than the duration %s",
				n.Value, durationText(dur))
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
	d.errorf(n, "participatiekaart: terugkoppeling %s is before the round closes on %s",
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
		d.errorf(n, "bewaartermijn %s: schrijf het aantal maanden, zoals 12, \"18 maanden\" of \"2 jaar\" (hoogstens %d maanden)",
			nodeDesc(n), maxBewaartermijn)
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
