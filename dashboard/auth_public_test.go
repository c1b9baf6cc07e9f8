package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStaticListsNothing: the public static folder serves its files and nothing
// else: a folder, with or without a session, and with the dashboard on or off,
// gets the Dutch not-found page, never a listing.
func TestStaticListsNothing(t *testing.T) {
	h := newHarness(t)
	off, err := New(Config{}, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := h.login("anna", "geheim")
	tests := []struct {
		name, path string
		want       int
	}{
		{"the folder", "/dashboard/static/", http.StatusNotFound},
		{"the folder with a query", "/dashboard/static/?C=M;O=D", http.StatusNotFound},
		{"a file as a folder", "/dashboard/static/dashboard.css/", http.StatusNotFound},
		{"no such file", "/dashboard/static/geheim.txt", http.StatusNotFound},
		{"index.html", "/dashboard/static/index.html", http.StatusNotFound},
		{"the style sheet", "/dashboard/static/dashboard.css", http.StatusOK},
		{"the script", "/dashboard/static/dashboard.js", http.StatusOK},
	}
	for _, handler := range []struct {
		name string
		h    http.Handler
		c    *http.Cookie
	}{{"on", h.handler, nil}, {"on with a session", h.handler, c}, {"off", off, nil}} {
		for _, tt := range tests {
			t.Run(handler.name+"/"+tt.name, func(t *testing.T) {
				r := httptest.NewRequest(http.MethodGet, tt.path, nil)
				if handler.c != nil {
					r.AddCookie(handler.c)
				}
				w := serve(handler.h, r)
				if w.Code != tt.want {
					t.Fatalf("got %v, want %v", w.Code, tt.want)
				}
				body := w.Body.String()
				if tt.want == http.StatusOK {
					if len(body) < 100 {
						t.Errorf("body: got %d bytes, want the file", len(body))
					}
					return
				}
				if strings.Contains(body, "dashboard.js\"") && strings.Contains(body, "<pre>") || strings.Contains(body, "<a href=\"dashboard.css\"") {
					t.Errorf("body lists the folder: %s", body)
				}
				if !strings.Contains(body, msgNotFound) || !strings.Contains(body, "Niet gevonden") {
					t.Errorf("body is not the Dutch not-found page: %.200s", body)
				}
			})
		}
	}
}
