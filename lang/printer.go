package lang

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// locales holds the catalogues: <area>.<code>.yaml, one file per area (common: dates
// and languages; bot: the engine's conversation; results: what residents read of
// results and decisions; web: the web chat's page) and language, and je/<area>.nl.yaml
// for Dutch in the je register.
//
//go:embed locales
var locales embed.FS

var (
	loadOnce sync.Once
	bundle   *i18n.Bundle // every language, u register
	jeBundle *i18n.Bundle // Dutch, je register
	loadErr  error
)

func load() {
	bundle = i18n.NewBundle(language.Dutch)
	bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	jeBundle = i18n.NewBundle(language.Dutch)
	jeBundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	loadErr = fs.WalkDir(locales, "locales", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		b := bundle
		if path.Base(path.Dir(p)) == "je" {
			b = jeBundle
		}
		buf, err := locales.ReadFile(p)
		if err != nil {
			return err
		}
		if _, err := b.ParseMessageFileBytes(buf, p); err != nil {
			return fmt.Errorf("catalogue %s: %w", p, err)
		}
		return nil
	})
	for _, c := range Supported {
		printers[0] = append(printers[0], newPrinter(c, false))
	}
	printers[1] = []*Printer{newPrinter(NL, true)}
}

// Printer prints the catalogues' texts in one language and register. It is safe for
// concurrent use.
type Printer struct {
	code Code
	je   bool
	loc  *i18n.Localizer
	jeL  *i18n.Localizer // nil unless Dutch in the je register
}

// printers are every language's printer in each register, made once with the
// catalogues: looking one up takes no lock (the engine does it for every text).
var printers [2][]*Printer

// For is the printer of language c (Dutch when c is not supported) in the je register
// when je is set (only Dutch has one; the other languages have their own forms of
// address). A catalogue that does not load is a programming error: it panics.
func For(c Code, je bool) *Printer {
	loadOnce.Do(load)
	if loadErr != nil {
		panic(loadErr)
	}
	c = c.Or()
	if je && c == NL {
		return printers[1][0]
	}
	return printers[0][slices.Index(Supported, c)]
}

func newPrinter(c Code, je bool) *Printer {
	p := &Printer{code: c, je: je, loc: i18n.NewLocalizer(bundle, string(c))}
	if je {
		p.jeL = i18n.NewLocalizer(jeBundle, "nl")
	}
	return p
}

// Dutch is the printer of Dutch in the u register, the default.
func Dutch() *Printer { return For(NL, false) }

// Lang is the printer's language.
func (p *Printer) Lang() Code { return p.code }

// Je reports whether the printer addresses residents with je.
func (p *Printer) Je() bool { return p.je }

// T is the text with id, its template filled from the pairs of a name and a value
// ("Gemeente", "Dalfsen"). A text missing from every catalogue prints as its id in
// brackets, which the catalogue tests never let through.
func (p *Printer) T(id string, kv ...any) string {
	return p.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data(kv)})
}

// N is the text with id in the plural form for n (the language's CLDR rules), with n
// as "N" in its template, written as the language writes numbers.
func (p *Printer) N(id string, n int, kv ...any) string {
	d := data(kv)
	d["N"] = p.Int(n)
	return p.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: n})
}

// Has reports whether a text with id exists.
func (p *Printer) Has(id string) bool {
	_, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

func (p *Printer) localize(lc *i18n.LocalizeConfig) string {
	if p.jeL != nil {
		if s, err := p.jeL.Localize(lc); err == nil {
			return s
		}
	}
	s, err := p.loc.Localize(lc)
	if err != nil {
		if s != "" { // a translation that fell back to Dutch
			return s
		}
		return "[" + lc.MessageID + "]"
	}
	return s
}

func data(kv []any) map[string]any {
	d := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		d[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return d
}

// Int writes a whole number: Dutch with a point between thousands, the others plain.
func (p *Printer) Int(n int) string {
	if p.code == NL {
		return dutch.Int(int64(n))
	}
	return strconv.Itoa(n)
}

// Date is a calendar date as the language writes it ("15 december 2026").
func (p *Printer) Date(t time.Time) string {
	return p.T("date", "Day", t.Day(), "Month", p.T("month."+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}

// Moment is a local time with its weekday ("dinsdag 15 december om 17:00").
func (p *Printer) Moment(t time.Time) string {
	return p.T("moment", "Weekday", p.T("weekday."+strconv.Itoa(int(t.Weekday()))), "Day", t.Day(),
		"Month", p.T("month."+strconv.Itoa(int(t.Month()))), "Time", fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()))
}

// Decimal writes x with the given number of decimals, with the language's decimal
// sign ("62,5" in Dutch, "62.5" in English); NaN and ±Inf are "-".
func (p *Printer) Decimal(x float64, decimals int) string {
	s := dutch.Decimal(x, decimals)
	if p.code == NL || s == "-" {
		return s
	}
	s = strings.ReplaceAll(s, ".", "")
	return strings.Replace(s, ",", p.T("decimal_sign"), 1)
}

// Percent writes a percentage (0..100) rounded to a whole number as the language
// does ("32%", Turkish "%32").
func (p *Printer) Percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return p.T("percent", "N", p.Int(int(math.Round(x))))
}

// And writes a list the language's way: "a, b en c".
func (p *Printer) And(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return p.T("and", "List", strings.Join(items[:len(items)-1], p.T("list_sep")), "Last", items[len(items)-1])
}
