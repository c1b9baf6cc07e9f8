package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A participant is a random 128-bit id, hex encoded, kept in a signed cookie or carried
// by a signed personal link; no account, no login. The id is the chat id and the user
// id the engine pseudonymises, so it is as secret as a password: whoever has the
// signed id has the conversation.
//
// A chat exists in storage from its first post (storage.WebStart) until it expires or
// is forgotten (/stop, /vergeetmij: storage.WebForget). A cookie or link counts only
// while it exists, so forgetting a chat ends every session and link of it at once.
// The one exception is the cookie of a new visitor who has not posted yet: it names
// an id we just made up, is marked new, and counts without a stored chat only for
// freshVisitor after we issued it. At the first post the chat is created and the
// cookie re-issued as started, which then needs the stored chat.

const (
	cookieName = "pb_web"
	// cookieMaxAge matches the longest a chat is kept in storage.
	cookieMaxAge = 180 * 24 * time.Hour
	// freshVisitor is how long a new visitor's cookie counts before its first post.
	freshVisitor = 24 * time.Hour
	idLen        = 32 // hex characters of a participant id or a nonce
)

// Purposes of the signatures: a value signed for one is never accepted for another.
const (
	purposeCookie = "cookie"
	purposeLink   = "link"
	purposeCSRF   = "csrf"
	purposeSwitch = "switch"
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
// uses apart.
func (c *Channel) mac(purpose, value string) string {
	m := hmac.New(sha256.New, c.cfg.Secret)
	m.Write([]byte(purpose + ":" + value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sign returns "<payload>.<mac>", the one encoding of a signed value.
func (c *Channel) sign(purpose, payload string) string {
	return payload + "." + c.mac(purpose, payload)
}

// open returns the payload of a value sign made for purpose. It accepts exactly the
// bytes sign produces: the value is signed again and compared whole, so no other
// encoding of the same signature (base64 with other trailing bits, padding, another
// alphabet) passes.
func (c *Channel) open(purpose, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '.')
	if i < 0 {
		return "", false
	}
	payload := signed[:i]
	return payload, hmac.Equal([]byte(c.sign(purpose, payload)), []byte(signed))
}

// session is the participant a request comes from.
type session struct {
	id string
	// started: the chat is stored (it has posted); a cookie of a started chat counts
	// only while it is.
	started bool
	// issued is when a new visitor's cookie was made.
	issued time.Time
}

func (c *Channel) newSession() session { return session{id: newID(), issued: c.now()} }

// cookieValue is the signed cookie: "<id>.<s|n>.<unix issued>.<mac>".
func (c *Channel) cookieValue(s session) string {
	kind, issued := "n", s.issued
	if s.started {
		kind, issued = "s", c.now()
	}
	return c.sign(purposeCookie, s.id+"."+kind+"."+strconv.FormatInt(issued.Unix(), 10))
}

// parseCookie checks a cookie's signature and shape; whether it still counts is
// session's business.
func (c *Channel) parseCookie(v string) (id string, started bool, issued time.Time, ok bool) {
	payload, ok := c.open(purposeCookie, v)
	if !ok {
		return "", false, time.Time{}, false
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || !validID(parts[0]) || parts[1] != "s" && parts[1] != "n" {
		return "", false, time.Time{}, false
	}
	unix, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", false, time.Time{}, false
	}
	return parts[0], parts[1] == "s", time.Unix(unix, 0), true
}

// session reads the participant from the request's cookie: false when there is none,
// it was tampered with, or its chat is gone (forgotten, expired; a new visitor's
// cookie after freshVisitor). An error means storage could not say.
func (c *Channel) session(ctx context.Context, r *http.Request) (session, bool, error) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return session{}, false, nil
	}
	id, started, issued, ok := c.parseCookie(ck.Value)
	if !ok {
		return session{}, false, nil
	}
	exists, err := c.store.WebExists(ctx, id)
	if err != nil {
		return session{}, false, err
	}
	if exists {
		return session{id: id, started: true}, true, nil
	}
	age := c.now().Sub(issued)
	if !started && age >= -time.Minute && age < freshVisitor {
		return session{id: id, issued: issued}, true, nil
	}
	return session{}, false, nil
}

// setCookie gives the browser the participant's signed id (again, so it lasts): a
// started chat's for cookieMaxAge, a new visitor's until freshVisitor ends.
func (c *Channel) setCookie(w http.ResponseWriter, s session) {
	maxAge := cookieMaxAge
	if !s.started {
		maxAge = max(freshVisitor-c.now().Sub(s.issued), time.Second)
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: c.cookieValue(s), Path: "/",
		MaxAge: int(maxAge / time.Second), HttpOnly: true,
		Secure: c.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie removes the cookie of a chat that is gone.
func (c *Channel) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: c.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// csrfToken binds a form to the participant.
func (c *Channel) csrfToken(id string) string { return c.mac(purposeCSRF, id) }

// checkCSRF compares a posted token with the participant's, whole and in constant time.
func (c *Channel) checkCSRF(id, token string) bool {
	return hmac.Equal([]byte(c.csrfToken(id)), []byte(token))
}

// switchToken binds the form that confirms opening personal link p to the participant
// who was shown it.
func (c *Channel) switchToken(id, p string) string { return c.mac(purposeSwitch, id+"|"+p) }

func (c *Channel) checkSwitch(id, p, token string) bool {
	return hmac.Equal([]byte(c.switchToken(id, p)), []byte(token))
}
