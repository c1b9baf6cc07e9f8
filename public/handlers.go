package public

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// published reports whether round r is shown here: its survey is loaded and
// says publiceren: true, and its results went out (the round closed and its
// results were sent: published, or decided since). A closed round whose results
// are still being sent waits the few seconds until they are out, so that the
// page never shows figures before the participants have them.
func published(r *storage.Round, sv *surveys.Survey) bool {
	return sv != nil && sv.Publiceren && (r.State == storage.Published || r.State == storage.Decided)
}

// errNotPublished is any round the public pages do not show, and any unknown one.
var errNotPublished = errors.New("round not published")

// publishedRound loads round rid with its survey and its results as the public
// pages show them (withoutOpen); errNotPublished for a round that is not
// published here, or does not exist.
func (s *server) publishedRound(ctx context.Context, rid string) (*storage.Round, *surveys.Survey, *results.Results, error) {
	rd, err := s.rounds.Round(ctx, rid)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, nil, errNotPublished
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load round %s: %w", rid, err)
	}
	sv, _ := s.catalog.Survey(rd.Survey)
	if !published(rd, sv) {
		return nil, nil, nil, errNotPublished
	}
	res, err := s.results(ctx, sv, rd)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("results of round %s: %w", rid, err)
	}
	return rd, sv, res, nil
}

// list serves the published rounds, newest first.
func (s *server) list(w http.ResponseWriter, r *http.Request) {
	all, err := s.rounds.Archive(r.Context(), s.now())
	if err != nil {
		s.serverError(w, r, fmt.Errorf("list rounds: %w", err))
		return
	}
	var items []listItem
	for _, sum := range all {
		if !published(sum.Round, sum.Loaded) {
			continue
		}
		items = append(items, s.listItem(sum))
	}
	slices.SortStableFunc(items, func(a, b listItem) int { return b.closed.Compare(a.closed) })
	s.pages.render(w, http.StatusOK, "list", page{Title: "Openbare uitslagen", Data: items}, s.log)
}

// round serves a round's page ("/openbaar/{id}") or one of its downloads
// ("{id}.csv", "{id}.json").
func (s *server) round(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	rid, format := name, ""
	for _, ext := range []string{".csv", ".json"} {
		if id, ok := strings.CutSuffix(name, ext); ok {
			rid, format = id, ext
		}
	}
	rd, sv, res, err := s.publishedRound(r.Context(), rid)
	switch {
	case errors.Is(err, errNotPublished):
		s.notFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	switch format {
	case ".csv":
		s.download(w, r, rid+".csv", "text/csv; charset=utf-8", res, results.WriteCSV)
	case ".json":
		s.download(w, r, rid+".json", "application/json; charset=utf-8", res, results.WriteJSON)
	default:
		d := s.roundPage(rd, sv, res)
		s.pages.render(w, http.StatusOK, "round", page{Title: d.Heading, Data: d}, s.log)
	}
}

// download writes an export in full, or a 500 when it fails: nothing half
// written reaches the reader.
func (s *server) download(w http.ResponseWriter, r *http.Request, file, contentType string, res *results.Results, write func(io.Writer, *results.Results) error) {
	var buf bytes.Buffer
	if err := write(&buf, res); err != nil {
		s.serverError(w, r, fmt.Errorf("export %s: %w", file, err))
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	_, _ = w.Write(buf.Bytes())
}

// notFound is the one page for every round that is not shown here.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.pages.render(w, http.StatusNotFound, "notfound", page{Title: "Deze uitslag is er (nog) niet"}, s.log)
}

// serverError logs err and answers with a page without its details.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("public page", "path", r.URL.Path, "err", err)
	w.Header().Set("Cache-Control", "no-store")
	s.pages.render(w, http.StatusInternalServerError, "error", page{Title: "Er ging iets mis"}, s.log)
}
