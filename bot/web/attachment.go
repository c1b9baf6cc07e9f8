package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/storage"
)

// validRef reports whether ref is a storage.PutBlob reference: 64 lower-case hex digits.
func validRef(ref string) bool {
	if len(ref) != 64 {
		return false
	}
	for _, r := range ref {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// serveAttachment serves a shared image (a results chart) by its reference. The
// reference is the SHA-256 of the content, so the response never changes; only
// raster images are served, with their sniffed type.
func (c *Channel) serveAttachment(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if !validRef(ref) {
		http.NotFound(w, r)
		return
	}
	data, err := c.store.Blob(r.Context(), ref)
	if errors.Is(err, storage.ErrNotFound) {
		http.Error(w, "Deze bijlage is verlopen.", http.StatusNotFound)
		return
	}
	if err != nil {
		c.log.Error("web: load attachment", "err", err)
		http.Error(w, "Er ging iets mis.", http.StatusInternalServerError)
		return
	}
	typ, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if !inlineImageTypes[typ] {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	_, _ = w.Write(data)
}
