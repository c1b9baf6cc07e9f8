package dashboard

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/verslag"
)

// verslagPage shows the participatieverslag of a trajectory, with its downloads.
func (s *server) verslagPage(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.verslag(w, r)
	if !ok {
		return
	}
	p := s.page(r, rep.Title)
	p.Data = verslagData{ID: r.PathValue("id"), Report: rep}
	s.render(w, http.StatusOK, "verslag", p)
}

// verslagData is the verslag page: the report's blocks under the page's own h1.
type verslagData struct {
	ID     string
	Report *verslag.Report
}

// verslagFile downloads the verslag as Markdown, HTML or PDF.
func (s *server) verslagFile(w http.ResponseWriter, r *http.Request) {
	formats := map[string]struct {
		ctype string
		write func(*verslag.Report, io.Writer) error
	}{
		"md":   {"text/markdown; charset=utf-8", (*verslag.Report).WriteMarkdown},
		"html": {"text/html; charset=utf-8", (*verslag.Report).WriteHTML},
		"pdf":  {"application/pdf", (*verslag.Report).WritePDF},
	}
	ext, ok := strings.CutPrefix(r.PathValue("file"), "verslag.")
	f, known := formats[ext]
	if !ok || !known {
		s.errorPage(w, r, http.StatusNotFound, "Het verslag is er als .md, .html of .pdf.")
		return
	}
	rep, ok := s.verslag(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := f.write(rep, &buf); err != nil {
		s.serverError(w, r, "write verslag", err)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="participatieverslag-`+r.PathValue("id")+`.`+ext+`"`)
	_, _ = w.Write(buf.Bytes())
}

// verslag makes the verslag of the trajectory in the path, or answers with a 404.
func (s *server) verslag(w http.ResponseWriter, r *http.Request) (*verslag.Report, bool) {
	t, ok := s.catalog.Trajectory(r.PathValue("id"))
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "Dit traject bestaat niet (meer).")
		return nil, false
	}
	rep, err := s.rounds.Verslag(r.Context(), t, s.now())
	if err != nil {
		s.serverError(w, r, "verslag "+t.ID, err)
		return nil, false
	}
	return rep, true
}
