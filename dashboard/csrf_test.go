package dashboard

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCSRFRefused(t *testing.T) {
	h := newHarness(t)
	c := h.login("anna", "geheim")
	token := h.csrf(c)
	other := h.login("bert", "ook-geheim")
	otherToken := h.csrf(other)
	if token == otherToken {
		t.Fatalf("two sessions share a csrf token")
	}
	tests := []struct {
		name    string
		token   string
		headers map[string]string
	}{
		{"no token", "", nil},
		{"wrong token", strings.Repeat("ab", 32), nil},
		{"not hex", "<script>", nil},
		{"another session's token", otherToken, nil},
		{"upper-case spelling of the right token", strings.ToUpper(token), nil},
		{"cross-site fetch", token, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"same-site fetch", token, map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"foreign origin", token, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"survey": {"peiling"}}
			if tt.token != "" {
				form.Set("csrf", tt.token)
			}
			r := httptest.NewRequest(http.MethodPost, "/dashboard/rounds/open", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			r.AddCookie(c)
			w := h.do(r)
			if w.Code != http.StatusForbidden {
				t.Fatalf("got %v, want %v", w.Code, http.StatusForbidden)
			}
			if !strings.Contains(w.Body.String(), "formulier is verlopen") {
				t.Errorf("body does not explain the refusal")
			}
			rounds, err := h.store.Rounds(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(rounds) != 0 {
				t.Errorf("rounds: got %d, want 0 (nothing changed)", len(rounds))
			}
		})
	}
	// the same request with the right token and a same-origin browser goes through
	w := h.post("/dashboard/rounds/open", c, url.Values{"survey": {"peiling"}, "csrf": {token}})
	if w.Code != http.StatusSeeOther {
		t.Errorf("with the right token: got %v, want %v", w.Code, http.StatusSeeOther)
	}
}

func TestLoginCrossSiteRefused(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"name": {"anna"}, "password": {"geheim"}}
	r := httptest.NewRequest(http.MethodPost, "/dashboard/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := h.do(r)
	if w.Code != http.StatusForbidden {
		t.Errorf("got %v, want %v", w.Code, http.StatusForbidden)
	}
	if len(w.Result().Cookies()) != 0 {
		t.Errorf("a cross-site login set a cookie")
	}
}
