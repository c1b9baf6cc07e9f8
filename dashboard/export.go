package dashboard

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
)

// exportCSV sends the CSV for Dutch offices (results.WriteCSV), which Excel
// and LibreOffice in Dutch open as a table by a double click.
func (s *server) exportCSV(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "csv", "text/csv; charset=utf-8", results.WriteCSV)
}

func (s *server) exportJSON(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "json", "application/json; charset=utf-8", results.WriteJSON)
}

// xlsxType is the media type of an Excel workbook (Office Open XML, ECMA-376).
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportXLSX sends the results as an Excel workbook (results.WriteXLSX).
func (s *server) exportXLSX(w http.ResponseWriter, r *http.Request) {
	s.export(w, r, "xlsx", xlsxType, results.WriteXLSX)
}

// export sends a round's results as a download, written by surveys (which carries
// the round's disclosure decision into every export). While the round is open
// the download is the banded tussenstand (results.Live): it can be taken again
// after the next response, and two exact ones side by side show that response.
// A round with fewer respondents than the threshold has no download at all.
func (s *server) export(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(io.Writer, *results.Results) error) {
	rd, res, ok := s.results(w, r)
	if !ok {
		return
	}
	open := roundOpen(rd)
	if res.TooFew && !open {
		s.errorPage(w, r, http.StatusConflict, tooFewDownload(res.Threshold))
		return
	}
	what := "export " + ext + ": "
	if open {
		res, what = results.Live(res), "export "+ext+" (tussenstand): "
	}
	var buf bytes.Buffer
	if err := write(&buf, res); err != nil {
		s.serverError(w, r, "export results", err)
		return
	}
	ss, _ := sessionFrom(r.Context())
	s.audit(r.Context(), ss.user, what+res.Round.ID)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment",
		map[string]string{"filename": exportName(res.Round.ID) + "-uitslag." + ext}))
	_, _ = w.Write(buf.Bytes())
}

// roundOpen reports whether a round can still get answers.
func roundOpen(rd *storage.Round) bool {
	return rd.State == storage.Scheduled || rd.State == storage.Opened
}

// tooFewDownload explains why a small round has no download of its results
// and no publication file.
func tooFewDownload(threshold int) string {
	return fmt.Sprintf("Deze ronde heeft minder dan %d deelnemers. Zo'n kleine groep is herkenbaar, dus er is geen "+
		"download van de uitslag en geen bestand om te publiceren: een bestand gaat makkelijk verder dan u. De "+
		"aantallen staan alleen voor u op de pagina van de ronde.", threshold)
}

// notYet explains why the raw answers wait for close.
const notYet = "De losse antwoorden zijn beschikbaar zodra de ronde gesloten is. Zolang de ronde open is, " +
	"verraden twee downloads naast elkaar wat één deelnemer antwoordde."

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
// municipality's own analysis: after close only, and never to be shared (it is
// the answers themselves; the publication file is the one to share).
func (s *server) exportRawCSV(w http.ResponseWriter, r *http.Request) { s.exportRaw(w, r, false) }

// exportPublicationCSV sends the raw answers fit to publish (results.ForPublication).
func (s *server) exportPublicationCSV(w http.ResponseWriter, r *http.Request) {
	s.exportRaw(w, r, true)
}

func (s *server) exportRaw(w http.ResponseWriter, r *http.Request, publication bool) {
	ss, _ := sessionFrom(r.Context())
	rd, res, ok := s.results(w, r)
	if !ok {
		return
	}
	switch {
	case roundOpen(rd):
		s.errorPage(w, r, http.StatusConflict, notYet)
		return
	case res.TooFew && publication:
		s.errorPage(w, r, http.StatusConflict, tooFewDownload(res.Threshold))
		return
	}
	sv, _ := s.catalog.Survey(rd.Survey)
	rs, err := s.rounds.RawAnswers(r.Context(), rd, s.cfg.ExportKey)
	if err != nil {
		s.serverError(w, r, "export raw answers", err)
		return
	}
	name, what := "-antwoorden.csv", "export losse antwoorden: "
	if publication {
		if rs, err = results.ForPublication(res, rs); err != nil {
			s.serverError(w, r, "export answers for publication", err)
			return
		}
		name, what = "-antwoorden-publicatie.csv", "export antwoorden voor publicatie: "
	}
	var b bytes.Buffer
	if err := results.WriteRawCSV(&b, sv, rd.ID, rs); err != nil {
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
