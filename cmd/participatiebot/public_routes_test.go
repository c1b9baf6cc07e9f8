package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPublicMountedWithoutWebChat: the public results are on the listener at
// /openbaar/ whether or not the web chat is on; /openbaar redirects there.
func TestPublicMountedWithoutWebChat(t *testing.T) {
	pub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := routes(nil, nil, http.NotFoundHandler(), pub, nil, http.NotFoundHandler(), http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	tests := []struct {
		name, path string
		want       int
	}{
		{"list", "/openbaar/", http.StatusTeapot},
		{"round", "/openbaar/burgerpeiling-2027-03-01", http.StatusTeapot},
		{"download", "/openbaar/burgerpeiling-2027-03-01.csv", http.StatusTeapot},
		{"without slash", "/openbaar", http.StatusMovedPermanently},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != tt.want {
				t.Errorf("GET %s: got %d, want %d", tt.path, w.Code, tt.want)
			}
		})
	}
}
