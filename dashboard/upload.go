package dashboard

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/participatiebot/participatiebot/surveys"
)

const (
	// maxUpload is the largest survey file accepted: the loader's own bound
	// (surveys.MaxFileSize), so that what the upload takes is always validated cheaply.
	maxUpload = surveys.MaxFileSize
	// maxUploadBody bounds the whole multipart body: the file plus the form fields.
	maxUploadBody = maxUpload + 16<<10
)

// upload validates a survey file with surveys.Parse. A file with problems is listed
// back and not saved; a valid one is written to SurveysDir and put in the catalog,
// so it is live at once. A survey whose id exists is only replaced when the
// "vervangen" box is ticked.
func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	ss, _ := sessionFrom(r.Context())
	p := s.page(r, "Overzicht")
	if s.cfg.SurveysDir == "" {
		s.errorPage(w, r, http.StatusConflict, "Vragenlijsten uploaden staat uit: er is geen map voor vragenlijsten ingesteld.")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		p.Error = "Kies een vragenlijstbestand (YAML) om te uploaden."
		s.renderOverview(w, r, http.StatusBadRequest, p, uploadResult{})
		return
	}
	defer f.Close()
	name := displayName(hdr.Filename)
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		s.serverError(w, r, "read upload", err)
		return
	}
	if len(data) > maxUpload {
		s.audit(r.Context(), ss.user, "vragenlijst geweigerd: "+name+" (te groot)")
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("Het bestand is te groot: een vragenlijst mag hoogstens %d KiB zijn.", maxUpload>>10))
		return
	}
	sv, err := surveys.Parse(name, data)
	if err != nil {
		// the page's error summary says it, with a link to every problem (p.Error
		// would be a second alert)
		up := refused(name, data, err)
		s.audit(r.Context(), ss.user, fmt.Sprintf("vragenlijst geweigerd: %s (%s)", name, up.Count))
		s.renderOverview(w, r, http.StatusUnprocessableEntity, p, up)
		return
	}
	existing, exists := s.catalog.Survey(sv.ID)
	if exists && r.PostFormValue("vervangen") == "" {
		s.audit(r.Context(), ss.user, "vragenlijst geweigerd: "+name+" (id "+sv.ID+" bestaat al)")
		p.Error = "Er is al een vragenlijst met id “" + sv.ID + "” (“" + existing.Title + "”). " +
			"Vink “Bestaande vragenlijst vervangen” aan als u die wilt vervangen."
		s.renderOverview(w, r, http.StatusConflict, p, uploadResult{File: name})
		return
	}
	target, err := s.targetFile(sv.ID, existing)
	if err != nil {
		s.audit(r.Context(), ss.user, "vragenlijst geweigerd: "+name+" ("+err.Error()+")")
		p.Error = "Het bestand “" + name + "” is niet opgeslagen: " + err.Error() + "."
		s.renderOverview(w, r, http.StatusConflict, p, uploadResult{File: name})
		return
	}
	if err := writeFileAtomic(target, data); err != nil {
		s.serverError(w, r, "save uploaded survey", err)
		return
	}
	sv.File = target
	s.catalog.Put(sv)
	how := "nieuw"
	if exists {
		how = "vervangen"
	}
	s.audit(r.Context(), ss.user, fmt.Sprintf("vragenlijst geladen: %s (%s, %s)", sv.ID, filepath.Base(target), how))
	s.log.Info("dashboard loaded survey", "survey", sv.ID, "file", target, "user", ss.user, "replaced", exists)
	http.Redirect(w, r, Prefix+"?gedaan=geladen&vragenlijst="+sv.ID, http.StatusSeeOther)
}

// uploadResult is the outcome of an upload shown on the overview. For a file with
// problems the page opens with an error summary (the GOV.UK and NL Design System
// pattern: role alert, focused on load) that links every problem to its line in a
// listing of the file below, where the problem and its tip are shown again.
type uploadResult struct {
	File string
	// Count is the number of problems in words ("3 problemen").
	Count string
	// Problems are the validation problems in position order, with the same Dutch
	// message and tip that participatiebot validate prints.
	Problems []uploadProblem
	// Listing is the file around the problems, in runs of lines.
	Listing [][]uploadLine
	// Warnings are what validate warns about in a survey just loaded (it is active;
	// residents may still misread it or be turned away), shown under the flash.
	Warnings []uploadProblem
}

