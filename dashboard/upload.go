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
		up := uploadResult{File: name, Problems: problemLines(err)}
		s.audit(r.Context(), ss.user, fmt.Sprintf("vragenlijst geweigerd: %s (%s)", name, problemCount(len(up.Problems))))
		p.Error = "Het bestand “" + name + "” is niet geladen: los eerst deze problemen op."
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

// problemLines formats validation problems as "regel L, kolom C: melding".
func problemLines(err error) []string {
	var probs surveys.Problems
	if !errors.As(err, &probs) {
		return []string{err.Error()}
	}
	out := make([]string, len(probs))
	for i, pr := range probs {
		out[i] = fmt.Sprintf("regel %d, kolom %d: %s", pr.Line, pr.Col, pr.Msg)
	}
	return out
}

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
