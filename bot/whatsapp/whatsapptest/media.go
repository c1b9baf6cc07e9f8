package whatsapptest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Media uploads, as documented at
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media:
// POST /{version}/{PHONE_NUMBER_ID}/media, multipart with messaging_product=whatsapp,
// type (the MIME type) and file, answered {"id":"<MEDIA_ID>"}. Images must be
// image/jpeg or image/png and at most 5 MB; documents (of the supported types the
// fake takes text/plain and application/pdf) at most 100 MB. The fake checks that
// the bytes are what type says.
const (
	maxImageSize    = 5 << 20
	maxDocumentSize = 100 << 20
	maxUploadBody   = 16 << 20
)

// Media is a file the bot uploaded.
type Media struct {
	ID    string
	MIME  string
	Size  int
	Bytes []byte
	Time  time.Time
}

// uploadMedia implements POST /{version}/{PHONE_NUMBER_ID}/media.
func (s *Server) uploadMedia(r *http.Request, call *Call) (any, *graphError) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxUploadBody)
	if err := r.ParseMultipartForm(maxUploadBody); err != nil {
		return nil, invalidParameter("The request must be multipart/form-data: %v", err)
	}
	if r.FormValue("messaging_product") != "whatsapp" {
		return nil, invalidParameter("The parameter messaging_product is required and must be \"whatsapp\".")
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return nil, invalidParameter("The parameter file is required.")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, invalidParameter("could not read the file: %v", err)
	}
	mime := r.FormValue("type")
	if mime == "" {
		mime = fh.Header.Get("Content-Type")
	}
	call.Type = mime
	image := mime == "image/jpeg" || mime == "image/png"
	if !image && mime != "text/plain" && mime != "application/pdf" {
		return nil, apiError(CodeMediaUploadError, "Param type must be image/jpeg, image/png, text/plain or application/pdf in whatsapptest, got "+strconv.Quote(mime))
	}
	if got, _, _ := strings.Cut(http.DetectContentType(data), ";"); got != mime {
		return nil, apiError(CodeMediaUploadError, "The file's content is "+got+", not "+mime)
	}
	if image && len(data) > maxImageSize {
		return nil, apiError(CodeMediaUploadError, "Image file size "+strconv.Itoa(len(data))+" bytes exceeds the 5 MB limit")
	}
	if len(data) > maxDocumentSize {
		return nil, apiError(CodeMediaUploadError, "Document file size "+strconv.Itoa(len(data))+" bytes exceeds the 100 MB limit")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strconv.Itoa(1_000_000_000_000_000 + s.nextLocked())
	s.media[id] = Media{ID: id, MIME: mime, Size: len(data), Bytes: data, Time: s.now()}
	s.uploads++
	return map[string]string{"id": id}, nil
}

// Uploads counts the successful media uploads, so a test can assert that a chart was
// uploaded once and then sent again by its id.
func (s *Server) Uploads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads
}

// Media is the upload with media id, if there is one.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	m.Bytes = append([]byte(nil), m.Bytes...)
	return m, ok
}
