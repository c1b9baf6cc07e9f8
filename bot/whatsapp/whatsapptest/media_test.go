package whatsapptest

import (
	"bytes"
	"net/http"
	"testing"
)

var (
	pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	gifBytes = append([]byte("GIF89a"), make([]byte, 64)...)
)

func TestMediaUploadAndReuse(t *testing.T) {
	s, _ := started(t)
	s.SetLimits(Limits{})
	up := upload(t, s, "image/png", pngBytes)
	if up.Status != http.StatusOK || up.ID == "" {
		t.Fatalf("got %d %+v, want 200 with an id", up.Status, up)
	}
	for range 2 {
		if a := send(t, s, resident, "image", map[string]any{"id": up.ID, "caption": "Uitslag"}); a.code() != 0 {
			t.Fatalf("image by id: got %+v, want accepted", a.Error)
		}
	}
	if got := s.Uploads(); got != 1 {
		t.Fatalf("got %d uploads, want 1", got)
	}
	if m, ok := s.Media(up.ID); !ok || m.MIME != "image/png" || !bytes.Equal(m.Bytes, pngBytes) {
		t.Fatalf("got media %+v %v, want the png", m, ok)
	}
	if last := s.Last(resident); last.MediaID != up.ID || last.Text != "Uitslag" {
		t.Fatalf("got last %+v, want image %s captioned Uitslag", last, up.ID)
	}
	assertGraphError(t, send(t, s, resident, "image", map[string]any{"id": "12345"}), http.StatusBadRequest, CodeInvalidParameter)
	if a := send(t, s, resident, "image", map[string]any{"link": "https://example.org/chart.png"}); a.code() != 0 {
		t.Fatalf("image by link: got %+v, want accepted", a.Error)
	}
	assertGraphError(t, send(t, s, resident, "image", map[string]any{"id": up.ID, "link": "https://example.org/x.png"}), http.StatusBadRequest, CodeInvalidParameter)

	tests := []struct {
		name string
		mime string
		data []byte
	}{
		{"gif", "image/gif", gifBytes},
		{"png declared as jpeg", "image/jpeg", pngBytes},
		{"png over 5 MB", "image/png", append(bytes.Clone(pngBytes), make([]byte, 5<<20)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertGraphError(t, upload(t, s, tt.mime, tt.data), http.StatusBadRequest, CodeMediaUploadError)
		})
	}
	if got := s.Uploads(); got != 1 {
		t.Fatalf("got %d uploads after refusals, want 1", got)
	}
}
