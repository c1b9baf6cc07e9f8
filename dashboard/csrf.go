package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
)

const (
	// csrfField is the hidden form field with the CSRF token.
	csrfField = "csrf"
	// maxForm bounds an ordinary form body; uploads have their own bound (maxUploadBody).
	maxForm = 64 << 10
	// multipartMemory keeps an upload in memory: the body is bounded well below it.
	multipartMemory = 1 << 20
)

const msgCSRF = "Dit formulier is verlopen of komt niet van dit dashboard. " +
	"Laad de pagina opnieuw en probeer het nog eens."

// csrfToken is the token of a session's forms: HMAC-SHA256(secret, "csrf:"+session).
// It is bound to the session cookie, so it changes at every login.
func (s *server) csrfToken(ss session) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("csrf:" + ss.value))
	return hex.EncodeToString(m.Sum(nil))
}

// sameOrigin refuses a state-changing request that the browser marks as coming from
// another site (Sec-Fetch-Site other than same-origin or none) or whose Origin
// differs from the host, with the standard library's CrossOriginProtection. It also
// guards the login form, which has no session to bind a token to yet.
func (s *server) sameOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("dashboard cross-origin request refused", "path", r.URL.Path,
			"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.errorPage(w, r, http.StatusForbidden, msgCSRF)
	}))
	return p.Handler(next)
}

// checkCSRF parses the body of every POST (bounded) and checks its token in constant
// time, exactly as csrfToken writes it; a missing, wrong or differently spelled token
// (uppercase hex) gets 403 and the handler never runs.
func (s *server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		if err := parseBody(w, r); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.errorPage(w, r, http.StatusRequestEntityTooLarge,
					fmt.Sprintf("Het bestand is te groot: een vragenlijst mag hoogstens %d KiB zijn.", maxUpload>>10))
				return
			}
			s.errorPage(w, r, http.StatusBadRequest, "Het formulier kon niet worden gelezen.")
			return
		}
		ss, _ := sessionFrom(r.Context())
		// The strings are compared, not the decoded bytes: the token has one
		// spelling (lowercase hex), as with the session cookie.
		got, want := r.PostFormValue(csrfField), s.csrfToken(ss)
		if !hmac.Equal([]byte(got), []byte(want)) {
			s.log.Warn("dashboard csrf token refused", "path", r.URL.Path, "user", ss.user)
			s.errorPage(w, r, http.StatusForbidden, msgCSRF)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// parseBody reads a url-encoded or multipart form with a bound on its size.
func parseBody(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
		return r.ParseMultipartForm(multipartMemory)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	return r.ParseForm()
}
