package dashboard

import (
	"bytes"
	"context"
	"github.com/participatiebot/participatiebot/storage"
	"io"
	"mime"
	"net/http"

	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// trendPage shows the trend of a recurring survey over every round held: per
// question and figure a table of the rounds, then its indicators and benchmarks.
func (s *server) trendPage(w http.ResponseWriter, r *http.Request) {
	sv, t, ok := s.trend(w, r)
	if !ok {
		return
	}
	p := s.page(r, "Trend: "+sv.Title)
	p.Data = newTrendData(sv, t, s.cfg.Location)
	s.render(w, http.StatusOK, "trend", p)
}

// trendCSV downloads the trend for Dutch Excel (trend.Trend.WriteCSV).
func (s *server) trendCSV(w http.ResponseWriter, r *http.Request) {
	s.trendFile(w, r, "csv", "text/csv; charset=utf-8", (*trend.Trend).WriteCSV)
}

// trendJSON downloads the trend as JSON (trend.Trend.WriteJSON).
func (s *server) trendJSON(w http.ResponseWriter, r *http.Request) {
	s.trendFile(w, r, "json", "application/json; charset=utf-8", (*trend.Trend).WriteJSON)
}

// trendFile sends the trend as a download; like every export it goes into the
// audit log.
func (s *server) trendFile(w http.ResponseWriter, r *http.Request, ext, contentType string, write func(*trend.Trend, io.Writer) error) {
	sv, t, ok := s.trend(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := write(t, &buf); err != nil {
		s.serverError(w, r, "write trend", err)
		return
	}
	ss, _ := sessionFrom(r.Context())
	s.audit(r.Context(), ss.user, "export trend "+ext+": "+sv.ID)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": exportName(sv.ID) + "-trend." + ext}))
	_, _ = w.Write(buf.Bytes())
}

// trend makes the trend of the survey in the path, or answers with a 404.
func (s *server) trend(w http.ResponseWriter, r *http.Request) (*surveys.Survey, *trend.Trend, bool) {
	sv, ok := s.catalog.Survey(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "Deze vragenlijst bestaat niet (meer).")
		return nil, nil, false
	}
	t, err := s.rounds.Trend(r.Context(), sv)
	if err != nil {
		s.serverError(w, r, "trend "+sv.ID, err)
		return nil, nil, false
	}
	return sv, t, true
}

// hasTrend says whether a survey gets a link to its trend: a recurring one (a
// cron schedule) or one with indicators. It is cheap on purpose: the overview
// links every such survey without computing a trend, so a recurring survey with
// one round so far links to a page with one figure per question.
func hasTrend(sv *surveys.Survey) bool {
	return sv.Schedule.Cron != "" || len(sv.Indicators) > 0
}

// indicatorLines are the status lines of the survey's indicators (Status.Line),
// by the trend as it stood at round rd (the rounds up to it, not the later ones);
// none for a survey without indicators, so that only those pay for a trend on a
// round page.
func (s *server) indicatorLines(ctx context.Context, sv *surveys.Survey, rd *storage.Round) ([]indicatorLine, error) {
	if len(sv.Indicators) == 0 {
		return nil, nil
	}
	t, err := s.rounds.TrendUntil(ctx, sv, rd)
	if err != nil {
		return nil, err
	}
	out := make([]indicatorLine, len(t.Indicators))
	for i, st := range t.Indicators {
		out[i] = indicatorLine{Line: st.Line(), Class: verdictClass(st.Verdict), Symbol: verdictSymbols[st.Verdict]}
	}
	return out, nil
}

// indicatorLine is one indicator on a round page: its line, which ends in the
// verdict, with the verdict's class and symbol.
type indicatorLine struct{ Line, Class, Symbol string }
