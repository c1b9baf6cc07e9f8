package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// A participant is a random 128-bit id, hex encoded, kept in a signed cookie or carried
// by a signed personal link; no account, no login. The id is the chat id and the user
// id the engine pseudonymises, so it is as secret as a password: whoever has the
// signed id has the conversation.

const (
	cookieName = "pb_web"
	// cookieMaxAge matches the transcript's lifetime in storage.
	cookieMaxAge = 180 * 24 * time.Hour
	idLen        = 32 // hex characters of a participant id or a nonce
)

// newID returns a random 128-bit id in hex, used for participants and form nonces.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// validID reports whether s has the shape of newID's output.
func validID(s string) bool {
	if len(s) != idLen {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// mac is HMAC-SHA256 of purpose+":"+value; the purpose keeps the MACs for different
// uses (identity, CSRF) apart.
func (c *Channel) mac(purpose, value string) []byte {
	m := hmac.New(sha256.New, c.cfg.Secret)
	m.Write([]byte(purpose + ":" + value))
	return m.Sum(nil)
}

// sign returns the signed form "<id>.<mac>" used in the cookie and the personal link.
func (c *Channel) sign(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(c.mac("id", id))
}

// verify returns the id of a signed form, or false when it was tampered with.
func (c *Channel) verify(signed string) (string, bool) {
	id, sig, ok := strings.Cut(signed, ".")
	if !ok || !validID(id) {
		return "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, c.mac("id", id)) {
		return "", false
	}
	return id, true
}

// csrfToken binds a form to the participant: HMAC(secret, "csrf:"+id).
func (c *Channel) csrfToken(id string) string {
	return base64.RawURLEncoding.EncodeToString(c.mac("csrf", id))
}

// checkCSRF compares a posted token with the participant's, in constant time.
func (c *Channel) checkCSRF(id, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && hmac.Equal(got, c.mac("csrf", id))
}

// participant reads the id from the request's cookie; false when there is none or it
// was tampered with.
func (c *Channel) participant(r *http.Request) (string, bool) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return "", false
	}
	return c.verify(ck.Value)
}

// setCookie gives the browser the participant's signed id (again, so it lasts).
func (c *Channel) setCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: c.sign(id), Path: "/",
		MaxAge: int(cookieMaxAge / time.Second), HttpOnly: true,
		Secure: c.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// personalLink is the absolute link that brings a participant back to their chat, on
// this or another device.
func (c *Channel) personalLink(r *http.Request, id string) string {
	scheme := "http"
	if r.TLS != nil || c.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/?p=" + c.sign(id)
}
