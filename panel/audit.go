package panel

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Audit is the record of a draw for the participatieverslag: enough to repeat it from
// the same register extract, and no address. It marshals to JSON; the seed is a JSON
// string, since a uint64 does not fit a JavaScript number.
type Audit struct {
	Seed           uint64    `json:"seed,string"`
	DrawnAt        time.Time `json:"drawn_at"`
	RegisterSHA256 string    `json:"register_sha256"`
	// RegisterRows are the residents in the extract; Drawable of them fall in an age
	// group, Excluded do not (mostly the under-16s).
	RegisterRows int `json:"register_rows"`
	Drawable     int `json:"drawable"`
	Excluded     int `json:"excluded"`
	// Size is the number of addresses drawn.
	Size int `json:"size"`
	// Dimensions are the stratum dimensions, kern before leeftijd; empty for none.
	Dimensions []string       `json:"dimensions"`
	AgeGroups  []AgeGroup     `json:"age_groups"`
	Strata     []StratumAudit `json:"strata"`
	// Method is the method in one Dutch sentence.
	Method string `json:"method"`
}

// StratumAudit is one stratum of the audit.
type StratumAudit struct {
	Key string `json:"key"`
	// Register is the stratum's drawable population.
	Register int `json:"register"`
	// Allocated is its share of the sample, Drawn how many were drawn (the same,
	// unless something is wrong).
	Allocated int `json:"allocated"`
	Drawn     int `json:"drawn"`
}

// WriteAudit writes the audit as Dutch Markdown, for the participatieverslag.
func (a Audit) WriteAudit(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("## Verantwoording van de loting\n\n")
	p("- Getrokken op: %s\n", dutch.DateTime(a.DrawnAt))
	p("- Seed: %d\n", a.Seed)
	p("- Bevolkingsbestand: %s, SHA-256 `%s`\n", dutch.Plural(int64(a.RegisterRows), "bewoner", "bewoners"), a.RegisterSHA256)
	p("- Niet te loten (in geen leeftijdsgroep, vooral jonger dan %d): %s\n", youngest(a.AgeGroups), dutch.Int(int64(a.Excluded)))
	p("- Wel te loten: %s\n", dutch.Int(int64(a.Drawable)))
	p("- Getrokken: %s\n", dutch.Plural(int64(a.Size), "adres", "adressen"))
	p("- Strata: %s\n", dimensionsText(a.Dimensions))
	labels := make([]string, len(a.AgeGroups))
	for i, g := range a.AgeGroups {
		labels[i] = fmt.Sprintf("%s (%d–%d)", g.Label, g.Min, g.Max)
	}
	p("- Leeftijdsgroepen: %s\n\n", dutch.And(labels))
	p("%s\n\n", a.Method)
	p("| stratum | inwoners | toegewezen | getrokken |\n|---|--:|--:|--:|\n")
	for _, s := range a.Strata {
		key := s.Key
		if key == "" {
			key = "allen"
		}
		p("| %s | %s | %d | %d |\n", strings.ReplaceAll(key, "|", " · "), dutch.Int(int64(s.Register)), s.Allocated, s.Drawn)
	}
	p("\nMet hetzelfde bevolkingsbestand (dezelfde SHA-256) en dezelfde seed geeft de loting precies dezelfde adressen.\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("verantwoording schrijven: %w", err)
	}
	return nil
}

func youngest(groups []AgeGroup) int {
	if len(groups) == 0 {
		return 0
	}
	return groups[0].Min
}

func dimensionsText(dims []string) string {
	switch len(dims) {
	case 0:
		return "geen (één steekproef uit alle inwoners die geloot kunnen worden)"
	case 2:
		return "kern en leeftijdsgroep"
	}
	if dims[0] == DimKern {
		return "kern"
	}
	return "leeftijdsgroep"
}