// loaded is the upload result of a survey just loaded: its warnings.
func loaded(sv *surveys.Survey) uploadResult {
	var up uploadResult
	for _, w := range sv.Warnings {
		up.Warnings = append(up.Warnings, uploadProblem{Where: fmt.Sprintf("Regel %d, kolom %d", w.Line, w.Col), Msg: w.Msg, Hint: w.Hint})
	}
	return up
}

// uploadProblem is one problem of an uploaded file.
type uploadProblem struct {
	Where     string // "Regel 5, kolom 16"
	Msg, Hint string
	// Anchor is the id of the line the summary links to; empty for the count of
	// problems left out, which has no line of its own.
	Anchor string
}

// uploadLine is one line of the listing, with the problems found on it.
type uploadLine struct {
	N        int
	ID       string // "regel-N", the anchor of the links
	Text     string
	Problems []uploadProblem
}

// listingContext is how many lines the listing shows around a problem's line.
const listingContext = 2

// refused is the upload result of file name (its content data) refused with err:
// the problems, and the file's lines around them.
func refused(name string, data []byte, err error) uploadResult {
	var probs surveys.Problems
	if !errors.As(err, &probs) {
		probs = surveys.Problems{{Line: 1, Col: 1, Msg: err.Error()}}
	}
	lines := strings.Split(strings.ToValidUTF8(string(data), "\uFFFD"), "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	up := uploadResult{File: name, Count: problemCount(probs.Count())}
	at := map[int][]uploadProblem{}
	for _, pr := range probs {
		p := uploadProblem{Where: fmt.Sprintf("Regel %d, kolom %d", pr.Line, pr.Col), Msg: pr.Msg, Hint: pr.Hint}
		switch {
		case pr.More > 0:
			p.Where = ""
		case len(lines) == 0:
			p.Anchor = "file" // nothing to list: the link goes to the file field
		default:
			n := min(max(pr.Line, 1), len(lines))
			p.Anchor = lineID(n)
			at[n] = append(at[n], p)
		}
		up.Problems = append(up.Problems, p)
	}
	var run []uploadLine
	for i, text := range lines {
		n := i + 1
		if !nearProblem(at, n, len(lines)) {
			if run != nil {
				up.Listing, run = append(up.Listing, run), nil
			}
			continue
		}
		run = append(run, uploadLine{N: n, ID: lineID(n), Text: text, Problems: at[n]})
	}
	if run != nil {
		up.Listing = append(up.Listing, run)
	}
	return up
}

// nearProblem reports whether line n is within listingContext lines of a problem.
func nearProblem(at map[int][]uploadProblem, n, last int) bool {
	for k := max(1, n-listingContext); k <= min(last, n+listingContext); k++ {
		if at[k] != nil {
			return true
		}
	}
	return false
}

func lineID(n int) string { return fmt.Sprintf("regel-%d", n) }

func problemCount(n int) string {
	if n == 1 {
		return "1 probleem"
	}
	return fmt.Sprintf("%d problemen", n)
}

// targetFile is where a survey is saved: the file the replaced survey came from when
// that is in SurveysDir, else SurveysDir/<id>.yaml. It refuses a file that exists and
// belongs to another survey: two files with one id would stop the next start.
func (s *server) targetFile(id string, existing *surveys.Survey) (string, error) {
	dir, err := filepath.Abs(s.cfg.SurveysDir)
	if err != nil {
		return "", fmt.Errorf("map voor vragenlijsten: %w", err)
	}
	target := filepath.Join(dir, id+".yaml")
	own := ""
	if existing != nil && existing.File != "" {
		if abs, err := filepath.Abs(existing.File); err == nil {
			own = abs
			if filepath.Dir(abs) == dir {
				target = abs
			}
		}
	}
	if _, err := os.Stat(target); err == nil && target != own {
		return "", fmt.Errorf("het bestand %s bestaat al en hoort bij een andere vragenlijst", filepath.Base(target))
	}
	return target, nil
}

// writeFileAtomic writes data next to path and renames it into place, so a reader
// (the next start's LoadDir) never sees half a file. The temporary name does not end
// in .yaml, so a crash leaves nothing that would be loaded.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*.tmp")
	if err != nil {
		return fmt.Errorf("save survey: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save survey: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save survey: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save survey: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("save survey: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save survey: %w", err)
	}
	return nil
}

// displayName is the uploaded file's base name for messages, without a path and at
// most 100 characters.
func displayName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "vragenlijst.yaml"
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100]) + "…"
	}
	return name
}
