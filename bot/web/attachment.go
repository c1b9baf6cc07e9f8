package web

import (
	"context"
	"errors"
	"log/slog"
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

// BlobStore gives shared attachments by reference; *storage.Store implements it.
type BlobStore interface {
	Blob(ctx context.Context, ref string) ([]byte, error)
}

// AttachmentPath is where shared images are served, by reference: the web chat shows
// them there, and Discord's media proxy fetches the charts of an embed from there
// (bot/discord), so that a chart goes to a thousand members without a thousand uploads.
const AttachmentPath = "/bijlage/"

// Attachments serves a shared image (a results chart) by its reference at
// AttachmentPath{ref}. The reference is the SHA-256 of the content, so the response
// never changes; only raster images are served, with their sniffed type. serve
// mounts it also when the web chat is off.
func Attachments(store BlobStore, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveAttachment(store, log, w, r)
	})
}

func (c *Channel) serveAttachment(w http.ResponseWriter, r *http.Request) {
	serveAttachment(c.store, c.log, w, r)
}

func serveAttachment(store BlobStore, log *slog.Logger, w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	if !validRef(ref) {
		http.NotFound(w, r)
		return
	}
	data, err := store.Blob(r.Context(), ref)
	if errors.Is(err, storage.ErrNotFound) {
		http.Error(w, "Deze bijlage is verlopen.", http.StatusNotFound)
		return
	}
	if err != nil {
		log.Error("web: load attachment", "err", err)
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
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(data)
}
