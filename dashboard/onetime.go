package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"net/http"
	"strconv"
	"sync/atomic"
)

// A newcomer who runs serve on their own machine has no DASHBOARD_USERS yet. So
// that the dashboard is there too, serve may give it a OneTimeLogin instead (only
// when it listens on a loopback address): one link, printed in the log like
// Jupyter's, that logs in once as OneTimeUser and gives a normal session.
//
// The link is kept in this process's memory, as a SHA-256 hash, not in Redis: it
// is printed by this process and means nothing to another replica or after a
// restart. The local user's password is random and never shown, and it signs the
// sessions (userKey), so those end when the process does; the next start prints
// a new link.

// OneTimeUser is the organiser a one-time link logs in as; the audit log names it.
const OneTimeUser = "organisator (eenmalige link)"

// oneTimeParam is the query parameter of the login page that holds the token.
const oneTimeParam = "eenmalig"

// oneTimeBytes is the token's randomness: 256 bits, far past guessing (at least
// 128 are needed).
const oneTimeBytes = 32

// OneTimeLogin is a login link that works once.
type OneTimeLogin struct {
	hash [sha256.Size]byte
	used atomic.Bool
}

// NewOneTimeLogin makes a random one-time login (crypto/rand) and returns it with
// the path of its link, "/dashboard/login?eenmalig=<token>", to put after the
// service's address.
func NewOneTimeLogin() (*OneTimeLogin, string) {
	b := make([]byte, oneTimeBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	token := b64.EncodeToString(b)
	return &OneTimeLogin{hash: sha256.Sum256([]byte(token))}, Prefix + "login?" + oneTimeParam + "=" + token
}

// use reports whether token is this link's and the link was not used yet; the
// first such call uses it, also among concurrent ones. Hashes are compared in
// constant time.
func (o *OneTimeLogin) use(token string) bool {
	h := sha256.Sum256([]byte(token))
	return hmac.Equal(h[:], o.hash[:]) && o.used.CompareAndSwap(false, true)
}

// oneTimeUser is the user of a dashboard with only a one-time login: its
// password is random and never shown.
func oneTimeUser() User {
	b := make([]byte, oneTimeBytes)
	_, _ = rand.Read(b)
	return User{Name: OneTimeUser, Password: b64.EncodeToString(b)}
}

// msgOneTimeUsed is the answer to a one-time link that was used or never valid.
const msgOneTimeUsed = "Deze eenmalige inloglink is al gebruikt of klopt niet. Start de dienst opnieuw voor een nieuwe link " +
	"(die staat in het log), of stel gebruikers in met DASHBOARD_USERS."

// oneTimeLogin logs in with the one-time link, counted against the login
// limits like a password; a link used before or a wrong token is refused.
func (s *server) oneTimeLogin(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	ok, wait, msg, err := s.allowLogin(r.Context(), ip, OneTimeUser)
	if err != nil {
		s.serverError(w, r, "count login try", err)
		return
	}
	if !ok {
		s.failedLogin(r.Context(), OneTimeUser, ip)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.errorPage(w, r, http.StatusTooManyRequests, msg)
		return
	}
	if s.cfg.OneTime == nil || !s.cfg.OneTime.use(r.URL.Query().Get(oneTimeParam)) {
		s.log.Warn("dashboard one-time login refused", "remote", ip)
		s.failedLogin(r.Context(), OneTimeUser, ip)
		s.errorPage(w, r, http.StatusForbidden, msgOneTimeUsed)
		return
	}
	u, _ := s.user(OneTimeUser)
	ss := s.newSession(u)
	s.setCookie(w, ss.value, int(sessionTTL.Seconds()))
	s.audit(r.Context(), u.Name, "ingelogd met de eenmalige link")
	s.log.Info("dashboard one-time login used", "remote", ip)
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}
