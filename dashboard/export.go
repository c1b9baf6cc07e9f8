package dashboard

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/scheduler"
	"github.com/participatiebot/participatiebot/surveys"
)

func (s *server) exportCSV(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "csv", "text/csv; charset=utf-8", surveys.WriteCSV)
}

func (s *server) exportJSON(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "json", "application/json; charset=utf-8", surveys.WriteJSON)
}

// export sends a round's results as a download, written by surveys (which carries
// the suppression of small cells into every export).
func (s *server) export(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(io.Writer, *surveys.Results) error) {
	res, ok := s.results(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := write(&buf, res); err != nil {
		s.serverError(w, r, "export results", err)
		return
	}
	ss, _ := sessionFrom(r.Context())
	s.audit(r.Context(), ss.user, "export "+ext+": "+res.Round.ID)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": exportName(res.Round.ID) + "-uitslag." + ext}))
	_, _ = w.Write(buf.Bytes())
}

// exportName keeps a file name to letters, digits, '-' and '_' (round ids are
// already like that; this is a second line of defence for the header).
func exportName(id string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, id)
	if len(name) > 120 {
		name = name[:120]
	}
	if name == "" {
		name = "ronde"
	}
	return name
}

// exportRawCSV sends a round's raw answers under export pseudonyms, for the
// municipality's own analysis.
func (s *server) exportRawCSV(w http.ResponseWriter, r *http.Request) { s.exportRaw(w, r, false) }

// exportPublicationCSV sends the raw answers fit to publish (surveys.ForPublication).
func (s *server) exportPublicationCSV(w http.ResponseWriter, r *http.Request) {
	s.exportRaw(w, r, true)
}

func (s *server) exportRaw(w http.ResponseWriter, r *http.Request, publication bool) {
	ss, _ := sessionFrom(r.Context())
	rd, err := s.store.Round(r.Context(), r.PathValue("id"))
	if err != nil {
		s.roundLoadError(w, r, err)
		return
	}
	sv, ok := s.catalog.Survey(rd.Survey)
	if !ok {
		s.errorPage(w, r, http.StatusConflict, "De vragenlijst van deze ronde is niet (meer) geladen; de antwoorden zijn niet te ordenen.")
		return
	}
	rs, err := scheduler.RawAnswers(r.Context(), s.store, rd, s.cfg.ExportKey)
	if err != nil {
		s.serverError(w, r, "export raw answers", err)
		return
	}
	name, what := "-antwoorden.csv", "export losse antwoorden: "
	if publication {
		rs = surveys.ForPublication(rs, s.cfg.Threshold)
		name, what = "-antwoorden-publicatie.csv", "export antwoorden voor publicatie: "
	}
	var b bytes.Buffer
	if err := surveys.WriteRawCSV(&b, sv, rd.ID, rs); err != nil {
		s.serverError(w, r, "export raw answers", err)
		return
	}
	s.audit(r.Context(), ss.user, what+rd.ID)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": exportName(rd.ID) + name}))
	_, _ = w.Write(b.Bytes())
}
