package results

import (
	"fmt"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// PanelHelp explains the panel's figures once per report.
const PanelHelp = "Loting: de gemeente stuurde brieven aan inwoners die door loting uit de basisregistratie zijn gekozen, " +
	"per kern en leeftijdsgroep naar hun deel van de bevolking. Hun respons per groep is echt bekend: zoveel van de " +
	"uitgenodigden deden mee. De loting is gewogen zodat elke groep meetelt naar zijn deel van de uitgenodigden. " +
	"Wie zich zelf meldde, staat ernaast: verschillen zij duidelijk, dan zegt de loting het meest over alle inwoners."

// PanelLines are the panel's figures in words: response, per stratum, the
// R-indicator, and per question the panel beside the self-selected residents.
func PanelLines(p *Panel, threshold int) []string {
	if p == nil {
		return nil
	}
	lines := []string{"Loting (inwonerspanel):"}
	if p.Hidden {
		lines = append(lines, fmt.Sprintf("%s verstuurd. Hoeveel uitgenodigden meededen, tonen we niet: dan zou een groep van minder dan %d personen te herkennen zijn.",
			dutch.Plural(p.Invited, "brief", "brieven"), threshold))
	} else {
		lines = append(lines, fmt.Sprintf("%s verstuurd, %s deden mee (%s); daarnaast %s die zich zelf meldden.",
			dutch.Plural(p.Invited, "brief", "brieven"), dutch.Int(p.Respondents), percentText(100*p.Rate),
			dutch.Plural(p.SelfSelected, "inwoner", "inwoners")))
	}
	var rows []string
	for _, s := range p.Strata {
		group := strings.TrimSpace(s.Kern + " " + AgeText(s.Leeftijd))
		if s.Suppressed {
			label := s.Label
			if label == "" {
				label = "niet getoond"
			}
			rows = append(rows, fmt.Sprintf("%s %s van %s", group, label, dutch.Int(s.Invited)))
			continue
		}
		if s.Respondents == 0 {
			rows = append(rows, fmt.Sprintf("%s 0 van %s", group, dutch.Int(s.Invited)))
			continue
		}
		rows = append(rows, fmt.Sprintf("%s %s van %s (%s, weging %s)", group, dutch.Int(s.Respondents), dutch.Int(s.Invited),
			percentText(100*s.Rate), dutch.Decimal(s.Weight, 2)))
	}
	if len(rows) > 0 {
		lines = append(lines, "Respons per groep: "+strings.Join(rows, "; ")+".")
	}
	if ri := p.RIndicator; ri != nil {
		line := fmt.Sprintf("R-indicator van de loting: %s (95%%-marge %s–%s), %s.", dutch.Decimal(ri.R, 2), dutch.Decimal(ri.Low, 2),
			dutch.Decimal(ri.High, 2), rIndicatorJudgement(ri.R))
		if len(ri.Merged) > 0 {
			line += fmt.Sprintf(" De %s met minder dan %d deelnemers zijn samen genomen.", dutch.Plural(int64(len(ri.Merged)), "groep", "groepen"), threshold)
		}
		lines = append(lines, line)
	}
	if len(p.Questions) > 0 {
		lines = append(lines, "Loting en wie zich zelf meldde, vergeleken (de loting gewogen naar de uitgenodigden):")
	}
	for _, q := range p.Questions {
		head := "• " + q.Text + " — " + q.Measure + ": "
		if q.Hidden {
			lines = append(lines, head+fmt.Sprintf("niet te vergelijken (een groep heeft minder dan %d deelnemers).", threshold))
			continue
		}
		verdict := "geen duidelijk verschil"
		if q.Meaningful {
			verdict = "duidelijk verschil (groter dan toeval verklaart)"
		}
		lines = append(lines, head+fmt.Sprintf("loting %s, zelf aangemeld %s: %s.", FigureText(q.Panel, q.PanelLow, q.PanelHigh, q.Percent),
			FigureText(q.Self, q.SelfLow, q.SelfHigh, q.Percent), verdict))
	}
	if p.Withheld != "" {
		lines = append(lines, p.Withheld)
	}
	return lines
}

// FigureText is a figure with its interval: "28% (19–39%)" or "6,5 (6,2–6,8)".
func FigureText(v, lo, hi float64, percent bool) string {
	if percent {
		return fmt.Sprintf("%s (%s–%s)", percentText(v), percentText(lo), percentText(hi))
	}
	return fmt.Sprintf("%s (%s–%s)", dutch.Decimal(v, 1), dutch.Decimal(lo, 1), dutch.Decimal(hi, 1))
}

// AgeText is an age group as residents read it: "25–44 jaar", "65 jaar of ouder".
func AgeText(id string) string {
	switch {
	case id == "":
		return ""
	case strings.HasSuffix(id, "+"):
		return strings.TrimSuffix(id, "+") + " jaar of ouder"
	}
	return strings.Replace(id, "-", "–", 1) + " jaar"
}

// PanelSummaryLines are the panel in two lines for the stuurgroep's message: the
// response with the R-indicator, and the questions where the panel and the
// self-selected residents differ clearly.
func PanelSummaryLines(p *Panel) []string {
	if p == nil {
		return nil
	}
	first := "Loting: " + dutch.Plural(p.Invited, "brief", "brieven") + " verstuurd"
	if !p.Hidden {
		first += ", " + dutch.Int(p.Respondents) + " deden mee (" + percentText(100*p.Rate) + "); " +
			dutch.Plural(p.SelfSelected, "inwoner meldde", "inwoners meldden") + " zich zelf"
	}
	if ri := p.RIndicator; ri != nil {
		first += "; R-indicator van de loting " + dutch.Decimal(ri.R, 2)
	}
	lines := []string{first + "."}
	var differ []string
	compared := 0
	for _, q := range p.Questions {
		if q.Hidden {
			continue
		}
		compared++
		if q.Meaningful {
			differ = append(differ, clip(q.Text, 80)+" (loting "+FigureText(q.Panel, q.PanelLow, q.PanelHigh, q.Percent)+
				", zelf aangemeld "+FigureText(q.Self, q.SelfLow, q.SelfHigh, q.Percent)+")")
		}
	}
	switch {
	case compared == 0:
	case len(differ) == 0:
		lines = append(lines, "Wie zich zelf meldde, antwoordde niet duidelijk anders dan de loting.")
	default:
		lines = append(lines, "Wie zich zelf meldde, antwoordde duidelijk anders dan de loting bij: "+strings.Join(differ, "; ")+".")
	}
	return lines
}
